package analysis

import (
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
	r := New(nil, a).Judge(p)
	if r.Verdict != record.Block || r.Name != "n" || r.Version != "1" || r.Source != "f:1" {
		t.Fatalf("Judge = %+v", r)
	}
	if got := []string{r.Findings[0].Rule, r.Findings[1].Rule, r.Findings[2].Rule}; got[0] != "y" || got[1] != "z" || got[2] != "x" {
		t.Errorf("order = %v, want [y z x]", got)
	}
	r = New(suppressAll{"y"}, a).Judge(p)
	if r.Verdict != record.Warn || len(r.Findings) != 2 || len(r.Suppressed) != 1 || r.Suppressed[0].Reason != "accepted risk" {
		t.Errorf("suppressed Judge = %+v", r)
	}
	r = New(nil, fixed{}).Judge(p)
	if r.Findings == nil || r.Verdict != record.Allow {
		t.Errorf("no findings must give an empty, non-nil list and allow: %+v", r)
	}
}

func TestFailsAndRules(t *testing.T) {
	rs := []record.Result{{Findings: []record.Finding{{Severity: record.Medium}}}, {}}
	if Fails(rs, record.High) || !Fails(rs, record.Medium) || !Fails(rs, record.Low) {
		t.Error("Fails thresholds wrong")
	}
	rules := New(nil, fixed{}).Rules()
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
