package codescan

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLongRuns compares longRuns with a byte-by-byte walk on random text
// whose runs are around minLen long, within random bounds, and with fn
// stopping early.
func TestLongRuns(t *testing.T) {
	naive := func(d []byte, s, e, minLen int, set *[256]bool, stopAfter int) [][2]int {
		var out [][2]int
		for i := s; i < e; {
			if !set[d[i]] {
				i++
				continue
			}
			j := i
			for j < e && set[d[j]] {
				j++
			}
			if j-i >= minLen {
				out = append(out, [2]int{i, j})
				if len(out) == stopAfter {
					return out
				}
			}
			i = j
		}
		return out
	}
	rnd := rand.New(rand.NewPCG(5, 6))
	for round := 0; round < 2000; round++ {
		minLen := 1 + rnd.IntN(12)
		d := make([]byte, rnd.IntN(200))
		for i := 0; i < len(d); {
			n := rnd.IntN(2 * minLen)
			c := byte('a')
			if rnd.IntN(3) == 0 {
				c = ' '
			}
			for k := 0; k < n && i < len(d); k++ {
				d[i] = c
				i++
			}
		}
		s := rnd.IntN(len(d) + 1)
		e := s + rnd.IntN(len(d)-s+1)
		stopAfter := rnd.IntN(4) // 0: never
		var got [][2]int
		longRuns(d, s, e, minLen, &hexAlphabet, func(i, j int) bool {
			got = append(got, [2]int{i, j})
			return len(got) != stopAfter
		})
		if want := naive(d, s, e, minLen, &hexAlphabet, stopAfter); !slices.Equal(got, want) {
			t.Fatalf("%q[%d:%d] minLen %d: got %v, want %v", d, s, e, minLen, got, want)
		}
	}
}

// TestRegionsIn compares regionsIn with regions' stretches clipped to
// [lo, hi), on random spans and masks, with fn stopping early.
func TestRegionsIn(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	kinds := []context{ctxString, ctxComment}
	masks := []context{ctxCode, ctxString, ctxComment, ctxCode | ctxString, ctxString | ctxComment, ctxCode | ctxString | ctxComment}
	for round := 0; round < 3000; round++ {
		n := rnd.IntN(60)
		d := make([]byte, n)
		var spans []span
		for pos := rnd.IntN(4); pos < n; {
			e := min(n, pos+1+rnd.IntN(8))
			spans = append(spans, span{int32(pos), int32(e), kinds[rnd.IntN(2)]})
			pos = e + rnd.IntN(5) // adjacent spans too
		}
		mask := masks[rnd.IntN(len(masks))]
		lo := rnd.IntN(n + 1)
		hi := lo + rnd.IntN(n-lo+1)
		stopAfter := rnd.IntN(4)
		var want [][2]int
		regions(d, spans, mask, func(s, e int) bool {
			if s, e = max(s, lo), min(e, hi); s < e {
				want = append(want, [2]int{s, e})
			}
			return len(want) != stopAfter || stopAfter == 0
		})
		var got [][2]int
		regionsIn(d, spans, mask, lo, hi, func(s, e int) bool {
			got = append(got, [2]int{s, e})
			return len(got) != stopAfter
		})
		if !slices.Equal(got, want) {
			t.Fatalf("spans %v mask %d [%d:%d]: got %v, want %v", spans, mask, lo, hi, got, want)
		}
	}
}
