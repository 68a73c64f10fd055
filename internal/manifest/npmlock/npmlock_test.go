package npmlock

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

const display = "app/package-lock.json"

func parseFile(t testing.TB, file string) ([]manifest.Dependency, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return New().Parse(context.Background(), manifest.Input{Path: display, Data: data})
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []dep
	}{
		{
			file: "v1.package-lock.json",
			want: []dep{
				{"@types/node", "14.18.63", 7},
				{"body-parser", "1.19.0", 13},
				{"debug", "2.6.9", 22},
				{"ms", "2.0.0", 30},
				{"bytes", "3.1.0", 37},
				{"request", "2.88.2", 42},
				{"shared-utils", "file:packages/shared-utils", 47},
			},
		},
		{
			// The v1 "dependencies" section a v2 file repeats is ignored.
			file: "v2.package-lock.json",
			want: []dep{
				{"@emotion/react", "11.11.4", 18},
				{"react", "18.2.0", 26},
				{"@emotion/cache", "11.11.0", 36},
				{"clsx", "2.1.0", 48},
			},
		},
		{
			file: "v3.package-lock.json",
			want: []dep{
				{"chalk", "5.3.0", 19},
				{"commander", "12.0.0", 30},
				{"fsevents", "2.3.3", 38},
				{"typescript", "5.4.5", 52},
			},
		},
		{
			file: "shrinkwrap.json",
			want: []dep{{"ms", "2.1.3", 1}},
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

func TestParseErrors(t *testing.T) {
	tests := []struct {
		file     string
		wantLine int
	}{
		{"truncated.json", 7},
		{"version-string.json", 2},
		{"entry-not-object.json", 5},
		{"bad-name.json", 4},
		{"v1-version-number.json", 7},
		{"link-not-bool.json", 6},
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

func TestNameFromPath(t *testing.T) {
	tests := []struct {
		key, name string
		installed bool
	}{
		{"node_modules/a", "a", true},
		{"node_modules/@s/n", "@s/n", true},
		{"node_modules/a/node_modules/@s/n", "@s/n", true},
		{"packages/app/node_modules/b", "b", true},
		{"packages/app", "", false},
		{"packages/my_node_modules/b", "", false},
		{"x_node_modules/y/node_modules/z", "z", true},
	}
	for _, tt := range tests {
		name, installed := nameFromPath(tt.key)
		if name != tt.name || installed != tt.installed {
			t.Errorf("nameFromPath(%q) = %q, %v; want %q, %v", tt.key, name, installed, tt.name, tt.installed)
		}
	}
}

func TestMatches(t *testing.T) {
	p := New()
	for path, want := range map[string]bool{
		"package-lock.json":               true,
		"a/b/npm-shrinkwrap.json":         true,
		"package.json":                    false,
		"package-lock.json.orig":          false,
		"sub/my-package-lock.json":        false,
		"node_modules/.package-lock.json": false,
	} {
		if got := p.Matches(path); got != want {
			t.Errorf("Matches(%q) = %v, want %v", path, got, want)
		}
	}
	if p.Name() != Name || p.Ecosystem() != ecosystem.NPM {
		t.Errorf("Name, Ecosystem = %q, %q", p.Name(), p.Ecosystem())
	}
}

// bigLock builds a lockfileVersion 3 file of n packages.
func bigLock(n int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"name\": \"big\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"name\": \"big\"}")
	for i := range n {
		fmt.Fprintf(&b, ",\n    \"node_modules/pkg-%d\": {\n      \"version\": \"1.%d.0\",\n      \"resolved\": \"https://npm.pkg.example/pkg-%d/-/pkg-%d-1.%d.0.tgz\",\n      \"integrity\": \"sha512-%s==\",\n      \"dependencies\": {\"dep-a\": \"^1.0.0\", \"dep-b\": \"^2.0.0\"}\n    }", i, i, i, i, i, strings.Repeat("A", 86))
	}
	b.WriteString("\n  }\n}\n")
	return b.Bytes()
}

func TestParseLarge(t *testing.T) {
	data := bigLock(20000)
	deps, err := New().Parse(context.Background(), manifest.Input{Path: "package-lock.json", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != 20000 {
		t.Fatalf("got %d deps, want 20000", len(deps))
	}
	if d := deps[19999]; d.Name != "pkg-19999" || d.Version != "1.19999.0" || d.Line != 6+6*19999 {
		t.Errorf("last dep = %+v", d)
	}
}

func TestParseCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, manifest.Input{Path: "package-lock.json", Data: bigLock(3000)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse on cancelled ctx = %v, want context.Canceled", err)
	}
}

// BenchmarkParse measures a lockfile of about 20 MB.
func BenchmarkParse(b *testing.B) {
	data := bigLock(60000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := New().Parse(context.Background(), manifest.Input{Path: "package-lock.json", Data: data}); err != nil {
			b.Fatal(err)
		}
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
		deps, err := New().Parse(context.Background(), manifest.Input{Path: "package-lock.json", Data: data})
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) || ie.File != "package-lock.json" {
				t.Fatalf("error %v (%T) is not an *record.InputError for package-lock.json", err, err)
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
