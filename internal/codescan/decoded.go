package codescan

import (
	"bytes"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/record"
)

// Decoded text: a payload written as escape sequences
// ('\x63\x68\x69\x6c\x64\x5f\x70\x72\x6f\x63\x65\x73\x73') or as a list of
// character codes (String.fromCharCode(99, 104, …), ''.join(chr(c) for c
// in [105, 109, …]), bytes([…]).decode()) is invisible to rules that read
// the file as written. For JavaScript and Python files that hold such
// literals, decodedFile builds a virtual source: the file with each of
// them replaced by the plain string it stands for. The rules run over it
// as over any file of the same language; report takes, rule by rule, the
// stronger of the file's and the virtual source's findings, locates the
// latter at the literal's line of the real file and marks them decoded.
// Hiding text is itself a signal: a finding whose match lies in decoded
// text is graded at least medium (low and above) or low (info).

// Bounds on the decoding of one file.
const (
	maxDecodedFile    = 64 << 10 // decoded bytes per file
	maxDecodedLiteral = 16 << 10 // decoded bytes per literal
	minEscapes        = 4        // numeric escapes (\x, \u, octal) a literal needs
	minCharCodes      = 6        // numbers a char-code list needs
)

// vseg maps a stretch of a virtual source back to the file it decodes:
// virtual bytes [v, next segment's v) start at byte o of the file; a
// decoded segment (dec) is one replaced literal, all of it at o.
type vseg struct {
	v, o int32
	dec  bool
	fold bool // a joined run: all of it at o, but not decoded text
}

// origin returns the offset in the real file of byte pos of virtual
// source f, and whether it lies in decoded text.
func (f *file) origin(pos int) (int, bool) {
	s, ok := f.segAt(pos)
	if !ok {
		return pos, false
	}
	switch {
	case s.dec:
		return int(s.o), true
	case s.fold:
		return int(s.o), false
	}
	return int(s.o) + pos - int(s.v), false
}

// segAt returns the segment of virtual source f that holds byte pos.
func (f *file) segAt(pos int) (vseg, bool) {
	segs := f.vsegs
	k := len(segs) - 1
	for k > 0 && int(segs[k].v) > pos {
		k--
	}
	if k < 0 {
		return vseg{}, false
	}
	return segs[k], true
}

// repl is a literal of the real file, d[s:e], and the text it decodes to;
// fold marks a run of literals joined (decoded_concat.go), not decoded.
type repl struct {
	s, e int
	text []byte
	fold bool
}

// decodedFile returns the virtual source of f when f holds escaped or
// char-code literals that decode to mostly printable text, else nil. It
// reads the spans of f's scan (sc.spans), so it runs right after it.
func (sc *scanner) decodedFile(f *file) *file {
	if (f.lang != langJS && f.lang != langPython) || f.piece || f.decodedOf != nil || len(f.data) == 0 {
		return nil
	}
	d := f.data
	budget := maxDecodedFile
	var reps []repl
	escapes, percents := sc.seenIn(sc.rs.decodeLits.escapes, ctxString), sc.seenIn(sc.rs.decodeLits.percents, ctxCode)
	if escapes || percents {
		for _, sp := range sc.spans {
			if budget <= 0 {
				break
			}
			if sp.k != ctxString || sp.e-sp.s < 2+minEscapes*4 {
				continue
			}
			s, e := int(sp.s), int(sp.e)
			if f.lang == langPython && rawPrefix(d, s) {
				continue
			}
			q := 1
			if e-s >= 6 && d[s+1] == d[s] && d[s+2] == d[s] {
				q = 3
			}
			body := d[s+q : e-q]
			var text []byte
			ok := false
			if escapes && bytes.Count(body, []byte{'\\'}) >= minEscapes {
				text, ok = decodeEscapes(body, min(budget, maxDecodedLiteral))
			}
			if !ok && percents && bytes.Count(body, []byte{'%'}) >= minEscapes {
				text, ok = decodePercents(body, min(budget, maxDecodedLiteral))
			}
			if !ok {
				continue
			}
			budget -= len(text)
			reps = append(reps, repl{s: s, e: e, text: text})
		}
	}
	if f.lang == langJS && len(reps) > 0 {
		reps = arrayUses(d, sc.spans, reps)
	}
	if budget > 0 && sc.seenIn(sc.rs.decodeLits.charCodes, ctxCode) {
		reps = charCodeLists(d, sc.spans, f.lang, reps, budget)
	}
	if budget > 0 {
		reps = concatRuns(d, sc.spans, f.lang, reps, budget)
	}
	if len(reps) == 0 {
		return nil
	}
	return virtual(f, reps)
}

