package typosquat

import (
	"strings"

	"github.com/pkgward/pkgward/internal/confusable"
	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// Options tune how strong a match must be to block. The zero value is not
// useful; start from DefaultOptions.
type Options struct {
	// BlockRank: edit-distance-1, delimiter and transposition matches
	// against a target ranked at or above this block; below it they warn.
	BlockRank int
	// MinBlockLen is the shortest target (without delimiters) for which a
	// one-edit match may block; shorter names have too many honest
	// neighbours.
	MinBlockLen int
	// MinLen is the shortest target that edit-distance techniques consider.
	MinLen int
	// Dist2Rank, Dist2MinLen and Dist2MaxLen select the targets also
	// matched at edit distance 2 (long, highly ranked names: "aiohtttps"
	// for "aiohttp"). The upper bound keeps the index linear: a name of n
	// characters has n²/2 two-deletion variants, and very long names are
	// compound names that squatters imitate by other means.
	Dist2Rank, Dist2MinLen, Dist2MaxLen int
	// WeakRank bounds the targets of the weaker techniques (affix, scope,
	// version suffix): only names at least this popular are worth the noise.
	WeakRank int
	// MaxFindings caps the findings for one candidate (best first).
	MaxFindings int
	// ShortRank and ShortMinLen admit targets shorter than MinLen to the
	// edit index when they are this popular: "tar", "gulp". Their matches
	// are graded by shortEdit, which asks for a rare kind of edit.
	ShortRank, ShortMinLen int
}

// DefaultOptions are pkgward's defaults.
func DefaultOptions() Options {
	return Options{BlockRank: 1000, MinBlockLen: 5, MinLen: 4, Dist2Rank: 2000, Dist2MinLen: 7, Dist2MaxLen: 20, WeakRank: 5000, MaxFindings: 3, ShortRank: 500, ShortMinLen: 3}
}

// target is one indexed corpus name.
type target struct {
	name      string // as in the corpus
	canon     string
	strip     string
	rank      int // 0: protected by the user
	downloads int64
}

// ranked reports whether the target is at least as popular as rank limit
// (protected names always are).
func (t *target) ranked(limit int) bool { return t.rank <= limit }

// Index is the lookalike index of one ecosystem's corpus. Build it once;
// it is immutable and safe for concurrent use.
type Index struct {
	eco     ecosystem.Ecosystem
	opt     Options
	affix   affixSet
	targets []target
	canon   map[string]int32 // canonical name (Go: module root) → id
	strip   mmap             // strip key → ids (delimiter technique)
	skel    mmap             // skeleton of strip key → ids (homoglyph)
	// del holds every target's strip key and its 1-deletion variants, and
	// the 2-deletion variants of the targets matched at distance 2; the
	// candidate's 0- and 1-deletion variants are probed in it. del2 holds
	// the 0-, 1- and 2-deletion variants of the distance-2 targets only,
	// for the candidate's many 2-deletion variants: a small table whose
	// filter stays in cache.
	del, del2 mmap
	words     mmap            // sorted words → ids (word order)
	digits    mmap            // strip key without trailing digits → ids
	flat      mmap            // npm: scope and name glued ("typesnode" for "@types/node") → ids
	bare      mmap            // affix-free strip key of the target ("discord" for "discord.js") → ids
	scopes    map[string]bool // npm scopes present in the corpus
	goIdx     *goIndex
}

// Build indexes entries (embedded corpus plus user names) for eco.
// Duplicate names keep their best rank.
func Build(eco ecosystem.Ecosystem, entries []corpus.Entry, opt Options) *Index {
	ix := &Index{
		eco:    eco,
		opt:    opt,
		affix:  ecosystemAffixes[eco],
		canon:  make(map[string]int32, len(entries)),
		strip:  newMmap(len(entries)),
		skel:   newMmap(len(entries)),
		del:    newMmap(len(entries)*12 + min(len(entries), opt.Dist2Rank)*60),
		del2:   newMmap(min(len(entries), opt.Dist2Rank) * 80),
		words:  newMmap(len(entries) / 2),
		digits: newMmap(len(entries)),
		flat:   newMmap(0),
		bare:   newMmap(len(entries) / 4),
		scopes: map[string]bool{},
	}
	for _, e := range entries {
		canon := ix.canonRoot(e.Name)
		if canon == "" {
			continue
		}
		if id, ok := ix.canon[canon]; ok {
			t := &ix.targets[id]
			if e.Rank < t.rank {
				t.rank = e.Rank
			}
			if e.Downloads > t.downloads {
				t.downloads = e.Downloads
			}
			continue
		}
		ix.canon[canon] = int32(len(ix.targets))
		ix.targets = append(ix.targets, target{name: e.Name, canon: canon, strip: stripKey(eco, canon), rank: e.Rank, downloads: e.Downloads})
	}
	var h hasher
	var aff []affixed
	for i := range ix.targets {
		id := int32(i)
		t := &ix.targets[i]
		ix.strip.add(hashString(t.strip), id)
		ix.skel.add(hashString(confusable.Skeleton(t.strip)), id)
		if k := sortedTokensKey(t.canon); k != "" {
			ix.words.add(hashString(k), id)
		}
		if d := trimDigits(t.strip); len(d) >= opt.MinLen {
			ix.digits.add(hashString(d), id)
		}
		if eco == ecosystem.NPM {
			if scope, _ := ecosystem.SplitScope(t.canon); scope != "" {
				ix.scopes[scope] = true
				ix.flat.add(hashString(strings.ReplaceAll(t.strip, "/", "")), id)
			}
		}
		if !strings.HasPrefix(t.canon, "@") {
			aff = ix.affix.stripped(t.canon, t.strip, aff[:0])
			for _, a := range aff {
				ix.bare.add(hashString(a.key), id)
			}
		}
		if !ix.editable(t) {
			continue
		}
		h.reset(t.strip)
		ix.del.add(h.whole(), id)
		for p := range t.strip {
			ix.del.add(h.del1(p), id)
		}
		if ix.dist2(t) {
			ix.del2.add(h.whole(), id)
			for p := range t.strip {
				ix.del2.add(h.del1(p), id)
				for q := p + 1; q < len(t.strip); q++ {
					ix.del.add(h.del2(p, q), id)
					ix.del2.add(h.del2(p, q), id)
				}
			}
		}
	}
	for _, mm := range []*mmap{&ix.strip, &ix.skel, &ix.del, &ix.del2, &ix.words, &ix.digits, &ix.flat, &ix.bare} {
		mm.seal()
	}
	if eco == ecosystem.Go {
		ix.goIdx = buildGoIndex(ix.targets)
	}
	return ix
}

// editable reports whether t is in the edit-distance index: long enough,
// or short but popular enough (Options.ShortRank).
func (ix *Index) editable(t *target) bool {
	n := len(t.strip)
	if n > maxEditLen {
		return false
	}
	return n >= ix.opt.MinLen || (n >= ix.opt.ShortMinLen && t.ranked(ix.opt.ShortRank))
}

// dist2 reports whether t is also matched at edit distance 2.
func (ix *Index) dist2(t *target) bool {
	n := len(t.strip)
	return t.ranked(ix.opt.Dist2Rank) && n >= ix.opt.Dist2MinLen && n <= ix.opt.Dist2MaxLen
}

// canonRoot is the canonical form used for identity: the ecosystem's
// canonical name, and for Go the module root (host/owner/repo), so that
// packages and major versions inside a popular module are that module.
func (ix *Index) canonRoot(name string) string {
	c := ix.eco.Canonical(name)
	if ix.eco == ecosystem.Go {
		c = goRoot(c)
	}
	return c
}

// Len returns the number of distinct names indexed.
func (ix *Index) Len() int { return len(ix.targets) }

// Ecosystem returns the ecosystem the index was built for.
func (ix *Index) Ecosystem() ecosystem.Ecosystem { return ix.eco }

// Contains reports whether name is itself in the corpus, with its rank.
func (ix *Index) Contains(name string) (rank int, ok bool) {
	id, ok := ix.canon[ix.canonRoot(name)]
	if !ok {
		return 0, false
	}
	return ix.targets[id].rank, true
}
