package regcheck

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest/registryconf"
	"github.com/pkgward/pkgward/internal/record"
)

// fakeDomains judges a few hosts the way the domain engine does: official
// apex domains and their subdomains, one lookalike, everything else judged
// and neither.
type fakeDomains struct{ calls []string }

var official = []string{"npmjs.org", "pypi.org", "nuget.org", "rubygems.org", "golang.org", "crates.io", "github.com"}

func (f *fakeDomains) Judge(s string) domain.Match {
	f.calls = append(f.calls, s)
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" {
		return domain.Match{Input: s}
	}
	h := u.Hostname()
	m := domain.Match{Input: s, Host: h}
	for _, o := range official {
		if h == o || strings.HasSuffix(h, "."+o) {
			m.Official, m.Target = true, o
			return m
		}
	}
	if h == "npmjs-registry.org" {
		m.Target, m.Brand, m.Technique, m.Confidence = "npmjs.org", "npm", "brand-keyword", 0.85
		m.Detail = `"npmjs" with the word "registry" added`
	}
	return m
}

// stubDomains is an engine that judges nothing (Host empty).
type stubDomains struct{}

func (stubDomains) Judge(s string) domain.Match { return domain.Match{Input: s} }

func set(eco ecosystem.Ecosystem, kind registryconf.Kind, key, u, value string) registryconf.Setting {
	s := registryconf.Setting{Ecosystem: eco, File: "f", Line: 1, Kind: kind, Key: key, Value: value}
	s.URL, s.Secret = registryconf.RedactURL(u)
	return s
}

func rulesOf(fs []record.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+":"+f.Severity.String())
	}
	return out
}

