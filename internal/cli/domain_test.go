package cli

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// runDomain runs `pkgward domain ARGS...` with the global flags the domain
// command uses (the command is registered in cli.go by Run; this harness
// does not depend on it).
func runDomain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	g := &globals{io: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, now: time.Now()}
	root := &cobra.Command{
		Use: "pkgward", SilenceUsage: true, SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error { return g.setup(cmd, args) },
	}
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(append([]string{"domain"}, args...))
	pf := root.PersistentFlags()
	pf.StringVar(&g.format, "format", "", "")
	pf.StringVar(&g.failOn, "fail-on", "", "")
	pf.StringVar(&g.config, "config", "", "")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "")
	root.AddCommand(g.domainCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(&errb, "pkgward:", err)
		return ExitError, out.String(), errb.String()
	}
	return g.exitCode, out.String(), errb.String()
}

func TestDomainJSON(t *testing.T) {
	code, out, errs := runDomain(t, "npmjs.help", "https://docs.npmjs.com/cli", "secure-package-repo.com", "security@pypi-mirror.org", "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitFindings, out, errs)
	}
	d := decodeDoc(t, out)
	if got := names(d.Results); strings.Join(got, " ") != "npmjs.help https://docs.npmjs.com/cli secure-package-repo.com security@pypi-mirror.org" {
		t.Fatalf("results = %q", got)
	}
	want := []struct{ verdict, technique, target string }{
		{"block", "tld-swap", "npmjs.com"},
		{"allow", "", ""},
		{"warn", "registry-lure", "any package registry"},
		{"block", "brand-keyword", "pypi.org"},
	}
	for i, w := range want {
		r := d.Results[i]
		if r.Verdict != w.verdict || r.Source != "argv" || r.Ecosystem != "" {
			t.Errorf("%s: verdict %s source %s ecosystem %q; want %s argv \"\"", r.Name, r.Verdict, r.Source, r.Ecosystem, w.verdict)
		}
		f := r.finding("lookalike-domain")
		switch {
		case w.technique == "" && f != nil:
			t.Errorf("%s: unexpected finding %+v", r.Name, f)
		case w.technique != "" && (f == nil || f.Evidence["technique"] != w.technique || f.Evidence["target"] != w.target):
			t.Errorf("%s: finding %+v, want %s of %s", r.Name, f, w.technique, w.target)
		}
	}
}

func TestDomainTextAndExit(t *testing.T) {
	code, out, _ := runDomain(t, "pypi.org", "github.com")
	if code != ExitOK {
		t.Errorf("official domains: exit %d\n%s", code, out)
	}
	code, out, _ = runDomain(t, "npmjs.com.account-verify.io")
	if code != ExitFindings || !strings.Contains(out, "BLOCK") || !strings.Contains(out, "lookalike-domain") || !strings.Contains(out, "npmjs.com") {
		t.Errorf("exit %d\n%s", code, out)
	}
	// A medium finding fails only with --fail-on medium.
	if code, out, _ = runDomain(t, "secure-package-repo.com"); code != ExitOK {
		t.Errorf("medium with --fail-on high: exit %d\n%s", code, out)
	}
	if code, out, _ = runDomain(t, "secure-package-repo.com", "--fail-on", "medium"); code != ExitFindings {
		t.Errorf("medium with --fail-on medium: exit %d\n%s", code, out)
	}
}

func TestDomainInvalidInput(t *testing.T) {
	code, out, errs := runDomain(t, "npmjs.help", "", "has space.com", strings.Repeat("a", 250)+".com", "--format", "json")
	if code != ExitError {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitError, out, errs)
	}
	d := decodeDoc(t, out)
	if len(d.Results) != 1 || d.Results[0].Name != "npmjs.help" {
		t.Errorf("results = %q, want the valid argument only", names(d.Results))
	}
	if len(d.Errors) != 3 {
		t.Fatalf("errors = %+v, want 3", d.Errors)
	}
	for i, e := range d.Errors {
		if e.File != "argv" || e.Line != i+2 {
			t.Errorf("error %d = %+v, want argv:%d", i, e, i+2)
		}
	}
	if code, _, _ := runDomain(t); code != ExitError {
		t.Errorf("no argument: exit %d, want %d", code, ExitError)
	}
}

func TestDomainConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "p.yaml")
	writeFile(t, cfg, `domains: [acme-corp.com]
ignore:
  - name: npmjs.help
    rule: lookalike-domain
    reason: our phishing-training site
`)
	code, out, errs := runDomain(t, "--config", cfg, "--format", "json", "acme-corp.help", "login.acme-corp.com", "npmjs.help")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	d := decodeDoc(t, out)
	if f := d.Results[0].finding("lookalike-domain"); f == nil || f.Evidence["target"] != "acme-corp.com" {
		t.Errorf("acme-corp.help: %+v", d.Results[0])
	}
	if d.Results[1].Verdict != "allow" {
		t.Errorf("your own subdomain: %+v", d.Results[1])
	}
	if r := d.Results[2]; r.Verdict != "allow" || len(r.Suppressed) != 1 || r.Suppressed[0].Reason != "our phishing-training site" {
		t.Errorf("suppression not applied: %+v", r)
	}
	for _, bad := range []struct{ doc, want string }{
		{"domains: [\"a!b.com\"]\n", "p.yaml:1: domains: \"a!b.com\": "},
		{"fail-on: high\ndomains:\n  - acme.com\n  - acme..com\n", "p.yaml:4: domains: \"acme..com\": empty label"},
		{"brands:\n  - name: Acme\n    domains: [acme..com]\n", "p.yaml:3: brands: Acme: \"acme..com\": empty label"},
	} {
		writeFile(t, cfg, bad.doc)
		for _, cmd := range [][]string{{"domain", "pypi.org"}, {"check", "npm", "lodash"}} {
			code, _, errs := run(t, nil, append(cmd, "--config", cfg)...)
			if code != ExitError || !strings.Contains(errs, bad.want) || strings.Count(errs, "p.yaml") != 1 {
				t.Errorf("%s with %q: exit %d, %s; want 2 and %q", cmd[0], bad.doc, code, errs, bad.want)
			}
		}
	}
}

func TestDomainConfigBrands(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "p.yaml")
	writeFile(t, cfg, "brands:\n  - name: Acme\n    domains: [acme-corp.com, acmecdn.net]\n    aliases: [acme]\n")
	code, out, errs := runDomain(t, "--config", cfg, "--format", "json", "acme-sso-login.com", "static.acmecdn.net")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	d := decodeDoc(t, out)
	if f := d.Results[0].finding("lookalike-domain"); f == nil || f.Evidence["brand"] != "Acme" || f.Evidence["target"] != "acme-corp.com" {
		t.Errorf("acme-sso-login.com: %+v", d.Results[0])
	}
	if d.Results[1].Verdict != "allow" {
		t.Errorf("the brand's own domain: %+v", d.Results[1])
	}
	writeFile(t, cfg, "brands:\n  - name: Acme\n")
	if code, _, errs := runDomain(t, "--config", cfg, "pypi.org"); code != ExitError || !strings.Contains(errs, "p.yaml") {
		t.Errorf("a brand without domains: exit %d, %s", code, errs)
	}
}
