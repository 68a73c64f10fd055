package xmltext

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/pkgward/pkgward/internal/record"
)

func utf16Bytes(s string, big bool) []byte {
	out := []byte{0xFF, 0xFE}
	if big {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if big {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// elements decodes data and returns "name=text" for every element with
// text, or the input error.
func elements(file string, data []byte) ([]string, error) {
	dec, err := NewDecoder(file, data)
	if err != nil {
		return nil, err
	}
	var out []string
	var name string
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, dec.InputError(line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name = t.Name.Local
		case xml.CharData:
			if s := strings.TrimSpace(string(t)); s != "" {
				out = append(out, name+"="+s)
			}
		}
	}
}

func TestNewDecoder(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"utf8", []byte("<a><b>é</b></a>"), []string{"b=é"}},
		{"utf8_bom_is_text_before_the_root", []byte("\xef\xbb\xbf<a>x</a>"), []string{"=\ufeff", "a=x"}},
		{"utf16le", utf16Bytes("<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<a>€</a>", false), []string{"a=€"}},
		{"utf16be", utf16Bytes("<a>\U0001F600</a>", true), []string{"a=\U0001F600"}},
		{"utf16_declared_but_utf8", []byte("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>x</a>"), []string{"a=x"}},
		{"latin1", []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>"), []string{"a=café"}},
		{"windows1252", []byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\xe0\xff</a>"), []string{"a=àÿ"}},
		{"ascii", []byte("<?xml version=\"1.0\" encoding=\"us-ascii\"?><a>x</a>"), []string{"a=x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := elements("f.xml", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		wantLine int
		wantMsg  string
	}{
		{"odd_utf16", append(utf16Bytes("<a/>", false), 'x'), 1, "odd number of bytes"},
		{"unsupported_encoding", []byte("<?xml version=\"1.0\" encoding=\"shift_jis\"?>\n<a/>"), 1, "unsupported encoding"},
		{"syntax", []byte("<a>\n<b>\n</a>\n"), 3, "invalid XML"},
		{"syntax_utf16", utf16Bytes("<a>\n\n<b></a>", false), 3, "invalid XML"},
		{"truncated_clamped_to_last_line", []byte("<a>\n<b>\n"), 2, "invalid XML"},
		{"truncated_without_newline", []byte("<a>\n<b"), 2, "invalid XML"},
		{"undefined_entity", []byte("<a>\n&foo;</a>"), 2, "invalid XML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := elements("dir/f.xml", tt.data)
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("got %q, %v; want *record.InputError", got, err)
			}
			if ie.File != "dir/f.xml" || ie.Line != tt.wantLine || !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("error %q at %s:%d, want %q at line %d", ie.Msg, ie.File, ie.Line, tt.wantMsg, tt.wantLine)
			}
		})
	}
}

func TestInputErrorFallback(t *testing.T) {
	dec, err := NewDecoder("f.xml", []byte("<a>\n</a>\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line, want int
	}{{0, 1}, {2, 2}, {9, 2}}
	for _, tt := range tests {
		var ie *record.InputError
		if !errors.As(dec.InputError(tt.line, errors.New("boom")), &ie) || ie.Line != tt.want || ie.Msg != "invalid XML: boom" {
			t.Errorf("InputError(%d) = %+v, want line %d", tt.line, ie, tt.want)
		}
	}
}

func TestLatin1Reader(t *testing.T) {
	var all []byte
	for i := 0; i < 256; i++ {
		all = append(all, byte(i))
	}
	// A one-byte buffer exercises the pending multi-byte runes.
	r := &latin1Reader{r: bufioReader(all)}
	var got []byte
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			break
		}
	}
	var want []rune
	for i := 0; i < 256; i++ {
		want = append(want, rune(i))
	}
	if string(got) != string(want) {
		t.Errorf("latin1 decoding mismatch:\n got %q\nwant %q", got, string(want))
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range [][]byte{
		[]byte("<Project><ItemGroup><PackageReference Include=\"A\" Version=\"1\"/></ItemGroup></Project>"),
		[]byte("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<a>\xe9</a>\n"),
		utf16Bytes("<packages>\n<package id=\"x\"/>\n</packages>", false),
		utf16Bytes("<a>\n", true),
		[]byte("<a>\n<b"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dec, err := NewDecoder("fuzz.xml", data)
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) || ie.Line != 1 {
				t.Fatalf("NewDecoder error %v is not an InputError at line 1", err)
			}
			return
		}
		// Transcoding keeps lines: the text has as many newlines as the
		// file has newline characters.
		lines := bytes.Count(dec.text, []byte{'\n'}) + 1
		for {
			line, _ := dec.InputPos()
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				var ie *record.InputError
				if !errors.As(dec.InputError(line, err), &ie) || ie.File != "fuzz.xml" || ie.Line < 1 || ie.Line > lines {
					t.Fatalf("InputError(%d, %v) = %+v, want a line in 1..%d", line, err, ie, lines)
				}
				return
			}
		}
	})
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

