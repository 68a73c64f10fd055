package codescan

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/confusable"
)

// Detectors added for obfuscation and lookalike code: strings written
// wholly as escapes of plain ASCII, identifiers mixing scripts, and the
// generated-code marker that tones down findings in Go tables.

// detectEscapedASCII finds string literals written only as escape
// sequences (\x72\x65\x71…) that decode to printable ASCII: obfuscators
// hide identifiers and code that way, honest code escapes only what it
// cannot type (control characters, non-ASCII text). It fires on
// min-count such strings of at least 4 escapes each, or on one of at
// least min-length escapes.
func (sc *scanner) detectEscapedASCII(p *pattern, f *file) (match, bool) {
	d := f.data
	minLong := p.minLength
	if minLong <= 0 {
		minLong = 64
	}
	minStrings := p.minCount
	if minStrings <= 1 {
		minStrings = 8
	}
	var m match
	m.pos = -1
	count := 0
	total := 0
	for _, sp := range sc.spans {
		if sp.k != ctxString || sp.e-sp.s < 2+4*4 {
			continue
		}
		body := d[sp.s+1 : sp.e-1]
		if len(body) == 0 || body[0] != '\\' {
			continue
		}
		n, ok := asciiEscapes(body)
		if !ok || n < 4 {
			continue
		}
		count++
		total += n
		if m.pos < 0 {
			m.pos, m.end = int(sp.s), int(sp.e)
		}
		if n >= minLong || count >= minStrings {
			m.pos, m.end = int(sp.s), int(sp.e)
			m.count = count
			m.extra = map[string]any{"escapes": total}
			return m, true
		}
	}
	return match{}, false
}

// asciiEscapes reports whether b consists only of \xHH, \uHHHH or octal
// escapes of printable ASCII, and how many.
func asciiEscapes(b []byte) (int, bool) {
	n := 0
	for i := 0; i < len(b); {
		w := escapeLen(b[i:])
		if w == 0 {
			return n, false
		}
		var v int
		switch b[i+1] {
		case 'x':
			v = hexVal(b[i+2])<<4 | hexVal(b[i+3])
		case 'u':
			v = hexVal(b[i+2])<<12 | hexVal(b[i+3])<<8 | hexVal(b[i+4])<<4 | hexVal(b[i+5])
		default:
			v = int(b[i+1]-'0')<<6 | int(b[i+2]-'0')<<3 | int(b[i+3]-'0')
		}
		if v < 0x20 || v > 0x7e {
			return n, false
		}
		n++
		i += w
	}
	return n, true
}

func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return 0
}

// detectMixedScript finds an identifier in code that mixes Latin letters
// with Cyrillic, Greek or Armenian letters that imitate Latin ones
// ("pаssword" with a Cyrillic а): it reads as one name and is another.
// Identifiers wholly in one script (Russian or Greek names) are not
// reported, nor any text inside strings and comments, nor TypeScript
// declaration files: they never run, and @types/jquery names a parameter
// "funсtion" (Cyrillic с) on purpose, as "function" is reserved.
func (sc *scanner) detectMixedScript(p *pattern, f *file) (match, bool) {
	d := f.data
	if firstHigh(d) < 0 || isTypeDeclaration(f.path) {
		return match{}, false // nearly all source is ASCII
	}
	var m match
	m.pos = -1
	spans := sc.spans
	for i := 0; i < len(d); {
		k := firstHigh(d[i:])
		if k < 0 {
			break
		}
		i += k
		// Inside a string or a comment: skip to its end.
		j := sort.Search(len(spans), func(j int) bool { return int(spans[j].e) > i })
		if j < len(spans) && int(spans[j].s) <= i {
			i = int(spans[j].e)
			continue
		}
		// The identifier around the non-ASCII byte, within the code.
		lo, hi := 0, len(d)
		if j > 0 {
			lo = int(spans[j-1].e)
		}
		if j < len(spans) {
			hi = int(spans[j].s)
		}
		a := i
		for a > lo && identByte(d[a-1]) {
			a--
		}
		b := i
		for b < hi && identByte(d[b]) {
			b++
		}
		if id := d[a:b]; mixedScriptIdent(id) {
			if m.pos < 0 {
				m.pos, m.end = a, b
				m.extra = map[string]any{"identifier": string(id)}
			}
			m.count++
		}
		i = max(b, i+1)
	}
	return m, m.pos >= 0
}

