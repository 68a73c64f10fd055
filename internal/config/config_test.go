package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

const sample = `fail-on: medium
ignore:
  - ecosystem: npm
    name: left-pad
    rule: typosquat
    reason: our own fork
  - name: Reqeusts
    ecosystem: PyPI
    reason: tracked in SEC-12
    expires: 2026-01-31
corpus:
  npm: [acme-billing, "@acme/auth"]
corpus-files:
  - pypi=internal.txt
`

func TestParse(t *testing.T) {
	c, err := Parse("p.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if c.FailOn != "medium" || len(c.Ignore) != 2 || len(c.Corpus[ecosystem.NPM]) != 2 || c.CorpusFiles[0] != "pypi=internal.txt" {
		t.Fatalf("decoded %+v", c)
	}
	if c.Ignore[0].Line != 3 || c.Ignore[1].Line != 7 {
		t.Errorf("ignore lines = %d, %d; want 3, 7", c.Ignore[0].Line, c.Ignore[1].Line)
	}
	if c.Ignore[1].Ecosystem != ecosystem.PyPI {
		t.Errorf("OSV spelling not accepted: %q", c.Ignore[1].Ecosystem)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
		line            int
	}{
		{"unknown key", "fail-on: high\nignores: []\n", "ignores", 2},
		{"no reason", "ignore:\n  - name: x\n", "without a reason", 2},
		{"no name", "ignore:\n  - reason: r\n", "without a name", 2},
		{"bad date", "ignore:\n  - name: x\n    reason: r\n    expires: tomorrow\n", "YYYY-MM-DD", 4},
		{"bad ecosystem", "ignore:\n  - name: x\n    reason: r\n    ecosystem: maven\n", "unsupported ecosystem", 4},
		{"bad fail-on", "fail-on: severe\n", "unknown severity", 0},
		{"not yaml", "ignore: [\n", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tt.doc))
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want *record.InputError", err)
			}
			if ie.File != "p.yaml" || !strings.Contains(ie.Msg, tt.want) || (tt.line > 0 && ie.Line != tt.line) {
				t.Errorf("error = %v (line %d), want file p.yaml, line %d, message containing %q", ie, ie.Line, tt.line, tt.want)
			}
		})
	}
}

func TestSuppressor(t *testing.T) {
	c, err := Parse("p.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	before := c.NewSuppressor(time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC))
	after := c.NewSuppressor(time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC))
	if r, ok := before.Match(ecosystem.PyPI, "reqeusts", "typosquat"); !ok || r != "tracked in SEC-12" {
		t.Errorf("live entry not applied: %q %v", r, ok)
	}
	if _, ok := after.Match(ecosystem.PyPI, "reqeusts", "typosquat"); ok {
		t.Error("expired entry applied")
	}
	if n := after.Expired("p.yaml"); len(n) != 1 || !strings.Contains(n[0], "p.yaml:7") || !strings.Contains(n[0], "expired") {
		t.Errorf("Expired = %q", n)
	}
	if n := before.Expired("p.yaml"); len(n) != 0 {
		t.Errorf("Expired before the date = %q", n)
	}
	if _, ok := before.Match(ecosystem.NPM, "left-pad", "mixed-script"); ok {
		t.Error("rule-specific entry applied to another rule")
	}
	if _, ok := before.Match(ecosystem.PyPI, "left-pad", "typosquat"); ok {
		t.Error("ecosystem-specific entry applied to another ecosystem")
	}
	if _, ok := before.Match(ecosystem.PyPI, "Reqeusts", "anything"); !ok {
		t.Error("entry without a rule must cover every rule, names compared canonically")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	c, err := Load("")
	if err != nil || c.File != "" || len(c.Ignore) != 0 {
		t.Fatalf("no default file: %+v, %v", c, err)
	}
	if _, err := Load("missing.yaml"); err == nil {
		t.Fatal("explicit missing file: no error")
	}
	os.WriteFile(filepath.Join(dir, DefaultFile), []byte(sample), 0o644)
	c, err = Load("")
	if err != nil || c.File != DefaultFile || len(c.Ignore) != 2 {
		t.Fatalf("default file: %+v, %v", c, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add("ignore: [{name: a, reason: b, expires: 2020-01-01}]")
	f.Add("ignores: []\ncorpus: {npm: &a [x], pypi: *a}\n")
	f.Add("ignore:\n  - {name: a, name: b}\n  - [x]\ncorpus: {cobol: []}\n<<: {fail-on: x}\n")
	f.Fuzz(func(t *testing.T, doc string) {
		c, err := Parse("f.yaml", []byte(doc))
		if err != nil && (strings.Contains(err.Error(), "config.") || strings.Contains(err.Error(), "[]string")) {
			t.Fatalf("error names a Go type: %v", err)
		}
		if err == nil {
			for _, s := range c.Ignore {
				if s.Name == "" || s.Reason == "" {
					t.Fatalf("accepted incomplete entry %+v", s)
				}
			}
		}
	})
}
