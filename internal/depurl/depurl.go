package depurl

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// RuleID is the rule the analyzer emits.
const RuleID = "npm-url-dependency"

// Bounds on untrusted input.
const (
	maxFindings = 20  // per package; the last counts the rest
	maxSpec     = 512 // bytes of a spec quoted in evidence
)

// Rules is the analyzer's catalog.
func Rules() []record.Rule {
	return []record.Rule{{
		ID:       RuleID,
		Severity: record.High,
		Title:    "npm dependency installed from a URL or git repository instead of the registry",
		Description: "A dependency's version is a git repository or a tarball URL, so npm fetches it at " +
			"install time from outside the registry, where no registry check, provenance or unpublish " +
			"policy applies and the content can change under the same spec. Medium for git over " +
			"https or ssh, shorthands (github:o/r, o/r) and archives of a well-known code host " +
			"(GitHub, GitLab, Bitbucket); high for plain http:// or git://, a raw IP host, or a " +
			"tarball or git server on any other host.",
	}}
}

// Analyzer reports URL dependencies of npm packages. It is stateless and
// safe for concurrent use.
type Analyzer struct{}

// New returns the analyzer.
func New() *Analyzer { return &Analyzer{} }

// Name identifies the analyzer.
func (*Analyzer) Name() string { return "depurl" }

// Rules is the static catalog.
func (*Analyzer) Rules() []record.Rule { return Rules() }

// Analyze returns one finding per dependency of p installed from a URL.
func (*Analyzer) Analyze(p *record.Package) []record.Finding {
	if p == nil || p.Ecosystem != ecosystem.NPM {
		return nil
	}
	var out []record.Finding
	for _, d := range p.Dependencies {
		s, ok := Classify(d.Version)
		if !ok {
			continue
		}
		if len(out) == maxFindings {
			more, _ := out[len(out)-1].Evidence["more_dependencies"].(int)
			out[len(out)-1].Evidence["more_dependencies"] = more + 1
			continue
		}
		out = append(out, finding(d.Name, s))
	}
	return out
}

// Source is what a dependency spec fetches from.
type Source struct {
	Kind   string // "git", "tarball" or "shorthand"
	Host   string // lower case; "" for shorthands of GitHub
	Spec   string // the spec, credentials redacted
	Plain  bool   // unencrypted: http:// or git://
	RawIP  bool   // the host is an IP address
	Known  bool   // a well-known code host
	Reason string // why it grades as it does
}

// knownHosts are the code hosts npm itself has shorthands for.
var knownHosts = map[string]bool{
	"github.com": true, "codeload.github.com": true, "gist.github.com": true, "raw.githubusercontent.com": true,
	"gitlab.com": true, "bitbucket.org": true,
}

// Classify reads an npm dependency spec. ok is false for registry
// versions and ranges, tags, npm: aliases and local paths (file:, link:,
// workspace:, portal:).
func Classify(spec string) (Source, bool) {
	s := strings.TrimSpace(spec)
	low := strings.ToLower(s)
	for _, p := range []string{"file:", "link:", "workspace:", "portal:", "npm:", "patch:", "exec:"} {
		if strings.HasPrefix(low, p) {
			return Source{}, false
		}
	}
	for _, p := range []string{"github:", "gitlab:", "bitbucket:", "gist:"} {
		if strings.HasPrefix(low, p) {
			return Source{Kind: "shorthand", Host: strings.TrimSuffix(p, ":") + ".com", Spec: s, Known: true, Reason: "a " + strings.TrimSuffix(p, ":") + " shorthand"}, true
		}
	}
	// git@host:owner/repo (scp-like ssh)
	if at := strings.Index(low, "@"); at > 0 && !strings.Contains(low, "://") && strings.Contains(low[at:], ":") && strings.HasPrefix(low, "git@") {
		host := low[at+1:]
		host = host[:strings.IndexByte(host, ':')]
		return hostSource("git", host, s, "ssh"), true
	}
	if strings.Contains(low, "://") {
		scheme := low[:strings.Index(low, "://")]
		u, err := url.Parse(s)
		host := ""
		if err == nil {
			host = strings.ToLower(u.Hostname())
		} else {
			// An unparsable URL is still fetched by something: take the
			// text up to the path as the host.
			rest := low[len(scheme)+3:]
			if i := strings.IndexAny(rest, "/?#"); i >= 0 {
				rest = rest[:i]
			}
			if i := strings.LastIndexByte(rest, '@'); i >= 0 {
				rest = rest[i+1:]
			}
			host = rest
		}
		red := redact(s, u, err)
		switch scheme {
		case "git+file":
			return Source{}, false // a local repository
		case "http", "https":
			if strings.HasSuffix(strings.TrimSuffix(low, "/"), ".git") || strings.Contains(low, ".git#") {
				return hostSource("git", host, red, scheme), true
			}
			return hostSource("tarball", host, red, scheme), true
		case "git", "git+http", "git+https", "git+ssh", "ssh":
			return hostSource("git", host, red, scheme), true
		default:
			return hostSource("tarball", host, red, scheme), true
		}
	}
	// owner/repo[#ref]: npm reads it as a GitHub repository. Scoped
	// names (@scope/name) are registry names, not repositories.
	repo, _, _ := strings.Cut(s, "#")
	if !strings.HasPrefix(s, "@") && strings.Count(repo, "/") == 1 && !strings.ContainsAny(repo, " <>=^~|*:") {
		o, r, _ := strings.Cut(repo, "/")
		if o != "" && r != "" && !strings.HasPrefix(o, ".") {
			return Source{Kind: "shorthand", Host: "github.com", Spec: s, Known: true, Reason: "a GitHub owner/repo shorthand"}, true
		}
	}
	return Source{}, false
}

