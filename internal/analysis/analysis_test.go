package analysis

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// fixed emits the same findings for every package.
type fixed struct{ fs []record.Finding }

func (fixed) Name() string { return "fixed" }
func (fixed) Rules() []record.Rule {
	return []record.Rule{{ID: "b-rule"}, {ID: "a-rule"}}
}
func (f fixed) Analyze(*record.Package) []record.Finding { return f.fs }

type suppressAll struct{ rule string }

func (s suppressAll) Match(_ ecosystem.Ecosystem, _, rule string) (string, bool) {
	return "accepted risk", rule == s.rule
}

func TestVerdictOf(t *testing.T) {
	tests := []struct {
		sevs []record.Severity
		want record.Verdict
	}{
		{nil, record.Allow},
		{[]record.Severity{record.Info}, record.Allow},
		{[]record.Severity{record.Low}, record.Warn},
		{[]record.Severity{record.Medium, record.Info}, record.Warn},
		{[]record.Severity{record.Low, record.High}, record.Block},
		{[]record.Severity{record.Critical}, record.Block},
	}
	for _, tt := range tests {
		var fs []record.Finding
		for _, s := range tt.sevs {
			fs = append(fs, record.Finding{Severity: s})
		}
		if got := VerdictOf(fs); got != tt.want {
			t.Errorf("VerdictOf(%v) = %s, want %s", tt.sevs, got, tt.want)
		}
	}
}

func TestJudge(t *testing.T) {
	a := fixed{[]record.Finding{
		{Rule: "x", Severity: record.Medium, Confidence: 0.5},
		{Rule: "y", Severity: record.High, Confidence: 0.9},
		{Rule: "z", Severity: record.Medium, Confidence: 0.8},
	}}
	p := &record.Package{Ecosystem: ecosystem.NPM, Name: "n", Version: "1", Source: "f:1"}
	r := New(nil, Pure(a)).Judge(p)
	if r.Verdict != record.Block || r.Name != "n" || r.Version != "1" || r.Source != "f:1" {
		t.Fatalf("Judge = %+v", r)
	}
	if got := []string{r.Findings[0].Rule, r.Findings[1].Rule, r.Findings[2].Rule}; got[0] != "y" || got[1] != "z" || got[2] != "x" {
		t.Errorf("order = %v, want [y z x]", got)
	}
	r = New(suppressAll{"y"}, Pure(a)).Judge(p)
	if r.Verdict != record.Warn || len(r.Findings) != 2 || len(r.Suppressed) != 1 || r.Suppressed[0].Reason != "accepted risk" {
		t.Errorf("suppressed Judge = %+v", r)
	}
	r = New(nil, Pure(fixed{})).Judge(p)
	if r.Findings == nil || r.Verdict != record.Allow {
		t.Errorf("no findings must give an empty, non-nil list and allow: %+v", r)
	}
}

func TestFailsAndRules(t *testing.T) {
	rs := []record.Result{{Findings: []record.Finding{{Severity: record.Medium}}}, {}}
	if Fails(rs, record.High) || !Fails(rs, record.Medium) || !Fails(rs, record.Low) {
		t.Error("Fails thresholds wrong")
	}
	rules := New(nil, Pure(fixed{})).Rules()
	if len(rules) != 2 || rules[0].ID != "a-rule" {
		t.Errorf("Rules = %+v, want sorted", rules)
	}
}

// byName suppresses one rule for one subject name.
type byName struct{ name, rule string }

func (s byName) Match(_ ecosystem.Ecosystem, name, rule string) (string, bool) {
	return "known", name == s.name && rule == s.rule
}

