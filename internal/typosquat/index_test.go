package typosquat

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/confusable"
	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// referenceTables builds every key table of ix the way Build did before
// the tables were split by key length and built lazily: one eager mmap per
// table, every target's keys added in target order.
func referenceTables(ix *Index) map[string]*mmap {
	n := len(ix.targets)
	ref := map[string]*mmap{}
	for name, size := range map[string]int{"strip": n, "skel": n, "del": n*12 + min(n, ix.opt.Dist2Rank)*60,
		"del2": min(n, ix.opt.Dist2Rank) * 80, "words": n / 2, "digits": n, "flat": 0, "bare": n / 4, "scoped": 0} {
		mm := newMmap(size)
		ref[name] = &mm
	}
	var h hasher
	var aff []affixed
	for i := range ix.targets {
		id := int32(i)
		t := &ix.targets[i]
		ref["strip"].add(hashString(t.strip), id)
		ref["skel"].add(hashString(confusable.Skeleton(t.strip)), id)
		if k := sortedTokensKey(t.canon); k != "" {
			ref["words"].add(hashString(k), id)
		}
		if d := trimDigits(t.strip); len(d) >= ix.opt.MinLen {
			ref["digits"].add(hashString(d), id)
		}
		if ix.eco == ecosystem.NPM {
			if scope, bare := ecosystem.SplitScope(t.canon); scope != "" {
				ref["flat"].add(hashString(strings.ReplaceAll(t.strip, "/", "")), id)
				if bare != "" {
					ref["scoped"].add(hashString(bare), id)
				}
			}
		}
		if !strings.HasPrefix(t.canon, "@") {
			aff = ix.affix.stripped(t.canon, t.strip, aff[:0])
			for _, a := range aff {
				ref["bare"].add(hashString(a.key), id)
			}
		}
		if !ix.editable(t) {
			continue
		}
		h.reset(t.strip)
		ref["del"].add(h.whole(), id)
		for p := range t.strip {
			ref["del"].add(h.del1(p), id)
		}
		if ix.dist2(t) {
			ref["del2"].add(h.whole(), id)
			for p := range t.strip {
				ref["del2"].add(h.del1(p), id)
				for q := p + 1; q < len(t.strip); q++ {
					ref["del"].add(h.del2(p, q), id)
					ref["del2"].add(h.del2(p, q), id)
				}
			}
		}
	}
	for _, mm := range ref {
		mm.seal()
	}
	return ref
}

func (ix *Index) lazyTables() map[string]*lazyMmap {
	return map[string]*lazyMmap{"strip": &ix.strip, "skel": &ix.skel, "del": &ix.del, "del2": &ix.del2,
		"words": &ix.words, "digits": &ix.digits, "flat": &ix.flat, "bare": &ix.bare, "scoped": &ix.scoped}
}

// withReferenceTables returns a copy of ix whose tables are the reference
// ones, each whole in one part: an index as Build made it before.
func withReferenceTables(ix *Index) *Index {
	old := &Index{eco: ix.eco, opt: ix.opt, affix: ix.affix, targets: ix.targets, canon: ix.canon, scopes: ix.scopes, goIdx: ix.goIdx}
	for name, mm := range referenceTables(ix) {
		l := old.lazyTables()[name]
		l.whole = true
		l.fill = func(_ int, dst *mmap) { *dst = *mm }
	}
	return old
}

// testEntries is every embedded corpus, and a small one with user names
// (rank 0, one duplicate of a corpus name) and non-ASCII names.
func testEntries(t testing.TB) map[string][]corpus.Entry {
	out := map[string][]corpus.Entry{}
	for _, eco := range ecosystem.All() {
		c, err := corpus.Embedded(eco)
		if err != nil {
			t.Fatal(err)
		}
		out[string(eco)] = c.Entries
	}
	out["npm-user"] = append(entries("lodash", "cross-env", "@types/node", "@acme/auth-kit", "arnio", "vvorld-wide",
		"réact", "reаct", "node-lodash", "lodash-js", "a", "ab", strings.Repeat("x", 200), strings.Repeat("long-name-", 12)),
		corpus.Entry{Name: "acme-billing"}, corpus.Entry{Name: "Lodash"})
	return out
}