// rawPrefix reports whether the Python string whose quote is at s has a
// raw prefix (r"…", rb'…'): its backslashes are not escapes.
func rawPrefix(d []byte, s int) bool {
	for i := s - 1; i >= 0 && i >= s-2; i-- {
		switch d[i] {
		case 'r', 'R':
			return true
		case 'b', 'B', 'u', 'U', 'f', 'F':
			continue
		}
		break
	}
	return false
}

// decodeEscapes decodes a string literal's body whose numeric escapes
// (\xHH, \uHHHH, \u{H…}, \UHHHHHHHH, octal) are at least minEscapes and
// make up half of it or more; a longer text is cut at limit bytes. ok only
// when the text is mostly printable ASCII (an i18n table of \u escapes
// decodes to other scripts, a byte table to control bytes: neither is
// read).
func decodeEscapes(b []byte, limit int) ([]byte, bool) {
	out := make([]byte, 0, min(len(b)/3+1, limit+4))
	numeric, escBytes := 0, 0
	i := 0
	for i < len(b) && len(out) < limit {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			out = append(out, c)
			i++
			continue
		}
		r, w := escapeValue(b[i:])
		if w > 0 {
			numeric++
			escBytes += w
			if r < utf8.RuneSelf {
				out = append(out, byte(r))
			} else {
				out = utf8.AppendRune(out, r)
			}
			i += w
			continue
		}
		switch b[i+1] {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case '0':
			out = append(out, 0)
		case '\n':
			// a line continuation
		default:
			out = append(out, b[i+1])
		}
		i += 2
	}
	return escapedText(out, numeric, escBytes, i)
}

// escapeValue decodes the numeric escape at the start of b and returns
// its value and width, or width 0.
func escapeValue(b []byte) (rune, int) {
	if len(b) < 2 {
		return 0, 0
	}
	hexN := func(s []byte) (rune, bool) {
		var v rune
		for _, c := range s {
			if !hexAlphabet[c] {
				return 0, false
			}
			v = v<<4 | rune(hexVal(c))
		}
		return v, true
	}
	switch c := b[1]; {
	case c == 'x' && len(b) >= 4:
		if v, ok := hexN(b[2:4]); ok {
			return v, 4
		}
	case c == 'u' && len(b) >= 3 && b[2] == '{':
		k := bytes.IndexByte(b[3:min(len(b), 3+7)], '}')
		if k > 0 {
			if v, ok := hexN(b[3 : 3+k]); ok && v <= utf8.MaxRune {
				return v, 4 + k
			}
		}
	case c == 'u' && len(b) >= 6:
		if v, ok := hexN(b[2:6]); ok {
			return v, 6
		}
	case c == 'U' && len(b) >= 10:
		if v, ok := hexN(b[2:10]); ok && v <= utf8.MaxRune {
			return v, 10
		}
	case '0' <= c && c <= '7':
		v, w := rune(0), 1
		for w < 4 && w < len(b) && '0' <= b[w] && b[w] <= '7' {
			v = v<<3 | rune(b[w]-'0')
			w++
		}
		if w >= 3 { // \0 alone is a NUL, not a hidden character
			return v, w
		}
	}
	return 0, 0
}

// mostlyPrintable reports whether nine bytes in ten of b or more are
// printable ASCII or white space, with a letter among them.
func mostlyPrintable(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	good, letter := 0, false
	for _, c := range b {
		if (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' || c == '\r' {
			good++
		}
		letter = letter || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
	}
	return letter && good*10 >= len(b)*9
}

var litFromCharCode = []byte("fromCharCode")

// decodeLits are the literal ids whose hits make a file worth decoding:
// the literal automaton finds them in the pass it makes for the rules, so
// files without them pay nothing more.
type decodeLits struct {
	escapes   []int32 // \x, \u, octal: seen in a string
	charCodes []int32 // fromCharCode, chr(, bytes([: seen in code
	percents  []int32 // unescape(, decodeURIComponent(, unquote(: seen in code
}

func newDecodeLits(addLit func(string, bool) int32) decodeLits {
	var dl decodeLits
	for _, l := range []string{`\x`, `\u`, `\0`, `\1`, `\2`, `\3`} {
		dl.escapes = append(dl.escapes, addLit(l, true))
	}
	for _, l := range []string{"fromCharCode", "chr(", "chr,", "bytes([", "bytearray(["} {
		dl.charCodes = append(dl.charCodes, addLit(l, false))
	}
	for _, l := range []string{"unescape(", "decodeURIComponent(", "decodeURI(", "unquote(", "unquote_plus(", "unquote_to_bytes("} {
		dl.percents = append(dl.percents, addLit(l, false))
	}
	return dl
}

// escapedText is the verdict of both escape decoders on text decoded from
// read bytes of a literal, escBytes of them in numeric escapes: the text
// when they are minEscapes or more, half of what was read or more, and
// it is mostly printable ASCII.
func escapedText(text []byte, numeric, escBytes, read int) ([]byte, bool) {
	if numeric < minEscapes || escBytes*2 < read {
		return nil, false
	}
	return text, mostlyPrintable(text)
}

