package yamlpos

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/record"
)

func TestErrorLine(t *testing.T) {
	tests := []struct {
		msg  string
		want int
	}{
		// Parser problems: N is 0-based.
		{"yaml: line 3: did not find expected key", 4},
		{"yaml: line 1: did not find expected ',' or ']'", 2},
		{"yaml: line 7: found undefined tag handle", 8}, // "found " is also a scanner prefix
		{"yaml: did not find expected node content", 1},
		{"yaml: found incompatible YAML document", 1},
		// Scanner problems: N is 1-based, absent on the first line.
		{"yaml: line 2: mapping values are not allowed in this context", 2},
		{"yaml: line 4: found character that cannot start any token", 4},
		{"yaml: line 9: could not find expected ':'", 9},
		{"yaml: mapping values are not allowed in this context", 1},
		{"yaml: found unknown escape character while parsing a quoted scalar", 1},
		{"yaml: block sequence entries are not allowed in this context", 1},
		{"yaml: exceeded max depth of 10000", 1},
		// Other problems keep their line, if any.
		{"yaml: line 5: unknown problem parsing YAML content", 5},
		{"yaml: invalid leading UTF-8 octet", 0},
		{"yaml: control characters are not allowed", 0},
		{"yaml: line 0: did not find expected key", 0}, // not a line yaml.v3 writes
		{"yaml: line x: did not find expected key", 0},
		{"yaml: line 3 did not find expected key", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := ErrorLine(errors.New(tt.msg)); got != tt.want {
			t.Errorf("ErrorLine(%q) = %d, want %d", tt.msg, got, tt.want)
		}
	}
	if got := ErrorLine(nil); got != 0 {
		t.Errorf("ErrorLine(nil) = %d, want 0", got)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"a: [1, 2\n", 2},                  // parser error at the end of input
		{"a:\n  b: [1,\n  2\n", 2},         // parser error, context on line 2
		{"a: b\nc: d: e\n", 2},             // scanner error
		{"a:\n  - b\n c\n", 3},             // parser error
		{"a: \"unterminated\n\nb: c\n", 4}, // scanner error at end of stream
		{"key: value\n\t- tab\n", 2},       // scanner error
		{"a: b: c\n", 1},                   // scanner error on line 1: no line in the message
		{"- a\nb: c\n", 2},                 // parser error on line 2: "line 1" in the message
		{"{a: 1\n", 2},                     // parser error at the end of input
		{"a: [1, 2", 2},                    // the same: yaml.v3 ends the last line first
		{"a: \xff\n", 0},                   // reader error: no line
		{"a: 1\x00\n", 0},                  // reader error: no line
		{"a: 1\r\nb: c: d\r\n", 2},         // CRLF counts once
	}
	for _, tt := range tests {
		n, err := Decode("x.yaml", []byte(tt.in))
		var ie *record.InputError
		if !errors.As(err, &ie) {
			t.Errorf("Decode(%q) = %v, %v; want an InputError", tt.in, n, err)
			continue
		}
		if n != nil {
			t.Errorf("Decode(%q) returned a node with the error", tt.in)
		}
		if ie.File != "x.yaml" || ie.Line != tt.want || !strings.HasPrefix(ie.Msg, "invalid YAML: ") {
			t.Errorf("Decode(%q): %s:%d %q, want x.yaml:%d \"invalid YAML: …\"", tt.in, ie.File, ie.Line, ie.Msg, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		in   string
		kind yaml.Kind // 0: no node
		line int
		tag  string
	}{
		{"", 0, 0, ""},
		{"\n\n", 0, 0, ""},
		{"# only a comment\n", 0, 0, ""},
		{"a: 1\n", yaml.MappingNode, 1, "!!map"},
		{"# comment\n\na: 1\n", yaml.MappingNode, 3, "!!map"},
		{"- a\n- b\n", yaml.SequenceNode, 1, "!!seq"},
		{"~\n", yaml.ScalarNode, 1, "!!null"},
		{"text\n", yaml.ScalarNode, 1, "!!str"},
		{"a: 1\n---\n- b\n", yaml.MappingNode, 1, "!!map"}, // the first document only
		{"\ufeffa: 1\n", yaml.MappingNode, 1, "!!map"},
	}
	for _, tt := range tests {
		n, err := Decode("x.yaml", []byte(tt.in))
		if err != nil {
			t.Errorf("Decode(%q): %v", tt.in, err)
			continue
		}
		switch {
		case tt.kind == 0 && n != nil:
			t.Errorf("Decode(%q) = kind %d, want nil", tt.in, n.Kind)
		case tt.kind == 0:
		case n == nil:
			t.Errorf("Decode(%q) = nil, want kind %d", tt.in, tt.kind)
		case n.Kind != tt.kind || n.Line != tt.line || n.Tag != tt.tag:
			t.Errorf("Decode(%q) = kind %d line %d tag %s, want kind %d line %d tag %s", tt.in, n.Kind, n.Line, n.Tag, tt.kind, tt.line, tt.tag)
		}
	}
}

// lineBreaks counts the characters yaml.v3 reads as line breaks ("\r\n"
// counted twice), in data as yaml.v3 decodes it: UTF-16 after a byte order
// mark, else UTF-8.
func lineBreaks(data []byte) int {
	var runes []rune
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		big := data[0] == 0xFE
		units := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			if big {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			} else {
				units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
			}
		}
		runes = utf16.Decode(units)
	} else {
		for s := data; len(s) > 0; {
			r, n := utf8.DecodeRune(s)
			runes, s = append(runes, r), s[n:]
		}
	}
	n := 0
	for _, r := range runes {
		switch r {
		case '\n', '\r', 0x85, 0x2028, 0x2029:
			n++
		}
	}
	return n
}

