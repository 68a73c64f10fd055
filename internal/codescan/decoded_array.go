package codescan

import (
	"bytes"
	"sort"
)

// maxArrayUses bounds the element references put back per file.
const maxArrayUses = 4096

// arrayUses adds to reps (string literals of a JavaScript file, in order)
// the references NAME[N] and NAME[0xN], in code, to an array declared as
// NAME = ['…', '…', …] of string literals of which one at least was
// decoded: each becomes the element it names, so that
// require(_0x[0])[_0x[1]] reads as require('child_process')['exec']. An
// array rotated at run time (push/shift) names other elements than the
// written order says: obfuscator-identifiers reports that shape.
func arrayUses(d []byte, spans []span, reps []repl) []repl {
	decoded := make(map[int]int, len(reps)) // span start → index in reps
	for i, r := range reps {
		decoded[r.s] = i
	}
	var uses []repl
	done := -1 // arrays end before done
	var last walk
	for _, r := range reps {
		if r.s < done {
			continue
		}
		open, ok := arrayOpen(d, spans, r.s, &last)
		if !ok {
			continue
		}
		name, elems, end, ok := parseStringArray(d, spans, open, decoded, reps)
		if !ok {
			continue
		}
		done = end
		uses = appendUses(uses, d, spans, name, elems, end)
		if len(uses) >= maxArrayUses {
			break
		}
	}
	if len(uses) == 0 {
		return reps
	}
	out := append(reps, uses...)
	sort.Slice(out, func(i, j int) bool { return out[i].s < out[j].s })
	return out
}

// spanAt returns the index of the string span starting at s, or -1.
func spanAt(spans []span, s int) int {
	k := sort.Search(len(spans), func(k int) bool { return int(spans[k].s) >= s })
	if k < len(spans) && int(spans[k].s) == s && spans[k].k == ctxString {
		return k
	}
	return -1
}

// walk is what the last arrayOpen found from the span it started at: a
// later walk that reaches that span goes on as it did, so it takes its
// result, and a file of many elements costs one pass over them, not one
// per element.
type walk struct {
	from, open int
	ok, set    bool
}

// arrayOpen walks back from the string literal at s over earlier string
// elements to the '[' that opens their array.
func arrayOpen(d []byte, spans []span, s int, last *walk) (int, bool) {
	k := spanAt(spans, s)
	open, ok := arrayOpenFrom(d, spans, k, last)
	if k >= 0 {
		*last = walk{from: k, open: open, ok: ok, set: true}
	}
	return open, ok
}

func arrayOpenFrom(d []byte, spans []span, k int, last *walk) (int, bool) {
	for k >= 0 {
		if last.set && k == last.from {
			return last.open, last.ok
		}
		i := int(spans[k].s) - 1
		for i >= 0 && isSpace(d[i]) {
			i--
		}
		if i < 0 {
			return 0, false
		}
		switch d[i] {
		case '[':
			return i, true
		case ',':
			i--
			for i >= 0 && isSpace(d[i]) {
				i--
			}
			if k == 0 || i < 0 || int(spans[k-1].e)-1 != i || spans[k-1].k != ctxString {
				return 0, false
			}
			k--
		default:
			return 0, false
		}
	}
	return 0, false
}

// parseStringArray reads NAME = [ 'a', 'b', … ] around the '[' at open and
// returns NAME, the elements' plain texts (nil for one that cannot be
// written back) and the index past ']'.
func parseStringArray(d []byte, spans []span, open int, decoded map[int]int, reps []repl) ([]byte, [][]byte, int, bool) {
	i := open - 1
	for i >= 0 && isSpace(d[i]) {
		i--
	}
	if i < 0 || d[i] != '=' || (i > 0 && (d[i-1] == '=' || d[i-1] == '!' || d[i-1] == '<' || d[i-1] == '>')) {
		return nil, nil, 0, false
	}
	i--
	for i >= 0 && isSpace(d[i]) {
		i--
	}
	ne := i + 1
	for i >= 0 && isIdentByte(d[i]) && d[i] < 0x80 {
		i--
	}
	name := d[i+1 : ne]
	if len(name) == 0 || ('0' <= name[0] && name[0] <= '9') {
		return nil, nil, 0, false
	}
	var elems [][]byte
	j := open + 1
	for {
		for j < len(d) && isSpace(d[j]) {
			j++
		}
		if j >= len(d) {
			return nil, nil, 0, false
		}
		if d[j] == ']' {
			break
		}
		k := spanAt(spans, j)
		if k < 0 {
			return nil, nil, 0, false
		}
		s, e := int(spans[k].s), int(spans[k].e)
		if r, ok := decoded[s]; ok {
			elems = append(elems, reps[r].text)
		} else if e-s >= 2 && bytes.IndexByte(d[s+1:e-1], '\\') < 0 {
			// (An unterminated literal at the end of a line is one byte.)
			elems = append(elems, d[s+1:e-1])
		} else {
			elems = append(elems, nil)
		}
		j = e
		for j < len(d) && isSpace(d[j]) {
			j++
		}
		if j < len(d) && d[j] == ',' {
			j++
		}
	}
	return name, elems, j + 1, len(elems) > 0
}

// appendUses adds the references to array name in code after from.
func appendUses(uses []repl, d []byte, spans []span, name []byte, elems [][]byte, from int) []repl {
	pat := append(append([]byte(nil), name...), '[')
	cur := spanCursor{spans: spans}
	for i := from; len(uses) < maxArrayUses; {
		k := bytes.Index(d[i:], pat)
		if k < 0 {
			break
		}
		s := i + k
		i = s + len(pat)
		if s > 0 && (isIdentByte(d[s-1]) || d[s-1] == '.') || cur.at(s) != ctxCode {
			continue
		}
		n, w := parseNumber(d[i:])
		if w == 0 || i+w >= len(d) || d[i+w] != ']' || n >= len(elems) || elems[n] == nil {
			continue
		}
		uses = append(uses, repl{s: s, e: i + w + 1, text: elems[n]})
		i += w + 1
	}
	return uses
}
