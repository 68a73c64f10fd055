package content

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/confusable"
)

// Text normalization for phrase matching.
//
// Normalized text is a sequence of words separated by one space, or by a
// newline where the source had a line break (a block boundary: a phrase never
// matches across one). A word is a maximal run of letters and digits after
// these folds, applied to text and phrases alike:
//
//   - lower case;
//   - confusable characters folded to what they imitate (Unicode UTS #39
//     skeleton after NFKC: Cyrillic "о" → "o", full-width and mathematical
//     letters, circled letters, accents removed), plus small capitals and
//     enclosed letters (🅵 → f) by a table;
//   - format characters (zero-width joiners, soft hyphens, bidi controls) and
//     combining marks dropped without breaking the word ("rob\u200bux");
//   - leetspeak: inside a word, a run of at most two of 0 1 3 4 5 7 8 9 $ @
//     touching a letter reads as o l e a s t b g s a ("r0bux", "fr33",
//     "v-buck$"); longer digit runs ("robux2024") and numbers stay digits;
//   - "i" is folded to "l" (so "1", "l", "i", "ӏ" read the same);
//   - everything else (punctuation, symbols, emoji) separates words, so
//     "v-bucks" reads as "v bucks".
//
// Each word keeps its byte span in the source so that evidence quotes the
// original text.

type wordSpan struct {
	norm, normEnd int32 // span in normalized text
	orig, origEnd int32 // span in the source
}

type normText struct {
	b     []byte
	words []wordSpan
	tok   []byte // scratch: the raw word being built
}

// foldKind says how a non-ASCII rune takes part in words.
type foldKind uint8

const (
	foldSep  foldKind = iota // separates words
	foldSkip                 // dropped, does not separate (marks, format characters)
	foldText                 // contributes fold.s to the word
)

type foldEntry struct {
	kind foldKind
	s    string
}

// Runes below foldTableEnd, in the full-width block and the mathematical
// alphanumeric block are folded through a table computed once; other
// runes (CJK, emoji, …) are kept lower-cased if letters and separate words
// otherwise.
const foldTableEnd = 0x2E80

type foldTables struct {
	low  []foldEntry // 0x80 .. foldTableEnd-1
	full []foldEntry // 0xFF00 .. 0xFFEF
	math []foldEntry // 0x1D400 .. 0x1D7FF
}

var foldTable = sync.OnceValue(func() *foldTables {
	t := &foldTables{
		low:  make([]foldEntry, foldTableEnd-0x80),
		full: make([]foldEntry, 0xFFF0-0xFF00),
		math: make([]foldEntry, 0x1D800-0x1D400),
	}
	for r := rune(0x80); r < foldTableEnd; r++ {
		t.low[r-0x80] = computeFold(r)
	}
	for r := rune(0xFF00); r < 0xFFF0; r++ {
		t.full[r-0xFF00] = computeFold(r)
	}
	for r := rune(0x1D400); r < 0x1D800; r++ {
		t.math[r-0x1D400] = computeFold(r)
	}
	return t
})

// smallCaps maps Latin small capitals (and a few letter-like lookalikes the
// UTS #39 table leaves alone) to ASCII.
var smallCaps = map[rune]byte{
	'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ꜰ': 'f', 'ɢ': 'g', 'ʜ': 'h',
	'ɪ': 'i', 'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm', 'ɴ': 'n', 'ᴏ': 'o', 'ᴘ': 'p',
	'ʀ': 'r', 'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ʏ': 'y', 'ᴢ': 'z',
}

func computeFold(r rune) foldEntry {
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r) {
		return foldEntry{kind: foldSkip}
	}
	if c, ok := smallCaps[r]; ok {
		return foldEntry{kind: foldText, s: string(c)}
	}
	sk := strings.ToLower(confusable.UnicodeSkeleton(string(r)))
	letter := unicode.IsLetter(r) || unicode.IsNumber(r)
	var b strings.Builder
	for _, x := range sk {
		switch {
		case x < utf8.RuneSelf:
			if isASCIIAlnum(byte(x)) {
				b.WriteByte(byte(x))
			}
		case letter && (unicode.IsLetter(x) || unicode.IsNumber(x)):
			b.WriteRune(x)
		case !letter:
			// A symbol is a letter only when it folds to ASCII letters
			// ("Ⓡ", "™"); a dash whose skeleton is a Katakana mark is not.
			return foldEntry{kind: foldSep}
		}
	}
	if b.Len() > 0 {
		return foldEntry{kind: foldText, s: b.String()}
	}
	if unicode.IsLetter(r) {
		return foldEntry{kind: foldText, s: string(unicode.ToLower(r))}
	}
	return foldEntry{kind: foldSep}
}

