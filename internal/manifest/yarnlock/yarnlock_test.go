package yarnlock

import (
	"bytes"
	"context"
	"errors"
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

const display = "web/yarn.lock"

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

func triples(t *testing.T, deps []manifest.Dependency) []dep {
	t.Helper()
	var got []dep
	for _, d := range deps {
		if d.Ecosystem != ecosystem.NPM || d.File != display {
			t.Errorf("%s: Ecosystem, File = %q, %q", d.Name, d.Ecosystem, d.File)
		}
		got = append(got, dep{d.Name, d.Version, d.Line})
	}
	return got
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []dep
	}{
		{
			file: "v1.yarn.lock",
			want: []dep{
				{"@babel/code-frame", "7.22.13", 5},
				{"@babel/highlight", "7.22.20", 13},
				{"chalk", "2.4.2", 22},
				{"js-tokens", "4.0.0", 27},
				{"string-width", "4.2.3", 32}, // alias and plain spec: one entry
				{"@types/react", "17.0.80", 37},
				{"local-helpers", "0.0.1", 42},
				{"forked-left-pad", "1.3.0", 45},
			},
		},
		{
			file: "berry.yarn.lock",
			want: []dep{
				{"@types/node", "20.12.7", 8},
				{"lodash", "4.17.21", 17},
				{"string-width", "4.2.3", 33},
				{"typescript", "5.4.5", 40},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			deps, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := triples(t, deps); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%s):\n got %v\nwant %v", tt.file, got, tt.want)
			}
		})
	}
}

func TestParseInline(t *testing.T) {
	tests := []struct {
		name, in string
		want     []dep
	}{
		{name: "empty", in: ""},
		{name: "comments_only", in: "# yarn lockfile v1\n\n"},
		{
			name: "crlf",
			in:   "# yarn lockfile v1\r\n\r\nleft-pad@^1.3.0:\r\n  version \"1.3.0\"\r\n",
			want: []dep{{"left-pad", "1.3.0", 3}},
		},
		{
			name: "unquoted_version_and_no_version",
			in:   "a@^1:\n  version 1.0.0\nb@^2:\n  resolved \"https://example.com/b.tgz\"\n",
			want: []dep{{"a", "1.0.0", 1}, {"b", "", 3}},
		},
		{
			name: "aliases_to_two_packages",
			in:   "\"x@npm:a@^1\", \"y@npm:@s/b@^1\":\n  version \"1.0.0\"\n",
			want: []dep{{"a", "1.0.0", 1}, {"@s/b", "1.0.0", 1}},
		},
		{
			name: "nested_version_ignored",
			in:   "a@^1:\n  dependencies:\n    version \"9\"\n  version \"1.0.0\"\n",
			want: []dep{{"a", "1.0.0", 1}},
		},
		{
			name: "berry_without_resolution",
			in:   "__metadata:\n  version: 6\n\n\"@s/a@npm:^1.0.0, @s/a@npm:^1.1.0\":\n  version: 1.1.0\n",
			want: []dep{{"@s/a", "1.1.0", 4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, err := parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := triples(t, deps); !reflect.DeepEqual(got, tt.want) {
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
		{"v1-bad-indent.yarn.lock", 6},
		{"v1-unterminated-quote.yarn.lock", 3},
		{"v1-field-no-value.yarn.lock", 5},
		{"v1-header-no-colon.yarn.lock", 3},
		{"v1-orphan-field.yarn.lock", 1},
		// yaml.v3 says "line 5" (0-based for parser errors): the "["
		// opened on line 6 and never closed.
		{"berry-bad-yaml.yarn.lock", 6},
		{"berry-entry-scalar.yarn.lock", 8},
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

func TestMatches(t *testing.T) {
	p := New()
	for path, want := range map[string]bool{
		"yarn.lock":          true,
		"apps/web/yarn.lock": true,
		"yarn.lock.bak":      false,
		"pnpm-lock.yaml":     false,
		".yarnrc.yml":        false,
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
	b.WriteString("# yarn lockfile v1\n\n")
	for range 2000 {
		b.WriteString("a@^1:\n  version \"1.0.0\"\n\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, in := range []string{b.String(), "__metadata:\n  version: 8\n" + strings.ReplaceAll(b.String(), "version \"", "version: \"")} {
		_, err := New().Parse(ctx, manifest.Input{Path: "yarn.lock", Data: []byte(in)})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Parse on cancelled ctx = %v, want context.Canceled", err)
		}
	}
}

// lineCount returns an upper bound of the number of lines of data as the
// parser counts them: yarn v1 splits on '\n'; YAML also breaks lines at a
// lone '\r' and at U+0085, U+2028 and U+2029.
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte{'\n'}) + 1
	if isBerry(data) {
		n += bytes.Count(data, []byte{'\r'}) - bytes.Count(data, []byte("\r\n"))
		for _, br := range []string{"\u0085", "\u2028", "\u2029"} {
			n += bytes.Count(data, []byte(br))
		}
	}
	return n
}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.lock")
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
		deps, err := New().Parse(context.Background(), manifest.Input{Path: "yarn.lock", Data: data})
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) || ie.File != "yarn.lock" {
				t.Fatalf("error %v (%T) is not an *record.InputError for yarn.lock", err, err)
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
