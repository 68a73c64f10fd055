package email

import (
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/content"
	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/record"
)

func realDeps() Deps {
	return Deps{
		Domains: domain.New(nil),
		HTMLLinks: func(html string) []Link {
			var out []Link
			for _, l := range content.ExtractHTML([]byte(html)).Links {
				out = append(out, Link{Text: l.Text, URL: l.Href})
			}
			return out
		},
		HTMLText: func(html string) string { return content.ExtractHTML([]byte(html)).Text },
	}
}

func rules(fs []record.Finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		out[f.Rule] = true
	}
	return out
}

func TestAnalyzeFixtures(t *testing.T) {
	tests := []struct {
		file    string
		verdict record.Verdict
		rules   []string // must fire
	}{
		{"seed-upgrade.eml", record.Block, []string{RulePhishing, RuleUnofficialLink, RuleUpgrade, RuleUrgency}},
		{"npm-2fa-phish.eml", record.Block, []string{RulePhishing, RuleSenderLookalike, RuleLookalikeLink, RuleDisplayName, RuleCredential}},
		{"npm-publish-genuine.eml", record.Allow, nil},
		{"pypi-2fa-code-genuine.eml", record.Allow, []string{RuleCredential}},
		{"github-advisory-genuine.eml", record.Allow, []string{RuleUpgrade}},
		// Genuine GitHub notification mail relaying an attacker's issue
		// or mention: the sender authenticates, the body is the lure.
		{"github-mention-lookalike.eml", record.Block, []string{RulePhishing, RuleLookalikeLink, RuleRelayedLure, RuleCredential}},
		{"github-mention-oauth.eml", record.Block, []string{RulePhishing, RuleOAuthConsent, RuleRelayedLure}},
		{"github-mention-offsite.eml", record.Block, []string{RuleRelayedLure, RuleCredential}},
		{"github-mention-genuine.eml", record.Allow, nil},
		{"github-comment-links-genuine.eml", record.Allow, nil},
	}
	for _, tt := range tests {
		fs := Analyze(parseFile(t, tt.file), realDeps())
		if v := analysis.VerdictOf(fs); v != tt.verdict {
			t.Errorf("%s: verdict %s, want %s: %+v", tt.file, v, tt.verdict, fs)
		}
		got := rules(fs)
		for _, r := range tt.rules {
			if !got[r] {
				t.Errorf("%s: rule %s did not fire: %+v", tt.file, r, fs)
			}
		}
	}
}

func TestAnalyzeSignals(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want string
		sev  record.Severity
	}{
		{"auth failure", "From: a@example.com\r\nAuthentication-Results: mx; spf=fail; dkim=fail\r\n\r\nhello\r\n", RuleAuthFailure, record.Medium},
		{"risky attachment", "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--X\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"invoice.pdf.exe\"\r\n\r\nMZ\r\n--X--\r\n", RuleRiskyAttachment, record.High},
		{"display name", "From: \"PyPI Security\" <alerts@mailer.example.net>\r\n\r\nhello\r\n", RuleDisplayName, record.High},
		{"display name discord", "From: \"Discord Security\" <alerts@discord-safety.example>\r\n\r\nhello\r\n", RuleDisplayName, record.High},
		{"display name foundation", "From: \"Rust Foundation\" <grants@rust-fdn.example>\r\n\r\nhello\r\n", RuleDisplayName, record.High},
		{"mismatch", "From: a@example.com\r\nContent-Type: text/html\r\n\r\n<a href=\"https://evil.example.net/x\">https://pypi.org/account</a>\r\n", RuleLinkMismatch, record.High},
		{"reply-to lookalike", "From: a@example.com\r\nReply-To: help@pypj.org\r\n\r\nhello\r\n", RuleSenderLookalike, record.Critical},
		{"command", "From: ops@cloud-alerts.example\r\n\r\nRun the following command now: npm install left-pad --registry https://packages-secure.example/\r\n", RulePhishing, record.High},
	}
	for _, tt := range tests {
		m, err := Parse(strings.NewReader(tt.msg))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var found *record.Finding
		for _, f := range Analyze(m, realDeps()) {
			if f.Rule == tt.want {
				found = &f
				break
			}
		}
		if found == nil || found.Severity != tt.sev || found.Message == "" {
			t.Errorf("%s: want %s at %s, got %+v", tt.name, tt.want, tt.sev, found)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	f.Add("From: \"npm\" <x@npmjs.help>\r\nContent-Type: text/html\r\n\r\n<a href=\"http://1.2.3.4/\">https://npmjs.com</a> update your 2fa\r\n")
	deps := realDeps()
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, fd := range Analyze(m, deps) {
			if fd.Rule == "" || fd.Message == "" {
				t.Fatalf("incomplete finding %+v", fd)
			}
		}
	})
}