// firstHigh returns the index of the first byte of b at or above 0x80,
// or -1; it reads eight bytes at a time.
func firstHigh(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return i
		}
	}
	return -1
}

// isTypeDeclaration reports a TypeScript declaration file (.d.ts).
func isTypeDeclaration(p string) bool {
	p = strings.ToLower(p)
	return strings.HasSuffix(p, ".d.ts") || strings.HasSuffix(p, ".d.mts") || strings.HasSuffix(p, ".d.cts")
}

func identByte(c byte) bool {
	return c >= utf8.RuneSelf || c == '_' || c == '$' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// mixedScriptIdent: valid UTF-8 letters, digits and _ only, with Latin
// letters and a lookalike of a Latin letter from Cyrillic or Armenian
// anywhere, or from Greek inside a Latin word (between two Latin
// letters) or Greek omicron: scientific code writes σx, θ_max, x_ν and
// ηeff honestly, "tοken" with an omicron only to deceive.
func mixedScriptIdent(id []byte) bool {
	if len(id) < 2 || len(id) > 256 || !utf8.Valid(id) {
		return false
	}
	rs := []rune(string(id))
	latin := false
	for _, r := range rs {
		switch {
		case r < utf8.RuneSelf:
			latin = latin || isLatinRune(r)
		case !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r):
			return false // a symbol, space or punctuation: not an identifier
		case unicode.Is(unicode.Latin, r):
			latin = true
		}
	}
	if !latin {
		return false
	}
	for i, r := range rs {
		if r < utf8.RuneSelf || !latinLookalike(r) {
			continue
		}
		switch {
		case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Armenian, r):
			return true
		case unicode.Is(unicode.Greek, r):
			if r == 'ο' || r == 'Ο' || (i > 0 && i+1 < len(rs) && isLatinRune(rs[i-1]) && isLatinRune(rs[i+1])) {
				return true
			}
		}
	}
	return false
}

// latinLookalike reports whether r imitates a Latin letter or digit. The
// Greek, Cyrillic and Armenian blocks (U+0370–U+058F) are looked up in a
// table built once; other runes ask the confusables table each time.
func latinLookalike(r rune) bool {
	if r < lookalikeLo || r >= lookalikeHi {
		return len(confusable.Lookalikes(string(r))) > 0
	}
	lookalikeOnce.Do(func() {
		for c := rune(lookalikeLo); c < lookalikeHi; c++ {
			lookalikeTab[c-lookalikeLo] = len(confusable.Lookalikes(string(c))) > 0
		}
	})
	return lookalikeTab[r-lookalikeLo]
}

const lookalikeLo, lookalikeHi = 0x370, 0x590

var (
	lookalikeOnce sync.Once
	lookalikeTab  [lookalikeHi - lookalikeLo]bool
)

func isLatinRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
	}
	return unicode.Is(unicode.Latin, r)
}

// goGenerated reports whether Go source carries the standard marker of
// generated code, "// Code generated … DO NOT EDIT.", on a line of its
// own before the package clause.
func goGenerated(d []byte) bool {
	head := d[:min(len(d), 8<<10)]
	for len(head) > 0 {
		line := head
		if k := bytes.IndexByte(head, '\n'); k >= 0 {
			line, head = head[:k], head[k+1:]
		} else {
			head = nil
		}
		line = bytes.TrimRight(line, "\r")
		if bytes.HasPrefix(line, []byte("package ")) {
			return false
		}
		if bytes.HasPrefix(line, []byte("// Code generated ")) && bytes.HasSuffix(line, []byte(" DO NOT EDIT.")) {
			return true
		}
	}
	return false
}
