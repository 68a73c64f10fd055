package uvlock

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
		{"uv_lock", readTestdata(t, "uv.lock"), []dep{
			// acme (editable "."), acme-core (workspace member), vendored
			// (local wheel) and scripts (virtual) are local.
			{"anyio", "4.4.0", 31},
			{"httpx", "0.27.0", 44},
			{"idna", "3.7", 49},
			{"sniffio", "1.3.1", 54},
		}},
		{"no_packages", "version = 1\nrequires-python = \">=3.12\"\n", nil},
		{"empty", "", nil},
		{"no_version", "[[package]]\nname = \"dyn\"\nsource = { git = \"https://example.com/dyn.git\" }\n", []dep{{"dyn", "", 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Parse(context.Background(), manifest.Input{Path: "app/uv.lock", Data: []byte(tt.data)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var g []dep
			for _, d := range got {
				if d.File != "app/uv.lock" || d.Ecosystem != ecosystem.PyPI {
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
	const src = "source = { registry = \"https://pypi.org/simple\" }\n"
	tests := []struct {
		name     string
		data     string
		wantLine int
		wantMsg  string
	}{
		{"bad_toml", readTestdata(t, "bad-toml.lock"), 6, "invalid TOML"},
		{"package_not_array", "package = \"x\"\n", 1, "want an array"},
		{"package_not_tables", "package = [1]\n", 1, "want a table"},
		{"no_name", "[[package]]\nversion = \"1\"\n" + src, 1, "no name"},
		{"bad_name", "[[package]]\nname = \"bad name\"\nversion = \"1\"\n" + src, 2, "invalid package name"},
		{"version_not_string", "[[package]]\nname = \"a\"\nversion = 1.0\n" + src, 3, "want a non-empty string"},
		{"no_source", "[[package]]\nname = \"a\"\nversion = \"1\"\n", 2, "no source"},
		{"source_not_table", "[[package]]\nname = \"a\"\nversion = \"1\"\nsource = \"x\"\n", 4, "want a table"},
		{"duplicate_table", "[[package]]\nname = \"a\"\n" + src + "[package.metadata]\n[package.metadata]\n", 5, "invalid TOML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, err := New().Parse(context.Background(), manifest.Input{Path: "uv.lock", Data: []byte(tt.data)})
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse = %v, %v; want *record.InputError", deps, err)
			}
			if deps != nil {
				t.Errorf("partial result %v with error", deps)
			}
			if ie.File != "uv.lock" || ie.Line != tt.wantLine || !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("error %q at %s:%d, want %q at line %d", ie.Msg, ie.File, ie.Line, tt.wantMsg, tt.wantLine)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	p := New()
	for file, want := range map[string]bool{"uv.lock": true, "x/uv.lock": true, "uv.lock.orig": false, "poetry.lock": false} {
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
		deps, err := New().Parse(context.Background(), manifest.Input{Path: "uv.lock", Data: data})
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			return
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, d := range deps {
			if d.Line < 1 || d.Line > lines || d.Name == "" {
				t.Fatalf("dependency %+v out of range (%d lines)", d, lines)
			}
		}
	})
}
