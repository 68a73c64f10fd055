package record

import (
	"fmt"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// Person is an author or maintainer.
type Person struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// Dependency is a declared dependency of a package.
type Dependency struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// Package is the normalized record of one package (version) that analyzers
// judge. Only Ecosystem and Name are required.
type Package struct {
	Ecosystem    ecosystem.Ecosystem `json:"ecosystem"`
	Name         string              `json:"name"`
	Version      string              `json:"version,omitempty"`
	Description  string              `json:"description,omitempty"`
	Readme       string              `json:"readme,omitempty"`
	Homepage     string              `json:"homepage,omitempty"`
	Repository   string              `json:"repository,omitempty"`
	Keywords     []string            `json:"keywords,omitempty"`
	Authors      []Person            `json:"authors,omitempty"`
	Maintainers  []Person            `json:"maintainers,omitempty"`
	Published    time.Time           `json:"published,omitzero"`
	Scripts      map[string]string   `json:"scripts,omitempty"`
	Dependencies []Dependency        `json:"dependencies,omitempty"`
	// Source says where the record was seen: "package-lock.json:12",
	// "stdin:3", "argv". It is not part of the package's identity.
	Source string `json:"source,omitempty"`
}

// Severity grades a finding. The zero value is Info.
type Severity int

// Severities, weakest first.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses "info", "low", "medium", "high" or "critical".
func ParseSeverity(s string) (Severity, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	for i, n := range severityNames {
		if n == l {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want info, low, medium, high or critical)", s)
}

// MarshalText encodes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Finding is one piece of evidence an analyzer emits about a package.
type Finding struct {
	Rule       string         `json:"rule"`
	Severity   Severity       `json:"severity"`
	Confidence float64        `json:"confidence"`
	Message    string         `json:"message"`
	Evidence   map[string]any `json:"evidence,omitempty"`
}

// Verdict is the combined decision for a package.
type Verdict string

// Verdicts, weakest first.
const (
	Allow Verdict = "allow"
	Warn  Verdict = "warn"
	Block Verdict = "block"
)

// Suppressed is a finding that a suppression entry silenced.
type Suppressed struct {
	Finding Finding `json:"finding"`
	Reason  string  `json:"reason"`
}

// Kind is the kind of subject a result judges.
type Kind string

// Kinds of subject.
const (
	KindPackage         Kind = "package"
	KindDomain          Kind = "domain"
	KindEmail           Kind = "email"
	KindRegistrySetting Kind = "registry-setting"
)

// AnalyzerError is an analyzer that could not judge a subject (its
// deadline passed, its input was cut short): the result is then
// incomplete, and never an allow.
type AnalyzerError struct {
	Analyzer string `json:"analyzer"`
	Message  string `json:"message"`
}

// Result is the judgement of one input package, as renderers see it.
type Result struct {
	// Kind is the kind of subject (package, domain, e-mail, registry
	// setting), so that a store can key results. It is not part of the
	// JSON report: a report holds one kind per command.
	Kind       Kind                `json:"-"`
	Ecosystem  ecosystem.Ecosystem `json:"ecosystem"`
	Name       string              `json:"name"`
	Version    string              `json:"version"`
	Source     string              `json:"source"`
	Verdict    Verdict             `json:"verdict"`
	Findings   []Finding           `json:"findings"`
	Suppressed []Suppressed        `json:"suppressed,omitempty"`
	// Errors are the analyzers that failed on the subject; present only
	// when one did.
	Errors []AnalyzerError `json:"errors,omitempty"`
}

// MaxSeverity returns the highest severity among the findings and whether
// there was any finding at all.
func (r *Result) MaxSeverity() (Severity, bool) {
	if len(r.Findings) == 0 {
		return Info, false
	}
	m := Info
	for _, f := range r.Findings {
		if f.Severity > m {
			m = f.Severity
		}
	}
	return m, true
}

// InputError is an input that could not be read or parsed. File and Line
// locate it (Line 0 when unknown).
type InputError struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Msg  string `json:"message"`
}

func (e *InputError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return e.Msg
}

// Rule describes a stable rule id in the catalog (`pkgward rules`, SARIF).
type Rule struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"` // the highest severity the rule emits
	Title       string   `json:"title"`    // one line
	Description string   `json:"description,omitempty"`
}
