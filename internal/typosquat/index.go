package typosquat

import (
	"slices"
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
	// are graded by the score model (editScore in score.go), which asks for a rare kind of edit.
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
// its answers never change and it is safe for concurrent use.
//
// Its key tables are built on first use: Build only gathers the targets
// and groups them by the length of each table's key, and a table's part
// for keys of length n is filled when a check first probes a key of that
// length (lazyMmap). A check of one name so builds a small fraction of
// the tables, and a long run builds each part once.
type Index struct {
	eco     ecosystem.Ecosystem
	opt     Options
	affix   affixSet
	targets []target
	canon   canonTable // canonical name (Go: module root) → id (lookup)
	strip   lazyMmap   // strip key → ids (delimiter technique)
	skel    lazyMmap   // skeleton of strip key → ids (homoglyph)
	// del holds every target's strip key and its 1-deletion variants, and
	// the 2-deletion variants of the targets matched at distance 2; the
	// candidate's 0- and 1-deletion variants are probed in it. del2 holds
	// the 0-, 1- and 2-deletion variants of the distance-2 targets only,
	// for the candidate's many 2-deletion variants: a small table whose
	// filter stays in cache.
	del, del2 lazyMmap
	words     lazyMmap        // sorted words → ids (word order)
	digits    lazyMmap        // strip key without trailing digits → ids
	flat      lazyMmap        // npm: scope and name glued ("typesnode" for "@types/node") → ids
	bare      lazyMmap        // affix-free strip key of the target ("discord" for "discord.js") → ids
	scoped    lazyMmap        // npm: the bare name of a scoped target ("arm-compute" of "@azure/arm-compute") → ids (bareOf)
	scopes    map[string]bool // npm scopes present in the corpus
	goIdx     *goIndex

	// Key length → ids (ascending) of the targets with a key of that
	// length in a table (lengths capped at maxKeyLen, as in the hashes).
	stripLen, skelLen, wordsLen, digitsLen, flatLen, scopedLen [][]int32
	editLen                                                    [][]int32 // strip key length of the editable targets
	klen                                                       []keyLens // per target, until finish
}

// Build indexes entries (embedded corpus plus user names) for eco.
// Duplicate names keep their best rank.
func Build(eco ecosystem.Ecosystem, entries []corpus.Entry, opt Options) *Index {
	ix := newIndex(eco, opt, len(entries))
	ix.canon.more = make(map[string]int32, len(entries))
	ix.addEntries(entries)
	ix.finish()
	return ix
}

func newIndex(eco ecosystem.Ecosystem, opt Options, n int) *Index {
	return &Index{
		eco:     eco,
		opt:     opt,
		affix:   ecosystemAffixes[eco],
		scopes:  map[string]bool{},
		targets: make([]target, 0, n),
		klen:    make([]keyLens, 0, n),
	}
}

// keyLens are the lengths of a target's keys in the one-key tables
// (capped at maxKeyLen; noKey: none), whatever the Options.
type keyLens struct {
	skel, words, digits, flat uint8
}

// addEntries adds the targets of entries not already in the index and
// merges the ranks of the others, then computes the new targets' keys'
// lengths.
func (ix *Index) addEntries(entries []corpus.Entry) {
	first := len(ix.targets)
	for _, e := range entries {
		canon := ix.canonRoot(e.Name)
		if canon == "" {
			continue
		}
		if id, ok := ix.lookup(canon); ok {
			t := &ix.targets[id]
			if e.Rank < t.rank {
				t.rank = e.Rank
			}
			if e.Downloads > t.downloads {
				t.downloads = e.Downloads
			}
			continue
		}
		ix.canon.add(canon, int32(len(ix.targets)))
		ix.targets = append(ix.targets, target{name: e.Name, canon: canon, rank: e.Rank, downloads: e.Downloads})
	}
	ix.setStripKeys(first)
	for i := first; i < len(ix.targets); i++ {
		t := &ix.targets[i]
		k := keyLens{skel: keyLenOf(len(confusable.Skeleton(t.strip))), words: noKey, digits: keyLenOf(len(trimDigits(t.strip))), flat: noKey}
		// (The skeleton's length, not the key's: "rn" is "m".)
		if n := wordsKeyLen(t.canon); n > 0 {
			k.words = keyLenOf(n)
		}
		if scope, _ := ecosystem.SplitScope(t.canon); ix.eco == ecosystem.NPM && scope != "" {
			k.flat = keyLenOf(len(t.strip) - strings.Count(t.strip, "/"))
		}
		ix.klen = append(ix.klen, k)
	}
}

// finish groups the targets by key length per table (with the Options)
// and readies the tables to be built on demand.
func (ix *Index) finish() {
	nt := len(ix.targets)
	lens := make([]uint8, 7*nt)
	stripL, skelL, wordsL, digitsL, flatL, editL := lens[:nt], lens[nt:2*nt], lens[2*nt:3*nt], lens[3*nt:4*nt], lens[4*nt:5*nt], lens[5*nt:6*nt]
	scopedL := lens[6*nt:]
	for i := range ix.targets {
		t, k := &ix.targets[i], ix.klen[i]
		stripL[i], skelL[i], wordsL[i], digitsL[i], flatL[i], editL[i], scopedL[i] = keyLenOf(len(t.strip)), k.skel, k.words, noKey, k.flat, noKey, noKey
		if k.digits != noKey && int(k.digits) >= ix.opt.MinLen {
			digitsL[i] = k.digits
		}
		if k.flat != noKey {
			if scope, bare := ecosystem.SplitScope(t.canon); scope != "" {
				ix.scopes[scope] = true
				if bare != "" {
					scopedL[i] = keyLenOf(len(bare))
				}
			}
		}
		if ix.editable(t) {
			editL[i] = stripL[i]
		}
	}
	ix.klen = nil
	ix.stripLen, ix.skelLen, ix.wordsLen = groupByLen(stripL), groupByLen(skelL), groupByLen(wordsL)
	ix.digitsLen, ix.flatLen, ix.editLen, ix.scopedLen = groupByLen(digitsL), groupByLen(flatL), groupByLen(editL), groupByLen(scopedL)
	ix.strip.fill = func(n int, mm *mmap) { ix.fillKeys(mm, ix.stripLen, n, func(t *target) string { return t.strip }) }
	ix.skel.fill = func(n int, mm *mmap) {
		ix.fillKeys(mm, ix.skelLen, n, func(t *target) string { return confusable.Skeleton(t.strip) })
	}
	ix.words.fill = func(n int, mm *mmap) {
		ix.fillKeys(mm, ix.wordsLen, n, func(t *target) string { return sortedTokensKey(t.canon) })
	}
	ix.digits.fill = func(n int, mm *mmap) {
		ix.fillKeys(mm, ix.digitsLen, n, func(t *target) string { return trimDigits(t.strip) })
	}
	ix.flat.fill = func(n int, mm *mmap) {
		ix.fillKeys(mm, ix.flatLen, n, func(t *target) string { return strings.ReplaceAll(t.strip, "/", "") })
	}
	ix.scoped.fill = func(n int, mm *mmap) {
		ix.fillKeys(mm, ix.scopedLen, n, func(t *target) string { _, bare := ecosystem.SplitScope(t.canon); return bare })
	}
	ix.bare.whole = true
	ix.bare.fill = ix.fillBare
	ix.del.fill = ix.fillDel
	ix.del2.fill = ix.fillDel2
	if ix.eco == ecosystem.Go {
		ix.goIdx = buildGoIndex(ix.targets)
	}
}

// setStripKeys sets the strip keys of the targets from first on. The keys
// that are not slices of the canonical name share one allocation: Build is
// on the start-up path of every command.
func (ix *Index) setStripKeys(first int) {
	size := 0
	for i := first; i < len(ix.targets); i++ {
		size += len(ix.targets[i].canon)
	}
	buf := make([]byte, 0, size)
	var dirty, ends []int32 // targets whose key is built in buf, and its end there
	for i := first; i < len(ix.targets); i++ {
		t := &ix.targets[i]
		k, clean := stripClean(ix.eco, t.canon)
		if clean {
			t.strip = k
			continue
		}
		buf = appendStrip(buf, k)
		dirty = append(dirty, int32(i))
		ends = append(ends, int32(len(buf)))
	}
	all, start := string(buf), int32(0)
	for j, i := range dirty {
		ix.targets[i].strip = all[start:ends[j]]
		start = ends[j]
	}
}

// noKey marks a target without a key in a table.
const noKey = 0xff

// keyLenOf caps a key length as the hashes do.
func keyLenOf(n int) uint8 { return uint8(min(n, maxKeyLen)) }

// groupByLen groups the ids i by lens[i] (skipping noKey), ascending
// within each group.
func groupByLen(lens []uint8) [][]int32 {
	var count [maxKeyLen + 2]int32
	top, total := -1, int32(0)
	for _, n := range lens {
		if n != noKey {
			count[n+1]++
			top = max(top, int(n))
			total++
		}
	}
	if top < 0 {
		return nil
	}
	for n := 1; n <= top+1; n++ {
		count[n] += count[n-1]
	}
	ids := make([]int32, total)
	next := count
	for i, n := range lens {
		if n != noKey {
			ids[next[n]] = int32(i)
			next[n]++
		}
	}
	groups := make([][]int32, top+1)
	for n := range groups {
		groups[n] = ids[count[n]:count[n+1]:count[n+1]]
	}
	return groups
}

// group returns the ids of key length n.
func group(groups [][]int32, n int) []int32 {
	if n < len(groups) {
		return groups[n]
	}
	return nil
}

// wordsKeyLen is len(sortedTokensKey(canon)) without building the key: the
// words' bytes plus one "-" between each two, or 0 for fewer than two words.
func wordsKeyLen(canon string) int {
	n, words, in := 0, 0, false
	for i := 0; i < len(canon); i++ {
		switch canon[i] {
		case '-', '_', '.', '/', '@':
			in = false
		default:
			if !in {
				words++
				in = true
			}
			n++
		}
	}
	if words < 2 {
		return 0
	}
	return n + words - 1
}

// fillKeys fills the part of a one-key-per-target table for keys of
// length n.
func (ix *Index) fillKeys(mm *mmap, groups [][]int32, n int, key func(*target) string) {
	ids := group(groups, n)
	mm.alloc(len(ids))
	for _, id := range ids {
		mm.add(hashString(key(&ix.targets[id])), id)
	}
}

// fillBare fills the whole bare table (its keys' lengths are only known
// once the affixes are stripped).
func (ix *Index) fillBare(_ int, mm *mmap) {
	mm.alloc(len(ix.targets) / 16)
	var aff []affixed
	for i := range ix.targets {
		t := &ix.targets[i]
		if strings.HasPrefix(t.canon, "@") {
			continue
		}
		aff = ix.affix.stripped(t.canon, t.strip, aff[:0])
		for _, a := range aff {
			mm.add(hashString(a.key), int32(i))
		}
	}
}

// fillDel fills the part of del holding keys of length n: the strip keys
// of the editable targets of length n, the 1-deletion variants of those of
// length n+1 and the 2-deletion variants of the distance-2 targets of
// length n+2. Ids are added in ascending order, as a build of the whole
// table would, so every key lists its ids in the same order.
func (ix *Index) fillDel(n int, mm *mmap) { ix.fillDeletions(n, mm, false) }

// fillDel2 fills the part of del2 holding keys of length n: the 0-, 1- and
// 2-deletion variants of the distance-2 targets of length n, n+1 and n+2.
func (ix *Index) fillDel2(n int, mm *mmap) { ix.fillDeletions(n, mm, true) }

func (ix *Index) fillDeletions(n int, mm *mmap, onlyDist2 bool) {
	var ids []int32
	keys := 0
	for d := 0; d <= 2; d++ {
		for _, id := range group(ix.editLen, n+d) {
			if (onlyDist2 || d == 2) && !ix.dist2(&ix.targets[id]) {
				continue
			}
			ids = append(ids, id)
			switch d {
			case 0:
				keys++
			case 1:
				keys += n + 1
			case 2:
				keys += (n + 2) * (n + 1) / 2
			}
		}
	}
	slices.Sort(ids)
	mm.alloc(keys)
	var h hasher
	for _, id := range ids {
		t := &ix.targets[id]
		h.reset(t.strip)
		switch len(t.strip) - n {
		case 0:
			mm.add(h.whole(), id)
		case 1:
			for p := range t.strip {
				mm.add(h.del1(p), id)
			}
		case 2:
			for p := range t.strip {
				for q := p + 1; q < len(t.strip); q++ {
					mm.add(h.del2(p, q), id)
				}
			}
		}
	}
}

// Prepare builds every part of the index that is otherwise built on first
// use, so that no later check pays for one: for a long-lived index or a
// benchmark.
func (ix *Index) Prepare() {
	for _, l := range []*lazyMmap{&ix.strip, &ix.skel, &ix.del, &ix.del2, &ix.words, &ix.digits, &ix.flat, &ix.bare, &ix.scoped} {
		l.buildAll()
	}
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
	id, ok := ix.lookup(ix.canonRoot(name))
	if !ok {
		return 0, false
	}
	return ix.targets[id].rank, true
}
