package poetrylock

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/parsertest"
	"github.com/pkgward/pkgward/internal/record"
)

type dep struct {
	Name, Version string
	Line          int
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	return string(parsertest.ReadTestdata(t, name))
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []dep
	}{
		{"poetry_lock", readTestdata(t, "poetry.lock"), []dep{
			{"certifi", "2023.11.17", 4},
			{"requests", "2.31.0", 15},
			// mylib is a local directory.
			{"black", "23.1.0", 45},
			{"urllib3", "2.1.0", 59},
		}},
		{"no_packages", "[metadata]\nlock-version = \"2.0\"\n", nil},
		{"empty", "", nil},
		{"version_first", "[[package]]\nversion = \"1.0\"\n\n  name = \"six\"\n", []dep{{"six", "1.0", 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Parse(context.Background(), manifest.Input{Path: "app/poetry.lock", Data: []byte(tt.data)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var g []dep
			for _, d := range got {
				if d.File != "app/poetry.lock" || d.Ecosystem != ecosystem.PyPI {
					t.Errorf("%s: file %q, ecosystem %q", d.Name, d.File, d.Ecosystem)
				}
				g = append(g, dep{d.Name, d.Version, d.Line})
			}
			if !reflect.DeepEqual(g, tt.want) {
				t.Errorf("Parse mismatch\n got: %+v\nwant: %+v", g, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		wantLine int
		wantMsg  string
	}{
		{"missing_version", readTestdata(t, "missing-version.lock"), 6, "no version"},
		{"bad_toml", readTestdata(t, "bad-toml.lock"), 5, "invalid TOML"},
		{"package_not_array", "package = \"x\"\n", 1, "want an array"},
		{"package_not_tables", "package = [1]\n", 1, "want a table"},
		{"no_name", "[[package]]\nversion = \"1\"\n", 1, "no name"},
		{"bad_name", "[[package]]\nname = \"bad name\"\nversion = \"1\"\n", 2, "invalid package name"},
		{"name_not_string", "[[package]]\nname = 1\nversion = \"1\"\n", 2, "invalid package name"},
		{"version_not_string", "[[package]]\nname = \"a\"\nversion = 1.0\n", 3, "want a non-empty string"},
		{"source_not_table", "[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"x\"\n", 4, "want a table"},
		{"duplicate_key", "[[package]]\nname = \"a\"\nname = \"b\"\nversion = \"1\"\n", 3, "invalid TOML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, err := New().Parse(context.Background(), manifest.Input{Path: "poetry.lock", Data: []byte(tt.data)})
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse = %v, %v; want *record.InputError", deps, err)
			}
			if deps != nil {
				t.Errorf("partial result %v with error", deps)
			}
			if ie.File != "poetry.lock" || ie.Line != tt.wantLine || !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("error %q at %s:%d, want %q at line %d", ie.Msg, ie.File, ie.Line, tt.wantMsg, tt.wantLine)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	p := New()
	for file, want := range map[string]bool{"poetry.lock": true, "x/poetry.lock": true, "Poetry.lock.orig": false, "uv.lock": false} {
		if got := p.Matches(file); got != want {
			t.Errorf("Matches(%q) = %v, want %v", file, got, want)
		}
	}
	if p.Name() != Name || p.Ecosystem() != ecosystem.PyPI {
		t.Error("bad Name or Ecosystem")
	}
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, "*.lock")
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, err := New().Parse(context.Background(), manifest.Input{Path: "poetry.lock", Data: data})
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			return
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, d := range deps {
			if d.Line < 1 || d.Line > lines || d.Name == "" || d.Version == "" {
				t.Fatalf("dependency %+v out of range (%d lines)", d, lines)
			}
		}
	})
}
