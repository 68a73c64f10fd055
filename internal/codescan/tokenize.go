package codescan

import "bytes"

// A context says what a byte of source is part of.
type context uint8

// Contexts, as bits so that a rule can accept several.
const (
	ctxCode context = 1 << iota
	ctxString
	ctxComment
)

// span is a stretch of a file in a string literal or a comment; the bytes
// between spans are code. Spans are sorted and do not overlap.
type span struct {
	s, e int32
	k    context // ctxString or ctxComment
}

// tokenize appends to out the string and comment spans of data written in
// language l, in one pass. It never fails: unterminated strings and
// comments run to the end of their line (single-line forms) or of the
// file, as the language's own parser would read them up to the error.
// Files over 2 GiB are not expected (positions are int32).
func tokenize(l lang, data []byte, out []span) []span {
	switch l {
	case langJS:
		return tokJS(data, out)
	case langPython:
		return tokPython(data, out)
	case langShell:
		return tokShell(data, out)
	case langPowerShell:
		return tokPowerShell(data, out)
	case langRuby:
		return tokRuby(data, out)
	case langBatch:
		return tokBatch(data, out)
	case langMSBuild:
		return tokXML(data, out)
	case langRust:
		return tokRust(data, out)
	case langGo:
		return tokGo(data, out)
	}
	return out
}

// contextAt returns the context of position p given the sorted spans, and
// the index of the span at or after p (a hint for the next call).
func contextAt(spans []span, p int) context {
	lo, hi := 0, len(spans)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(spans[m].e) <= p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(spans) && int(spans[lo].s) <= p {
		return spans[lo].k
	}
	return ctxCode
}

// spanCursor answers contextAt for positions that mostly increase (the
// starts of literal hits, in order of their ends) in amortized constant
// time: it remembers where the last lookup stopped.
type spanCursor struct {
	spans []span
	k     int // spans[:k] end at or before the last position looked up
}

func (c *spanCursor) at(p int) context {
	for c.k > 0 && int(c.spans[c.k-1].e) > p {
		c.k--
	}
	for c.k < len(c.spans) && int(c.spans[c.k].e) <= p {
		c.k++
	}
	if c.k < len(c.spans) && int(c.spans[c.k].s) <= p {
		return c.spans[c.k].k
	}
	return ctxCode
}

