package analysis

import (
	"sort"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// Analyzer judges one package record. Implementations are pure: no I/O, no
// printing; everything they need arrives in the record or at construction.
type Analyzer interface {
	// Name identifies the analyzer ("typosquat").
	Name() string
	// Rules is the static catalog of rule ids the analyzer may emit.
	Rules() []record.Rule
	// Analyze returns the findings on p (nil when none).
	Analyze(p *record.Package) []record.Finding
}

// Suppressor silences findings; config.Suppressor implements it.
type Suppressor interface {
	Match(eco ecosystem.Ecosystem, name, rule string) (reason string, ok bool)
}

// Engine runs a fixed list of analyzers.
type Engine struct {
	analyzers []Analyzer
	sup       Suppressor
}

// New returns an engine over analyzers; sup may be nil.
func New(sup Suppressor, analyzers ...Analyzer) *Engine {
	return &Engine{analyzers: analyzers, sup: sup}
}

// Rules returns the catalog of every analyzer's rules, sorted by id.
func (e *Engine) Rules() []record.Rule {
	var out []record.Rule
	for _, a := range e.analyzers {
		out = append(out, a.Rules()...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Judge runs every analyzer on p and returns its result. Findings are
// ordered by severity (highest first), then confidence.
func (e *Engine) Judge(p *record.Package) record.Result {
	r := record.Result{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Source: p.Source}
	var fs []record.Finding
	for _, a := range e.analyzers {
		fs = append(fs, a.Analyze(p)...)
	}
	Add(e.sup, &r, fs)
	return r
}

// Add is the one result path of every subject (package, registry setting,
// domain, e-mail, release): each of fs goes to r's findings, or to its
// suppressed findings when sup matches it on r's ecosystem and r's name or
// one of the other names the subject is known by; then Finalize orders
// the findings and sets the verdict. sup may be nil. A sup that also has
// a method Drops(rule string) bool drops the findings of the rules it
// names before anything else (the run does not select those rules).
func Add(sup Suppressor, r *record.Result, fs []record.Finding, names ...string) {
	names = append([]string{r.Name}, names...)
	drop, _ := sup.(interface{ Drops(rule string) bool })
	for _, f := range fs {
		if drop != nil && drop.Drops(f.Rule) {
			continue // a rule the run does not select (--rules, --exclude-rules)
		}
		if reason, ok := match(sup, r.Ecosystem, names, f.Rule); ok {
			r.Suppressed = append(r.Suppressed, record.Suppressed{Finding: f, Reason: reason})
			continue
		}
		r.Findings = append(r.Findings, f)
	}
	Finalize(r)
}

func match(sup Suppressor, eco ecosystem.Ecosystem, names []string, rule string) (string, bool) {
	if sup == nil {
		return "", false
	}
	for _, n := range names {
		if reason, ok := sup.Match(eco, n, rule); ok {
			return reason, true
		}
	}
	return "", false
}

// Finalize orders a result's findings by severity (highest first), then
// confidence, and sets its verdict. Call it again after adding findings
// from elsewhere (code rules, live registry checks).
func Finalize(r *record.Result) {
	if r.Findings == nil {
		r.Findings = []record.Finding{}
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		return a.Confidence > b.Confidence
	})
	r.Verdict = VerdictOf(r.Findings)
}

// VerdictOf combines findings: block when any is high or critical, warn
// when any is low or medium, allow otherwise (no findings, or info only).
func VerdictOf(fs []record.Finding) record.Verdict {
	v := record.Allow
	for _, f := range fs {
		switch {
		case f.Severity >= record.High:
			return record.Block
		case f.Severity >= record.Low:
			v = record.Warn
		}
	}
	return v
}

// Fails reports whether any result has a finding at or above failOn.
func Fails(results []record.Result, failOn record.Severity) bool {
	for i := range results {
		if s, ok := results[i].MaxSeverity(); ok && s >= failOn {
			return true
		}
	}
	return false
}
