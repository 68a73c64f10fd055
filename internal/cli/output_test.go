package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputFile: --output writes the report of any command and format to
// the file and nothing to standard output; "-" is standard output.
func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string // in the file
	}{
		{"check_text", []string{"check", "pypi", "reqeusts"}, 1, "BLOCK  pypi reqeusts"},
		{"check_json", []string{"check", "pypi", "reqeusts", "--format", "json"}, 1, `"schema": "pkgward/report/v1"`},
		{"check_sarif", []string{"--format", "sarif", "check", "npm", "lodash"}, 0, `"version": "2.1.0"`},
		{"check_markdown", []string{"check", "pypi", "reqeusts", "--format", "markdown"}, 1, "| high |"},
		{"check_html", []string{"check", "pypi", "reqeusts", "--format", "html"}, 1, "<!DOCTYPE html>"},
		{"sweep_jsonl", []string{"sweep", "--ecosystem", "pypi"}, 1, `"verdict":"block"`},
		{"rules", []string{"rules"}, 0, "typosquat"},
		{"corpus", []string{"corpus", "list"}, 0, "ECOSYSTEM"},
		{"completion", []string{"completion", "bash"}, 0, "bash completion"},
		{"input_error_keeps_report", []string{"check", "pypi", "reqeusts", "bad name"}, 2, "error: argv:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".out")
			code, out, errs := run(t, strings.NewReader("reqeusts\n"), append(tt.args, "--output", path)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errs)
			}
			if out != "" {
				t.Errorf("stdout not empty with --output:\n%s", clip(out))
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tt.want) {
				t.Errorf("%s lacks %q:\n%s", path, tt.want, clip(string(b)))
			}
			st, _ := os.Stat(path)
			if st.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", st.Mode().Perm())
			}
		})
	}
	// Nothing is left behind: no temporary files.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestOutputServe: serve writes no report, so --output is a usage error
// that creates no file (it left an empty one).
func TestOutputServe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.txt")
	// A cancelled context: were --output accepted, serve would stop at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb strings.Builder
	code := Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "s.db"), "--output", path}, IO{In: strings.NewReader(""), Out: &out, Err: &errb})
	errs := errb.String()
	if code != ExitError || !strings.Contains(errs, "--output: serve writes no report") {
		t.Errorf("stderr %q", errs)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s exists: %v", path, err)
	}
}

// TestOutputDash: --output - is standard output.
func TestOutputDash(t *testing.T) {
	out, _ := runCode(t, 1, nil, "check", "pypi", "reqeusts", "-o", "-")
	if !strings.Contains(out, "BLOCK  pypi reqeusts") {
		t.Errorf("--output - did not write to stdout:\n%s", out)
	}
}

// TestOutputAtomic: a command that fails leaves no file, and an existing
// file is kept unchanged; an unwritable destination is an error.
func TestOutputAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old report\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A missing --input file fails the command before any report.
	code, _, errs := run(t, nil, "sweep", "--ecosystem", "npm", "--input", filepath.Join(dir, "missing.txt"), "--output", path)
	if code != 2 {
		t.Fatalf("exit %d, want 2 (%s)", code, errs)
	}
	if b, _ := os.ReadFile(path); string(b) != "old report\n" {
		t.Errorf("failed run changed the existing file: %q", b)
	}
	fresh := filepath.Join(dir, "new.json")
	if code, _, _ := run(t, nil, "sweep", "--ecosystem", "npm", "--input", filepath.Join(dir, "missing.txt"), "--output", fresh); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("failed run created %s (%v)", fresh, err)
	}
	// A successful run replaces the file and keeps its mode.
	runCode(t, 1, nil, "check", "pypi", "reqeusts", "--output", path, "--format", "json")
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "{") {
		t.Errorf("report not replaced: %q", clip(string(b)))
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the replaced file's 0600", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only report.json: %v", len(entries), entries)
	}
	// Unwritable destinations.
	for _, bad := range []string{filepath.Join(dir, "no", "such", "dir", "r.txt"), dir} {
		code, _, errs := run(t, nil, "check", "pypi", "numpy", "--output", bad)
		if code != 2 || !strings.Contains(errs, bad) {
			t.Errorf("--output %s: exit %d, stderr %q; want 2 naming the path", bad, code, errs)
		}
	}
}

// TestCorpusListWidth: corpus list fits 100 columns, with and without
// --verbose (which adds the sources, wrapped), and the verbose form keeps
// every word of each source.
func TestCorpusListWidth(t *testing.T) {
	for _, args := range [][]string{{"corpus", "list"}, {"corpus", "list", "-v"}} {
		out, _ := runCode(t, 0, nil, args...)
		for _, line := range strings.Split(out, "\n") {
			if n := len([]rune(line)); n > 100 {
				t.Errorf("%q: line of %d columns: %s", args, n, line)
			}
		}
	}
	verbose, _ := runCode(t, 0, nil, "corpus", "list", "-v")
	js, _ := runCode(t, 0, nil, "corpus", "list", "--format", "json")
	var rows []struct {
		Source string `json:"source"`
	}
	if err := json.Unmarshal([]byte(js), &rows); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(verbose), " ")
	for _, r := range rows {
		if !strings.Contains(flat, strings.Join(strings.Fields(r.Source), " ")) {
			t.Errorf("corpus list -v lacks the source %q", clip(r.Source))
		}
	}
	md, _ := runCode(t, 0, nil, "corpus", "list", "--format", "markdown")
	if !strings.HasPrefix(md, "| ecosystem |") || strings.Count(md, "\n") != 2+len(rows) {
		t.Errorf("corpus list --format markdown:\n%s", md)
	}
	runCode(t, 2, nil, "corpus", "list", "--format", "html")
	runCode(t, 2, nil, "rules", "--format", "html")
}

// TestTextNoRepeats: the text output does not repeat a finding's message
// as detail= nor dump the rule description into the evidence line; json
// keeps both.
func TestTextNoRepeats(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "package.json"), `{"name":"expresss","version":"1.0.0","scripts":{"postinstall":"node index.js"}}`)
	writeFile(t, filepath.Join(dir, "index.js"), "module.exports = 1;\n")
	out, _ := runCode(t, 1, nil, "check", "pypi", "reqeusts")
	if strings.Contains(out, "detail=") || !strings.Contains(out, "target=requests") {
		t.Errorf("check text:\n%s", out)
	}
	out, _ = runCode(t, 1, nil, "inspect", dir)
	if strings.Contains(out, "description=") || !strings.Contains(out, "install-script") {
		t.Errorf("inspect text:\n%s", out)
	}
	js, _ := runCode(t, 1, nil, "inspect", dir, "--format", "json")
	if !strings.Contains(js, `"description":`) || !strings.Contains(js, `"detail":`) {
		t.Errorf("inspect json lost description or detail:\n%s", clip(js))
	}
}
