package report

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/record"
)

// jsonlRenderer writes JSON Lines: one compact result object per line, in
// input order (the same object as in the json document's results array),
// then one {"error":{...}} line per input error and one {"notice":"..."}
// line per notice.
type jsonlRenderer struct{}

func (jsonlRenderer) Render(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	for i := range r.Results {
		line = AppendJSONL(line[:0], &r.Results[i])
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	for i := range r.Errors {
		b, err := json.Marshal(struct {
			Error *record.InputError `json:"error"`
		}{&r.Errors[i]})
		if err != nil {
			return err
		}
		bw.Write(append(b, '\n'))
	}
	for _, n := range r.Notices {
		b, err := json.Marshal(struct {
			Notice string `json:"notice"`
		}{n})
		if err != nil {
			return err
		}
		bw.Write(append(b, '\n'))
	}
	return bw.Flush()
}

// AppendJSONL appends r as one compact JSON object followed by '\n' to dst
// and returns the extended buffer. The bytes are exactly what
// encoding/json.Marshal produces for r (with a nil Findings encoded as []),
// so the output matches the results of the json document.
//
// The common result without findings, suppressions or errors is encoded by hand,
// without allocating; any other result goes through encoding/json.
// AppendJSONL is safe for concurrent use (on distinct buffers).
func AppendJSONL(dst []byte, r *record.Result) []byte {
	if len(r.Findings) != 0 || len(r.Suppressed) != 0 || len(r.Errors) != 0 {
		c := withFindings(r)
		b, err := json.Marshal(&c)
		if err != nil {
			// Only an evidence value that encoding/json cannot encode (a
			// NaN, a channel, ...) gets here. Keep the line valid JSON and
			// keep the result: replace the evidence by the reason.
			b = marshalWithoutEvidence(&c, err)
		}
		dst = append(dst, b...)
		return append(dst, '\n')
	}
	dst = append(dst, `{"ecosystem":`...)
	dst = appendJSONString(dst, string(r.Ecosystem))
	dst = append(dst, `,"name":`...)
	dst = appendJSONString(dst, r.Name)
	dst = append(dst, `,"version":`...)
	dst = appendJSONString(dst, r.Version)
	dst = append(dst, `,"source":`...)
	dst = appendJSONString(dst, r.Source)
	dst = append(dst, `,"verdict":`...)
	dst = appendJSONString(dst, string(r.Verdict))
	dst = append(dst, `,"findings":[]}`+"\n"...)
	return dst
}

const hexDigits = "0123456789abcdef"

// jsonSafe reports the ASCII bytes encoding/json copies verbatim (with its
// default HTML escaping): printable ASCII except '"', '\\', '<', '>', '&'.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = true
	}
	for _, b := range `"\<>&` {
		t[b] = false
	}
	t[0x7f] = true // DEL is not escaped by encoding/json
	return t
}()

// appendJSONString appends s as a JSON string exactly as encoding/json
// encodes it: short escapes for \b \f \n \r \t \" \\, \u00XX for other
// control bytes and <, >, &, \u2028 and \u2029 escaped, and each byte of
// invalid UTF-8 replaced by \ufffd.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// marshalWithoutEvidence encodes c with every evidence map replaced by
// {"unencodable": reason} and a NaN or infinite confidence by 0.
func marshalWithoutEvidence(c *record.Result, reason error) []byte {
	ev := map[string]any{"unencodable": reason.Error()}
	fs := make([]record.Finding, len(c.Findings))
	for i, f := range c.Findings {
		if f.Evidence != nil {
			f.Evidence = ev
		}
		f.Confidence = finite(f.Confidence)
		fs[i] = f
	}
	ss := make([]record.Suppressed, len(c.Suppressed))
	for i, s := range c.Suppressed {
		if s.Finding.Evidence != nil {
			s.Finding.Evidence = ev
		}
		s.Finding.Confidence = finite(s.Finding.Confidence)
		ss[i] = s
	}
	c.Findings, c.Suppressed = fs, ss
	b, err := json.Marshal(c)
	if err != nil { // cannot happen: only strings and finite numbers are left
		panic("report: " + err.Error())
	}
	return b
}

func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}
