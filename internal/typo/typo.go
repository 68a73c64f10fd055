// Package typo holds the character-level facts both lookalike engines
// (package names in internal/typosquat, domains in internal/domain) use to
// explain an edit: which keys are neighbours on a QWERTY keyboard, which
// ASCII characters read alike, which letters are vowels, and which bytes
// differ by one bit.
package typo

// qwerty holds each key's row and column; -10 marks keys not on it.
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

// KeyboardAdjacent reports whether a and b are neighbouring keys on a
// QWERTY keyboard (rows are staggered: a key touches two keys above and
// two below).
func KeyboardAdjacent(a, b byte) bool {
	if a >= 128 || b >= 128 {
		return false
	}
	pa, pb := qwerty[a], qwerty[b]
	if pa[0] < 0 || pb[0] < 0 {
		return false
	}
	dr, dc := pa[0]-pb[0], pa[1]-pb[1]
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

// IsVowel reports a, e, i, o, u and y.
func IsVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// Lookalike reports ASCII pairs that read alike in common fonts or are
// routinely used for each other ("leet"): 1/l/i, 0/o, 5/s, 3/e, 4/a, 7/t,
// 8/b, 9/g, q/g, u/v.
func Lookalike(a, b byte) bool {
	if a > b {
		a, b = b, a
	}
	switch string([]byte{a, b}) {
	case "1l", "1i", "il", "0o", "5s", "3e", "4a", "7t", "8b", "9g", "gq", "uv":
		return true
	}
	return false
}

// BitFlip reports bytes that differ in exactly one bit (a flipped bit in
// memory or on the wire turns one name into the other).
func BitFlip(a, b byte) bool {
	x := a ^ b
	return x != 0 && x&(x-1) == 0
}

// maxDistanceLen bounds the strings Distance compares (it is for short
// words: keys, ids, command names).
const maxDistanceLen = 64

// Distance is the Levenshtein distance of a and b, in bytes; strings
// longer than 64 bytes are as far apart as the longer one is long. It is
// for "did you mean" suggestions of short words.
func Distance(a, b string) int {
	if len(a) > maxDistanceLen || len(b) > maxDistanceLen {
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
