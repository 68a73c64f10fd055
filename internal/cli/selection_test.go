package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/npmmeta"
)

// TestRuleSelection: --rules and --exclude-rules drop the findings of the
// unselected rules before the verdict, on every command.
func TestRuleSelection(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		want    []string
		notWant []string
	}{
		{"exclude_typosquat", []string{"check", "pypi", "reqeusts", "--exclude-rules", "typosquat"}, 0,
			[]string{"1 checked: 0 blocked, 0 warned, 1 allowed"}, []string{"typosquat"}},
		{"only_typosquat", []string{"check", "pypi", "reqeusts", "--rules", "typosquat"}, 1,
			[]string{"BLOCK  pypi reqeusts"}, nil},
		{"only_other", []string{"check", "pypi", "reqeusts", "--rules", "mixed-script,namespace-collision"}, 0,
			[]string{"0 blocked"}, []string{"typosquat"}},
		{"repeatable", []string{"check", "pypi", "reqeusts", "--rules", "mixed-script", "--rules", "typosquat"}, 1,
			[]string{"BLOCK"}, nil},
		{"sweep_stream", []string{"sweep", "--ecosystem", "pypi", "--exclude-rules", "typosquat"}, 0,
			[]string{`"verdict":"allow"`}, []string{"typosquat"}},
		{"sweep_json", []string{"sweep", "--ecosystem", "pypi", "--format", "json", "--exclude-rules", "typosquat"}, 0,
			[]string{`"verdict": "allow"`}, []string{`"rule": "typosquat"`}},
		{"domain", []string{"domain", "npmjs.corn", "--exclude-rules", "lookalike-domain"}, 0,
			[]string{"0 blocked, 0 warned"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, strings.NewReader("reqeusts\n"), tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tt.code, clip(out), errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, clip(out))
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, clip(out))
				}
			}
		})
	}
}

// TestRulesCommandSelection: pkgward rules lists the selected rules.
func TestRulesCommandSelection(t *testing.T) {
	out, _ := runCode(t, 0, nil, "rules", "--rules", "typosquat,mixed-script")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[1], "mixed-script") || !strings.HasPrefix(lines[2], "typosquat") {
		t.Errorf("rules --rules typosquat,mixed-script:\n%s", out)
	}
	all, _ := runCode(t, 0, nil, "rules")
	out, _ = runCode(t, 0, nil, "rules", "--exclude-rules", "typosquat")
	if strings.Count(out, "\n") != strings.Count(all, "\n")-1 || strings.Contains(out, "\ntyposquat ") {
		t.Errorf("rules --exclude-rules typosquat:\n%s", out)
	}
}

// TestRuleSelectionUnknown: an unknown rule id is a usage error with the
// nearest ids of the catalog.
func TestRuleSelectionUnknown(t *testing.T) {
	for _, args := range [][]string{
		{"check", "pypi", "numpy", "--rules", "typosqat"},
		{"check", "pypi", "numpy", "--exclude-rules", "typo-squat"},
		{"inspect", ".", "--rules", "typosqat"},
		{"sweep", "--ecosystem", "npm", "--rules", "typosquat,typosqat"},
	} {
		code, out, errs := run(t, nil, args...)
		if code != 2 || !strings.Contains(errs, `unknown rule "typo`) || !strings.Contains(errs, `did you mean "typosquat"`) {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want 2 with did-you-mean", args, code, errs, clip(out))
		}
	}
}