func lineEnd(d []byte, i int) int {
	if j := bytes.IndexByte(d[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(d)
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

// scanQuoted returns the end (past the closing quote) of a string starting
// at d[i] == q in which a backslash escapes the next byte. With oneLine an
// unescaped newline ends the string (the newline is not part of it).
func scanQuoted(d []byte, i int, q byte, oneLine bool) int {
	j := i + 1
	for j < len(d) {
		k := j
		for k < len(d) {
			c := d[k]
			if c == q || c == '\\' || (oneLine && c == '\n') {
				break
			}
			k++
		}
		if k >= len(d) {
			return len(d)
		}
		switch d[k] {
		case q:
			return k + 1
		case '\n':
			return k
		}
		j = k + 2 // backslash: skip the escaped byte
	}
	return len(d)
}

// indexFrom returns the index of sep in d at or after i, or -1.
func indexFrom(d []byte, i int, sep string) int {
	if i > len(d) {
		return -1
	}
	if j := bytes.Index(d[i:], []byte(sep)); j >= 0 {
		return i + j
	}
	return -1
}

// ---- JavaScript / TypeScript ----

var jsSpecial = func() (t [256]bool) {
	for _, c := range []byte("/'\"`{}") {
		t[c] = true
	}
	return t
}()

var jsRegexKeywords = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "of": true, "new": true,
	"delete": true, "void": true, "throw": true, "case": true, "do": true, "else": true,
	"yield": true, "await": true,
}

// jsRegexAllowed says whether a '/' at i starts a regular expression
// literal, from the last significant code byte before it.
func jsRegexAllowed(d []byte, i int, last byte) bool {
	switch {
	case last == 0:
		return true
	case last == ')' || last == ']':
		return false
	case isIdentByte(last):
		// A keyword before the slash: "return /x/".
		j := i - 1
		for j >= 0 && isSpace(d[j]) {
			j--
		}
		k := j
		for k >= 0 && isIdentByte(d[k]) {
			k--
		}
		return jsRegexKeywords[string(d[k+1:j+1])]
	}
	return true
}

// scanJSRegex returns the end of a regular expression literal at d[i] ==
// '/', flags included; an unterminated one ends at the newline.
func scanJSRegex(d []byte, i int) int {
	j := i + 1
	inClass := false
	for j < len(d) {
		switch d[j] {
		case '\\':
			j += 2
			continue
		case '\n':
			return j
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '/':
			if !inClass {
				j++
				for j < len(d) && isIdentByte(d[j]) {
					j++
				}
				return j
			}
		}
		j++
	}
	return len(d)
}

// scanTemplate scans template literal text from i (just after '`' or the
// '}' closing a substitution) and returns the end of the text and whether
// it ended by opening a substitution "${" (end is then past the brace).
func scanTemplate(d []byte, i int) (int, bool) {
	j := i
	for j < len(d) {
		switch d[j] {
		case '\\':
			j += 2
			continue
		case '`':
			return j + 1, false
		case '$':
			if j+1 < len(d) && d[j+1] == '{' {
				return j + 2, true
			}
		}
		j++
	}
	return len(d), false
}

func tokJS(d []byte, out []span) []span {
	n := len(d)
	i := 0
	if n >= 2 && d[0] == '#' && d[1] == '!' {
		e := lineEnd(d, 0)
		out = append(out, span{0, int32(e), ctxComment})
		i = e
	}
	var stack []int // brace depth at each open template substitution
	depth := 0
	// last is the last significant code byte before i. The bytes of
	// d[mark:i] (none special) are read into it only when a slash needs
	// it, so that the walk between special bytes is one test per byte.
	last := byte(0)
	mark := i
	for i < n {
		c := d[i]
		if !jsSpecial[c] {
			i++
			continue
		}
		if c == '/' {
			for j := i - 1; j >= mark; j-- {
				if d[j] > ' ' {
					last = d[j]
					break
				}
			}
		}
		switch c {
		case '/':
			if e, ok := cComment(d, i); ok {
				out = append(out, span{int32(i), int32(e), ctxComment})
				i = e
				break
			}
			if jsRegexAllowed(d, i, last) {
				e := scanJSRegex(d, i)
				out = append(out, span{int32(i), int32(e), ctxString})
				i = e
				last = 'a'
				break
			}
			last = '/'
			i++
		case '\'', '"':
			e := scanQuoted(d, i, c, true)
			out = append(out, span{int32(i), int32(e), ctxString})
			i = e
			last = 'a'
		case '`':
			e, sub := scanTemplate(d, i+1)
			out = append(out, span{int32(i), int32(e), ctxString})
			i = e
			last = 'a'
			if sub {
				stack = append(stack, depth)
				last = '{'
			}
		case '{':
			depth++
			last = '{'
			i++
		case '}':
			if len(stack) > 0 && stack[len(stack)-1] == depth {
				stack = stack[:len(stack)-1]
				e, sub := scanTemplate(d, i+1)
				out = append(out, span{int32(i), int32(e), ctxString})
				i = e
				last = 'a'
				if sub {
					stack = append(stack, depth)
					last = '{'
				}
				break
			}
			if depth > 0 {
				depth--
			}
			last = '}'
			i++
		}
		mark = i
	}
	return out
}

// ---- Python ----

var pySpecial = func() (t [256]bool) {
	for _, c := range []byte("#'\"\n([{}])") {
		t[c] = true
	}
	return t
}()

// scanPyTriple returns the end of a triple-quoted string whose opening
// quotes start at i.
func scanPyTriple(d []byte, i int, q byte) int {
	j := i + 3
	for j < len(d) {
		c := d[j]
		if c == '\\' {
			j += 2
			continue
		}
		if c == q && j+2 < len(d) && d[j+1] == q && d[j+2] == q {
			return j + 3
		}
		j++
	}
	return len(d)
}

func tokPython(d []byte, out []span) []span {
	n := len(d)
	i := 0
	depth := 0
	firstCode := -1 // first significant byte of the logical line, -1 before it
	// The bytes of d[mark:i] (none special) are read for firstCode only at
	// the next special byte, so that the walk between special bytes is
	// one test per byte.
	mark := 0
	for i < n {
		c := d[i]
		if !pySpecial[c] {
			i++
			continue
		}
		for j := mark; firstCode < 0 && j < i; j++ {
			if b := d[j]; b > ' ' && b != '\\' {
				firstCode = j
			}
		}
		switch c {
		case '#':
			e := lineEnd(d, i)
			out = append(out, span{int32(i), int32(e), ctxComment})
			i = e
		case '\n':
			if depth == 0 && !(i > 0 && d[i-1] == '\\') && !(i > 1 && d[i-1] == '\r' && d[i-2] == '\\') {
				firstCode = -1
			}
			i++
		case '(', '[', '{':
			depth++
			if firstCode < 0 {
				firstCode = i
			}
			i++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
			if firstCode < 0 {
				firstCode = i
			}
			i++
		case '\'', '"':
			// A string prefix (r, b, u, f and pairs) is part of the code
			// before the quote; it only changes escapes, which do not
			// change where the string ends.
			p, fstring := pyPrefix(d, i)
			if firstCode < 0 {
				firstCode = p
			}
			if i+2 < n && d[i+1] == c && d[i+2] == c {
				e := scanPyTriple(d, i, c)
				k := ctxString
				if firstCode == p && depth == 0 && !fstring {
					k = ctxComment // a docstring or a string used as a comment
				}
				out = append(out, span{int32(i), int32(e), k})
				i = e
			} else {
				e := scanQuoted(d, i, c, true)
				out = append(out, span{int32(i), int32(e), ctxString})
				i = e
			}
		}
		mark = i
	}
	return out
}

// pyPrefix returns where the string whose quote is at i starts, its prefix
// (r, b, u, f, rb, fr…) included, and whether it is an f-string.
func pyPrefix(d []byte, i int) (int, bool) {
	p := i
	f := false
loop:
	for p > 0 && i-p < 2 {
		switch d[p-1] {
		case 'r', 'R', 'b', 'B', 'u', 'U':
		case 'f', 'F':
			f = true
		default:
			break loop
		}
		p--
	}
	if p > 0 && isIdentByte(d[p-1]) {
		return i, false // not a prefix: part of an identifier
	}
	return p, f
}

// ---- POSIX shell (and npm lifecycle scripts) ----

var shSpecial = func() (t [256]bool) {
	for _, c := range []byte("#'\"\\") {
		t[c] = true
	}
	return t
}()

func tokShell(d []byte, out []span) []span {
	n := len(d)
	i := 0
	for i < n {
		c := d[i]
		if !shSpecial[c] {
			i++
			continue
		}
		switch c {
		case '\\':
			i += 2
		case '#':
			if i == 0 || isSpace(d[i-1]) || d[i-1] == ';' || d[i-1] == '|' || d[i-1] == '&' || d[i-1] == '(' {
				e := lineEnd(d, i)
				out = append(out, span{int32(i), int32(e), ctxComment})
				i = e
			} else {
				i++
			}
		case '\'':
			e := bytes.IndexByte(d[i+1:], '\'')
			if e < 0 {
				e = n
			} else {
				e += i + 2
			}
			out = append(out, span{int32(i), int32(e), ctxString})
			i = e
		case '"':
			e := scanQuoted(d, i, '"', false)
			out = append(out, span{int32(i), int32(e), ctxString})
			i = e
		}
	}
	if len(out) > 0 && int(out[len(out)-1].e) > n {
		out[len(out)-1].e = int32(n)
	}
	return out
}

// ---- Windows batch ----

func tokBatch(d []byte, out []span) []span {
	n := len(d)
	i := 0
	for i < n {
		e := lineEnd(d, i)
		j := i
		for j < e && (d[j] == ' ' || d[j] == '\t' || d[j] == '@') {
			j++
		}
		if (e-j >= 2 && d[j] == ':' && d[j+1] == ':') ||
			(e-j >= 3 && fold(d[j]) == 'r' && fold(d[j+1]) == 'e' && fold(d[j+2]) == 'm' && (e-j == 3 || isSpace(d[j+3]) || d[j+3] == '.')) {
			out = append(out, span{int32(j), int32(e), ctxComment})
			i = e + 1
			continue
		}
		for j < e {
			if d[j] != '"' {
				j++
				continue
			}
			k := bytes.IndexByte(d[j+1:e], '"')
			if k < 0 {
				out = append(out, span{int32(j), int32(e), ctxString})
				break
			}
			out = append(out, span{int32(j), int32(j + k + 2), ctxString})
			j += k + 2
		}
		i = e + 1
	}
	return out
}

// ---- PowerShell ----

var psSpecial = func() (t [256]bool) {
	for _, c := range []byte("#<'\"@`") {
		t[c] = true
	}
	return t
}()

func tokPowerShell(d []byte, out []span) []span {
	n := len(d)
	i := 0
	for i < n {
		c := d[i]
		if !psSpecial[c] {
			i++
			continue
		}
		switch c {
		case '`':
			i += 2
		case '<':
			if i+1 < n && d[i+1] == '#' {
				e := indexFrom(d, i+2, "#>")
				if e < 0 {
					e = n
				} else {
					e += 2
				}
				out = append(out, span{int32(i), int32(e), ctxComment})
				i = e
				continue
			}
			i++
		case '#':
			if i == 0 || isSpace(d[i-1]) || d[i-1] == ';' || d[i-1] == '(' || d[i-1] == '{' || d[i-1] == '|' || d[i-1] == '}' {
				e := lineEnd(d, i)
				out = append(out, span{int32(i), int32(e), ctxComment})
				i = e
				continue
			}
			i++
		case '@':
			if i+1 < n && (d[i+1] == '\'' || d[i+1] == '"') {
				// A here-string: @' or @" ending the line, closed by '@ or
				// "@ at the start of a line.
				k := i + 2
				for k < n && (d[k] == ' ' || d[k] == '\t' || d[k] == '\r') {
					k++
				}
				if k < n && d[k] == '\n' {
					term := "\n" + string(d[i+1]) + "@"
					e := indexFrom(d, k, term)
					if e < 0 {
						e = n
					} else {
						e += len(term)
					}
					out = append(out, span{int32(i), int32(e), ctxString})
					i = e
					continue
				}
			}
			i++
		case '\'':
			// '' inside is an escaped quote.
			j := i + 1
			for {
				k := bytes.IndexByte(d[j:], '\'')
				if k < 0 {
					j = n
					break
				}
				j += k + 1
				if j < n && d[j] == '\'' {
					j++
					continue
				}
				break
			}
			out = append(out, span{int32(i), int32(j), ctxString})
			i = j
		case '"':
			// A backtick escapes the next byte; "" is an escaped quote.
			j := i + 1
			for j < n {
				if d[j] == '`' {
					j += 2
					continue
				}
				if d[j] == '"' {
					if j+1 < n && d[j+1] == '"' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			if j > n {
				j = n
			}
			out = append(out, span{int32(i), int32(j), ctxString})
			i = j
		}
	}
	return out
}

// ---- Ruby ----

var rbSpecial = func() (t [256]bool) {
	for _, c := range []byte("#'\"`%</=\n") {
		t[c] = true
	}
	return t
}()

var rbRegexKeywords = map[string]bool{
	"if": true, "unless": true, "when": true, "and": true, "or": true, "not": true,
	"return": true, "while": true, "until": true, "then": true, "elsif": true, "in": true,
}

func rbClose(open byte) byte {
	switch open {
	case '(':
		return ')'
	case '[':
		return ']'
	case '{':
		return '}'
	case '<':
		return '>'
	}
	return open
}

// scanDelimited scans %q(…)-style literals: from i (just after the opening
// delimiter) to past the closing one, nesting bracket pairs.
func scanDelimited(d []byte, i int, open byte) int {
	cl := rbClose(open)
	level := 1
	j := i
	for j < len(d) {
		c := d[j]
		switch {
		case c == '\\':
			j += 2
			continue
		case c == cl:
			level--
			if level == 0 {
				return j + 1
			}
		case c == open && open != cl:
			level++
		}
		j++
	}
	return len(d)
}

func tokRuby(d []byte, out []span) []span {
	n := len(d)
	i := 0
	last := byte(0)
	atLineStart := true
	heredocEnd := -1 // position to jump to at the end of the current line
	curLineEnd := -1 // end of the current line, once a heredoc needed it
	for i < n {
		c := d[i]
		if !rbSpecial[c] {
			if c > ' ' {
				last = c
				atLineStart = false
			}
			i++
			continue
		}
		switch c {
		case '\n':
			if heredocEnd > i {
				out = append(out, span{int32(i + 1), int32(heredocEnd), ctxString})
				i = heredocEnd
				heredocEnd = -1
			} else {
				i++
			}
			atLineStart = true
			continue
		case '=':
			if atLineStart && bytes.HasPrefix(d[i:], []byte("=begin")) {
				e := indexFrom(d, i, "\n=end")
				if e < 0 {
					e = n
				} else {
					e = lineEnd(d, e+1)
				}
				out = append(out, span{int32(i), int32(e), ctxComment})
				i = e
				continue
			}
			last = '='
			i++
		case '#':
			e := lineEnd(d, i)
			out = append(out, span{int32(i), int32(e), ctxComment})
			i = e
			continue
		case '\'', '"', '`':
			e := scanQuoted(d, i, c, false)
			out = append(out, span{int32(i), int32(e), ctxString})
			i = e
			last = 'a'
		case '%':
			j := i + 1
			if j < n && (d[j] == 'q' || d[j] == 'Q' || d[j] == 'w' || d[j] == 'W' || d[j] == 'i' || d[j] == 'I' || d[j] == 'x' || d[j] == 'r' || d[j] == 's') {
				j++
			} else if isIdentByte(last) || last == ')' || last == ']' || last == '}' {
				last = '%'
				i++
				break
			}
			if j < n && !isIdentByte(d[j]) && !isSpace(d[j]) && d[j] != '=' {
				e := scanDelimited(d, j+1, d[j])
				out = append(out, span{int32(i), int32(e), ctxString})
				i = e
				last = 'a'
				break
			}
			last = '%'
			i++
		case '/':
			regex := false
			switch {
			case last == 0 || last == '(' || last == ',' || last == '=' || last == '~' || last == '!' || last == '|' || last == '&' || last == '{' || last == '[' || last == ';' || last == '?' || last == ':':
				regex = true
			case isIdentByte(last):
				j := i - 1
				for j >= 0 && (d[j] == ' ' || d[j] == '\t') {
					j--
				}
				k := j
				for k >= 0 && isIdentByte(d[k]) {
					k--
				}
				if rbRegexKeywords[string(d[k+1:j+1])] {
					regex = true
				} else if j < i-1 && i+1 < n && !isSpace(d[i+1]) {
					regex = true // "split /,/": a method argument
				}
			}
			if regex {
				e := scanJSRegex(d, i)
				out = append(out, span{int32(i), int32(e), ctxString})
				i = e
				last = 'a'
				break
			}
			last = '/'
			i++
		case '<':
			// Heredoc: <<ID, <<-ID, <<~ID, quoted IDs too.
			if i+2 < n && d[i+1] == '<' && !isIdentByte(last) && last != ')' && last != ']' {
				j := i + 2
				if j < n && (d[j] == '-' || d[j] == '~') {
					j++
				}
				quote := byte(0)
				if j < n && (d[j] == '\'' || d[j] == '"' || d[j] == '`') {
					quote = d[j]
					j++
				}
				k := j
				for k < n && (isIdentByte(d[k]) && d[k] != '$') {
					k++
				}
				if k > j && (d[j] < '0' || d[j] > '9') && (quote == 0 || (k < n && d[k] == quote)) {
					id := string(d[j:k])
					if quote != 0 {
						k++
					}
					// The body starts after this line (or after a previous
					// heredoc's body on the same line) and ends with the
					// line holding the id alone. An unterminated body runs
					// to the end of the file, and later ids on the line
					// find nothing after it.
					if curLineEnd < i {
						curLineEnd = lineEnd(d, i)
					}
					from := curLineEnd
					if heredocEnd > from {
						from = heredocEnd - 1
					}
					if from+1 < n {
						heredocEnd = heredocBodyEnd(d, from, id)
					} else {
						heredocEnd = n
					}
					i = k
					last = 'a'
					break
				}
			}
			last = '<'
			i++
		}
		atLineStart = false
	}
	return out
}

// heredocBodyEnd returns the end of the line that closes a heredoc whose
// body starts after the newline at nl.
func heredocBodyEnd(d []byte, nl int, id string) int {
	p := nl + 1
	for p < len(d) {
		e := lineEnd(d, p)
		if string(bytes.TrimSpace(d[p:e])) == id {
			return e
		}
		p = e + 1
	}
	return len(d)
}

// ---- MSBuild (XML) ----

func tokXML(d []byte, out []span) []span {
	n := len(d)
	i := 0
	for i < n {
		k := bytes.IndexByte(d[i:], '<')
		if k < 0 {
			break
		}
		i += k
		switch {
		case bytes.HasPrefix(d[i:], []byte("<!--")):
			e := indexFrom(d, i+4, "-->")
			if e < 0 {
				e = n
			} else {
				e += 3
			}
			out = append(out, span{int32(i), int32(e), ctxComment})
			i = e
		case bytes.HasPrefix(d[i:], []byte("<![CDATA[")):
			e := indexFrom(d, i, "]]>")
			if e < 0 {
				e = n
			} else {
				e += 3
			}
			i = e
		default:
			// A tag: quoted attribute values are strings.
			j := i + 1
			for j < n && d[j] != '>' {
				if d[j] == '"' || d[j] == '\'' {
					e := bytes.IndexByte(d[j+1:], d[j])
					if e < 0 {
						e = n
					} else {
						e += j + 2
					}
					out = append(out, span{int32(j), int32(e), ctxString})
					j = e
					continue
				}
				j++
			}
			i = j + 1
		}
	}
	return out
}

// ---- Rust ----

var rsSpecial = func() (t [256]bool) {
	for _, c := range []byte("/\"'") {
		t[c] = true
	}
	return t
}()

func tokRust(d []byte, out []span) []span {
	n := len(d)
	i := 0
	for i < n {
		c := d[i]
		if !rsSpecial[c] {
			i++
			continue
		}
		switch c {
		case '/':
			if i+1 < n && d[i+1] == '/' {
				e := lineEnd(d, i)
				out = append(out, span{int32(i), int32(e), ctxComment})
				i = e
				continue
			}
			if i+1 < n && d[i+1] == '*' {
				level := 1
				j := i + 2
				for j < n && level > 0 {
					switch {
					case d[j] == '/' && j+1 < n && d[j+1] == '*':
						level++
						j += 2
					case d[j] == '*' && j+1 < n && d[j+1] == '/':
						level--
						j += 2
					default:
						j++
					}
				}
				out = append(out, span{int32(i), int32(j), ctxComment})
				i = j
				continue
			}
			i++
		case '"':
			// Raw string r"…", r#"…"#, br#"…"#: count the hashes before.
			h := 0
			j := i - 1
			for j >= 0 && d[j] == '#' {
				h++
				j--
			}
			if j >= 0 && d[j] == 'r' && (j == 0 || !isIdentByte(d[j-1]) || (d[j-1] == 'b' && (j == 1 || !isIdentByte(d[j-2])))) {
				term := "\"" + string(bytes.Repeat([]byte("#"), h))
				e := indexFrom(d, i+1, term)
				if e < 0 {
					e = n
				} else {
					e += len(term)
				}
				out = append(out, span{int32(i), int32(e), ctxString})
				i = e
				continue
			}
			e := scanQuoted(d, i, '"', false)
			out = append(out, span{int32(i), int32(e), ctxString})
			i = e
		case '\'':
			// A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
			switch {
			case i+1 < n && d[i+1] == '\\':
				e := bytes.IndexByte(d[i+2:min(n, i+14)], '\'')
				if e >= 0 {
					out = append(out, span{int32(i), int32(i + 3 + e), ctxString})
					i += 3 + e
					continue
				}
			case i+1 < n && d[i+1] >= 0x80:
				e := bytes.IndexByte(d[i+2:min(n, i+6)], '\'')
				if e >= 0 {
					out = append(out, span{int32(i), int32(i + 3 + e), ctxString})
					i += 3 + e
					continue
				}
			case i+2 < n && d[i+2] == '\'':
				out = append(out, span{int32(i), int32(i + 3), ctxString})
				i += 3
				continue
			}
			i++
		}
	}
	return out
}

// cComment reports a // or /* */ comment (not nested) starting at d[i] ==
// '/', and its end; an unterminated /* runs to the end of d.
func cComment(d []byte, i int) (end int, ok bool) {
	if i+1 >= len(d) {
		return 0, false
	}
	switch d[i+1] {
	case '/':
		return lineEnd(d, i), true
	case '*':
		if e := indexFrom(d, i+2, "*/"); e >= 0 {
			return e + 2, true
		}
		return len(d), true
	}
	return 0, false
}