func ecoOf(corpusName string) ecosystem.Ecosystem {
	eco, _, _ := strings.Cut(corpusName, "-")
	return ecosystem.Ecosystem(eco)
}

// TestLazyTablesMatchReference checks that every key of every table, built
// by parts on demand, lists exactly the ids the eager build gave it, and
// that the parts hold no other key.
func TestLazyTablesMatchReference(t *testing.T) {
	for name, es := range testEntries(t) {
		t.Run(name, func(t *testing.T) {
			ix := Build(ecoOf(name), es, DefaultOptions())
			ref := referenceTables(ix)
			lazy := ix.lazyTables()
			for table, mm := range ref {
				l := lazy[table]
				var got, want []int32
				for _, s := range mm.slots {
					if s.key == 0 {
						continue
					}
					want = mm.get(s.key, want[:0])
					got = l.get(s.key, got[:0])
					if !slices.Equal(got, want) {
						t.Fatalf("%s: key %x lists %v, want %v", table, s.key, got, want)
					}
				}
				l.buildAll()
				if l.len() != mm.n {
					t.Errorf("%s: %d keys, want %d", table, l.len(), mm.n)
				}
			}
		})
	}
}

// variants are names a check sees near a corpus name: squats of it by
// each technique, and unrelated names.
func variants(name string) []string {
	out := []string{name, name + "s", name + "-js", "python-" + name, name + "2", strings.ToUpper(name),
		strings.ReplaceAll(name, "-", ""), strings.ReplaceAll(name, "l", "1"), strings.ReplaceAll(name, "m", "rn")}
	if len(name) > 3 {
		b := []byte(name)
		b[1], b[2] = b[2], b[1]
		out = append(out, string(b), name[:2]+name[3:], name[:3]+"x"+name[3:], name[:2]+name[4:])
	}
	if i := strings.IndexAny(name, "-_."); i > 0 {
		out = append(out, name[i+1:]+"-"+name[:i], "@"+name[:i]+"/"+name[i+1:])
	}
	return out
}

// TestCheckMatchesReference compares the findings of an index built by
// parts on demand with those of the same index with the eager tables, on
// variants of a sample of each corpus (every 7th name) and of the user
// names.
func TestCheckMatchesReference(t *testing.T) {
	for name, es := range testEntries(t) {
		t.Run(name, func(t *testing.T) {
			eco := ecoOf(name)
			ix := Build(eco, es, DefaultOptions())
			old := withReferenceTables(Build(eco, es, DefaultOptions()))
			checked, found := 0, 0
			for i := 0; i < len(es); i += 1 + 6*min(1, len(es)/100) {
				for _, v := range variants(es[i].Name) {
					got, want := ix.Check(v), old.Check(v)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("Check(%q):\n got %v\nwant %v", v, got, want)
					}
					checked++
					found += min(1, len(want))
				}
			}
			if found == 0 || found == checked {
				t.Fatalf("%d of %d names have findings: the sample tests nothing", found, checked)
			}
			t.Logf("%d names, %d with findings", checked, found)
		})
	}
}

// TestCheckBuildsFewParts is the start-up regression test: a check of one
// name builds a few parts of the tables (the lengths it probes), not the
// whole index as Build used to.
func TestCheckBuildsFewParts(t *testing.T) {
	c, err := corpus.Embedded(ecosystem.NPM)
	if err != nil {
		t.Fatal(err)
	}
	ix := Build(ecosystem.NPM, c.Entries, DefaultOptions())
	for table, l := range ix.lazyTables() {
		if n := l.len(); n != 0 {
			t.Errorf("after Build, %s holds %d keys, want none", table, n)
		}
	}
	if fs := ix.Check("lodahs"); len(fs) == 0 || fs[0].Evidence["target"] != "lodash" {
		t.Fatalf("Check(lodahs) = %v, want lodash", fs)
	}
	built := func(l *lazyMmap) (parts int) {
		for i := range l.parts {
			if l.parts[i].ready.Load() {
				parts++
			}
		}
		return parts
	}
	all := referenceTables(ix)["del"].n
	if n := ix.del.len(); n == 0 || n > all/10 {
		t.Errorf("del holds %d of its %d keys after one check, want a few", n, all)
	}
	if p := built(&ix.del); p != 2 {
		t.Errorf("del: %d parts built, want 2 (lengths 6 and 5)", p)
	}
	for table, l := range map[string]*lazyMmap{"del2": &ix.del2, "words": &ix.words, "bare": &ix.bare} {
		if p := built(l); p != 0 {
			t.Errorf("%s: %d parts built for a short one-word name, want 0", table, p)
		}
	}
	ix.Prepare()
	if n := ix.del.len(); n != all {
		t.Errorf("after Prepare del holds %d keys, want %d", n, all)
	}
}

