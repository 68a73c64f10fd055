package pyproject

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
	"github.com/pkgward/pkgward/internal/manifest/internal/parsertest"
	"github.com/pkgward/pkgward/internal/record"
)

type dep struct {
	Name, Version string
	Line          int
}

func parseFile(t testing.TB, name string) ([]manifest.Dependency, error) {
	t.Helper()
	return New().Parse(context.Background(), manifest.Input{Path: "app/pyproject.toml", Data: parsertest.ReadTestdata(t, name)})
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []dep
	}{
		{"pep621.toml", []dep{
			{"hatchling", ">=1.18", 2},
			{"hatch-vcs", "", 2},
			{"requests", ">=2.31,<3", 11},
			{"tomli", ">=1.1.0", 12},
			{"attrs", "", 13},
			{"click", ">=8.0", 14},
			{"pip", "", 15},
			// localpkg is a file: URL; acme_widgets[test] is the project itself.
			{"pytest", ">=7", 20},
			{"pytest-cov", "", 20},
			{"rich", "", 21},
			{"ruff", "==0.1.6", 27},
			{"mypy", ">=1.7", 30},
			{"ipython", "", 34},
		}},
		{"poetry.toml", []dep{
			{"requests", "^2.31.0", 9},
			{"Django", ">=4.2,<5", 10},
			{"black", "", 11},
			{"numpy", "<1.25", 14},
			{"numpy", "^1.26", 15},
			{"zope.interface", "*", 17},
			{"pendulum", "~3.0", 19},
			{"flake8", "^6.1", 24},
			{"pytest", "^7.4", 27},
			{"mkdocs", "*", 33},
			{"poetry-core", "", 36},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var g []dep
			for _, d := range got {
				if d.File != "app/pyproject.toml" || d.Ecosystem != ecosystem.PyPI {
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

func TestParseInline(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []dep
	}{
		{"empty", "", nil},
		{"no_dependencies", "[tool.black]\nline-length = 88\n", nil},
		{"dotted_keys", "project.name = \"x\"\nproject.dependencies = [\"a>1\"]\n", []dep{{"a", ">1", 2}}},
		{"inline_project", "project = { name = \"x\", dependencies = [\n  \"b\",\n] }\n", []dep{{"b", "", 2}}},
		{"crlf", "[project]\r\ndependencies = [\r\n  \"c==1\",\r\n]\r\n", []dep{{"c", "==1", 3}}},
		{"dynamic", "[project]\nname = \"x\"\ndynamic = [\"dependencies\"]\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Parse(context.Background(), manifest.Input{Path: "pyproject.toml", Data: []byte(tt.data)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var g []dep
			for _, d := range got {
				g = append(g, dep{d.Name, d.Version, d.Line})
			}
			if !reflect.DeepEqual(g, tt.want) {
				t.Errorf("Parse mismatch\n got: %+v\nwant: %+v", g, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	fromFile := func(name string) string {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tests := []struct {
		name     string
		data     string
		wantLine int
		wantMsg  string
	}{
		{"invalid_requirement", fromFile("malformed.toml"), 5, "invalid dependency"},
		{"invalid_toml", fromFile("invalid-toml.toml"), 6, "invalid TOML"},
		{"duplicate_key", "[project]\nname = \"a\"\n\nname = \"b\"\n", 4, "invalid TOML"},
		{"dependencies_not_array", "[project]\ndependencies = \"requests\"\n", 2, "want an array"},
		{"dependency_not_string", "[project]\ndependencies = [\n  \"a\",\n  1,\n]\n", 4, "want a PEP 508 string"},
		{"project_not_table", "project = 1\n", 1, "want a table"},
		{"optional_not_array", "[project.optional-dependencies]\ntest = \"pytest\"\n", 2, "want an array"},
		{"bad_group_table", "[dependency-groups]\ndev = [\n  {include = \"x\"},\n]\n", 3, "include-group"},
		{"poetry_bad_name", "[tool.poetry.dependencies]\n\"bad name\" = \"1\"\n", 2, "invalid Poetry dependency name"},
		{"poetry_bad_value", "[tool.poetry.dependencies]\npython = \"^3.9\"\nfoo = true\n", 3, "want a string or table"},
		{"poetry_bad_version", "[tool.poetry.group.dev.dependencies]\nfoo = { version = 1 }\n", 2, "version is a scalar"},
		{"poetry_group_not_table", "[tool.poetry]\ngroup = []\n", 2, "want a table"},
		{"build_requires_bad", "[build-system]\nrequires = [\"setuptools>=\"]\n", 2, "invalid dependency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, err := New().Parse(context.Background(), manifest.Input{Path: "pyproject.toml", Data: []byte(tt.data)})
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse = %v, %v; want *record.InputError", deps, err)
			}
			if deps != nil {
				t.Errorf("partial result %v with error", deps)
			}
			if ie.File != "pyproject.toml" || ie.Line != tt.wantLine || !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("error %q at %s:%d, want %q at line %d", ie.Msg, ie.File, ie.Line, tt.wantMsg, tt.wantLine)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	p := New()
	for file, want := range map[string]bool{
		"pyproject.toml": true, "a/b/pyproject.toml": true, "pyproject.toml.bak": false, "Cargo.toml": false,
	} {
		if got := p.Matches(file); got != want {
			t.Errorf("Matches(%q) = %v, want %v", file, got, want)
		}
	}
	if p.Name() != Name || p.Ecosystem() != ecosystem.PyPI {
		t.Error("bad Name or Ecosystem")
	}
}

func FuzzParse(f *testing.F) {
	parsertest.Seed(f, "*.toml")
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, err := New().Parse(context.Background(), manifest.Input{Path: "pyproject.toml", Data: data})
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
