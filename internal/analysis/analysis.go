package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
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
	// Analyze returns the findings on p (nil when none). An analyzer that
	// cannot judge p (ctx done, a bound reached) returns an error; its
	// findings so far still count.
	Analyze(ctx context.Context, p *record.Package) ([]record.Finding, error)
}

// PureAnalyzer is an analyzer that cannot fail and is fast enough to need
// no deadline of its own (the name, content and known-malicious checks).
// Pure adapts it to Analyzer.
type PureAnalyzer interface {
	Name() string
	Rules() []record.Rule
	Analyze(p *record.Package) []record.Finding
}

// Pure returns a as an Analyzer that honours ctx before it runs.
func Pure(a PureAnalyzer) Analyzer { return pure{a} }

type pure struct{ a PureAnalyzer }

func (p pure) Name() string         { return p.a.Name() }
func (p pure) Rules() []record.Rule { return p.a.Rules() }
func (p pure) Analyze(ctx context.Context, pkg *record.Package) ([]record.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p.a.Analyze(pkg), nil
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

// Check runs every analyzer on p and returns its result. Findings are
// ordered by severity (highest first), then confidence. An analyzer that
// fails is listed in the result's Errors, and the verdict is then at
// least warn (see Finalize): a subject not judged whole is never allowed.
// Once ctx is done the remaining analyzers fail with its error.
func (e *Engine) Check(ctx context.Context, p *record.Package) record.Result {
	r := record.Result{Kind: record.KindPackage, Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Source: p.Source}
	var fs []record.Finding
	for _, a := range e.analyzers {
		f, err := a.Analyze(ctx, p)
		if fs == nil {
			// Most packages have findings from one analyzer at most: no
			// copy. Capped, so that appending never writes into the
			// analyzer's array; Add copies the findings into r.
			fs = f[:len(f):len(f)]
		} else {
			fs = append(fs, f...)
		}
		if err != nil {
			r.Errors = append(r.Errors, record.AnalyzerError{Analyzer: a.Name(), Message: err.Error()})
		}
	}
	Add(e.sup, &r, fs)
	return r
}

// Judge is Check without a deadline.
func (e *Engine) Judge(p *record.Package) record.Result {
	return e.Check(context.Background(), p)
}

// Add is the one result path of every subject (package, registry setting,
// domain, e-mail, release): each of fs goes to r's findings, or to its
// suppressed findings when sup matches it on r's ecosystem and r's name or
// one of the other names the subject is known by; then Finalize orders
// the findings and sets the verdict. sup may be nil. A sup that also has
// a method Drops(rule string) bool drops the findings of the rules it
// names before anything else (the run does not select those rules).
func Add(sup Suppressor, r *record.Result, fs []record.Finding, names ...string) {
	drop, _ := sup.(interface{ Drops(rule string) bool })
	for _, f := range fs {
		if drop != nil && drop.Drops(f.Rule) {
			continue // a rule the run does not select (--rules, --exclude-rules)
		}
		if reason, ok := match(sup, r.Ecosystem, r.Name, names, f.Rule); ok {
			r.Suppressed = append(r.Suppressed, record.Suppressed{Finding: f, Reason: reason})
			continue
		}
		r.Findings = append(r.Findings, f)
	}
	Finalize(r)
}

func match(sup Suppressor, eco ecosystem.Ecosystem, name string, others []string, rule string) (string, bool) {
	if sup == nil {
		return "", false
	}
	if reason, ok := sup.Match(eco, name, rule); ok {
		return reason, true
	}
	for _, n := range others {
		if reason, ok := sup.Match(eco, n, rule); ok {
			return reason, true
		}
	}
	return "", false
}

// Finalize orders a result's findings by severity (highest first), then
// confidence, and sets its verdict; a result with analyzer errors is at
// least warn. Call it again after adding findings from elsewhere (code
// rules, live registry checks).
func Finalize(r *record.Result) {
	if r.Findings == nil {
		r.Findings = []record.Finding{}
	}
	slices.SortStableFunc(r.Findings, func(a, b record.Finding) int {
		switch {
		case a.Severity != b.Severity:
			return cmp.Compare(b.Severity, a.Severity)
		case a.Confidence > b.Confidence:
			return -1
		case a.Confidence < b.Confidence:
			return 1
		}
		return 0
	})
	r.Verdict = VerdictOf(r.Findings)
	if len(r.Errors) > 0 && r.Verdict == record.Allow {
		r.Verdict = record.Warn
	}
}

// Incomplete returns an input error for each analyzer error of results,
// so that a command reports a subject that was not judged whole as it
// reports unreadable input (exit code 2).
func Incomplete(results []record.Result) []record.InputError {
	var out []record.InputError
	for i := range results {
		out = append(out, IncompleteOne(&results[i])...)
	}
	return out
}

// IncompleteOne is Incomplete for one result.
func IncompleteOne(r *record.Result) []record.InputError {
	var out []record.InputError
	for _, e := range r.Errors {
		out = append(out, record.InputError{File: r.Source, Msg: fmt.Sprintf("%s: %s not judged whole: %s", r.Name, e.Analyzer, e.Message)})
	}
	return out
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