// foldRune folds one non-ASCII rune.
func foldRune(r rune) foldEntry {
	t := foldTable()
	if c, ok := smallCaps[r]; ok {
		return foldEntry{kind: foldText, s: string(c)}
	}
	switch {
	case r < foldTableEnd:
		return t.low[r-0x80]
	case r >= 0xFF00 && r < 0xFFF0:
		return t.full[r-0xFF00]
	case r >= 0x1D400 && r < 0x1D800:
		return t.math[r-0x1D400]
	case r >= 0x1F130 && r <= 0x1F189:
		// Squared, negative circled and negative squared Latin capitals
		// (🄰 🅐 🅰): three runs of 26.
		if i := (r - 0x1F130) % 32; i < 26 && r != 0x1F14A {
			return foldEntry{kind: foldText, s: string(rune('a' + i%26))}
		}
	case r >= 0x1F1E6 && r <= 0x1F1FF: // regional indicator letters
		return foldEntry{kind: foldText, s: string(rune('a' + (r - 0x1F1E6)))}
	case r == 0xFE0F || r == 0xFE0E || (r >= 0xE0000 && r <= 0xE007F):
		return foldEntry{kind: foldSkip} // variation selectors, tags
	}
	if unicode.IsLetter(r) || unicode.IsNumber(r) {
		return foldEntry{kind: foldText, s: string(unicode.ToLower(r))}
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r) {
		return foldEntry{kind: foldSkip}
	}
	return foldEntry{kind: foldSep}
}

func isASCIIAlnum(c byte) bool {
	return ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || ('A' <= c && c <= 'Z')
}

func isLetterByte(c byte) bool { return ('a' <= c && c <= 'z') || c >= utf8.RuneSelf }

// leet maps the leetspeak characters to letters; 0 means "not leet".
var leet = [256]byte{'0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '$': 's', '@': 'a'}

// normalize replaces nt's content with the normalized form of src.
func (nt *normText) normalize(src string) {
	nt.b = nt.b[:0]
	nt.words = nt.words[:0]
	nt.tok = nt.tok[:0]
	start := -1
	newline := false
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := nt.finishWord()
		if len(w) > 0 {
			if len(nt.b) > 0 {
				if newline {
					nt.b = append(nt.b, '\n')
				} else {
					nt.b = append(nt.b, ' ')
				}
			}
			ns := len(nt.b)
			nt.b = append(nt.b, w...)
			nt.words = append(nt.words, wordSpan{norm: int32(ns), normEnd: int32(len(nt.b)), orig: int32(start), origEnd: int32(end)})
			newline = false
		}
		start = -1
		nt.tok = nt.tok[:0]
	}
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '$', c == '@':
				if start < 0 {
					start = i
				}
				nt.tok = append(nt.tok, c)
			case 'A' <= c && c <= 'Z':
				if start < 0 {
					start = i
				}
				nt.tok = append(nt.tok, c+'a'-'A')
			default:
				flush(i)
				if c == '\n' {
					newline = true
				}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(src[i:])
		if r == utf8.RuneError && n == 1 {
			flush(i)
			i++
			continue
		}
		switch f := foldRune(r); f.kind {
		case foldSkip:
		case foldText:
			if start < 0 {
				start = i
			}
			nt.tok = append(nt.tok, f.s...)
		default:
			flush(i)
			if r == '\u2028' || r == '\u2029' || r == '\u0085' {
				newline = true
			}
		}
		i += n
	}
	flush(len(src))
}

// finishWord applies the leetspeak and i→l folds to nt.tok in place and
// returns the word (possibly empty: a lone "$").
func (nt *normText) finishWord() []byte {
	t := nt.tok
	out := t[:0] // never longer than what has been read: safe in place
	for i := 0; i < len(t); {
		c := t[i]
		if !isLeetCandidate(c) {
			if c == 'i' {
				c = 'l'
			}
			out = append(out, c)
			i++
			continue
		}
		j := i
		for j < len(t) && isLeetCandidate(t[j]) {
			j++
		}
		touches := (i > 0 && isLetterByte(t[i-1])) || (j < len(t) && isLetterByte(t[j]))
		for k := i; k < j; k++ {
			d := t[k]
			switch {
			case touches && j-i <= 2 && leet[d] != 0:
				out = append(out, leet[d])
			case d == '$' || d == '@':
				// a symbol not read as a letter: dropped
			default:
				out = append(out, d)
			}
		}
		i = j
	}
	nt.tok = out
	return out
}

func isLeetCandidate(c byte) bool { return ('0' <= c && c <= '9') || c == '$' || c == '@' }

// Normalize returns the normalized form of s used for phrase matching (see
// the package documentation); exported for tools and tests.
func Normalize(s string) string {
	var nt normText
	nt.normalize(s)
	return string(nt.b)
}
