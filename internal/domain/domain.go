package domain

import "github.com/pkgward/pkgward/internal/record"

// RuleLookalike is the rule id of findings on lookalike domains.
const RuleLookalike = "lookalike-domain"

// Match is the judgement of one host name.
type Match struct {
	Input       string // as given (host or URL)
	Host        string // lower-cased, IDNA-decoded to Unicode where punycode, no port
	Registrable string // eTLD+1 from the public-suffix list
	Official    bool   // a protected domain or one of its genuine subdomains
	Target      string // the protected domain imitated; "" when none
	Brand       string // who owns the target: "npm", "PyPI", "GitHub", or the user's label
	Technique   string // how: "tld-swap", "omission", "homoglyph", "brand-keyword", "brand-subdomain", ...
	Severity    record.Severity
	Confidence  float64
	Detail      string // one human sentence
}

// Lookalike reports whether the host imitates a protected domain.
func (m Match) Lookalike() bool { return m.Target != "" && !m.Official }

// Engine judges host names against the protected domains. It is immutable
// after New and safe for concurrent use.
type Engine struct {
	// filled in by the implementation
}

// New returns an engine protecting the embedded list of registry and code
// host domains plus extra (the user's own domains, from config).
func New(extra []string) *Engine { return &Engine{} }

// Judge judges a host name or URL. It never performs I/O.
func (e *Engine) Judge(hostOrURL string) Match { return Match{Input: hostOrURL} }

// Finding renders a lookalike match as a finding (rule RuleLookalike).
func (e *Engine) Finding(m Match) record.Finding {
	return record.Finding{Rule: RuleLookalike, Severity: m.Severity, Confidence: m.Confidence, Message: m.Detail}
}
