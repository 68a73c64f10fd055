package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// DecodePackage decodes one JSON package record strictly. encoding/json
// alone would accept, and silently rewrite, what a reader of the record
// does not see: keys are matched case-insensitively ("NAME" fills name)
// and the last of two equal keys wins, so {"name":"expresss","NAME":"express"}
// is judged as express; invalid UTF-8 and lone UTF-16 surrogates become
// U+FFFD. DecodePackage refuses all of these:
//
//   - the keys of a package, of an author or maintainer and of a dependency
//     are exact: a key that differs from one of them only by letter case is
//     an error (other unknown keys are ignored, as documented);
//   - a key given twice in any object is an error;
//   - bytes that are not UTF-8, and \u escapes that are lone surrogates,
//     are an error.
//
// Syntax errors are those of encoding/json; a value of the wrong type is
// named by its key, in JSON's words, not Go's ("`keywords` must be a list
// of strings, not a string").
func DecodePackage(data []byte) (Package, error) {
	var p Package
	if !utf8.Valid(data) {
		return p, fmt.Errorf("invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	s := strictScanner{b: data}
	s.skipSpace()
	err := s.value(&packageShape, 0)
	var se strictError
	if errors.As(err, &se) {
		return p, err
	}
	// Syntax errors (and anything else the scanner did not understand)
	// are reported by encoding/json, in its words.
	if err := json.Unmarshal(data, &p); err != nil {
		return Package{}, typeError(err)
	}
	return p, nil
}

// typeError rewrites encoding/json's type errors, which name Go types
// ("cannot unmarshal string into Go struct field Package.keywords of type
// []string"), for the writer of the record; other errors are kept.
func typeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("`%s` must be %s, not %s", te.Field, jsonKind(te.Type), jsonValue(te.Value))
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("`published`: %q is not an RFC 3339 time (2006-01-02T15:04:05Z)", pe.Value)
	}
	if strings.HasPrefix(err.Error(), "Time.UnmarshalJSON: ") {
		return errors.New("`published` must be an RFC 3339 time string (2006-01-02T15:04:05Z)")
	}
	return err
}

// jsonKind names the JSON value a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[[]Person]():
		return `a list of {"name", "email"} objects`
	case reflect.TypeFor[[]Dependency]():
		return `a list of {"name", "version"} objects`
	case reflect.TypeFor[Person](), reflect.TypeFor[Dependency]():
		return "an object"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Map:
		if t.Elem().Kind() == reflect.String {
			return "an object of strings"
		}
		return "an object"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "a list of strings"
		}
		return "a list"
	case reflect.Struct:
		return "an object"
	}
	return "another kind of value"
}

// jsonValue names the kind of JSON value encoding/json found ("number",
// "array", …).
func jsonValue(v string) string {
	switch v {
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "number":
		return "a number"
	}
	if strings.HasPrefix(v, "number") { // "number 1e999"
		return "a number"
	}
	return v
}

// invalidUTF8At returns the offset of the first byte that is not UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// shape is what the strict check knows of a JSON value: for an object, its
// exact keys and their shapes (nil fields: any keys); for an array, the
// shape of its elements. A nil *shape is any value.
type shape struct {
	fields map[string]*shape
	elem   *shape
}

var (
	personShape = shape{fields: map[string]*shape{"name": nil, "email": nil}}
	people      = shape{elem: &personShape}
	depShape    = shape{fields: map[string]*shape{"name": nil, "version": nil}}
	// packageShape lists the keys of Package (TestPackageShape keeps it
	// in step with the struct's json tags).
	packageShape = shape{fields: map[string]*shape{
		"ecosystem": nil, "name": nil, "version": nil, "description": nil, "readme": nil,
		"homepage": nil, "repository": nil, "keywords": nil, "authors": &people, "maintainers": &people,
		"published": nil, "scripts": nil, "dependencies": {elem: &depShape}, "source": nil,
	}}
)

// maxStrictDepth bounds nesting; a package record needs three levels.
const maxStrictDepth = 512

// strictError is a violation of the strict rules (not a syntax error).
type strictError struct{ msg string }

func (e strictError) Error() string { return e.msg }

// errSyntax stops the scan; encoding/json then reports the error.
var errSyntax = errors.New("syntax")

type strictScanner struct {
	b []byte
	i int
}

