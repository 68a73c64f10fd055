package typosquat

import (
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// extra holds the lookup tables of the techniques added after the index's
// own tables were laid out: npm scope tables, name families,
// the distance-2 table of the most popular short names, the sound table
// and the extension words. Each is derived from the index's targets the
// first time a check needs it (a short-lived process builds only what its
// names need), once per index, and is then only read. The methods that return them take the
// index: extra must not point to it (extras holds it weakly).
type extra struct {
	// scopeBest maps each npm scope to the best rank of its packages
	// (scopeRanks).
	scopeBest  map[string]int
	scopeOnce0 sync.Once
	// scopes (scopeTable) finds the corpus scopes within one or two edits
	// of a candidate's scope.
	scopes    *scopeTable
	scopeOnce sync.Once
	// family counts the corpus names of each family prefix: the canonical
	// name without its last word ("net" of "net-smtp", "aws-sdk" of
	// "aws-sdk-kms").
	family     map[string]int32 // families
	familyOnce sync.Once
	// short2 maps the 0-, 1- and 2-deletion variants of the short targets
	// ranked 1–Dist2Rank to their ids (distance-2 matches of short
	// names: "rceat" for "react"), keyed by the hasher's deletion hashes
	// (shortTable).
	short2     map[uint64][]int32
	short2Once sync.Once
	// sound maps the sound keys (soundKey) of the targets ranked
	// 1–soundRank to their ids (soundTable).
	// Only the targets whose sound key differs from their strip key are
	// here; the others are found through the strip table (soundMatches).
	sound     map[string][]int32
	soundOnce sync.Once
	// extension counts the corpus names each word extends a corpus name
	// with (extensionWords).
	extension     map[string]int32
	extensionOnce sync.Once
}

type bareInfo struct {
	id    int32
	count int32
}

// Model bounds of the tables above.
const (
	// shortTop: the most popular tier of the scoring model (popPoints).
	shortTop = 100
	// shortMaxLen: the longest target key that counts as short here: short
	// targets (4 to shortMaxLen characters) ranked 1–Dist2Rank are also
	// matched at distance 2, by a moved or swapped letter; the longer ones
	// are matched at distance 2 by the index itself.
	shortMaxLen = 6
	// scope2MinLen and scope2Rank: scopes this long whose best package is
	// ranked this well are also matched at distance 2 ("@meer-js" for
	// "@near-js").
	scope2MinLen = 6
	scope2Rank   = 50000
)

var extras sync.Map // weak.Pointer[Index] → *extra

// extraOf returns the derived tables of ix (each built on first use).
func (ix *Index) extraOf() *extra {
	key := weak.Make(ix)
	v, ok := extras.Load(key)
	if !ok {
		var loaded bool
		v, loaded = extras.LoadOrStore(key, &extra{})
		if !loaded {
			runtime.AddCleanup(ix, func(k weak.Pointer[Index]) { extras.Delete(k) }, key)
		}
	}
	return v.(*extra)
}

// scopeRanks returns each npm scope's best rank among its packages
// (empty elsewhere), building it on first use.
func (x *extra) scopeRanks(ix *Index) map[string]int {
	x.scopeOnce0.Do(func() {
		x.scopeBest = map[string]int{}
		if ix.eco != ecosystem.NPM {
			return
		}
		for i := range ix.targets {
			t := &ix.targets[i]
			if scope, bare := ecosystem.SplitScope(t.canon); scope != "" && bare != "" {
				if r, ok := x.scopeBest[scope]; !ok || t.rank < r {
					x.scopeBest[scope] = t.rank
				}
			}
		}
	})
	return x.scopeBest
}

// bareOf returns the best-ranked npm target whose bare name (without its
// scope) is bare, and how many scopes publish that bare name: "arm-compute"
// of "@azure/arm-compute".
func (ix *Index) bareOf(bare string) (bareInfo, bool) {
	var buf [8]int32
	var b bareInfo
	for _, id := range ix.scoped.get(hashString(bare), buf[:0]) {
		t := &ix.targets[id]
		if _, tb := ecosystem.SplitScope(t.canon); tb != bare {
			continue // another name under the same hash
		}
		if b.count == 0 || t.rank < ix.targets[b.id].rank {
			b.id = id
		}
		b.count++
	}
	return b, b.count > 0
}

// shortTable returns the short names' distance-2 table, building it on
// first use.
func (x *extra) shortTable(ix *Index) map[uint64][]int32 {
	x.short2Once.Do(func() {
		x.short2 = make(map[uint64][]int32, min(len(ix.targets), ix.opt.Dist2Rank)*4)
		var h hasher
		for i := range ix.targets {
			t := &ix.targets[i]
			n := len(t.strip)
			if !t.ranked(ix.opt.Dist2Rank) || n < 5 || n > shortMaxLen || strings.Contains(t.strip, "/") {
				continue
			}
			h.reset(t.strip)
			add := func(k uint64) { x.short2[k] = appendUnique(x.short2[k], int32(i)) }
			add(h.whole())
			for p := range n {
				add(h.del1(p))
				for r := p + 1; r < n; r++ {
					add(h.del2(p, r))
				}
			}
		}
	})
	return x.short2
}

// soundTable returns the sound table, building it on first use.
func (x *extra) soundTable(ix *Index) map[string][]int32 {
	x.soundOnce.Do(func() {
		x.sound = map[string][]int32{}
		for i := range ix.targets {
			t := &ix.targets[i]
			if t.ranked(soundRank) && len(t.strip) >= soundMinLen && foldable(t.strip) {
				if k := soundKey(t.strip); k != "" {
					x.sound[k] = append(x.sound[k], int32(i))
				}
			}
		}
	})
	return x.sound
}

// families returns the family table, counting the corpus names of each
// family prefix on first use: only a match inside a family needs it.
func (x *extra) families(ix *Index) map[string]int32 {
	x.familyOnce.Do(func() {
		x.family = make(map[string]int32, len(ix.targets)/2)
		for i := range ix.targets {
			if p := familyPrefix(ix.targets[i].canon); p != "" {
				x.family[p]++
			}
		}
	})
	return x.family
}

// scopeTable returns the scope table, building it on first use: every
// corpus scope of at least 3 characters under the hashes of itself and its
// 1-deletion variants, and scopes of at least scope2MinLen characters whose
// best package is ranked 1–scope2Rank under their 2-deletion variants too.
func (x *extra) scopeTable(ix *Index) *scopeTable {
	x.scopeOnce.Do(func() {
		ranks := x.scopeRanks(ix)
		st := &scopeTable{del: make(map[uint64][]int32, len(ranks)*24)}
		var h hasher
		for scope, r := range ranks {
			if len(scope) < 3 || len(scope) > maxEditLen {
				continue
			}
			id := int32(len(st.scopes))
			st.scopes = append(st.scopes, scope)
			add := func(k uint64) {
				if v := st.del[k]; len(v) == 0 || v[len(v)-1] != id {
					st.del[k] = append(v, id)
				}
			}
			h.reset(scope)
			add(h.whole())
			two := len(scope) >= scope2MinLen && r <= scope2Rank
			for p := range len(scope) {
				add(h.del1(p))
				if two {
					for q := p + 1; q < len(scope); q++ {
						add(h.del2(p, q))
					}
				}
			}
		}
		x.scopes = st
	})
	return x.scopes
}

// scopeTable maps deletion-variant hashes of npm scopes to the scopes.
type scopeTable struct {
	scopes []string
	del    map[uint64][]int32
}

func appendUnique(ids []int32, id int32) []int32 {
	if seen(ids, id) {
		return ids
	}
	return append(ids, id)
}

// familyPrefix is a canonical name without its last word, when the name
// has at least two words: "net" for "net-smtp", "aws-sdk" for
// "aws-sdk-kms", "@babel/plugin" for "@babel/plugin-x"; "" otherwise.
func familyPrefix(canon string) string {
	i := strings.LastIndexAny(canon, "-_.")
	if i <= 0 || i == len(canon)-1 {
		return ""
	}
	p := canon[:i]
	if strings.HasSuffix(p, "/") || strings.HasSuffix(p, "@") {
		return ""
	}
	return p
}
