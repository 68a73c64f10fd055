package typosquat

import "testing"

func TestHasherDeletions(t *testing.T) {
	for _, s := range []string{"a", "ab", "requests", "aab", "github.com/x/y"} {
		var h hasher
		h.reset(s)
		if h.whole() != hashString(s) {
			t.Errorf("whole(%q) differs from hashString", s)
		}
		for i := 0; i < len(s); i++ {
			want := hashString(s[:i] + s[i+1:])
			if got := h.del1(i); got != want {
				t.Errorf("del1(%q, %d) = %x, want %x", s, i, got, want)
			}
			for j := i + 1; j < len(s); j++ {
				want := hashString(s[:i] + s[i+1:j] + s[j+1:])
				if got := h.del2(i, j); got != want {
					t.Errorf("del2(%q, %d, %d) = %x, want %x", s, i, j, got, want)
				}
			}
		}
	}
}

func TestHasherSwap(t *testing.T) {
	for _, s := range []string{"ab", "mogobd", "aab", "github.com/x/y", "\xff\x01z"} {
		var h hasher
		h.reset(s)
		for i := 0; i+1 < len(s); i++ {
			b := []byte(s)
			b[i], b[i+1] = b[i+1], b[i]
			if got, want := h.swap(i), hashString(string(b)); got != want {
				t.Errorf("swap(%q, %d) = %x, want %x", s, i, got, want)
			}
		}
	}
}

func TestMmap(t *testing.T) {
	mm := newMmap(4)
	mm.add(1, 10)
	mm.add(1, 10) // duplicate ignored
	mm.add(2, 20)
	mm.add(2, 21)
	mm.add(2, 22)
	mm.seal()
	if got := mm.get(1, nil); len(got) != 1 || got[0] != 10 {
		t.Errorf("get(1) = %v", got)
	}
	if got := mm.get(2, nil); len(got) != 3 || got[2] != 22 {
		t.Errorf("get(2) = %v", got)
	}
	if got := mm.get(3, nil); len(got) != 0 {
		t.Errorf("get(3) = %v", got)
	}
}
