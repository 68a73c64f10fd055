package typo

import (
	"strings"
	"testing"
)

func TestFacts(t *testing.T) {
	tests := []struct {
		a, b                       byte
		adjacent, look, vowel, bit bool
	}{
		{'q', 'w', true, false, false, false},
		{'s', 'z', true, false, false, false},
		{'m', 'n', true, false, false, false},
		{'a', 'p', false, false, false, false},
		{'1', 'l', false, true, false, false},
		{'o', '0', true, true, false, false}, // 0 and o are neighbours too
		{'a', 'e', false, false, true, true},
		{'t', 'u', false, false, false, true},
		{'A', 'a', false, false, false, true},
	}
	for _, tt := range tests {
		if got := KeyboardAdjacent(tt.a, tt.b); got != tt.adjacent {
			t.Errorf("KeyboardAdjacent(%q,%q) = %v", tt.a, tt.b, got)
		}
		if got := KeyboardAdjacent(tt.b, tt.a); got != tt.adjacent {
			t.Errorf("KeyboardAdjacent not symmetric on %q,%q", tt.a, tt.b)
		}
		if got := Lookalike(tt.a, tt.b); got != tt.look {
			t.Errorf("Lookalike(%q,%q) = %v", tt.a, tt.b, got)
		}
		if got := IsVowel(tt.a) && IsVowel(tt.b); got != tt.vowel {
			t.Errorf("vowels %q,%q = %v", tt.a, tt.b, got)
		}
		if got := BitFlip(tt.a, tt.b); got != tt.bit {
			t.Errorf("BitFlip(%q,%q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"ignore", "ignores", 1}, {"kitten", "sitting", 3}, {"addr", "adr", 1}, {"abc", "", 3},
		{strings.Repeat("a", 65), "a", 65},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
