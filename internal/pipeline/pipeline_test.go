package pipeline

import (
	"context"
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/malicious"
	"github.com/pkgward/pkgward/internal/record"
)

// suppressRule silences one rule everywhere.
type suppressRule string

func (s suppressRule) Match(_ ecosystem.Ecosystem, _, rule string) (string, bool) {
	return "test", rule == string(s)
}

func rulesOf(fs []record.Finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		out[f.Rule] = true
	}
	return out
}

func TestBuild(t *testing.T) {
	db := malicious.Build([]*malicious.Record{{
		ID: "MAL-0001", Basis: malicious.BasisMALID,
		Packages: []malicious.Affected{{Ecosystem: ecosystem.PyPI, Name: "evil-helper", All: true}},
	}}, nil, malicious.Meta{})
	for _, tc := range []struct {
		name        string
		cfg         Config
		pkg         string
		wantRules   []string // reported
		wantSupp    []string // suppressed
		wantVerdict record.Verdict
	}{
		{"a squat of a popular name", Config{}, "reqeusts", []string{"typosquat"}, nil, record.Block},
		{"an honest name", Config{}, "numpy", nil, nil, record.Allow},
		{"a suppressed rule", Config{Suppressor: suppressRule("typosquat")}, "reqeusts", nil, []string{"typosquat"}, record.Allow},
		{"a user corpus name is protected", Config{UserCorpora: map[ecosystem.Ecosystem][]corpus.Entry{"": {{Name: "acme-internal-tools"}}}},
			"acme-internal-tool", []string{"typosquat"}, nil, record.Warn},
		{"no database: no known-malicious", Config{}, "evil-helper", nil, nil, record.Allow},
		{"a known malicious package", Config{Malicious: db}, "evil-helper", []string{"known-malicious"}, nil, record.Block},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Ecosystems = []ecosystem.Ecosystem{ecosystem.PyPI}
			eng, err := Build(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			r := eng.Judge(&record.Package{Ecosystem: ecosystem.PyPI, Name: tc.pkg})
			got := rulesOf(r.Findings)
			for _, want := range tc.wantRules {
				if !got[want] {
					t.Errorf("%s: %s not reported: %+v", tc.pkg, want, r.Findings)
				}
			}
			if len(tc.wantRules) == 0 && len(r.Findings) > 0 {
				t.Errorf("%s: unexpected findings %+v", tc.pkg, r.Findings)
			}
			var supp []record.Finding
			for _, s := range r.Suppressed {
				supp = append(supp, s.Finding)
			}
			for _, want := range tc.wantSupp {
				if !rulesOf(supp)[want] {
					t.Errorf("%s: %s not suppressed: %+v", tc.pkg, want, r.Suppressed)
				}
			}
			if r.Verdict != tc.wantVerdict {
				t.Errorf("%s: verdict %s, want %s", tc.pkg, r.Verdict, tc.wantVerdict)
			}
		})
	}
}

func TestBuildCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, Config{Ecosystems: []ecosystem.Ecosystem{ecosystem.NPM}}); err == nil {
		t.Error("Build on a cancelled context succeeded")
	}
}

// TestCatalog: the catalog holds every analyzer's and every other check's
// rules, once each, sorted; an engine never reports a rule outside it.
func TestCatalog(t *testing.T) {
	cat := Catalog()
	ids := map[string]bool{}
	for i, r := range cat {
		if ids[r.ID] {
			t.Errorf("rule %s twice in the catalog", r.ID)
		}
		ids[r.ID] = true
		if i > 0 && cat[i-1].ID > r.ID {
			t.Errorf("catalog not sorted at %s", r.ID)
		}
		if r.Title == "" {
			t.Errorf("rule %s has no title", r.ID)
		}
	}
	eng, err := Build(context.Background(), Config{Ecosystems: []ecosystem.Ecosystem{ecosystem.NPM}, Malicious: malicious.Build(nil, nil, malicious.Meta{})})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eng.Rules() {
		if !ids[r.ID] {
			t.Errorf("engine rule %s missing from the catalog", r.ID)
		}
	}
	for _, want := range []string{"typosquat", "known-malicious", "email-phishing", "archive-multiple-roots", "release-install-script"} {
		if !ids[want] {
			t.Errorf("catalog lacks %s", want)
		}
	}
}

// TestKnown: Known answers as the Catalog does, for every id in it (the
// code rules' too, read last) and for ids that are not in it.
func TestKnown(t *testing.T) {
	known := Known()
	for _, id := range []string{"no-such-rule", "typosquatting", ""} {
		if known(id) {
			t.Errorf("Known(%q) = true for an id not in the catalog", id)
		}
	}
	for _, r := range Catalog() {
		if !known(r.ID) {
			t.Errorf("Known(%q) = false for a catalog rule", r.ID)
		}
	}
}

func BenchmarkBuildNPM(b *testing.B) {
	for b.Loop() {
		if _, err := Build(context.Background(), Config{Ecosystems: []ecosystem.Ecosystem{ecosystem.NPM}}); err != nil {
			b.Fatal(err)
		}
	}
}
