package domain

import "fmt"

// Technique names, as they appear in Match.Technique and the finding's
// evidence. Edit techniques (omission … homoglyph) are the same strings
// the typosquat rule uses for package names.
const (
	TechOmission       = "omission"
	TechInsertion      = "insertion"
	TechRepetition     = "repetition"
	TechSubstitution   = "substitution"
	TechTransposition  = "transposition"
	TechBitFlip        = "bitflip"
	TechVowelSwap      = "vowel-swap"
	TechHomoglyph      = "homoglyph"
	TechTwoEdits       = "two-edits"
	TechHyphenation    = "hyphenation"
	TechTLDSwap        = "tld-swap"
	TechBrandKeyword   = "brand-keyword"
	TechHosting        = "hosting-lookalike"
	TechBrandSubdomain = "brand-subdomain"
	TechBrandUserinfo  = "brand-userinfo"
	TechRegistryLure   = "registry-lure"
)

// change is one edit turning a protected label into a candidate label.
type change struct {
	tech string
	// a and b are the characters involved: the one added (a), left out
	// (a), replaced (a by b), or swapped (a then b, as in the target).
	a, b byte
	// plausible: a slip of the finger or of the eye (neighbouring key,
	// lookalike character, swapped or doubled letter), as opposed to any
	// other single edit. Short labels only report plausible changes.
	plausible bool
}

// phrase describes the change for a human: "'m' changed to neighbouring
// key 'n'".
func (c change) phrase() string {
	switch c.tech {
	case TechTransposition:
		return fmt.Sprintf("%q and %q swapped", c.a, c.b)
	case TechRepetition:
		return fmt.Sprintf("%q doubled", c.a)
	case TechInsertion:
		return fmt.Sprintf("%q added", c.a)
	case TechOmission:
		return fmt.Sprintf("%q left out", c.a)
	case TechHomoglyph:
		return fmt.Sprintf("%q written as lookalike %q", c.a, c.b)
	case TechVowelSwap:
		return fmt.Sprintf("vowel %q changed to %q", c.a, c.b)
	case TechBitFlip:
		return fmt.Sprintf("%q changed to %q (one bit apart)", c.a, c.b)
	}
	if c.plausible {
		return fmt.Sprintf("%q changed to neighbouring key %q", c.a, c.b)
	}
	return fmt.Sprintf("%q changed to %q", c.a, c.b)
}

// singleEdit reports whether candidate c is exactly one edit (insertion,
// omission, substitution, transposition of neighbours) away from target t,
// and describes it. Both are ASCII.
func singleEdit(c, t string) (change, bool) {
	p := 0
	for p < len(c) && p < len(t) && c[p] == t[p] {
		p++
	}
	switch len(c) - len(t) {
	case 0:
		if p == len(c) {
			return change{}, false
		}
		if c[p+1:] == t[p+1:] {
			return substitution(t[p], c[p]), true
		}
		if p+1 < len(c) && c[p] == t[p+1] && c[p+1] == t[p] && c[p+2:] == t[p+2:] {
			return change{TechTransposition, t[p], t[p+1], true}, true
		}
	case 1:
		if c[p+1:] == t[p:] {
			x := c[p]
			if (p > 0 && c[p-1] == x) || (p+1 < len(c) && c[p+1] == x) {
				return change{TechRepetition, x, 0, true}, true
			}
			return change{TechInsertion, x, 0, false}, true
		}
	case -1:
		if c[p:] == t[p+1:] {
			return change{TechOmission, t[p], 0, false}, true
		}
	}
	return change{}, false
}

// substitution classifies target character a written as b.
func substitution(a, b byte) change {
	kb := keyboardNeighbours(a, b)
	switch {
	case lookalikeASCII(a, b):
		return change{TechHomoglyph, a, b, true}
	case isVowel(a) && isVowel(b):
		return change{TechVowelSwap, a, b, kb}
	case kb:
		return change{TechSubstitution, a, b, true}
	case bitflip(a, b):
		return change{TechBitFlip, a, b, false}
	}
	return change{TechSubstitution, a, b, false}
}

// keyboardRows is a QWERTY layout; rows are staggered, so a key touches
// its left and right neighbours, the two keys above (same column and one
// to the right) and the two below (same column and one to the left).
var keyboardRows = [...]string{"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"}

func keyPos(c byte) (row, col int, ok bool) {
	for r, s := range keyboardRows {
		for i := 0; i < len(s); i++ {
			if s[i] == c {
				return r, i, true
			}
		}
	}
	return 0, 0, false
}

func keyboardNeighbours(a, b byte) bool {
	ra, ca, okA := keyPos(a)
	rb, cb, okB := keyPos(b)
	if !okA || !okB {
		return false
	}
	switch d := cb - ca; ra - rb {
	case 0:
		return d == 1 || d == -1
	case 1: // b is on the row above a
		return d == 0 || d == 1
	case -1: // b is on the row below a
		return d == 0 || d == -1
	}
	return false
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// lookalikeASCII reports characters that read alike in URLs and mail
// fonts: 1/l/i, 0/o, 5/s, 3/e, 4/a, 7/t, 8/b, 9/g, q/g, u/v.
func lookalikeASCII(a, b byte) bool {
	if a > b {
		a, b = b, a
	}
	for _, p := range [...]string{"1l", "1i", "il", "0o", "5s", "3e", "4a", "7t", "8b", "9g", "gq", "uv"} {
		if a == p[0] && b == p[1] {
			return true
		}
	}
	return false
}

func bitflip(a, b byte) bool {
	x := a ^ b
	return x != 0 && x&(x-1) == 0
}

// distanceAtMost2 reports whether the restricted Damerau–Levenshtein
// distance of a and b is 2 (it is called after singleEdit failed, so 0 and
// 1 are excluded by the caller). It runs a banded dynamic programme over
// three rows.
func distanceAtMost2(a, b string) bool {
	const limit = 2
	if d := len(a) - len(b); d > limit || d < -limit || len(a) > 63 || len(b) > 63 {
		return false
	}
	var rows [3][64]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			low = min(low, v)
		}
		if low > limit {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)] <= limit
}
