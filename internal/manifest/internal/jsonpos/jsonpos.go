package jsonpos

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/pkgward/pkgward/internal/manifest"
)

// Kind is the type of a JSON value, from its first byte.
type Kind int

// The JSON kinds. Invalid is the kind of the zero Value.
const (
	Invalid Kind = iota
	Null
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"nothing", "null", "a boolean", "a number", "a string", "an array", "an object"}

// String returns the kind with its article ("an object"), for messages.
func (k Kind) String() string {
	if k < Invalid || k > Object {
		return "kind(?)"
	}
	return kindNames[k]
}

// Value is one JSON value of a Document, undecoded.
type Value struct {
	// Raw is the value's text, a sub-slice of the document without
	// surrounding white space. It must not be modified.
	Raw []byte
	// Offset is the byte offset of Raw in the document.
	Offset int64
}

// Kind reports the value's type.
func (v Value) Kind() Kind {
	if len(v.Raw) == 0 {
		return Invalid
	}
	switch v.Raw[0] {
	case '{':
		return Object
	case '[':
		return Array
	case '"':
		return String
	case 't', 'f':
		return Bool
	case 'n':
		return Null
	}
	return Number
}

// Member is one member of a JSON object.
type Member struct {
	Key     string // decoded key
	KeyLine int    // 1-based line of the key
	Value   Value
}

// Document is a validated JSON text with a line index.
type Document struct {
	path  string
	data  []byte
	lines *manifest.LineIndex
	root  Value
	// spans lists the objects and arrays of at least minSpan bytes, sorted
	// by start, so Members jumps over a large nested value instead of
	// rescanning it: without it a walk down a deep tree (a v1
	// package-lock.json) would cost O(size × depth).
	spans []span
}

// span is one object or array: data[start:end].
type span struct{ start, end int }

// minSpan is the smallest value indexed in Document.spans; smaller ones
// are cheaper to rescan than to look up.
const minSpan = 64

// Parse validates data as one JSON value and indexes its lines. path names
// the file in errors. A leading UTF-8 byte order mark is ignored (npm
// accepts one). A syntax error is a *record.InputError at the line where
// the decoder stopped.
func Parse(path string, data []byte) (*Document, error) {
	d := &Document{path: path, data: data, lines: manifest.NewLineIndex(data)}
	start := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	body := data[start:]
	if !json.Valid(body) {
		// Slow path, only for broken files: find where the scanner stopped.
		var discard struct{}
		err := json.Unmarshal(body, &discard)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, manifest.Errorf(path, d.Line(int64(start)+se.Offset-1), "invalid JSON: %v", se)
		}
		return nil, manifest.Errorf(path, d.Line(int64(len(data))-1), "invalid JSON")
	}
	lo, hi := 0, len(body)
	for lo < hi && isSpace(body[lo]) {
		lo++
	}
	for hi > lo && isSpace(body[hi-1]) {
		hi--
	}
	d.root = Value{Raw: body[lo:hi], Offset: int64(start + lo)}
	d.spans = indexSpans(data, start)
	return d, nil
}

// Path returns the path given to Parse.
func (d *Document) Path() string { return d.path }

// Root returns the document's top-level value.
func (d *Document) Root() Value { return d.root }

// Line returns the 1-based line of byte offset off, clamped to the
// document (offsets before the start are line 1, past the end the last
// line).
func (d *Document) Line(off int64) int {
	if off < 0 {
		off = 0
	}
	if n := int64(len(d.data)); off >= n && n > 0 {
		off = n - 1
	}
	return d.lines.Line(off)
}

// ValueLine returns the line of v's first byte.
func (d *Document) ValueLine(v Value) int { return d.Line(v.Offset) }

// Errorf returns a *record.InputError at line.
func (d *Document) Errorf(line int, format string, args ...any) error {
	return manifest.Errorf(d.path, line, format, args...)
}

// Members returns the members of the object v in document order. Duplicate
// keys are all returned. It fails if v is not an object. v must come from d
// (Root, Members, Lookup): the scan relies on Parse's validation and stops
// with an error, never a panic, on anything else. It checks ctx every few
// hundred members and then returns ctx.Err() unwrapped.
func (d *Document) Members(ctx context.Context, v Value) ([]Member, error) {
	if k := v.Kind(); k != Object {
		return nil, d.Errorf(d.ValueLine(v), "expected an object, found %s", k)
	}
	raw := v.Raw
	bad := func(i int) error {
		return d.Errorf(d.Line(v.Offset+int64(i)), "invalid JSON object")
	}
	i := skipSpace(raw, 1)
	if i < len(raw) && raw[i] == '}' {
		if i != len(raw)-1 {
			return nil, bad(i)
		}
		return nil, nil
	}
	var out []Member
	for n := 0; ; n++ {
		if n%256 == 255 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if i >= len(raw) || raw[i] != '"' {
			return nil, bad(i)
		}
		keyEnd := skipString(raw, i)
		if keyEnd < 0 {
			return nil, bad(i)
		}
		key, err := decodeString(raw[i:keyEnd])
		if err != nil {
			return nil, d.Errorf(d.Line(v.Offset+int64(i)), "invalid object key: %v", err)
		}
		i = skipSpace(raw, keyEnd)
		if i >= len(raw) || raw[i] != ':' {
			return nil, bad(i)
		}
		start := skipSpace(raw, i+1)
		end := d.skipValue(v, start)
		if end < 0 {
			return nil, bad(start)
		}
		out = append(out, Member{
			Key:     key,
			KeyLine: d.Line(v.Offset + int64(keyEnd) - 1),
			Value:   Value{Raw: raw[start:end:end], Offset: v.Offset + int64(start)},
		})
		i = skipSpace(raw, end)
		if i >= len(raw) {
			return nil, bad(i)
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case '}':
			if i != len(raw)-1 {
				return nil, bad(i)
			}
			return out, nil
		default:
			return nil, bad(i)
		}
	}
}

