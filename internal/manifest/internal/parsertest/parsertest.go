package parsertest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/record"
)

// ReadTestdata returns the contents of testdata/name, failing t if it
// cannot be read.
func ReadTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Seed adds to f's corpus every file of testdata (not its subdirectories)
// whose name matches pattern, in filepath.Match syntax ("*" for all).
func Seed(f *testing.F, pattern string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		if fi, err := os.Stat(file); err == nil && fi.IsDir() {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// CheckResult asserts the parser contract for the result of parsing data
// as path: either an *record.InputError for path and no dependencies, or
// dependencies of eco in path, with a name, on lines 1 to the last line of
// data.
func CheckResult(t testing.TB, eco ecosystem.Ecosystem, path string, data []byte, deps []manifest.Dependency, err error) {
	t.Helper()
	if err != nil {
		var ie *record.InputError
		if !errors.As(err, &ie) {
			t.Fatalf("error %v (%T) is not a *record.InputError", err, err)
		}
		if ie.File != path {
			t.Fatalf("error names file %q, want %q", ie.File, path)
		}
		if deps != nil {
			t.Fatalf("error %v returned with %d dependencies", err, len(deps))
		}
		return
	}
	lines := bytes.Count(data, []byte{'\n'}) + 1
	for _, d := range deps {
		if d.Line < 1 || d.Line > lines {
			t.Fatalf("dependency %+v: line outside 1..%d", d, lines)
		}
		if d.File != path || d.Name == "" || d.Ecosystem != eco {
			t.Fatalf("bad dependency %+v", d)
		}
	}
}

// Fuzz fuzzes p with inputs named path, seeded with every file of
// testdata, checking each result with CheckResult.
func Fuzz(f *testing.F, p manifest.Parser, eco ecosystem.Ecosystem, path string) {
	f.Helper()
	Seed(f, "*")
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, err := p.Parse(context.Background(), manifest.Input{Path: path, Data: data})
		CheckResult(t, eco, path, data, deps, err)
	})
}