// Genuine senders of the brands a display name may claim are allowed.
func TestDisplayNameGenuine(t *testing.T) {
	for _, from := range []string{
		"\"Discord\" <noreply@discord.com>", "\"Mike Slack\" <mike@example.com>", "\"Amazon Web Services\" <no-reply@aws.amazon.com>",
		"\"Rust Foundation\" <news@rustfoundation.org>", "\"CircleCI\" <builds@circleci.com>", "\"Ruby Central\" <info@rubycentral.org>",
	} {
		m, err := Parse(strings.NewReader("From: " + from + "\r\n\r\nhello\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := rules(Analyze(m, realDeps())); got[RuleDisplayName] {
			t.Errorf("%s: display-name finding", from)
		}
	}
}

func TestAnalyzeHonestNewsletter(t *testing.T) {
	msg := "From: Acme Dev News <news@acme.example>\r\nSubject: Release 2.0 is out - upgrade today\r\nContent-Type: text/html\r\n\r\n" +
		"<p>Version 2.0 is here. Run <code>npm install acme-widgets@2</code> or update your dependencies as soon as possible.</p>" +
		"<p><a href=\"https://blog.acme.example/new-package-release\">Read the release notes</a> or see it on " +
		"<a href=\"https://www.npmjs.com/package/acme-widgets\">npm</a>.</p>\r\n"
	m, err := Parse(strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	fs := Analyze(m, realDeps())
	if v := analysis.VerdictOf(fs); v != record.Allow {
		t.Errorf("honest newsletter: verdict %s: %+v", v, fs)
	}
}

func TestOAuthConsent(t *testing.T) {
	yes := map[string]string{
		"github.com":                "/login/oauth/authorize",
		"github.com/":               "/login/device/",
		"github.com ":               "/apps/evil-scanner/installations/new",
		"gitlab.com":                "/oauth/authorize",
		"bitbucket.org":             "/site/oauth2/authorize",
		"login.microsoftonline.com": "/common/oauth2/v2.0/authorize",
		"microsoft.com":             "/devicelogin",
		"accounts.google.com":       "/o/oauth2/v2/auth",
	}
	for h, p := range yes {
		if !oauthConsent(strings.TrimRight(h, "/ "), p) {
			t.Errorf("oauthConsent(%s, %s) = false", h, p)
		}
	}
	for h, p := range map[string]string{
		"github.com":           "/settings/connections/applications/123",
		"gitlab.com":           "/-/profile/applications",
		"docs.github.com":      "/en/apps/oauth-apps",
		"mail.google.com":      "/o/oauth2/auth",
		"example.com":          "/login/oauth/authorize",
		"github.com/example/x": "/login",
	} {
		if oauthConsent(h, p) {
			t.Errorf("oauthConsent(%s, %s) = true", h, p)
		}
	}
	// An app's access grant without any lure only warns.
	msg := "From: Acme Onboarding <hello@acme.example>\r\nContent-Type: text/html\r\n\r\n" +
		"<p>Welcome! Connect your repositories: <a href=\"https://github.com/login/oauth/authorize?client_id=abc&scope=read:user\">Connect GitHub</a></p>\r\n"
	m, err := Parse(strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	fs := Analyze(m, realDeps())
	if v := analysis.VerdictOf(fs); v != record.Warn || !rules(fs)[RuleOAuthConsent] {
		t.Errorf("onboarding mail: verdict %s: %+v", v, fs)
	}
}
