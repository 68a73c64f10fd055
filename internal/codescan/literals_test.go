package codescan

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// naiveMatches is what litMatcher.scan must report: every occurrence of
// every pattern, case-insensitively (ASCII), in order of end, then in the
// matcher's output order (longest pattern first at the same end).
func naiveMatches(patterns []string, data []byte) [][2]int {
	low := bytes.ToLower(data)
	var out [][2]int
	for end := 1; end <= len(data); end++ {
		var at [][2]int
		for id, p := range patterns {
			if len(p) <= end && string(low[end-len(p):end]) == strings.ToLower(p) {
				at = append(at, [2]int{id, end})
			}
		}
		slices.SortStableFunc(at, func(a, b [2]int) int { return len(patterns[b[0]]) - len(patterns[a[0]]) })
		out = append(out, at...)
	}
	return out
}

func matcherMatches(m *litMatcher, data []byte) [][2]int {
	var out [][2]int
	var scratch []uint64
	m.scan(data, &scratch, func(id int32, end int) {
		out = append(out, [2]int{int(id), end})
	})
	return out
}

func TestLitMatcher(t *testing.T) {
	// child_process ends just past the middle of long.
	long := strings.Repeat("x", 1000) + "child_process" + strings.Repeat("y", 990)
	tests := []struct {
		name     string
		patterns []string
		data     string
	}{
		{"empty data", []string{"eval"}, ""},
		{"one byte", []string{"a"}, "a"},
		{"case folded", []string{"eval("}, "EVAL(x) Eval( eval("},
		{"overlapping", []string{"he", "she", "his", "hers"}, "ushers shis hishers"},
		{"duplicates", []string{"ab", "ab", "b"}, "abab"},
		{"no pattern byte", []string{"zz"}, "\x00\xff\x80 abc"},
		// Long enough for the split scan (splitMin): a hit straddling
		// the middle, at both ends, and repeated.
		{"straddles the middle", []string{"child_process", "process", "x", "yyy"}, long},
		{"at both ends", []string{"begin", "end"}, "begin" + strings.Repeat(".", 1200) + "end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.name, "middle") || strings.Contains(tt.name, "both ends") {
				if len(tt.data) < splitMin {
					t.Fatalf("%d bytes: shorter than splitMin (%d), the split scan is not reached", len(tt.data), splitMin)
				}
			}
			m := newLitMatcher(tt.patterns)
			got := matcherMatches(m, []byte(tt.data))
			want := naiveMatches(tt.patterns, []byte(tt.data))
			if !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
		})
	}
}

// TestLitMatcherRandom compares the matcher with the naive search on random
// text over a small alphabet, at every length around the split threshold,
// where hits cross the boundary between the streams.
func TestLitMatcherRandom(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	const alpha = "abcAB_("
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[rnd.IntN(len(alpha))]
		}
		return string(b)
	}
	for round := 0; round < 40; round++ {
		var pats []string
		for k := 0; k < 1+rnd.IntN(12); k++ {
			pats = append(pats, word(1+rnd.IntN(9)))
		}
		m := newLitMatcher(pats)
		for _, n := range []int{0, 1, 7, 63, 64, 65, 127, 128, 129, 200, 511, 512, 513, 1000, 1031, 4097} {
			data := []byte(word(n))
			got, want := matcherMatches(m, data), naiveMatches(pats, data)
			if !slices.Equal(got, want) {
				t.Fatalf("patterns %q, %d bytes %q:\ngot %v\nwant %v", pats, n, data, got, want)
			}
		}
	}
}