// walk runs Walk over in and returns the tokens fn saw as "line:kind@depth"
// (kind: <name>, </name>, text, other), or the error as "line: message".
func walk(ctx context.Context, doc Document, in string) string {
	dec, err := NewDecoder("f.xml", []byte(in))
	if err != nil {
		return err.Error()
	}
	var seen []string
	err = dec.Walk(ctx, doc, func(tok xml.Token, line, depth int) error {
		kind := "other"
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "stop" {
				return errStop
			}
			kind = "<" + t.Name.Local + ">"
		case xml.EndElement:
			kind = "</" + t.Name.Local + ">"
		case xml.CharData:
			kind = "text"
		}
		seen = append(seen, fmt.Sprintf("%d:%s@%d", line, kind, depth))
		return nil
	})
	var ie *record.InputError
	switch {
	case errors.As(err, &ie):
		return fmt.Sprintf("%d: %s", ie.Line, ie.Msg)
	case err != nil:
		return err.Error()
	}
	return strings.Join(seen, " ")
}

var errStop = errors.New("stopped by fn")

func TestWalk(t *testing.T) {
	doc := Document{Root: "Root", Files: "test files", MaxDepth: 3}
	tests := []struct {
		name, in, want string
	}{
		{"tokens", "<?xml version=\"1.0\"?>\n<root>\n<a x=\"1\">t</a><!-- c -->\n</root>",
			"1:other@0 1:text@0 2:<root>@1 2:text@1 3:<a>@2 3:text@2 3:</a>@2 3:other@1 3:text@1 4:</root>@1"},
		{"root_in_any_case", "<ROOT/>", "1:<ROOT>@1 1:</ROOT>@1"},
		{"deepest_allowed", "<root><a><b/></a></root>", "1:<root>@1 1:<a>@2 1:<b>@3 1:</b>@3 1:</a>@2 1:</root>@1"},
		{"too_deep", "<root><a>\n<b><c/></b></a></root>", "2: elements nested deeper than 3"},
		{"other_root", "<!-- c -->\n<other/>", "2: root element is <other>, want <Root>"},
		{"second_root", "<root/>\n<root/>", "2: second root element <root>"},
		{"directive", "<!DOCTYPE root>\n<root/>", "1: XML directives (DOCTYPE, ENTITY) are not allowed in test files"},
		{"empty", "", "1: no <Root> element"},
		{"no_root", "<?xml version=\"1.0\"?>\n<!-- c -->\n", "1: no <Root> element"},
		{"syntax", "<root>\n<a>\n</root>", "3: invalid XML: element <a> closed by </root>"},
		{"fn_error_as_is", "<root><stop/></root>", "stopped by fn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := walk(context.Background(), doc, tt.in); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := walk(ctx, doc, "<root/>"); got != context.Canceled.Error() {
		t.Errorf("cancelled: got %s", got)
	}
}

// TestSameName pins the root-name match to what the parsers did before
// Walk: strings.EqualFold (packages.config) or lower-casing (.csproj,
// nuget.config).
func TestSameName(t *testing.T) {
	tests := []struct {
		local, name string
		want        bool
	}{
		{"Project", "Project", true},
		{"PROJECT", "project", true},
		{"packageſ", "packages", true},           // long s folds to s
		{"confİguration", "configuration", true}, // dotted I lower-cases to i
		{"\u212Aey", "key", true},                // Kelvin sign: both
		{"projects", "project", false},
		{"", "Project", false},
	}
	for _, tt := range tests {
		if got := sameName(tt.local, tt.name); got != tt.want {
			t.Errorf("sameName(%q, %q) = %v, want %v", tt.local, tt.name, got, tt.want)
		}
	}
}
