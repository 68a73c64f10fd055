package regcheck

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest/registryconf"
	"github.com/pkgward/pkgward/internal/record"
)

// The rule ids. Never rename or reuse one.
const (
	RuleLookalike          = "registry-lookalike"
	RuleHTTP               = "registry-http"
	RuleCredentialInURL    = "registry-credential-in-url"
	RuleCredentialInConfig = "registry-credential-in-config"
	RuleExtraIndex         = "registry-extra-index"
	RuleChecksumDisabled   = "checksum-disabled"
	RuleUnofficial         = "registry-unofficial"
)

// Domains judges host names; *domain.Engine implements it.
type Domains interface {
	Judge(hostOrURL string) domain.Match
}

// Checker judges registry settings. It is immutable and safe for
// concurrent use when its Domains is.
type Checker struct {
	domains Domains
}

// New returns a checker judging hosts with d. With a nil d, the rules that
// need a judgement of the host (registry-lookalike, registry-unofficial)
// never fire.
func New(d Domains) *Checker { return &Checker{domains: d} }

// Name identifies the analyzer.
func (*Checker) Name() string { return "regcheck" }

// Rules is the static catalog of the rules the checker emits.
func (*Checker) Rules() []record.Rule { return Rules() }

// Rules is the static catalog of the rules of this package.
func Rules() []record.Rule {
	return []record.Rule{
		{ID: RuleLookalike, Severity: record.High, Title: "a registry, index or proxy URL whose host imitates an official registry or code host",
			Description: "The host of a configured registry, index or Go module proxy imitates a protected domain (a typo, a TLD swap, lookalike characters, the brand with words added): every package installed through it can be replaced."},
		{ID: RuleHTTP, Severity: record.High, Title: "a registry, index or proxy reached over plain http",
			Description: "Packages and their metadata fetched over http:// (or git://) can be altered by anyone on the network path; loopback addresses are exempt."},
		{ID: RuleCredentialInURL, Severity: record.High, Title: "a password or token written in a registry URL",
			Description: "A registry URL carries credentials (user:password@, a token as user name, or a token= query parameter); the secret is in the repository and in every log that prints the URL. Reports show it as ***."},
		{ID: RuleCredentialInConfig, Severity: record.High, Title: "a clear-text registry credential in a configuration file",
			Description: "A registry token or password (npm _authToken/_auth/_password, Yarn npmAuthToken/npmAuthIdent, NuGet ClearTextPassword, Cargo token) is written in a file of the project instead of an environment variable reference. The value is never reported."},
		{ID: RuleExtraIndex, Severity: record.Medium, Title: "an extra index searched for every package (dependency confusion)",
			Description: "An index searched in addition to the default one for every package: the package manager takes a name from whichever index has it (pip: the highest version of all), so a public package named like a private one can replace it."},
		{ID: RuleChecksumDisabled, Severity: record.High, Title: "checksum, signature or TLS verification switched off",
			Description: "GOSUMDB=off, GONOSUMDB/GOPRIVATE/GOINSECURE patterns covering public modules, GOFLAGS=-insecure, npm/yarn strict-ssl=false, Yarn enableStrictSsl=false or checksumBehavior ignore/update/reset, pip trusted-host or uv allow-insecure-host for a non-local host, Pipfile verify_ssl=false, RubyGems ssl_verify_mode 0."},
		{ID: RuleUnofficial, Severity: record.Info, Title: "a registry that is not an official one (private registry or mirror)",
			Description: "A registry, index or proxy whose host is neither an official registry nor a lookalike of one: normal for a private registry or a mirror you run; listed so that you can check it is yours."},
	}
}

// Flagged is a setting with its findings.
type Flagged struct {
	Setting  registryconf.Setting
	Findings []record.Finding
}

// Check judges settings and returns those with findings, in input order.
func (c *Checker) Check(settings []registryconf.Setting) []Flagged {
	var out []Flagged
	for _, s := range settings {
		if fs := c.Analyze(s); len(fs) > 0 {
			out = append(out, Flagged{s, fs})
		}
	}
	return out
}

