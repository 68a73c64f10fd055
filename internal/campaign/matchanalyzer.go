package campaign

import (
	"sync/atomic"

	"github.com/pkgward/pkgward/internal/record"
)

// MatchAnalyzerName is the name of the campaign match analyzers.
const MatchAnalyzerName = "campaign-match"

// MatchAnalyzer gives a package that matches a known campaign (Matcher)
// the campaign-member finding. It implements analysis.PureAnalyzer.
type MatchAnalyzer struct{ m *Matcher }

// NewMatchAnalyzer returns an analyzer over m; a nil m matches nothing.
func NewMatchAnalyzer(m *Matcher) *MatchAnalyzer { return &MatchAnalyzer{m: m} }

// Name is MatchAnalyzerName.
func (a *MatchAnalyzer) Name() string { return MatchAnalyzerName }

// Rules is the campaign rule catalog (RuleMember).
func (a *MatchAnalyzer) Rules() []record.Rule { return Rules() }

// Analyze returns the campaign-member finding when p matches a known
// campaign, else nil.
func (a *MatchAnalyzer) Analyze(p *record.Package) []record.Finding {
	return analyzeMatch(a.m, p)
}

func analyzeMatch(m *Matcher, p *record.Package) []record.Finding {
	if p == nil {
		return nil
	}
	h, ok := m.Match(p)
	if !ok {
		return nil
	}
	return []record.Finding{h.Finding(Member{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Source: p.Source})}
}

// MatcherRef holds the current Matcher; a server refreshes it from the
// store while checks read it, without a lock. The zero value holds none
// (nothing matches).
type MatcherRef struct{ p atomic.Pointer[Matcher] }

// Load returns the current matcher (nil when none).
func (r *MatcherRef) Load() *Matcher { return r.p.Load() }

// Store replaces the current matcher.
func (r *MatcherRef) Store(m *Matcher) { r.p.Store(m) }

// RefAnalyzer is a MatchAnalyzer over the matcher a MatcherRef holds at
// each call. It implements analysis.PureAnalyzer.
type RefAnalyzer struct{ r *MatcherRef }

// NewRefAnalyzer returns an analyzer over the matcher r holds.
func NewRefAnalyzer(r *MatcherRef) *RefAnalyzer { return &RefAnalyzer{r: r} }

// Name is MatchAnalyzerName.
func (a *RefAnalyzer) Name() string { return MatchAnalyzerName }

// Rules is the campaign rule catalog (RuleMember).
func (a *RefAnalyzer) Rules() []record.Rule { return Rules() }

// Analyze matches p against the current matcher.
func (a *RefAnalyzer) Analyze(p *record.Package) []record.Finding {
	if a.r == nil {
		return nil
	}
	return analyzeMatch(a.r.Load(), p)
}
