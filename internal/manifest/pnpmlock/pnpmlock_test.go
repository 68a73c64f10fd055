package pnpmlock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/record"
)

// dep is the name/version/line triple the tests compare.
type dep struct {
	Name, Version string
	Line          int
}

const display = "mono/pnpm-lock.yaml"

func parse(data []byte) ([]manifest.Dependency, error) {
	return New().Parse(context.Background(), manifest.Input{Path: display, Data: data})
}

func parseFile(t testing.TB, file string) ([]manifest.Dependency, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return parse(data)
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []dep
	}{
		{
			file: "v5.pnpm-lock.yaml",
			want: []dep{
				{"@types/prop-types", "15.7.5", 19},
				{"@types/react", "18.0.25", 23},
				{"js-tokens", "4.0.0", 29},
				{"lodash", "4.17.21", 33},
				{"react-dom", "18.2.0", 37},
				{"react", "18.2.0", 46},
				{"tiny-fork", "0.3.1", 53},
			},
		},
		{
			file: "v6.pnpm-lock.yaml",
			want: []dep{
				{"@emotion/react", "11.11.1", 26},
				{"@types/react", "18.2.21", 39},
				{"csstype", "3.1.2", 45},
				{"react", "18.2.0", 49},
			},
		},
		{
			file: "v9.pnpm-lock.yaml",
			want: []dep{
				{"@types/node", "20.12.7", 29},
				{"chalk", "5.3.0", 32},
				{"request", "2.88.2", 36},
				{"tiny-fork", "0.3.1", 41},
				{"undici-types", "5.26.5", 45},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			deps, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			var got []dep
			for _, d := range deps {
				if d.Ecosystem != ecosystem.NPM || d.File != display {
					t.Errorf("%s: Ecosystem, File = %q, %q", d.Name, d.Ecosystem, d.File)
				}
				got = append(got, dep{d.Name, d.Version, d.Line})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%s):\n got %v\nwant %v", tt.file, got, tt.want)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	tests := []struct {
		key           string
		major         int
		name, version string
		ok            bool
	}{
		{"/lodash/4.17.21", 5, "lodash", "4.17.21", true},
		{"/@babel/core/7.23.0", 5, "@babel/core", "7.23.0", true},
		{"/@emotion/react/11.10.5_@types+react@18.0.25+react@18.2.0", 5, "@emotion/react", "11.10.5", true},
		{"/lodash_fork/1.0.0_x@1.0.0", 5, "lodash_fork", "1.0.0", true},
		{"registry.example.com/foo/1.0.0", 5, "foo", "1.0.0", true},
		{"github.com/user/repo/abc123", 5, "", "", false},
		{"/@scope/1.0.0", 5, "", "", false},
		{"/lodash@4.17.21", 6, "lodash", "4.17.21", true},
		{"/@emotion/react@11.11.1(@types/react@18.2.21)(react@18.2.0)", 6, "@emotion/react", "11.11.1", true},
		{"/@scope/name@1.0.0", 7, "@scope/name", "1.0.0", true},
		{"lodash@4.17.21", 6, "", "", false},
		{"lodash@4.17.21", 9, "lodash", "4.17.21", true},
		{"@types/node@20.12.7", 9, "@types/node", "20.12.7", true},
		{"foo@file:../foo", 9, "foo", "file:../foo", true},
		{"lodash", 9, "", "", false},
		{"@scope@1.0.0", 9, "", "", false},
		{"", 9, "", "", false},
		{"", 5, "", "", false},
		{"/", 6, "", "", false},
	}
	for _, tt := range tests {
		name, version, ok := parseKey(tt.key, tt.major)
		if name != tt.name || version != tt.version || ok != tt.ok {
			t.Errorf("parseKey(%q, %d) = %q, %q, %v; want %q, %q, %v", tt.key, tt.major, name, version, ok, tt.name, tt.version, tt.ok)
		}
	}
}

func TestParseInline(t *testing.T) {
	tests := []struct {
		name, in string
		want     []dep
	}{
		{name: "no_packages", in: "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n"},
		{name: "null_packages", in: "lockfileVersion: '6.0'\npackages:\n"},
		{
			name: "inline_specifiers_5_4",
			in:   "lockfileVersion: 5.4-inlineSpecifiers\n\npackages:\n\n  /ms/2.1.3:\n    resolution: {integrity: sha512-x}\n",
			want: []dep{{"ms", "2.1.3", 5}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, err := parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []dep
			for _, d := range deps {
				got = append(got, dep{d.Name, d.Version, d.Line})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		file     string
		wantLine int
	}{
		{"bad-yaml.pnpm-lock.yaml", 8},
		{"no-version.pnpm-lock.yaml", 1},
		{"bad-key.pnpm-lock.yaml", 8},
		{"entry-scalar.pnpm-lock.yaml", 5},
		{"bad-lockfile-version.pnpm-lock.yaml", 1},
		{"packages-list.pnpm-lock.yaml", 4},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			deps, err := parseFile(t, tt.file)
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse = %v, %v; want *record.InputError", deps, err)
			}
			if deps != nil {
				t.Errorf("Parse returned %d deps with the error", len(deps))
			}
			if ie.File != display || ie.Line != tt.wantLine {
				t.Errorf("error at %s:%d, want %s:%d (%v)", ie.File, ie.Line, display, tt.wantLine, err)
			}
		})
	}
}

func TestYAMLErrorLine(t *testing.T) {
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
	}
	for _, tt := range tests {
		_, err := decodeYAML(manifest.Input{Path: "x.yaml", Data: []byte(tt.in)})
		var ie *record.InputError
		if !errors.As(err, &ie) {
			t.Errorf("decodeYAML(%q) = %v, want an InputError", tt.in, err)
			continue
		}
		if ie.Line != tt.want {
			t.Errorf("decodeYAML(%q): line %d, want %d (%v)", tt.in, ie.Line, tt.want, err)
		}
	}
}