func TestAnalyze(t *testing.T) {
	const (
		reg   = registryconf.Registry
		scope = registryconf.ScopeRegistry
		extra = registryconf.ExtraIndex
		proxy = registryconf.Proxy
		sum   = registryconf.Checksum
		cred  = registryconf.Credential
	)
	tests := []struct {
		s    registryconf.Setting
		want []string
	}{
		// Registries.
		{set(ecosystem.NPM, reg, "registry", "https://npmjs.org/", ""), nil},
		{set(ecosystem.NPM, reg, "registry", "https://mirror.npmjs.org/", ""), nil}, // a subdomain of the apex
		{set(ecosystem.NPM, reg, "registry", "https://npmjs-registry.org/", ""), []string{"registry-lookalike:high"}},
		{set(ecosystem.NPM, scope, "@x:registry", "http://npmjs-registry.org/", ""), []string{"registry-http:high", "registry-lookalike:high"}},
		{set(ecosystem.NPM, reg, "registry", "http://npm-mirror.example.com/", ""), []string{"registry-http:high", "registry-unofficial:info"}},
		{set(ecosystem.NPM, reg, "registry", "http://localhost:4873/", ""), nil},
		{set(ecosystem.NPM, reg, "registry", "http://127.0.0.1:4873/", ""), nil},
		{set(ecosystem.NPM, reg, "registry", "http://[::1]:4873/", ""), nil},
		{set(ecosystem.NPM, reg, "registry", "${NPM_REGISTRY}", ""), nil},
		{set(ecosystem.Crates, reg, "source.m.registry", "sparse+http://crates-mirror.example.com/index/", ""), []string{"registry-http:high", "registry-unofficial:info"}},
		{set(ecosystem.Crates, scope, "registries.a.index", "git://git.example.com/index.git", ""), []string{"registry-http:high", "registry-unofficial:info"}},
		{set(ecosystem.Go, proxy, "GOPROXY", "https://golang.org/mod", ""), nil},
		{set(ecosystem.Go, proxy, "GOPROXY", "https://goproxy.example.com", ""), []string{"registry-unofficial:info"}},
		// Extra indexes.
		{set(ecosystem.PyPI, extra, "--extra-index-url", "https://pypi.internal.example.com/simple", ""), []string{"registry-extra-index:medium", "registry-unofficial:info"}},
		{set(ecosystem.PyPI, extra, "--extra-index-url", "https://pypi.org/simple", ""), []string{"registry-extra-index:medium"}},
		{set(ecosystem.PyPI, extra, "--extra-index-url", "${EXTRA_INDEX}", ""), []string{"registry-extra-index:medium"}},
		// Credentials.
		{set(ecosystem.PyPI, reg, "index-url", "https://u:s3cret@pypi.org/simple", ""), []string{"registry-credential-in-url:high"}},
		{set(ecosystem.PyPI, reg, "index-url", "https://u:${PW}@pypi.org/simple", ""), nil},
		{set(ecosystem.NuGet, reg, "packageSources.a", "https://feed.example.com/v3/index.json?token=abc", ""), []string{"registry-credential-in-url:high", "registry-unofficial:info"}},
		{registryconf.Setting{Ecosystem: ecosystem.NPM, Kind: cred, Key: "//h/:_authToken", Secret: registryconf.SecretLiteral}, []string{"registry-credential-in-config:high"}},
		{registryconf.Setting{Ecosystem: ecosystem.NPM, Kind: cred, Key: "//h/:_authToken", Value: "${T}"}, nil},
		{registryconf.Setting{Ecosystem: ecosystem.NuGet, Kind: cred, Key: "Password", Secret: registryconf.SecretEncrypted}, nil},
		// Checksums.
		{set(ecosystem.Go, sum, "GOSUMDB", "", "off"), []string{"checksum-disabled:high"}},
		{set(ecosystem.Go, sum, "GOSUMDB", "", "sum.example.com+key"), nil},
		{set(ecosystem.Go, sum, "GONOSUMDB", "", "*"), []string{"checksum-disabled:high"}},
		{set(ecosystem.Go, sum, "GONOSUMDB", "", "github.com"), []string{"checksum-disabled:high"}},
		{set(ecosystem.Go, sum, "GOPRIVATE", "", "github.com/*"), []string{"checksum-disabled:high"}},
		{set(ecosystem.Go, sum, "GOPRIVATE", "", "*.com"), []string{"checksum-disabled:high"}},
		{set(ecosystem.Go, sum, "GOPRIVATE", "", "github.com/acme/*"), nil},
		{set(ecosystem.Go, sum, "GOPRIVATE", "", "git.acme.example.com"), nil},
		{set(ecosystem.Go, sum, "GOPRIVATE", "", "*.corp.example.com"), nil},
		{set(ecosystem.Go, sum, "GOINSECURE", "", "git.acme.example.com"), []string{"checksum-disabled:medium"}},
		{set(ecosystem.Go, sum, "GOINSECURE", "", "gopkg.in"), []string{"checksum-disabled:high"}},
		{set(ecosystem.Go, sum, "GONOSUMCHECK", "", "1"), []string{"checksum-disabled:low"}},
		{set(ecosystem.Go, sum, "GOFLAGS", "", "-insecure"), []string{"checksum-disabled:high"}},
		{set(ecosystem.NPM, sum, "strict-ssl", "", "false"), []string{"checksum-disabled:high"}},
		{set(ecosystem.NPM, sum, "strict-ssl", "", "true"), nil},
		{set(ecosystem.NPM, sum, "NPM_CONFIG_STRICT_SSL", "", "false"), []string{"checksum-disabled:high"}},
		{set(ecosystem.NPM, sum, "enableStrictSsl", "", "false"), []string{"checksum-disabled:high"}},
		{set(ecosystem.NPM, sum, "checksumBehavior", "", "ignore"), []string{"checksum-disabled:high"}},
		{set(ecosystem.NPM, sum, "checksumBehavior", "", "throw"), nil},
		{set(ecosystem.NPM, sum, "unsafeHttpWhitelist", "", "*.corp.example.com"), []string{"checksum-disabled:medium"}},
		{set(ecosystem.NPM, sum, "unsafeHttpWhitelist", "", "localhost"), nil},
		{set(ecosystem.PyPI, sum, "global.trusted-host", "", "pypi.internal.example.com"), []string{"checksum-disabled:high"}},
		{set(ecosystem.PyPI, sum, "--trusted-host", "", "pypi.internal.example.com:8443"), []string{"checksum-disabled:high"}},
		{set(ecosystem.PyPI, sum, "--trusted-host", "", "localhost:8080"), nil},
		{set(ecosystem.PyPI, sum, "PIP_TRUSTED_HOST", "", "127.0.0.1"), nil},
		{set(ecosystem.PyPI, sum, "tool.uv.allow-insecure-host", "", "https://pypi.internal.example.com"), []string{"checksum-disabled:high"}},
		{set(ecosystem.PyPI, sum, "source.pypi.verify_ssl", "", "false"), []string{"checksum-disabled:high"}},
		{set(ecosystem.PyPI, sum, "source.pypi.verify_ssl", "", "true"), nil},
		{set(ecosystem.RubyGems, sum, ":ssl_verify_mode", "", "0"), []string{"checksum-disabled:high"}},
		{set(ecosystem.RubyGems, sum, ":ssl_verify_mode", "", "1"), nil},
	}
	c := New(&fakeDomains{})
	for _, tt := range tests {
		got := rulesOf(c.Analyze(tt.s))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s %s %s %s: %q, want %q", tt.s.Ecosystem, tt.s.Key, tt.s.URL, tt.s.Value, got, tt.want)
		}
	}
}

