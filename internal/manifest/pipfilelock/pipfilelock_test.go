package pipfilelock

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
		{"pipfile_lock", readTestdata(t, "Pipfile.lock"), []dep{
			{"certifi", "==2023.11.17", 19},
			// myproject is the editable project itself ("path").
			{"requests", "==2.31.0", 32},
			{"django-extensions", "", 40},
			{"pytest", "==7.4.3", 46},
		}},
		{"empty_sections", `{"_meta": {}, "default": {}, "develop": {}}`, nil},
		{"no_sections", `{"_meta": {"x": [[[1]]]}}`, nil},
		{"one_line", `{"develop": {"a": {"version": "==1"}}, "default": {"b": {}}}`, []dep{{"a", "==1", 1}, {"b", "", 1}}},
		{"crlf", "{\r\n\"default\": {\r\n\"a\": {\"version\": \"==1\"}\r\n}\r\n}\r\n", []dep{{"a", "==1", 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Parse(context.Background(), manifest.Input{Path: "app/Pipfile.lock", Data: []byte(tt.data)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var g []dep
			for _, d := range got {
				if d.File != "app/Pipfile.lock" || d.Ecosystem != ecosystem.PyPI {
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
		{"truncated", readTestdata(t, "truncated.lock"), 8, "unexpected end"},
		{"bad_entry", readTestdata(t, "bad-entry.lock"), 4, "want an object"},
		{"empty", "", 1, "unexpected end"},
		{"not_object", "[]", 1, "want an object"},
		{"section_not_object", "{\n\"default\": null\n}", 2, "want an object"},
		{"syntax", "{\n\"default\": {\n\"a\": {\"version\": \"==1\",}\n}\n}", 3, "invalid JSON"},
		{"version_not_string", "{\"default\": {\n\"a\": {\n\"version\": 1}}}", 3, "want a string"},
		{"bad_name", "{\"default\": {\n\n\"bad name\": {}}}", 3, "invalid package name"},
		{"trailing_data", "{}\n{}", 2, "after the top-level object"},
		{"too_deep", `{"_meta": ` + strings.Repeat("[", maxDepth+1), 1, "nested deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, err := New().Parse(context.Background(), manifest.Input{Path: "Pipfile.lock", Data: []byte(tt.data)})
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse = %v, %v; want *record.InputError", deps, err)
			}
			if deps != nil {
				t.Errorf("partial result %v with error", deps)
			}
			if ie.File != "Pipfile.lock" || ie.Line != tt.wantLine || !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("error %q at %s:%d, want %q at line %d", ie.Msg, ie.File, ie.Line, tt.wantMsg, tt.wantLine)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	p := New()
	for file, want := range map[string]bool{"Pipfile.lock": true, "x/Pipfile.lock": true, "Pipfile": false, "pipfile.lock.bak": false} {
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
		deps, err := New().Parse(context.Background(), manifest.Input{Path: "Pipfile.lock", Data: data})
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