func hostSource(kind, host, spec, scheme string) Source {
	src := Source{Kind: kind, Host: host, Spec: spec}
	src.Plain = scheme == "http" || scheme == "git" || scheme == "git+http"
	src.RawIP = net.ParseIP(strings.Trim(host, "[]")) != nil
	src.Known = knownHosts[host]
	switch {
	case src.Plain:
		src.Reason = "fetched unencrypted (" + scheme + "://)"
	case src.RawIP:
		src.Reason = "from a raw IP address"
	case src.Known:
		src.Reason = "from " + host
	case kind == "git":
		src.Reason = "a git server on " + host
	default:
		src.Reason = "a tarball on " + host
	}
	return src
}

// Severity grades a source: medium for the well-known code hosts over an
// encrypted transport, high for everything else.
func (s Source) Severity() record.Severity {
	if s.Known && !s.Plain && !s.RawIP {
		return record.Medium
	}
	return record.High
}

func finding(dep string, s Source) record.Finding {
	sev := s.Severity()
	conf := 0.6
	if sev == record.High {
		conf = 0.75
	}
	spec := s.Spec
	if len(spec) > maxSpec {
		spec = spec[:maxSpec] + "…"
	}
	ev := map[string]any{"dependency": dep, "spec": spec, "kind": s.Kind}
	if s.Host != "" {
		ev["host"] = s.Host
	}
	return record.Finding{
		Rule:       RuleID,
		Severity:   sev,
		Confidence: conf,
		Message:    fmt.Sprintf("dependency %q is installed from a %s, not the registry: %s", dep, kindText(s.Kind), s.Reason),
		Evidence:   ev,
	}
}

func kindText(k string) string {
	switch k {
	case "git":
		return "git repository"
	case "shorthand":
		return "repository shorthand"
	}
	return "tarball URL"
}

// redact drops the password or token of a URL's user information.
func redact(s string, u *url.URL, err error) string {
	if err != nil || u == nil || u.User == nil {
		if err != nil {
			// Cut anything between the scheme and an @ in the host part.
			if i := strings.Index(s, "://"); i >= 0 {
				rest := s[i+3:]
				end := len(rest)
				if j := strings.IndexAny(rest, "/?#"); j >= 0 {
					end = j
				}
				if k := strings.LastIndexByte(rest[:end], '@'); k >= 0 {
					return s[:i+3] + "***@" + rest[k+1:]
				}
			}
		}
		return s
	}
	c := *u
	if _, has := u.User.Password(); has {
		c.User = url.UserPassword(u.User.Username(), "***")
	} else if u.User.Username() != "" && u.User.Username() != "git" {
		c.User = url.User("***") // a token as the user name
	}
	return strings.Replace(c.String(), "%2A%2A%2A", "***", -1)
}