// TestWithoutJudgement: with no engine, or one that judges nothing, the
// domain rules stay silent and the others still work.
func TestWithoutJudgement(t *testing.T) {
	s := set(ecosystem.NPM, registryconf.Registry, "registry", "http://npmjs-registry.org/", "")
	for _, c := range []*Checker{New(nil), New(stubDomains{})} {
		if got := rulesOf(c.Analyze(s)); !slices.Equal(got, []string{"registry-http:high"}) {
			t.Errorf("%q, want only registry-http", got)
		}
	}
}

// TestNoSecretInOutput: whatever a setting holds, the message, evidence
// and name of every finding show credentials as ***, and the domain engine
// never sees them.
func TestNoSecretInOutput(t *testing.T) {
	const secret = "hunter2SECRET"
	settings := []registryconf.Setting{
		set(ecosystem.PyPI, registryconf.ExtraIndex, "--extra-index-url", "http://user:"+secret+"@npmjs-registry.org/simple?token="+secret, ""),
		set(ecosystem.NPM, registryconf.Registry, "registry", "https://"+secret+"@npm.example.com/", ""),
		// A caller that forgot to redact: still nothing leaks.
		{Ecosystem: ecosystem.PyPI, Kind: registryconf.Registry, Key: "index-url", URL: "http://u:" + secret + "@pypi.example.com/?sig=" + secret},
		{Ecosystem: ecosystem.Go, Kind: registryconf.Checksum, Key: "GOSUMDB", Value: "https://u:" + secret + "@sum.example.com"},
	}
	fd := &fakeDomains{}
	c := New(fd)
	flagged := c.Check(settings)
	if len(flagged) != len(settings)-1 { // the GOSUMDB URL is no finding
		t.Fatalf("%d flagged, want %d", len(flagged), len(settings)-1)
	}
	for _, fl := range flagged {
		name := Name(fl.Setting)
		out := name
		for _, f := range fl.Findings {
			out += fmt.Sprintf(" %s %v", f.Message, f.Evidence)
		}
		if strings.Contains(out, secret) || !strings.Contains(out, "***") {
			t.Errorf("secret shown or not redacted: %s", out)
		}
	}
	if strings.Contains(strings.Join(fd.calls, " "), secret) {
		t.Errorf("domain engine saw a secret: %q", fd.calls)
	}
	if n := Name(settings[3]); strings.Contains(n, secret) {
		t.Errorf("Name = %q", n)
	}
}

func TestName(t *testing.T) {
	tests := []struct {
		s    registryconf.Setting
		want string
	}{
		{set(ecosystem.NPM, registryconf.Registry, "registry", "https://a:b@x.example.com/", ""), "https://a:***@x.example.com/"},
		{set(ecosystem.Go, registryconf.Checksum, "GONOSUMDB", "", "*"), "GONOSUMDB=*"},
		{registryconf.Setting{Kind: registryconf.Credential, Key: "//h/:_authToken", Value: "${T}"}, "//h/:_authToken"},
	}
	for _, tt := range tests {
		if got := Name(tt.s); got != tt.want {
			t.Errorf("Name = %q, want %q", got, tt.want)
		}
	}
}

func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] || r.Title == "" || r.Description == "" {
			t.Errorf("rule %+v duplicated or undocumented", r)
		}
		seen[r.ID] = true
	}
	for _, id := range []string{RuleLookalike, RuleHTTP, RuleCredentialInURL, RuleCredentialInConfig, RuleExtraIndex, RuleChecksumDisabled, RuleUnofficial} {
		if !seen[id] {
			t.Errorf("rule %s not in the catalog", id)
		}
	}
}

// TestFindingsWithinCatalog: every finding's rule is in the catalog and
// does not exceed the catalog's severity.
func TestFindingsWithinCatalog(t *testing.T) {
	max := map[string]record.Severity{}
	for _, r := range Rules() {
		max[r.ID] = r.Severity
	}
	c := New(&fakeDomains{})
	for _, s := range []registryconf.Setting{
		set(ecosystem.PyPI, registryconf.ExtraIndex, "--extra-index-url", "http://u:p@npmjs-registry.org/", ""),
		set(ecosystem.Go, registryconf.Checksum, "GONOSUMCHECK", "", "*"),
		{Kind: registryconf.Credential, Key: "k", Secret: registryconf.SecretLiteral},
	} {
		for _, f := range c.Analyze(s) {
			if sev, ok := max[f.Rule]; !ok || f.Severity > sev || f.Confidence <= 0 || f.Confidence > 1 || f.Message == "" {
				t.Errorf("finding %+v outside the catalog", f)
			}
		}
	}
}