func (s *strictScanner) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *strictScanner) value(sh *shape, depth int) error {
	if depth > maxStrictDepth {
		return strictError{fmt.Sprintf("nested deeper than %d levels", maxStrictDepth)}
	}
	if s.i >= len(s.b) {
		return errSyntax
	}
	switch c := s.b[s.i]; c {
	case '{':
		return s.object(sh, depth)
	case '[':
		s.i++
		var elem *shape
		if sh != nil {
			elem = sh.elem
		}
		s.skipSpace()
		if s.i < len(s.b) && s.b[s.i] == ']' {
			s.i++
			return nil
		}
		for {
			s.skipSpace()
			if err := s.value(elem, depth+1); err != nil {
				return err
			}
			s.skipSpace()
			if s.i >= len(s.b) {
				return errSyntax
			}
			switch s.b[s.i] {
			case ',':
				s.i++
			case ']':
				s.i++
				return nil
			default:
				return errSyntax
			}
		}
	case '"':
		_, err := s.str(false)
		return err
	default:
		// A number, true, false or null: up to the next delimiter.
		start := s.i
	scalar:
		for ; s.i < len(s.b); s.i++ {
			switch s.b[s.i] {
			case ',', ']', '}', ' ', '\t', '\r', '\n':
				break scalar
			}
		}
		if s.i == start {
			return errSyntax
		}
		return nil
	}
}

func (s *strictScanner) object(sh *shape, depth int) error {
	s.i++ // {
	var fields map[string]*shape
	if sh != nil {
		fields = sh.fields
	}
	var keys [][]byte // small objects: linear search
	var seen map[string]bool
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		s.skipSpace()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return errSyntax
		}
		key, err := s.str(true)
		if err != nil {
			return err
		}
		dup := false
		if seen != nil {
			dup = seen[string(key)]
			seen[string(key)] = true
		} else {
			for _, k := range keys {
				if bytes.Equal(k, key) {
					dup = true
				}
			}
			keys = append(keys, key)
			if len(keys) > 32 {
				seen = make(map[string]bool, 64)
				for _, k := range keys {
					seen[string(k)] = true
				}
			}
		}
		if dup {
			return strictError{fmt.Sprintf("key %q given twice", key)}
		}
		var vsh *shape
		if fields != nil {
			sub, ok := fields[string(key)]
			if !ok {
				for f := range fields {
					if strings.EqualFold(f, string(key)) {
						return strictError{fmt.Sprintf("key %q must be written %q (keys are exact and lower-case)", key, f)}
					}
				}
			}
			vsh = sub
		}
		s.skipSpace()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return errSyntax
		}
		s.i++
		s.skipSpace()
		if err := s.value(vsh, depth+1); err != nil {
			return err
		}
		s.skipSpace()
		if s.i >= len(s.b) {
			return errSyntax
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// str scans a string at s.i (an opening quote). With want, it returns the
// string's value: the raw bytes when there are no escapes (valid until
// the next call), else the decoded bytes. Lone surrogates are an error.
func (s *strictScanner) str(want bool) ([]byte, error) {
	s.i++ // "
	start := s.i
	escaped := false
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			raw := s.b[start:s.i]
			s.i++
			if !want || !escaped {
				return raw, nil
			}
			return s.unescape(raw)
		case c == '\\':
			escaped = true
			if s.i+1 >= len(s.b) {
				return nil, errSyntax
			}
			if s.b[s.i+1] != 'u' {
				s.i += 2
				continue
			}
			r, ok := hex4(s.b[s.i+2:])
			if !ok {
				return nil, errSyntax
			}
			s.i += 6
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return nil, strictError{fmt.Sprintf("lone UTF-16 surrogate \\u%04x in a string", r)}
			case r >= 0xD800 && r <= 0xDBFF:
				lo, ok := rune(0), false
				if s.i+1 < len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
					lo, ok = hex4(s.b[s.i+2:])
				}
				if !ok || lo < 0xDC00 || lo > 0xDFFF {
					return nil, strictError{fmt.Sprintf("lone UTF-16 surrogate \\u%04x in a string", r)}
				}
				s.i += 6
			}
		default:
			s.i++
		}
	}
	return nil, errSyntax
}

// unescape decodes a JSON string body known to be well formed.
func (*strictScanner) unescape(raw []byte) ([]byte, error) {
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	var v string
	if err := json.Unmarshal(q, &v); err != nil {
		return nil, errSyntax
	}
	return []byte(v), nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
