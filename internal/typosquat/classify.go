package typosquat

import "fmt"

// Technique names, as they appear in a finding's evidence.
const (
	TechOmission      = "omission"
	TechInsertion     = "insertion"
	TechRepetition    = "repetition"
	TechSubstitution  = "substitution"
	TechVowelSwap     = "vowel-swap"
	TechBitFlip       = "bitflip"
	TechTransposition = "transposition"
	TechHomoglyph     = "homoglyph"
	TechDelimiter     = "delimiter"
	TechWordOrder     = "word-order"
	TechAffix         = "affix"
	TechPlural        = "plural"
	TechVersionSuffix = "version-suffix"
	TechScope         = "scope-confusion"
	TechOwner         = "owner-lookalike"
	TechHost          = "host-lookalike"
	TechRepoClone     = "repo-clone"
)

// qwerty holds each key's row and column for keyboard adjacency.
var qwerty = func() (pos [128][2]int8) {
	for i := range pos {
		pos[i] = [2]int8{-10, -10}
	}
	rows := []string{"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"}
	for r, row := range rows {
		for c := 0; c < len(row); c++ {
			pos[row[c]] = [2]int8{int8(r), int8(c)}
		}
	}
	return
}()

func keyboardAdjacent(a, b byte) bool {
	if a >= 128 || b >= 128 {
		return false
	}
	pa, pb := qwerty[a], qwerty[b]
	if pa[0] < 0 || pb[0] < 0 {
		return false
	}
	dr, dc := pa[0]-pb[0], pa[1]-pb[1]
	// Rows are staggered: a key touches the two keys above and below it.
	switch dr {
	case 0:
		return dc == 1 || dc == -1
	case 1: // a is below b
		return dc == 0 || dc == -1
	case -1:
		return dc == 0 || dc == 1
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

// asciiConfusable reports pairs that look alike in common fonts or are
// routinely used for each other ("leet"): 1/l/i, 0/o, 5/s, 3/e, 4/a, 7/t,
// 8/b, 9/g, q/g, u/v.
func asciiConfusable(a, b byte) bool {
	if a > b {
		a, b = b, a
	}
	switch string([]byte{a, b}) {
	case "1l", "1i", "il", "0o", "5s", "3e", "4a", "7t", "8b", "9g", "gq", "uv":
		return true
	}
	return false
}

func bitFlip(a, b byte) bool {
	x := a ^ b
	return x != 0 && x&(x-1) == 0
}

// describe classifies one edit: its technique, a short human phrase and
// whether the characters are keyboard neighbours.
func describe(e edit, cand string) (tech, phrase string, keyboard bool) {
	switch e.kind {
	case opInsert:
		if (e.pos > 0 && cand[e.pos-1] == e.a) || (e.pos+1 < len(cand) && cand[e.pos+1] == e.a) {
			return TechRepetition, fmt.Sprintf("%q doubled", e.a), false
		}
		return TechInsertion, fmt.Sprintf("%q added", e.a), false
	case opDelete:
		return TechOmission, fmt.Sprintf("%q left out", e.a), false
	case opTranspose:
		return TechTransposition, fmt.Sprintf("%q and %q swapped", e.a, e.b), false
	}
	kb := keyboardAdjacent(e.a, e.b)
	switch {
	case asciiConfusable(e.a, e.b):
		return TechHomoglyph, fmt.Sprintf("%q written as lookalike %q", e.a, e.b), kb
	case isVowel(e.a) && isVowel(e.b):
		return TechVowelSwap, fmt.Sprintf("vowel %q changed to %q", e.a, e.b), kb
	case kb:
		return TechSubstitution, fmt.Sprintf("%q changed to neighbouring key %q", e.a, e.b), true
	case bitFlip(e.a, e.b):
		return TechBitFlip, fmt.Sprintf("%q changed to %q (one bit apart)", e.a, e.b), false
	}
	return TechSubstitution, fmt.Sprintf("%q changed to %q", e.a, e.b), false
}