// TestRulesFileHint: --rules FILE on a command without code rules is an
// unknown rule that points at --rules-file.
func TestRulesFileHint(t *testing.T) {
	code, _, errs := run(t, nil, "check", "npm", "lodash", "--rules", "extra.yaml")
	if code != 2 || !strings.Contains(errs, `unknown rule "extra.yaml"`) || !strings.Contains(errs, "--rules-file") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// TestRulesFileAlias: inspect --rules-file FILE loads extra code rules;
// the old spelling --rules FILE still does, with a notice on standard
// error that --quiet silences; the file's rule ids can be selected.
func TestRulesFileAlias(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "pkg")
	writeFile(t, filepath.Join(pkg, "package.json"), `{"name":"acme-thing","version":"1.0.0"}`)
	writeFile(t, filepath.Join(pkg, "index.js"), "const t = 'ACME_INTERNAL_TOKEN';\n")
	rules := filepath.Join(dir, "acme.yaml")
	writeFile(t, rules, `version: 1
rules:
  - id: acme-token
    title: names our internal token
    severity: high
    patterns:
      - literals: ["ACME_INTERNAL_TOKEN"]
`)
	tests := []struct {
		name   string
		args   []string
		code   int
		notice bool
	}{
		{"rules_file", []string{"inspect", pkg, "--rules-file", rules}, 1, false},
		{"old_spelling", []string{"inspect", pkg, "--rules", rules}, 1, true},
		{"old_spelling_quiet", []string{"inspect", pkg, "--rules", rules, "--quiet"}, 1, false},
		{"select_file_rule", []string{"inspect", pkg, "--rules-file", rules, "--rules", "acme-token"}, 1, false},
		{"exclude_file_rule", []string{"inspect", pkg, "--rules-file", rules, "--exclude-rules", "acme-token"}, 0, false},
		{"diff_old_spelling", []string{"diff", pkg, pkg, "--rules", rules}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, nil, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tt.code, clip(out), errs)
			}
			if tt.code == 1 && !strings.Contains(out, "acme-token") {
				t.Errorf("the file's rule did not fire:\n%s", clip(out))
			}
			if got := strings.Contains(errs, "deprecated; use --rules-file"); got != tt.notice {
				t.Errorf("deprecation notice %v, want %v; stderr %q", got, tt.notice, errs)
			}
		})
	}
	if _, err := os.Stat(rules); err != nil {
		t.Fatal(err)
	}
}

// TestRuleSelectionSARIFCatalog: the SARIF catalog lists the rules that
// ran: with --rules only those, with --exclude-rules all others.
func TestRuleSelectionSARIFCatalog(t *testing.T) {
	ruleIDs := func(out string) []string {
		var doc struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct {
							ID string `json:"id"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range doc.Runs[0].Tool.Driver.Rules {
			ids = append(ids, r.ID)
		}
		return ids
	}
	out, _ := runCode(t, 0, nil, "check", "pypi", "reqeusts", "--rules", "mixed-script", "--format", "sarif")
	if ids := ruleIDs(out); len(ids) != 1 || ids[0] != "mixed-script" {
		t.Errorf("--rules mixed-script: SARIF rules %q", ids)
	}
	all, _ := runCode(t, 1, nil, "check", "pypi", "reqeusts", "--format", "sarif")
	out, _ = runCode(t, 0, nil, "check", "pypi", "reqeusts", "--exclude-rules", "typosquat", "--format", "sarif")
	a, e := ruleIDs(all), ruleIDs(out)
	if len(e) != len(a)-1 || slices.Contains(e, "typosquat") || !slices.Contains(a, "typosquat") {
		t.Errorf("--exclude-rules typosquat: %d rules of %d, %q", len(e), len(a), e)
	}
}

// TestRuleSelectionSkipsOnline: when the selection drops every npm-*
// rule, --online asks no registry (here an unreachable one, which would
// be an input error, exit 2).
func TestRuleSelectionSkipsOnline(t *testing.T) {
	const dead = "http://127.0.0.1:1/"
	code, _, errs := run(t, nil, "check", "npm", "lodash", "--online", "--registry", dead)
	if code != 2 {
		t.Fatalf("unreachable registry: exit %d, want 2 (%s)", code, errs)
	}
	var npmRules []string
	for _, r := range npmmeta.Rules() {
		npmRules = append(npmRules, r.ID)
	}
	for _, args := range [][]string{
		{"--rules", "typosquat"},
		{"--exclude-rules", strings.Join(npmRules, ",")},
	} {
		code, out, errs := run(t, nil, append([]string{"check", "npm", "lodash", "--online", "--registry", dead}, args...)...)
		if code != 0 {
			t.Errorf("%q: exit %d, want 0 (the registry is not needed)\n%s\n%s", args, code, clip(out), errs)
		}
	}
	// One npm-* rule left: the registry is asked.
	if code, _, _ := run(t, nil, "check", "npm", "lodash", "--online", "--registry", dead, "--rules", "npm-new-package"); code != 2 {
		t.Errorf("--rules npm-new-package: exit %d, want 2", code)
	}
}
