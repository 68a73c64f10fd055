package confusable

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/text/unicode/norm"
)

// Skeleton returns the lower-case confusable skeleton of s: two names with
// the same skeleton look the same to a reader. It applies UTS #39 for
// non-ASCII input (after NFKC, which folds full-width and other
// compatibility forms), removes combining marks, lower-cases, and then folds the
// ASCII confusions "1", "|" and upper-case "I" to "l", "0" to "o", "rn" to
// "m" and "vv" to "w".
func Skeleton(s string) string {
	if !isASCII(s) {
		s = stripMarks(confusables.Skeleton(norm.NFKC.String(s)))
	}
	return foldASCII(s)
}

// SkeletonASCII is Skeleton for input already known to be ASCII.
func SkeletonASCII(s string) string { return foldASCII(s) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func stripMarks(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
}

// foldASCII lower-cases and folds the ASCII confusions. Upper-case "I" is
// folded before lower-casing, since it looks like "l", not "i".
func foldASCII(s string) string {
	if !needsFold(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'I' || c == '1' || c == '|':
			c = 'l'
		case c == '0':
			c = 'o'
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c >= utf8.RuneSelf:
			// Non-ASCII left after UTS #39 (letters of other scripts with
			// no Latin lookalike): keep the rune, lower-cased.
			r, n := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, unicode.ToLower(r))
			i += n - 1
			continue
		}
		if n := len(b); n > 0 {
			if (b[n-1] == 'r' && c == 'n') || (b[n-1] == 'R' && c == 'N') {
				b[n-1] = 'm'
				continue
			}
			if b[n-1] == 'v' && c == 'v' {
				b[n-1] = 'w'
				continue
			}
		}
		b = append(b, c)
	}
	return string(b)
}

func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'I' || c == '1' || c == '|' || c == '0' || ('A' <= c && c <= 'Z') || c >= utf8.RuneSelf {
			return true
		}
		if i > 0 && ((s[i-1] == 'r' && c == 'n') || (s[i-1] == 'v' && c == 'v')) {
			return true
		}
	}
	return false
}

// Script names the scripts MixedScripts distinguishes.
type Script string

// Scripts whose letters are commonly confused with Latin ones, plus Other.
const (
	Latin    Script = "Latin"
	Cyrillic Script = "Cyrillic"
	Greek    Script = "Greek"
	Armenian Script = "Armenian"
	Other    Script = "Other"
)

// Scripts returns the distinct scripts of the letters in s, in order of
// first appearance. Digits, punctuation and marks belong to no script.
func Scripts(s string) []Script {
	var out []Script
	add := func(sc Script) {
		for _, x := range out {
			if x == sc {
				return
			}
		}
		out = append(out, sc)
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				add(Latin)
			}
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Latin, r):
			add(Latin)
		case unicode.Is(unicode.Cyrillic, r):
			add(Cyrillic)
		case unicode.Is(unicode.Greek, r):
			add(Greek)
		case unicode.Is(unicode.Armenian, r):
			add(Armenian)
		default:
			add(Other)
		}
	}
	return out
}

// Lookalikes returns the non-ASCII runes of s whose skeleton is ASCII,
// i.e. characters that imitate a Latin letter or digit, with what they
// imitate ("а"→"a").
func Lookalikes(s string) map[string]string {
	var out map[string]string
	for _, r := range s {
		if r < utf8.RuneSelf {
			continue
		}
		sk := stripMarks(confusables.Skeleton(string(r)))
		if sk != "" && isASCII(sk) {
			if out == nil {
				out = make(map[string]string)
			}
			out[string(r)] = strings.ToLower(sk)
		}
	}
	return out
}

// UnicodeSkeleton applies only the Unicode part of Skeleton (NFKC, UTS #39,
// combining marks removed) and leaves ASCII alone, for registry rules that
// fold ASCII their own way.
func UnicodeSkeleton(s string) string {
	if isASCII(s) {
		return s
	}
	return stripMarks(confusables.Skeleton(norm.NFKC.String(s)))
}