func TestMatches(t *testing.T) {
	p := New()
	for path, want := range map[string]bool{
		"pnpm-lock.yaml":           true,
		"apps/site/pnpm-lock.yaml": true,
		"pnpm-lock.yml":            false,
		"pnpm-workspace.yaml":      false,
	} {
		if got := p.Matches(path); got != want {
			t.Errorf("Matches(%q) = %v, want %v", path, got, want)
		}
	}
	if p.Name() != Name || p.Ecosystem() != ecosystem.NPM {
		t.Errorf("Name, Ecosystem = %q, %q", p.Name(), p.Ecosystem())
	}
}

func TestParseCancelled(t *testing.T) {
	var b strings.Builder
	b.WriteString("lockfileVersion: '9.0'\n\npackages:\n\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "  pkg-%d@1.0.0:\n    resolution: {integrity: sha512-x}\n\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, manifest.Input{Path: "pnpm-lock.yaml", Data: []byte(b.String())})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse on cancelled ctx = %v, want context.Canceled", err)
	}
}

// lineCount returns an upper bound of the number of lines of data as YAML
// counts them: it also breaks lines at a lone '\r' and at U+0085, U+2028
// and U+2029.
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte{'\n'}) + 1
	n += bytes.Count(data, []byte{'\r'}) - bytes.Count(data, []byte("\r\n"))
	for _, br := range []string{"\u0085", "\u2028", "\u2029"} {
		n += bytes.Count(data, []byte(br))
	}
	return n
}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, err := New().Parse(context.Background(), manifest.Input{Path: "pnpm-lock.yaml", Data: data})
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) || ie.File != "pnpm-lock.yaml" {
				t.Fatalf("error %v (%T) is not an *record.InputError for pnpm-lock.yaml", err, err)
			}
			return
		}
		lines := lineCount(data)
		for _, d := range deps {
			if d.Line < 1 || d.Line > lines {
				t.Fatalf("%s: Line %d outside 1..%d", d.Name, d.Line, lines)
			}
			if d.Name == "" {
				t.Fatalf("empty name at line %d", d.Line)
			}
		}
	})
}