// Name returns how a setting is named in reports: its URL (credentials
// redacted) when it has one; else its key, followed by "=" and its value
// for checksum settings (values there are hosts, patterns and flags, never
// secrets).
func Name(s registryconf.Setting) string {
	switch {
	case s.URL != "":
		return redact(s.URL)
	case s.Kind == registryconf.Checksum && s.Value != "":
		return s.Key + "=" + redact(s.Value)
	}
	return s.Key
}

func redact(u string) string {
	r, _ := registryconf.RedactURL(u)
	return r
}

// Analyze returns the findings on one setting (nil when none), ordered by
// severity (highest first), then confidence.
func (c *Checker) Analyze(s registryconf.Setting) []record.Finding {
	var fs []record.Finding
	switch s.Kind {
	case registryconf.Registry, registryconf.ScopeRegistry, registryconf.ExtraIndex, registryconf.Proxy:
		fs = append(fs, c.urlFindings(s)...)
	case registryconf.Checksum:
		if f, ok := checksum(s); ok {
			fs = append(fs, f)
		}
	case registryconf.Credential:
		if s.Secret == registryconf.SecretLiteral {
			fs = append(fs, record.Finding{
				Rule: RuleCredentialInConfig, Severity: record.High, Confidence: 0.9,
				Message:  fmt.Sprintf("%s is a clear-text credential written in the file: revoke it, and refer to an environment variable instead (for example ${TOKEN})", s.Key),
				Evidence: map[string]any{"key": s.Key, "secret": "withheld"},
			})
		}
	}
	if s.Secret.InURL() {
		part := map[registryconf.Secret]string{
			registryconf.SecretURLPassword: "password",
			registryconf.SecretURLUser:     "user name (read as a token)",
			registryconf.SecretURLQuery:    "query parameter",
		}[s.Secret]
		conf := 0.9
		if s.Secret == registryconf.SecretURLUser {
			conf = 0.7
		}
		shown := Name(s)
		fs = append(fs, record.Finding{
			Rule: RuleCredentialInURL, Severity: record.High, Confidence: conf,
			Message:  fmt.Sprintf("%s carries a credential in its %s (shown as ***): revoke it, and use an environment variable reference or the tool's credential store instead", shown, part),
			Evidence: map[string]any{"url": shown, "part": part},
		})
	}
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Severity != fs[j].Severity {
			return fs[i].Severity > fs[j].Severity
		}
		return fs[i].Confidence > fs[j].Confidence
	})
	return fs
}

// urlFindings judges the URL of a registry, index or proxy setting.
func (c *Checker) urlFindings(s registryconf.Setting) []record.Finding {
	shown := redact(s.URL)
	scheme, u := parseURL(shown)
	if u == nil || u.Hostname() == "" {
		// Not a URL (a local path, an environment variable reference):
		// only an extra index is still worth reporting.
		if s.Kind == registryconf.ExtraIndex {
			return []record.Finding{extraIndex(s, shown)}
		}
		return nil
	}
	host := strings.ToLower(u.Hostname())
	local := isLoopback(host)
	var fs []record.Finding
	unofficial := false
	if c.domains != nil && !local {
		m := c.domains.Judge(scheme + "://" + u.Host + u.EscapedPath())
		switch {
		case m.Lookalike():
			fs = append(fs, lookalike(s, m, shown, host))
		case m.Host != "" && !m.Official:
			unofficial = true // m.Host is empty when the engine could not judge
		}
	}
	if (scheme == "http" || scheme == "git") && !local {
		fs = append(fs, record.Finding{
			Rule: RuleHTTP, Severity: record.High, Confidence: 0.95,
			Message:  fmt.Sprintf("the %s %s is reached over plain %s: anyone on the network path can change the packages; use https", what(s), shown, scheme),
			Evidence: map[string]any{"url": shown, "host": host, "scheme": scheme},
		})
	}
	if s.Kind == registryconf.ExtraIndex {
		fs = append(fs, extraIndex(s, shown))
	}
	if unofficial {
		fs = append(fs, record.Finding{
			Rule: RuleUnofficial, Severity: record.Info, Confidence: 0.5,
			Message:  fmt.Sprintf("the %s host %s is not an official registry: fine for a private registry or a mirror you run; make sure it is yours", what(s), host),
			Evidence: map[string]any{"url": shown, "host": host},
		})
	}
	return fs
}

