package codescan

import (
	"slices"
	"testing"
)

// firedRules lists the indexes of the rules a file result fired.
func firedRules(fr fileResult) []int {
	var out []int
	for i, f := range fr.fired {
		if f != nil {
			out = append(out, i)
		}
	}
	return out
}

// TestScanFileIgnoresLeftoverScratch: a scan cut short by a panic leaves
// hits, candidates and literal contexts behind in its scanner. The next
// file scanned with it must give what a clean scanner gives, not index
// the stale candidates (a fuzzer once saw "index out of range" there).
func TestScanFileIgnoresLeftoverScratch(t *testing.T) {
	rs := DefaultRules()
	for _, tc := range []struct{ name, src string }{
		{"a one-byte file", "x"},
		{"benign code", "const path = require('path');\nmodule.exports = path.join('a', 'b');\n"},
		{"a payload", "const s = atob(k);\nfetch(u).then(r => r.text()).then(t => eval(t));\nnew Function(s)();\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, _ := collect(treeOf(map[string]string{"package.json": `{"name":"p","main":"index.js"}`, "index.js": tc.src}), rs)
			var f *file
			for _, x := range files {
				if x.path == "index.js" {
					f = x
				}
			}
			if f == nil {
				t.Fatal("index.js not collected")
			}
			clean := firedRules((&scanner{rs: rs, m: rs.m, seen: make([]context, len(rs.lits)), cand: make([][]int32, len(rs.pats))}).scanFile(f))

			dirty := &scanner{rs: rs, m: rs.m, seen: make([]context, len(rs.lits)), cand: make([][]int32, len(rs.pats))}
			for p := range dirty.cand {
				dirty.cand[p] = []int32{2, 7}
				dirty.candUsed = append(dirty.candUsed, int32(p))
			}
			for l := range dirty.seen {
				dirty.seen[l] = ^context(0)
				dirty.touched = append(dirty.touched, int32(l))
			}
			got := firedRules(dirty.scanFile(f))
			if !slices.Equal(got, clean) {
				t.Fatalf("after leftover scratch: rules %v, clean scanner: %v", got, clean)
			}
			if tc.name == "a payload" && len(clean) == 0 {
				t.Fatal("the payload fired no rule: the test compares nothing")
			}
		})
	}
}