// decodePercents decodes a string literal's body of %HH (and unescape's
// %uHHHH) escapes, in a file that calls unescape, decodeURIComponent or
// unquote: at least minEscapes of them making up half of it or more, and
// decoding to mostly printable ASCII, as decodeEscapes asks. A URL with a
// few escaped spaces is not read.
func decodePercents(b []byte, limit int) ([]byte, bool) {
	out := make([]byte, 0, min(len(b)/3+1, limit+4))
	numeric, escBytes := 0, 0
	i := 0
	for i < len(b) && len(out) < limit {
		c := b[i]
		if c == '%' && i+2 < len(b) && hexAlphabet[b[i+1]] && hexAlphabet[b[i+2]] {
			out = append(out, byte(hexVal(b[i+1])<<4|hexVal(b[i+2])))
			numeric++
			escBytes += 3
			i += 3
			continue
		}
		if c == '%' && i+5 < len(b) && b[i+1] == 'u' && hexAlphabet[b[i+2]] && hexAlphabet[b[i+3]] && hexAlphabet[b[i+4]] && hexAlphabet[b[i+5]] {
			r := rune(hexVal(b[i+2]))<<12 | rune(hexVal(b[i+3]))<<8 | rune(hexVal(b[i+4]))<<4 | rune(hexVal(b[i+5]))
			out = utf8.AppendRune(out, r)
			numeric++
			escBytes += 6
			i += 6
			continue
		}
		out = append(out, c)
		i++
	}
	return escapedText(out, numeric, escBytes, i)
}

// seenIn reports whether one of lits occurred in the current file in ctx.
func (sc *scanner) seenIn(lits []int32, ctx context) bool {
	for _, l := range lits {
		if sc.seen[l]&ctx != 0 {
			return true
		}
	}
	return false
}

// charCodeLists adds to reps, in file order, the bracketed lists of at
// least minCharCodes decimal or hex numbers in code that decode to mostly
// printable text; in JavaScript a list that is the argument list of
// String.fromCharCode is replaced with the call.
func charCodeLists(d []byte, spans []span, l lang, reps []repl, budget int) []repl {
	var lists []repl
	cur := spanCursor{spans: spans}
	for i := 0; i < len(d) && budget > 0; i++ {
		c := d[i]
		if c != '[' && c != '(' {
			continue
		}
		text, e, ok := parseCharCodes(d, i, min(budget, maxDecodedLiteral))
		if !ok {
			continue
		}
		if cur.at(i) != ctxCode {
			i = e - 1
			continue
		}
		s := i
		if c == '(' && l == langJS && bytes.HasSuffix(d[:s], litFromCharCode) {
			s -= len(litFromCharCode)
			if bytes.HasSuffix(d[:s], []byte("String.")) {
				s -= len("String.")
			}
		}
		if mostlyPrintable(text) {
			lists = append(lists, repl{s: s, e: e, text: text})
			budget -= len(text)
		}
		i = e - 1
	}
	// A list never overlaps a string literal (it is in code).
	return mergeRepls(reps, lists)
}

// mergeRepls merges two lists of replacements, each in file order, by
// start.
func mergeRepls(x, y []repl) []repl {
	if len(y) == 0 {
		return x
	}
	out := make([]repl, 0, len(x)+len(y))
	a, b := 0, 0
	for a < len(x) || b < len(y) {
		if b == len(y) || (a < len(x) && x[a].s < y[b].s) {
			out = append(out, x[a])
			a++
		} else {
			out = append(out, y[b])
			b++
		}
	}
	return out
}

// parseCharCodes reads the list opened at d[i] ('[' or '('): numbers
// (decimal, 0x hex) between commas and white space up to the matching
// bracket. It returns the text they encode and the index past the bracket.
func parseCharCodes(d []byte, i, limit int) ([]byte, int, bool) {
	closeBy := byte(']')
	if d[i] == '(' {
		closeBy = ')'
	}
	var out []byte
	n := 0
	j := i + 1
	for {
		for j < len(d) && (d[j] == ' ' || d[j] == '\t' || d[j] == '\n' || d[j] == '\r') {
			j++
		}
		if j >= len(d) {
			return nil, 0, false
		}
		if d[j] == closeBy {
			break
		}
		v, w := parseNumber(d[j:])
		if w == 0 || v > utf8.MaxRune {
			return nil, 0, false
		}
		if len(out) < limit { // a longer text is cut at limit bytes
			out = utf8.AppendRune(out, rune(v))
		}
		n++
		j += w
		for j < len(d) && (d[j] == ' ' || d[j] == '\t' || d[j] == '\n' || d[j] == '\r') {
			j++
		}
		if j < len(d) && d[j] == ',' {
			j++
		} else if j >= len(d) || d[j] != closeBy {
			return nil, 0, false
		}
	}
	if n < minCharCodes {
		return nil, 0, false
	}
	return out, j + 1, true
}