func lookalike(s registryconf.Setting, m domain.Match, shown, host string) record.Finding {
	conf := m.Confidence
	if conf <= 0 {
		conf = 0.9
	}
	detail := m.Detail
	if detail == "" {
		detail = fmt.Sprintf("%s imitates %s", host, m.Target)
	}
	ev := map[string]any{"url": shown, "host": host, "target": m.Target, "detail": detail}
	if m.Technique != "" {
		ev["technique"] = m.Technique
	}
	if m.Brand != "" {
		ev["brand"] = m.Brand
	}
	return record.Finding{
		Rule: RuleLookalike, Severity: record.High, Confidence: conf,
		Message:  fmt.Sprintf("the %s host %s imitates %s: %s", what(s), host, m.Target, detail),
		Evidence: ev,
	}
}

// what names the kind of a URL setting in messages.
func what(s registryconf.Setting) string {
	switch s.Kind {
	case registryconf.ScopeRegistry:
		return "scoped registry"
	case registryconf.ExtraIndex:
		return "extra index"
	case registryconf.Proxy:
		return "module proxy"
	}
	return "registry"
}

// parseURL parses u, reading a compound scheme ("sparse+https",
// "git+https", "registry+https") as its last part; nil when u has no
// scheme or cannot be parsed.
func parseURL(u string) (scheme string, parsed *url.URL) {
	i := strings.Index(u, "://")
	if i <= 0 {
		return "", nil
	}
	scheme = strings.ToLower(u[:i])
	if j := strings.LastIndexByte(scheme, '+'); j >= 0 {
		scheme = scheme[j+1:]
	}
	p, err := url.Parse(scheme + u[i:])
	if err != nil {
		return "", nil
	}
	return scheme, p
}

// isLoopback reports whether host is the local machine: localhost (and
// names under .localhost) or a loopback address.
func isLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// extraIndex explains the dependency-confusion risk of an extra index,
// with the remedy of its ecosystem.
func extraIndex(s registryconf.Setting, shown string) record.Finding {
	how, fix := "the package manager searches it and the default index for every package", "use a single index"
	switch s.Ecosystem {
	case ecosystem.PyPI:
		switch key := s.Key; {
		case strings.HasPrefix(key, "tool.poetry."):
			how = "Poetry merges every primary source and searches supplemental ones for every package the primary sources lack"
			fix = "give it priority = \"explicit\" and point your packages at it (source = \"NAME\")"
		case strings.HasPrefix(key, "source."):
			how = "with install_search_all_sources = true, pipenv searches every source for every package"
			fix = "remove install_search_all_sources and name the source on your packages (index = \"NAME\")"
		case strings.HasPrefix(key, "tool.uv.") || strings.HasPrefix(key, "index.") || key == "extra-index-url":
			how = "uv's unsafe index strategy searches every index for every package"
			fix = "drop index-strategy (first-index, the default, takes a package from the first index that has it) or mark the index explicit"
		default:
			how = "pip searches it and the default index for every package and installs the highest version found"
			fix = "use a single --index-url that serves both your packages and PyPI (a proxy repository)"
		}
	case ecosystem.NuGet:
		how = "NuGet searches every source in effect for every package (nuget.org is inherited unless <clear/> removes it)"
		fix = "add <packageSourceMapping> binding your package ids to this source"
	case ecosystem.RubyGems:
		how = "Bundler and gem search every global source for every gem"
		fix = "move your gems into a source \"URL\" do … end block"
	case ecosystem.NPM:
		fix = "use a scoped registry (@scope:registry)"
	}
	return record.Finding{
		Rule: RuleExtraIndex, Severity: record.Medium, Confidence: 0.6,
		Message: fmt.Sprintf("%s is an extra index: %s, so a public package named like one of yours can replace it (dependency confusion); %s",
			shown, how, fix),
		Evidence: map[string]any{"url": shown, "key": s.Key},
	}
}
