package codescan

import "bytes"

// tokGo finds the comments and string literals of Go source: // and /* */
// comments (not nested), "…" and '…' with escapes, `…` raw strings.
func tokGo(d []byte, out []span) []span {
	n := len(d)
	for i := 0; i < n; {
		switch d[i] {
		case '/':
			if e, ok := cComment(d, i); ok {
				out = append(out, span{int32(i), int32(e), ctxComment})
				i = e
				continue
			}
			i++
		case '"', '\'':
			e := scanQuoted(d, i, d[i], true)
			out = append(out, span{int32(i), int32(e), ctxString})
			i = e
		case '`':
			e := n
			if k := bytes.IndexByte(d[i+1:], '`'); k >= 0 {
				e = i + 1 + k + 1
			}
			out = append(out, span{int32(i), int32(e), ctxString})
			i = e
		default:
			i++
		}
	}
	return out
}