func TestAdd(t *testing.T) {
	low := record.Finding{Rule: "a-rule", Severity: record.Low}
	high := record.Finding{Rule: "b-rule", Severity: record.High}
	for _, tc := range []struct {
		name        string
		sup         Suppressor
		others      []string
		wantRules   []string
		wantSupp    int
		wantVerdict record.Verdict
	}{
		{"no suppressor: ordered by severity", nil, nil, []string{"b-rule", "a-rule"}, 0, record.Block},
		{"suppressed by the subject's name", byName{"subject", "b-rule"}, nil, []string{"a-rule"}, 1, record.Warn},
		{"suppressed by another name of the subject", byName{"host.example", "b-rule"}, []string{"host.example"}, []string{"a-rule"}, 1, record.Warn},
		{"another subject's suppression does not apply", byName{"other", "b-rule"}, []string{"host.example"}, []string{"b-rule", "a-rule"}, 0, record.Block},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := record.Result{Name: "subject"}
			Add(tc.sup, &r, []record.Finding{low, high}, tc.others...)
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Rule)
			}
			if len(got) != len(tc.wantRules) || (len(got) > 0 && got[0] != tc.wantRules[0]) {
				t.Errorf("findings %v, want %v", got, tc.wantRules)
			}
			if len(r.Suppressed) != tc.wantSupp || r.Verdict != tc.wantVerdict {
				t.Errorf("suppressed %d verdict %s, want %d %s", len(r.Suppressed), r.Verdict, tc.wantSupp, tc.wantVerdict)
			}
		})
	}
}

// failing emits its findings and then fails with err.
type failing struct {
	fs  []record.Finding
	err error
}

func (failing) Name() string         { return "failing" }
func (failing) Rules() []record.Rule { return nil }
func (f failing) Analyze(context.Context, *record.Package) ([]record.Finding, error) {
	return f.fs, f.err
}

func TestCheckAnalyzerErrors(t *testing.T) {
	low := record.Finding{Rule: "x", Severity: record.Low}
	high := record.Finding{Rule: "y", Severity: record.High}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	bound := errors.New("readme over its bound")
	for _, tc := range []struct {
		name        string
		ctx         context.Context
		analyzers   []Analyzer
		wantErrs    []string // analyzers in Errors
		wantRules   int
		wantVerdict record.Verdict
	}{
		{"no error", context.Background(), []Analyzer{Pure(fixed{})}, nil, 0, record.Allow},
		{"an error alone is never allow", context.Background(), []Analyzer{failing{err: bound}}, []string{"failing"}, 0, record.Warn},
		{"findings before the error count", context.Background(), []Analyzer{failing{fs: []record.Finding{high}, err: bound}}, []string{"failing"}, 1, record.Block},
		{"a later analyzer still runs", context.Background(), []Analyzer{failing{err: bound}, Pure(fixed{[]record.Finding{low}})}, []string{"failing"}, 1, record.Warn},
		{"a done context reaches pure analyzers", cancelled, []Analyzer{Pure(fixed{[]record.Finding{high}})}, []string{"fixed"}, 0, record.Warn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &record.Package{Ecosystem: ecosystem.NPM, Name: "n", Source: "argv"}
			r := New(nil, tc.analyzers...).Check(tc.ctx, p)
			var got []string
			for _, e := range r.Errors {
				got = append(got, e.Analyzer)
				if e.Message == "" {
					t.Errorf("error of %s without a message", e.Analyzer)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.wantErrs, ",") {
				t.Errorf("errors %v, want %v", got, tc.wantErrs)
			}
			if len(r.Findings) != tc.wantRules || r.Verdict != tc.wantVerdict || r.Kind != record.KindPackage {
				t.Errorf("result %+v: want %d findings, verdict %s, kind package", r, tc.wantRules, tc.wantVerdict)
			}
			ies := Incomplete([]record.Result{r})
			if len(ies) != len(tc.wantErrs) {
				t.Errorf("Incomplete = %+v, want one input error per analyzer error", ies)
			}
			for _, ie := range ies {
				if ie.File != "argv" || !strings.Contains(ie.Msg, "n: ") {
					t.Errorf("input error %+v does not name the subject", ie)
				}
			}
		})
	}
}

// The engine itself allocates nothing for a package without findings:
// the name check's hot path is the analyzers' own.
func TestCheckAllocations(t *testing.T) {
	eng := New(suppressAll{"x"}, Pure(fixed{}), Pure(fixed{}))
	p := &record.Package{Ecosystem: ecosystem.PyPI, Name: "numpy"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if n := testing.AllocsPerRun(100, func() { eng.Check(ctx, p) }); n != 0 {
		t.Errorf("Check allocates %v times for a clean package, want 0", n)
	}
}

func BenchmarkCheck(b *testing.B) {
	eng := New(suppressAll{"x"}, Pure(fixed{}), Pure(fixed{[]record.Finding{{Rule: "y", Severity: record.Low}}}))
	p := &record.Package{Ecosystem: ecosystem.PyPI, Name: "numpy"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		eng.Check(ctx, p)
	}
}
