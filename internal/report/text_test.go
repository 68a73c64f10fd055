package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

func renderText(t *testing.T, opt Options, rep *Report) string {
	t.Helper()
	var out bytes.Buffer
	if err := (textRenderer{opt: opt}).Render(&out, rep); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestTextNoColourCodes(t *testing.T) {
	rep := loadReport(t, "testdata/report.json")
	if out := renderText(t, Options{}, rep); strings.Contains(out, "\x1b") {
		t.Errorf("escape codes without Color:\n%s", out)
	}
	if out := renderText(t, Options{Color: true}, rep); !strings.Contains(out, ansiRed+"BLOCK"+ansiReset) {
		t.Errorf("no red BLOCK with Color:\n%s", out)
	}
}

func TestTextHostileNames(t *testing.T) {
	rep := &Report{Results: []record.Result{{
		Ecosystem: "npm", Name: "evil\x1b[2J\x1b]0;pwn\x07\u202eslp.js\xff", Source: "argv", Verdict: record.Block,
		Findings: []record.Finding{{Rule: "typosquat", Severity: record.High, Message: "line1\nline2",
			Evidence: map[string]any{"target": "a\rb"}}},
	}}}
	out := renderText(t, Options{}, rep)
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\xff", "line1\nline2", "a\rb"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains raw %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `evil\x1b[2J\x1b]0;pwn\x07\u202eslp.js\xff`) || !strings.Contains(out, `target=a\rb`) {
		t.Errorf("hostile name not escaped visibly:\n%s", out)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"requests":         "requests",
		"Nеwtonsoft.Json":  "Nеwtonsoft.Json", // Cyrillic е is a letter: kept
		"日本語 😀":            "日本語 😀",
		"a\tb":             `a\tb`,
		"zero\u200bwidth":  `zero\u200bwidth`,
		"bom\ufeff":        `bom\ufeff`,
		"c1\u0085":         `c1\u0085`,
		"sep\u2028":        `sep\u2028`,
		"bad\xc3":          `bad\xc3`,
		"\x00\x7f":         `\x00\x7f`,
		"isolate\u2066x":   `isolate\u2066x`,
		"soft\u00adhyphen": `soft\u00adhyphen`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextSummary(t *testing.T) {
	out := renderText(t, Options{}, &Report{Results: []record.Result{
		{Ecosystem: "pypi", Name: "numpy", Verdict: record.Allow, Findings: []record.Finding{}},
	}})
	if out != "1 checked: 0 blocked, 0 warned, 1 allowed\n" {
		t.Errorf("quiet allow-only output = %q", out)
	}
	out = renderText(t, Options{}, &Report{Errors: []record.InputError{{File: "a", Msg: "x"}, {Msg: "y"}}})
	if !strings.HasSuffix(out, "0 checked: 0 blocked, 0 warned, 0 allowed, 2 errors\n") ||
		!strings.Contains(out, "error: a: x\nerror: y\n") {
		t.Errorf("errors output = %q", out)
	}
}

// TestLabelWithoutEcosystem: an e-mail or domain result, which has no
// ecosystem, is labelled by its name alone, without a gap where the
// ecosystem would be.
func TestLabelWithoutEcosystem(t *testing.T) {
	for _, c := range []struct {
		res        record.Result
		text, mark string
	}{
		{record.Result{Kind: record.KindDomain, Name: "npmjs.help", Source: "argv", Verdict: record.Block}, "BLOCK  npmjs.help  (argv)\n", "npmjs.help"},
		{record.Result{Kind: record.KindEmail, Name: "Update your 2FA", Source: "m.eml", Verdict: record.Warn}, "WARN   Update your 2FA  (m.eml)\n", "Update your 2FA"},
		{record.Result{Ecosystem: "npm", Name: "lodahs", Version: "1.0.0", Source: "argv", Verdict: record.Allow}, "ALLOW  npm lodahs@1.0.0  (argv)\n", "npm lodahs@1.0.0"},
	} {
		out := renderText(t, Options{Verbose: true}, &Report{Results: []record.Result{c.res}})
		if !strings.HasPrefix(out, c.text) {
			t.Errorf("text %q, want it to start with %q", out, c.text)
		}
		if got := packageLabel(&c.res); got != c.mark {
			t.Errorf("label %q, want %q", got, c.mark)
		}
	}
}
