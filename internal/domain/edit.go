package domain

import (
	"fmt"

	"github.com/pkgward/pkgward/internal/typo"
)

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
	kb := typo.KeyboardAdjacent(a, b)
	switch {
	case typo.Lookalike(a, b):
		return change{TechHomoglyph, a, b, true}
	case typo.IsVowel(a) && typo.IsVowel(b):
		return change{TechVowelSwap, a, b, kb}
	case kb:
		return change{TechSubstitution, a, b, true}
	case typo.BitFlip(a, b):
		return change{TechBitFlip, a, b, false}
	}
	return change{TechSubstitution, a, b, false}
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