func TestKeyLen(t *testing.T) {
	for _, s := range []string{"", "a", "lodash", strings.Repeat("y", maxKeyLen), strings.Repeat("z", maxKeyLen+40)} {
		k := hashString(s)
		if got, want := keyLen(k), min(len(s), maxKeyLen); got != want {
			t.Errorf("keyLen(hash of %d bytes) = %d, want %d", len(s), got, want)
		}
		var h hasher
		h.reset(s)
		for i := range s {
			if got, want := keyLen(h.del1(i)), min(len(s)-1, maxKeyLen); got != want {
				t.Fatalf("keyLen(del1 of %d bytes) = %d, want %d", len(s), got, want)
			}
		}
	}
	// The length field leaves the hash's other bits apart.
	seen := map[uint64]string{}
	for i := range 20000 {
		s := fmt.Sprint(i)
		k := hashString(s) &^ lenField
		if o, dup := seen[k]; dup {
			t.Fatalf("%q and %q collide", s, o)
		}
		seen[k] = s
	}
}

func TestWordsKeyLen(t *testing.T) {
	for _, s := range []string{"", "a", "a-b", "python-nmap", "@types/node", "--a--b--", "a.b_c-d/e@f", "x-", "é-ü"} {
		if got, want := wordsKeyLen(s), len(sortedTokensKey(s)); got != want {
			t.Errorf("wordsKeyLen(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestGroupByLen(t *testing.T) {
	got := groupByLen([]uint8{3, noKey, 0, 3, 1, noKey, 3})
	want := [][]int32{{2}, {4}, nil, {0, 3, 6}}
	if len(got) != len(want) {
		t.Fatalf("groupByLen = %v, want %v", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("group %d = %v, want %v", i, got[i], want[i])
		}
	}
	if g := groupByLen([]uint8{noKey}); g != nil {
		t.Errorf("groupByLen(no keys) = %v, want nil", g)
	}
}

func TestStripKeys(t *testing.T) {
	es := entries("cross-env", "lodash", "@types/node", "@babel/plugin-proposal-class-properties", "a.b_c", "-")
	ix := Build(ecosystem.NPM, es, DefaultOptions())
	for _, tg := range ix.targets {
		if want := stripKey(ecosystem.NPM, tg.canon); tg.strip != want {
			t.Errorf("strip of %q = %q, want %q", tg.canon, tg.strip, want)
		}
	}
}

// TestConcurrentFirstChecks checks that concurrent checks on a fresh index,
// which build its parts as they go, answer as checks on a built one (run
// with -race).
func TestConcurrentFirstChecks(t *testing.T) {
	c, err := corpus.Embedded(ecosystem.PyPI)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i := 0; i < len(c.Entries); i += 97 {
		names = append(names, variants(c.Entries[i].Name)...)
	}
	built := Build(ecosystem.PyPI, c.Entries, DefaultOptions())
	built.Prepare()
	fresh := Build(ecosystem.PyPI, c.Entries, DefaultOptions())
	errs := make(chan string, 8)
	for w := range 8 {
		go func() {
			msg := ""
			for i := w; i < len(names); i += 3 {
				n := names[i]
				if g, want := fresh.Check(n), built.Check(n); !reflect.DeepEqual(g, want) {
					msg = fmt.Sprintf("Check(%q) = %v, want %v", n, g, want)
					break
				}
			}
			errs <- msg
		}()
	}
	for range 8 {
		if msg := <-errs; msg != "" {
			t.Error(msg)
		}
	}
}