// Lookup follows path, a sequence of object keys, from v. found is false,
// with a nil error, when some key is absent; an error means a value on the
// way is not an object. When a key occurs more than once the last
// occurrence wins, as in JavaScript's JSON.parse.
func (d *Document) Lookup(ctx context.Context, v Value, path ...string) (_ Value, found bool, _ error) {
	for _, key := range path {
		ms, err := d.Members(ctx, v)
		if err != nil {
			return Value{}, false, err
		}
		found = false
		for _, m := range ms {
			if m.Key == key {
				v, found = m.Value, true
			}
		}
		if !found {
			return Value{}, false, nil
		}
	}
	return v, true, nil
}

// String decodes the string v. It fails, at v's line, if v is not a string.
func (d *Document) String(v Value) (string, error) {
	if k := v.Kind(); k != String {
		return "", d.Errorf(d.ValueLine(v), "expected a string, found %s", k)
	}
	s, err := decodeString(v.Raw)
	if err != nil {
		return "", d.Errorf(d.ValueLine(v), "invalid string: %v", err)
	}
	return s, nil
}

// Decode unmarshals v into dst with encoding/json. A type mismatch is
// reported at the line of the offending value where encoding/json tells
// it, else at v's line.
func (d *Document) Decode(v Value, dst any) error {
	err := json.Unmarshal(v.Raw, dst)
	if err == nil {
		return nil
	}
	line := d.ValueLine(v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Offset > 0 && te.Offset <= int64(len(v.Raw)) {
		line = d.Line(v.Offset + te.Offset - 1)
	}
	return d.Errorf(line, "%v", err)
}

// decodeString decodes the JSON string literal raw (quotes included).
func decodeString(raw []byte) (string, error) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		// Fast path: no escapes (the document is valid, so no control
		// characters either).
		if body := raw[1 : len(raw)-1]; bytes.IndexByte(body, '\\') < 0 && bytes.IndexByte(body, '"') < 0 {
			return string(body), nil
		}
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// skipString returns the index just past the string literal starting at
// raw[i] (a '"'), or -1 if it is unterminated.
func skipString(raw []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(raw[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		// The quote is escaped if an odd number of backslashes precede it.
		b := 0
		for q-1-b > i && raw[q-1-b] == '\\' {
			b++
		}
		if b%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// indexSpans lists the objects and arrays of the valid JSON data[from:]
// spanning at least minSpan bytes, sorted by start.
func indexSpans(data []byte, from int) []span {
	var spans, stack []span
	for i := from; i < len(data); i++ {
		switch data[i] {
		case '"':
			j := skipString(data, i)
			if j < 0 {
				return nil // unreachable for valid JSON; scanning still works
			}
			i = j - 1
		case '{', '[':
			stack = append(stack, span{start: i})
		case '}', ']':
			if len(stack) == 0 {
				return nil
			}
			sp := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if sp.end = i + 1; sp.end-sp.start >= minSpan {
				spans = append(spans, sp)
			}
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	return spans
}

// skipValue returns the index in v.Raw just past the value starting at
// v.Raw[i], or -1 if it is cut short. Large objects and arrays are jumped
// over with d.spans.
func (d *Document) skipValue(v Value, i int) int {
	raw := v.Raw
	if i < len(raw) && (raw[i] == '{' || raw[i] == '[') {
		abs := int(v.Offset) + i
		k, ok := slices.BinarySearchFunc(d.spans, abs, func(s span, t int) int { return cmp.Compare(s.start, t) })
		if ok {
			// Trust the index only if it agrees with v (it always does for
			// values taken from d).
			if end := d.spans[k].end - int(v.Offset); end <= len(raw) && (raw[end-1] == '}' || raw[end-1] == ']') {
				return end
			}
		}
	}
	return skipValue(raw, i)
}

// skipValue returns the index just past the JSON value starting at raw[i],
// or -1 if it is cut short. It trusts the value to be valid JSON beyond
// matching brackets and quotes.
func skipValue(raw []byte, i int) int {
	if i >= len(raw) {
		return -1
	}
	switch raw[i] {
	case '"':
		return skipString(raw, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(raw); j++ {
			switch raw[j] {
			case '"':
				j = skipString(raw, j)
				if j < 0 {
					return -1
				}
				j-- // the loop's j++ lands just past the string
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(raw) {
		switch raw[j] {
		case ',', '}', ']', ':', ' ', '\t', '\n', '\r', '"', '{', '[':
			if j == i {
				return -1
			}
			return j
		}
		j++
	}
	if j == i {
		return -1
	}
	return j
}

func skipSpace(raw []byte, i int) int {
	for i < len(raw) && isSpace(raw[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
