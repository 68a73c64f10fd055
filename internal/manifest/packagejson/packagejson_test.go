package packagejson

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
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

func parseFile(t testing.TB, file string) ([]manifest.Dependency, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return New().Parse(context.Background(), manifest.Input{Path: "proj/package.json", Data: data})
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []dep
	}{
		{
			file: "app.json",
			want: []dep{
				{"@babel/runtime", "^7.24.5", 11},
				{"lodash", "~4.17.21", 12},
				{"react", "18.3.1", 13},
				{"react-dom", "18.3.1", 14},
				{"request", "^2.88.2", 15},
				{"@types/node", "20.12.7", 16},
				{"utils", "file:../utils", 17},
				{"forked-lib", "github:acme/forked-lib#v1.2.0", 18},
				{"tarball-dep", "https://registry.example.com/tarball-dep/-/tarball-dep-1.0.0.tgz", 19},
				{"left-pad", "", 20},
				{"@types/react", "^18.3.1", 23},
				{"jest", "^29.7.0", 24},
				{"typescript", "5.4.5", 25},
				{"next", ">=13 <15", 28},
				{"fsevents", "^2.3.3", 34},
			},
		},
		{
			file: "minimal.json",
			want: []dep{{"chalk", "^5.3.0", 1}, {"commander", "^12.0.0", 1}},
		},
		{file: "no-deps.json"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			deps, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			var got []dep
			for _, d := range deps {
				if d.Ecosystem != ecosystem.NPM || d.File != "proj/package.json" {
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

func TestParseErrors(t *testing.T) {
	tests := []struct {
		file     string
		wantLine int
	}{
		{"truncated.json", 5},
		{"version-not-string.json", 4},
		{"section-not-object.json", 3},
		{"bad-alias.json", 3},
		{"array.json", 1},
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
			if ie.File != "proj/package.json" || ie.Line != tt.wantLine {
				t.Errorf("error at %s:%d, want proj/package.json:%d (%v)", ie.File, ie.Line, tt.wantLine, err)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	p := New()
	for path, want := range map[string]bool{
		"package.json":                      true,
		"web/package.json":                  true,
		"web/package.json.bak":              false,
		"package-lock.json":                 false,
		"node_modules/x/package.jsonx":      false,
		"deep/dir/with spaces/package.json": true,
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
	var b bytes.Buffer
	b.WriteString(`{"dependencies": {`)
	for i := range 3000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"p` + string(rune('a'+i%26)) + `": "1"`)
	}
	b.WriteString("}}")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Parse(ctx, manifest.Input{Path: "package.json", Data: b.Bytes()}); !errors.Is(err, context.Canceled) {
		t.Errorf("Parse on cancelled ctx = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.json")
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
		deps, err := New().Parse(context.Background(), manifest.Input{Path: "package.json", Data: data})
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) || ie.File != "package.json" {
				t.Fatalf("error %v (%T) is not an *record.InputError for package.json", err, err)
			}
			return
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
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