// parseNumber reads a decimal or 0x hex integer at the start of b.
func parseNumber(b []byte) (int, int) {
	v, w := 0, 0
	if len(b) > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		w = 2
		for w < len(b) && w < 10 && hexAlphabet[b[w]] {
			v = v<<4 | hexVal(b[w])
			w++
		}
		if w == 2 {
			return 0, 0
		}
	} else {
		for w < len(b) && w < 8 && '0' <= b[w] && b[w] <= '9' {
			v = v*10 + int(b[w]-'0')
			w++
		}
	}
	if w < len(b) && isWordByte(b[w]) {
		return 0, 0
	}
	return v, w
}

// virtual builds the virtual source of f with reps (in file order, not
// overlapping) replaced by their text, quoted the way the language reads
// it back as one string.
func virtual(f *file, reps []repl) *file {
	d := f.data
	out := make([]byte, 0, len(d))
	var segs []vseg
	pos := 0
	for _, r := range reps {
		if r.s < pos {
			continue
		}
		if r.s > pos {
			segs = append(segs, vseg{v: int32(len(out)), o: int32(pos)})
			out = append(out, d[pos:r.s]...)
		}
		segs = append(segs, vseg{v: int32(len(out)), o: int32(r.s), dec: !r.fold, fold: r.fold})
		q := quoteFor(f.lang, r.text)
		out = append(out, q...)
		out = appendLiteralBody(out, r.text, q == "`")
		out = append(out, q...)
		pos = r.e
	}
	if pos < len(d) {
		segs = append(segs, vseg{v: int32(len(out)), o: int32(pos)})
		out = append(out, d[pos:]...)
	}
	return &file{path: f.path, data: out, lang: f.lang, install: f.install, load: f.load, reqLoad: f.reqLoad,
		script: f.script, runBy: f.runBy, mode: f.mode, decodedOf: f, vsegs: segs}
}

// appendLiteralBody appends text as the body of a string literal: its
// backslashes doubled, as source code writes a backslash, so that none
// escapes the closing quote ('C:\Users\' would otherwise run the
// literal on into the code after it), and in a template literal "${"
// written "\${", so that no text is read back as code.
func appendLiteralBody(out, text []byte, template bool) []byte {
	for i, c := range text {
		switch {
		case c == '\\':
			out = append(out, '\\', '\\')
		case template && c == '$' && i+1 < len(text) && text[i+1] == '{':
			out = append(out, '\\', '$')
		default:
			out = append(out, c)
		}
	}
	return out
}

// quoteFor returns a quote that does not occur in text, so that the
// tokenizer reads the text back as one string literal.
func quoteFor(l lang, text []byte) string {
	multi := bytes.IndexByte(text, '\n') >= 0
	if l == langPython {
		switch {
		case !multi && bytes.IndexByte(text, '"') < 0:
			return `"`
		case !multi && bytes.IndexByte(text, '\'') < 0:
			return `'`
		case !bytes.Contains(text, []byte(`"""`)):
			return `"""`
		}
		return `'''`
	}
	switch {
	case !multi && bytes.IndexByte(text, '\'') < 0:
		return `'`
	case !multi && bytes.IndexByte(text, '"') < 0:
		return `"`
	}
	return "`"
}

// decodedGrade raises the grade of a rule that fired as x in virtual
// source f when its match lies in decoded text: at least medium from low,
// low from info. A match elsewhere in f (the file's own code, which a
// decoded name may have completed) keeps its grade.
func decodedGrade(f *file, x *fired, sev record.Severity) record.Severity {
	if _, dec := f.origin(x.pos); !dec {
		return sev
	}
	switch {
	case sev >= record.Low && sev < record.Medium:
		return record.Medium
	case sev < record.Low:
		return record.Low
	}
	return sev
}

// withDecodedBlocks returns fr with the hidden building blocks (running a
// process, network access…) that fired in its decoded virtual source
// among alts added, so that the file's own rules escalate with what its
// decoded text does: escaped strings that spell child_process are escaped
// strings with process execution.
func (rs *RuleSet) withDecodedBlocks(fr fileResult, alts []*fileResult) fileResult {
	for _, a := range alts {
		if a.f.decodedOf != fr.f {
			continue
		}
		merged := fr.fired
		for w, x := range a.fired {
			if x == nil || !rs.rules[w].hidden || fr.fired[w] != nil {
				continue
			}
			if &merged[0] == &fr.fired[0] {
				merged = append([]*fired(nil), fr.fired...)
			}
			merged[w] = x
		}
		fr.fired = merged
	}
	return fr
}