// FuzzErrorLine checks, on any input, that Decode does not panic, that
// its errors are input errors at a line within the file (yaml.v3 may name
// the line after the last, where the end of input is), and that ErrorLine
// moves the line yaml.v3 writes by at most one.
func FuzzErrorLine(f *testing.F) {
	for _, s := range []string{
		"a: [1, 2\n", "a:\n  b: [1,\n  2\n", "a: b\nc: d: e\n", "a:\n  - b\n c\n",
		"a: \"unterminated\n\nb: c\n", "key: value\n\t- tab\n", "a: b: c", "{a: 1",
		"a: 1\r\nb: c: d\r\n", "a: \xff\n", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
		"!x!y a\n", "a: &x 1\nb: *y\n", "a:\u2028b: c: d\n", "\xff\xfea\x00:\x00 \x00[\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Decode("f.yaml", data)
		if err == nil {
			return
		}
		var ie *record.InputError
		if !errors.As(err, &ie) {
			t.Fatalf("Decode: %T %v, want an InputError", err, err)
		}
		if ie.File != "f.yaml" || !strings.HasPrefix(ie.Msg, "invalid YAML: ") {
			t.Fatalf("Decode: %s %q", ie.File, ie.Msg)
		}
		if max := lineBreaks(data) + 2; ie.Line < 0 || ie.Line > max {
			t.Fatalf("Decode: line %d, want 0 to %d (%v)", ie.Line, max, err)
		}
		written := 0 // the line yaml.v3 wrote, if any
		if rest, ok := strings.CutPrefix(strings.TrimPrefix(ie.Msg, "invalid YAML: "), "line "); ok {
			if j := strings.IndexByte(rest, ':'); j > 0 {
				written, _ = strconv.Atoi(rest[:j])
			}
		}
		if d := ie.Line - written; d != 0 && d != 1 {
			t.Fatalf("Decode: line %d, yaml.v3 wrote %d (%v)", ie.Line, written, err)
		}
	})
}
