package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSuppressionsEmailDomain: email and domain results go through the
// same suppression path as package results: an entry matches an email by
// its subject and a domain by its argument, and an entry naming an
// unknown rule is a notice, as for check (issue 11 item 7).
func TestSuppressionsEmailDomain(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	writeFile(t, cfg, `ignore:
  - name: two-factor authentication update required
    rule: email-urgency
    reason: subject reviewed
  - name: npmjs.help
    rule: lookalike-domain
    reason: domain reviewed
  - name: npmjs.help
    rule: lookalike-domian
    reason: misspelt rule
`)
	phish := filepath.Join("..", "email", "testdata", "npm-2fa-phish.eml")
	for _, c := range []struct {
		name       string
		args       []string
		code       int
		suppressed string // rule suppressed on the first result
		reason     string
	}{
		{"email by subject", []string{"email", phish}, ExitFindings, "email-urgency", "subject reviewed"},
		{"domain by name", []string{"domain", "npmjs.help"}, ExitOK, "lookalike-domain", "domain reviewed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, _ := runCode(t, c.code, nil, append(c.args, "--config", cfg, "--format", "json")...)
			d := decodeDoc(t, out)
			if len(d.Results) != 1 {
				t.Fatalf("%d results, want 1", len(d.Results))
			}
			r := d.Results[0]
			if len(r.Suppressed) != 1 || r.Suppressed[0].Finding.Rule != c.suppressed || r.Suppressed[0].Reason != c.reason {
				t.Errorf("suppressed = %+v, want %s (%s)", r.Suppressed, c.suppressed, c.reason)
			}
			if r.finding(c.suppressed) != nil {
				t.Errorf("%s is both reported and suppressed", c.suppressed)
			}
			if len(d.Notices) != 1 || !strings.Contains(d.Notices[0], `unknown rule "lookalike-domian"`) || !strings.Contains(d.Notices[0], cfg+":8") {
				t.Errorf("notices = %q, want one naming %s:8 and the unknown rule", d.Notices, cfg)
			}
		})
	}
}
