package codescan

import "bytes"

// Split words: a payload written as string literals joined where a word
// is cut — require('chi' + 'ld_pro' + 'cess'), Python's implicit
// 'cu' 'rl … | sh' — hides its names and commands from rules that read
// the file as written. concatRuns puts such a run back together in the
// virtual source as one literal (decodedFile). Honest code joins
// literals too, but at spaces and punctuation ('Hello, ' + name, 'a/' +
// 'b'); only runs with a cut between two word characters are joined, so
// most files get no virtual source for it. Unlike decoded text, a joined
// run keeps the grade the same code written whole would have (vseg.fold).

// concatRuns adds to reps, in file order, the runs of two or more plain
// string literals (one quote, no backslash, not a template) joined by +
// (JavaScript, Python) or written side by side (Python) in code, one
// junction at least between two word characters. Runs that touch a
// literal already in reps are left out.
func concatRuns(d []byte, spans []span, l lang, reps []repl, budget int) []repl {
	taken := make(map[int32]bool, len(reps))
	for _, r := range reps {
		taken[int32(r.s)] = true
	}
	var runs []repl
	for k := 0; k < len(spans) && budget > 0; k++ {
		if !plainLiteral(d, spans[k], l) || taken[spans[k].s] {
			continue
		}
		j, cut := k, false
		for j+1 < len(spans) && plainLiteral(d, spans[j+1], l) && !taken[spans[j+1].s] && joined(d, spans[j], spans[j+1], l) {
			a, b := d[spans[j].e-2], d[spans[j+1].s+1]
			cut = cut || (isWordByte(a) && isWordByte(b))
			j++
		}
		if j == k || !cut {
			k = j
			continue
		}
		var text []byte
		for i := k; i <= j && len(text) < maxDecodedLiteral; i++ {
			text = append(text, d[spans[i].s+1:spans[i].e-1]...)
		}
		text = text[:min(len(text), maxDecodedLiteral, budget)]
		runs = append(runs, repl{s: int(spans[k].s), e: int(spans[j].e), text: text, fold: true})
		budget -= len(text)
		k = j
	}
	return mergeRepls(reps, runs)
}

// plainLiteral reports a string literal of one quote on each side, with
// at least one byte inside and no backslash, not a template literal and
// (Python) without a prefix (f"…", b'…', r'…').
func plainLiteral(d []byte, sp span, l lang) bool {
	s, e := int(sp.s), int(sp.e)
	if sp.k != ctxString || e-s < 3 || e > len(d) {
		return false
	}
	q := d[s]
	if (q != '\'' && q != '"') || d[e-1] != q || bytes.IndexByte(d[s+1:e-1], '\\') >= 0 || bytes.IndexByte(d[s+1:e-1], q) >= 0 {
		return false
	}
	if l == langPython && s > 0 && isWordByte(d[s-1]) {
		return false
	}
	return true
}

// joined reports whether literals a and b are joined: only blanks and one
// '+' between them, or (Python) only blanks.
func joined(d []byte, a, b span, l lang) bool {
	plus := false
	for i := int(a.e); i < int(b.s); i++ {
		switch c := d[i]; {
		case c == ' ' || c == '\t':
		case c == '+' && !plus:
			plus = true
		default:
			return false
		}
	}
	return plus || l == langPython
}

// inFold reports whether byte pos of virtual source f lies in a joined
// run of literals.
func (f *file) inFold(pos int) bool {
	s, ok := f.segAt(pos)
	return ok && s.fold
}
