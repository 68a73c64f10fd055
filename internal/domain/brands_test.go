package domain

import (
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// A protected brand as a whole token beside any other word, and TLD swaps
// of the foundations' domains.
func TestBrandTokens(t *testing.T) {
	tests := []struct {
		host, target, technique string
		sev                     record.Severity
	}{
		{"github-security-alerts.com", "github.com", TechBrandKeyword, record.High},
		{"secure-gitlab.net", "gitlab.com", TechBrandKeyword, record.High},
		{"azure-devops-login.io", "azure.com", TechBrandKeyword, record.High},
		{"discord-nitro-app.com", "discord.com", TechBrandKeyword, record.Medium},
		{"discord-qwzx-gifts.com", "discord.com", TechBrandKeyword, record.Medium}, // the extra word is anything
		{"aws-user-group.org", "amazonaws.com", TechBrandKeyword, record.Medium},   // weak lure words only warn
		{"azure-support-center.com", "azure.com", TechBrandKeyword, record.High},
		// The brand as a word in a subdomain, beside a lure word.
		{"github-login.example-cdn.net", "github.com", TechBrandSubdomain, record.Medium},
		{"azure-verify-account.somehost.net", "azure.com", TechBrandSubdomain, record.Medium},
		// An edit and a lure word at once.
		{"githhub-security.com", "github.com", TechBrandKeyword + "+" + TechRepetition, record.High},
		{"npnjs-support.com", "npmjs.com", TechBrandKeyword + "+" + TechSubstitution, record.High},
		{"gitlba-login.net", "gitlab.com", TechBrandKeyword + "+" + TechTransposition, record.High},
		{"aws-console-login.com", "amazonaws.com", TechBrandKeyword, record.High},
		{"travis-ci-login.com", "travis-ci.com", TechBrandKeyword, record.High},
		{"circleci-oauth.com", "circleci.com", TechBrandKeyword, record.High},
		{"gitlab-ci-token.net", "gitlab.com", TechBrandKeyword, record.High},
		{"docker-hub-verify.com", "docker.com", TechBrandKeyword, record.High},
		{"heroku-verify.com", "heroku.com", TechBrandKeyword, record.High},
		{"login-discord.vercel.app", "discord.com", TechBrandKeyword, record.High},
		{"github-login.s3.amazonaws.com", "github.com", TechBrandKeyword, record.High}, // a bucket is not AWS
		// Brands that are ordinary words: only beside account or
		// registry words.
		{"python-login.com", "python.org", TechBrandKeyword, record.Medium},
		{"node-security-registry.com", "nodejs.org", TechBrandKeyword, record.High},
		{"rust-crates-login.io", "crates.io", TechBrandKeyword, record.High},
		{"go-account-packages.com", "go.dev", TechBrandKeyword, record.High},
		{"slack-login.com", "slack.com", TechBrandKeyword, record.Medium},
		// Foundations re-registered under another suffix.
		{"rustfoundation.dev", "rustfoundation.org", TechTLDSwap, record.High},
		{"openjsf.help", "openjsf.org", TechTLDSwap, record.High},
		{"rubycentral.dev", "rubycentral.org", TechTLDSwap, record.High},
		{"dotnetfoundation.help", "dotnetfoundation.org", TechTLDSwap, record.High},
		{"python.dev", "python.org", TechTLDSwap, record.Medium}, // an ordinary word: only warns
		{"discord.gifts", "discord.com", TechTLDSwap, record.High},
	}
	for _, tt := range tests {
		m := engine.Judge(tt.host)
		if !m.Lookalike() || m.Target != tt.target || m.Technique != tt.technique || m.Severity != tt.sev {
			t.Errorf("Judge(%q) = %v %s %s %s (%s); want %s %s %s", tt.host, m.Lookalike(), m.Target, m.Technique, m.Severity, m.Detail, tt.target, tt.technique, tt.sev)
		}
	}
}

// Genuine domains of the protected brands and their subdomains are never
// reported, nor are honest sites whose names hold a brand that is an
// ordinary word or a platform's users' sites.
func TestBrandGenuine(t *testing.T) {
	official := []string{
		"github.io", "githubusercontent.com", "raw.githubusercontent.com", "gitlab.io", "gitlab.net",
		"assets.gitlab-static.net", "azureedge.net", "azure.com", "portal.azure.com", "dev.azure.com",
		"management.azure.com", "azurecr.io", "myregistry.azurecr.io", "windows.net", "login.microsoftonline.com",
		"aws.amazon.com", "console.aws.amazon.com", "amazonaws.com", "s3.amazonaws.com", "awsstatic.com",
		"cloudfront.net", "cloud.google.com", "storage.googleapis.com", "gstatic.com", "lh3.googleusercontent.com",
		"cloudflare.com", "dash.cloudflare.com", "heroku.com", "dashboard.heroku.com", "vercel.com",
		"netlify.com", "app.netlify.com", "hub.docker.com", "registry-1.docker.io", "circleci.com",
		"app.circleci.com", "travis-ci.com", "travis-ci.org", "ci.appveyor.com", "buildkite.com", "jenkins.io",
		"plugins.jenkins.io", "codecov.io", "discord.com", "discord.gg", "discord.gift", "cdn.discordapp.com",
		"media.discordapp.net", "slack.com", "hooks.slack.com", "a.slack-edge.com", "telegram.org", "t.me",
		"telegra.ph", "gitter.im", "matrix.org", "matrix.to", "app.element.io", "rust-lang.zulipchat.com",
		"rustfoundation.org", "foundation.rust-lang.org", "openjsf.org", "dotnetfoundation.org",
		"dotnet.microsoft.com", "rubycentral.org", "python.org", "www.python.org", "linuxfoundation.org",
		"cncf.io", "openssf.org", "apache.org", "spark.apache.org", "google.cn", "amazon.de",
	}
	for _, h := range official {
		if m := engine.Judge(h); m.Lookalike() || m.Err != nil {
			t.Errorf("Judge(%q) = %s %s (%s): want no finding", h, m.Technique, m.Target, m.Detail)
		}
	}
	honest := []string{
		// Users' sites under a platform's private suffix.
		"x.azureedge.net", "myapp.azurewebsites.net", "mystore.blob.core.windows.net", "mybucket.s3.amazonaws.com",
		"myproject.web.app", "myapp.herokuapp.com", "myapp.vercel.app", "whitesource.atlassian.net",
		"discord-py.readthedocs.io", "discord.js.org", "github-readme-stats.vercel.app",
		// Ordinary-word brands beside ordinary words.
		"python-poetry.org", "ruby-doc.org", "rust-analyzer.github.io", "golang-jwt.com", "nodejs-tutorial.com",
		"go-kit.io", "node-postgres.com", "rust-unofficial.github.io", "slackline.com", "matrix-react.example",
		// Concatenations with words that are no lure.
		"discordbotlist.com", "slackapi.github.io",
		// The brand as a word in a subdomain beside no lure word.
		"github-actions.runners.example.com", "npm-cache.ci.example.org",
	}
	for _, h := range honest {
		m := engine.Judge(h)
		if m.Lookalike() || m.Err != nil {
			t.Errorf("Judge(%q) = %s %s (%s): want no finding", h, m.Technique, m.Target, m.Detail)
		}
		if m.Official {
			t.Errorf("Judge(%q) is official: a user's site is not the platform's", h)
		}
	}
}

// Brands from the configuration: a name, its official domains and aliases.
func TestUserBrands(t *testing.T) {
	e := New(nil, Brand{Name: "Acme", Domains: []string{"acme-corp.com", "acmecdn.net", "bad host"}, Aliases: []string{"acme"}})
	for _, h := range []string{"acme-corp.com", "www.acme-corp.com", "static.acmecdn.net"} {
		if m := e.Judge(h); !m.Official || m.Brand != "Acme" {
			t.Errorf("Judge(%q) = %+v, want official Acme", h, m)
		}
	}
	for h, sev := range map[string]record.Severity{
		"acme-sso-login.com": record.High,
		"acme-portal.io":     record.High, // "portal" is a lure word
		"acme-widgets.io":    record.Medium,
		"acme-corp.help":     record.High,
	} {
		m := e.Judge(h)
		if !m.Lookalike() || m.Brand != "Acme" || m.Severity != sev {
			t.Errorf("Judge(%q) = %v %s %s (%s); want Acme %s", h, m.Lookalike(), m.Brand, m.Severity, m.Detail, sev)
		}
	}
	w := New(nil, Brand{Name: "Orbit", Domains: []string{"orbit.dev"}, Word: true})
	if m := w.Judge("orbit-tools.com"); m.Lookalike() {
		t.Errorf("an ordinary-word brand beside an ordinary word: %+v", m)
	}
	if m := w.Judge("orbit-login.com"); !m.Lookalike() {
		t.Errorf("an ordinary-word brand beside a login word: not reported")
	}
	if m := engine.Judge("acme-sso-login.com"); m.Lookalike() {
		t.Errorf("the embedded engine knows Acme: %+v", m)
	}
}
