package list

import (
	"os"
	"strings"
	"testing"
)

// TestEveryParserIsDocumented keeps the registration table, the parsers'
// names and the scan documentation in step.
func TestEveryParserIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/commands/scan.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range All() {
		if seen[p.Name()] {
			t.Errorf("parser %s registered twice", p.Name())
		}
		seen[p.Name()] = true
		if !p.Ecosystem().Valid() {
			t.Errorf("parser %s: invalid ecosystem %q", p.Name(), p.Ecosystem())
		}
		if !strings.Contains(string(doc), "`"+p.Name()+"`") {
			t.Errorf("parser %s has no row in docs/commands/scan.md", p.Name())
		}
	}
}

func TestMatchesExpectedFiles(t *testing.T) {
	files := map[string]string{
		"package.json": "npm", "sub/package-lock.json": "npm", "yarn.lock": "npm", "pnpm-lock.yaml": "npm",
		"requirements.txt": "pypi", "requirements-dev.txt": "pypi", "pyproject.toml": "pypi", "poetry.lock": "pypi",
		"requirements/base.txt": "pypi", "svc/requirements/dev.txt": "pypi", "Requirements/Prod.TXT": "pypi",
		"requirements.in": "pypi", "requirements-dev.in": "pypi", "constraints.txt": "pypi", "test-requirements.txt": "pypi",
		"Pipfile.lock": "pypi", "uv.lock": "pypi",
		"App.csproj": "nuget", "packages.config": "nuget", "packages.lock.json": "nuget", "Directory.Packages.props": "nuget",
		"Gemfile": "rubygems", "Gemfile.lock": "rubygems", "go.mod": "go", "Cargo.toml": "crates", "Cargo.lock": "crates",
	}
	for f, eco := range files {
		var got string
		for _, p := range All() {
			if p.Matches(f) {
				got = string(p.Ecosystem())
				break
			}
		}
		if got != eco {
			t.Errorf("%s: matched by %q, want %q", f, got, eco)
		}
	}
	for _, f := range []string{"README.md", "main.go", "go.sum", "package.json.bak",
		"docs/base.txt", "requirements/sub/base.txt", "requirements/README.md", "notes.in", "constraints.in", "myrequirements"} {
		for _, p := range All() {
			if p.Matches(f) {
				t.Errorf("%s unexpectedly matched by %s", f, p.Name())
			}
		}
	}
}
