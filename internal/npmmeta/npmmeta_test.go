package npmmeta

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

var now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func daysAgo(d float64) time.Time { return now.Add(-time.Duration(d * 24 * float64(time.Hour))) }

func load(t testing.TB, name string) *Snapshot {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := npm.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return FromDocument(d)
}

func rules(fs []record.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+":"+f.Severity.String())
	}
	sort.Strings(out)
	return out
}

func find(fs []record.Finding, rule string) *record.Finding {
	for i := range fs {
		if fs[i].Rule == rule {
			return &fs[i]
		}
	}
	return nil
}

func TestFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, version string
		want          []string
	}{
		{"holding.json", "", []string{"npm-security-holding:critical"}},
		{"holding.json", "2.3.0", []string{"npm-security-holding:critical"}}, // the version asked for is gone
		{"hijacked.json", "", []string{"npm-install-script-added:medium", "npm-maintainers-changed:medium", "npm-new-version:low"}},
		{"hijacked.json", "1.2.3", nil},
		{"hijacked.json", "1.2.2", []string{"npm-maintainers-changed:medium"}}, // tomas added and publishing at once: event-stream's shape
		{"fresh.json", "", []string{"npm-new-package:medium", "npm-no-repository:low", "npm-single-version:low"}},
		{"established.json", "", nil},
		{"established.json", "2.0.0", []string{"npm-maintainers-changed:medium"}},
	} {
		t.Run(tc.file+"@"+tc.version, func(t *testing.T) {
			got := rules(Check(load(t, tc.file), tc.version, now))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rules %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHijackedEvidence(t *testing.T) {
	fs := Check(load(t, "hijacked.json"), "", now)
	m := find(fs, RuleMaintainersChanged)
	if m == nil || m.Evidence["publisher"] != "devx-release" || m.Evidence["previous_version"] != "1.2.3" || m.Evidence["previous_publisher"] != "maya" {
		t.Errorf("maintainers-changed %+v", m)
	}
	s := find(fs, RuleInstallScriptAdded)
	if s == nil || !reflect.DeepEqual(s.Evidence["scripts"], map[string]string{"preinstall": "start /B node preinstall.js & node preinstall.js"}) {
		t.Fatalf("install-script-added %+v", s)
	}
	if !strings.Contains(s.Message, "preinstall") || !strings.Contains(s.Message, "1.2.3") {
		t.Errorf("message %q", s.Message)
	}
	v := find(fs, RuleNewVersion)
	if v == nil || v.Evidence["age_days"] != 2 || v.Evidence["published"] != "2024-05-30T03:12:45Z" {
		t.Errorf("new-version %+v", v)
	}
}

func TestHoldingEvidence(t *testing.T) {
	fs := Check(load(t, "holding.json"), "", now)
	if len(fs) != 1 || fs[0].Evidence["version"] != "0.0.1-security" || fs[0].Evidence["description"] != "security holding package" || fs[0].Confidence < 0.9 {
		t.Errorf("%+v", fs)
	}
}

func rel(v string, published time.Time, mod func(*Release)) Release {
	r := Release{Version: v, Published: published, Repository: "git+https://github.com/o/r.git", Maintainers: []string{"ann"}, Publisher: "ann"}
	if mod != nil {
		mod(&r)
	}
	return r
}

func TestRules(t *testing.T) {
	old := daysAgo(900)
	for _, tc := range []struct {
		name    string
		snap    Snapshot
		version string
		rule    string // the rule under test
		want    string // "" when it must not fire, else its severity
	}{
		// npm-security-holding
		{"holding by version", Snapshot{Name: "x", Releases: []Release{rel("0.0.1-security", old, nil)}}, "", RuleSecurityHolding, "critical"},
		{"holding by description", Snapshot{Name: "x", Releases: []Release{rel("0.0.2", old, func(r *Release) { r.Description = "Security Holding Package " })}}, "", RuleSecurityHolding, "critical"},
		{"holding by package description", Snapshot{Name: "x", Description: "security holding package", Releases: []Release{rel("0.0.1", old, nil)}}, "", RuleSecurityHolding, "critical"},
		{"old security version is not a holding", Snapshot{Name: "x", Releases: []Release{rel("0.0.1-security", old, nil), rel("1.0.0", old.Add(time.Hour), nil)}}, "", RuleSecurityHolding, ""},
		{"description mentioning security", Snapshot{Name: "x", Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Description = "a security holding package detector" })}}, "", RuleSecurityHolding, ""},
		// npm-new-package
		{"new package", Snapshot{Name: "x", Created: daysAgo(29.9), Releases: []Release{rel("1.0.0", daysAgo(29.9), nil), rel("1.0.1", daysAgo(20), nil)}}, "", RuleNewPackage, "medium"},
		{"package of 30 days", Snapshot{Name: "x", Created: daysAgo(30), Releases: []Release{rel("1.0.0", daysAgo(30), nil), rel("1.0.1", daysAgo(20), nil)}}, "", RuleNewPackage, ""},
		{"created from first release", Snapshot{Name: "x", Releases: []Release{rel("1.0.0", daysAgo(1), nil)}}, "", RuleNewPackage, ""}, // FromDocument fills Created; a bare snapshot has none
		{"created in the future (clock skew)", Snapshot{Name: "x", Created: now.Add(time.Hour), Releases: []Release{rel("1.0.0", now.Add(time.Hour), nil)}}, "", RuleNewPackage, "medium"},
		// npm-new-version
		{"new version", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.1.0", daysAgo(6.9), nil)}}, "", RuleNewVersion, "low"},
		{"version of 7 days", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.1.0", daysAgo(7), nil)}}, "", RuleNewVersion, ""},
		{"first version is new-package's", Snapshot{Name: "x", Created: daysAgo(1), Releases: []Release{rel("1.0.0", daysAgo(1), nil)}}, "", RuleNewVersion, ""},
		{"checked version is old, latest new", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.1.0", old.Add(time.Hour), nil), rel("1.2.0", daysAgo(1), nil)}}, "1.1.0", RuleNewVersion, ""},
		{"unknown time", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.1.0", time.Time{}, nil)}}, "", RuleNewVersion, ""},
		// npm-single-version
		{"single version", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil)}}, "", RuleSingleVersion, "low"},
		{"two versions", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.0.1", old.Add(time.Hour), nil)}}, "", RuleSingleVersion, ""},
		// npm-no-repository
		{"no repository", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Repository = "" })}}, "", RuleNoRepository, "low"},
		{"package-level repository", Snapshot{Name: "x", Repository: "github:o/r", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Repository = " " })}}, "", RuleNoRepository, ""},
		{"version repository", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil)}}, "", RuleNoRepository, ""},
		// npm-maintainers-changed
		{"new publisher", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Publisher = "mallory" })}}, "", RuleMaintainersChanged, "medium"},
		{"publisher was a maintainer", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Maintainers = []string{"ann", "bob"} }), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Publisher = "bob"; r.Maintainers = []string{"ann", "bob"} })}}, "", RuleMaintainersChanged, ""},
		{"publisher was the previous publisher only", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Maintainers = nil; r.Publisher = "ci-bot" }), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Publisher = "ci-bot" })}}, "", RuleMaintainersChanged, ""},
		{"maintainer added", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Maintainers = []string{"ann", "carl"} })}}, "", RuleMaintainersChanged, "low"},
		{"maintainer removed", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Maintainers = []string{"ann", "bob"} }), rel("1.0.1", old.Add(time.Hour), nil)}}, "", RuleMaintainersChanged, "low"},
		{"no history", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Publisher = "" })}}, "", RuleMaintainersChanged, ""},
		{"previous has no data", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Publisher = ""; r.Maintainers = nil }), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Publisher = "zed" })}}, "", RuleMaintainersChanged, ""},
		{"first version", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Publisher = "zed" })}}, "", RuleMaintainersChanged, ""},
		// npm-install-script-added
		{"postinstall added", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, nil), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Scripts = map[string]string{"postinstall": "node x.js"} })}}, "", RuleInstallScriptAdded, "medium"},
		{"install script kept", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Scripts = map[string]string{"install": "node-gyp rebuild"} }), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Scripts = map[string]string{"install": "node-gyp rebuild"} })}}, "", RuleInstallScriptAdded, ""},
		{"install script changed only", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Scripts = map[string]string{"install": "node-gyp rebuild"} }), rel("1.0.1", old.Add(time.Hour), func(r *Release) { r.Scripts = map[string]string{"install": "prebuild-install || node-gyp rebuild"} })}}, "", RuleInstallScriptAdded, ""},
		{"script removed", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Scripts = map[string]string{"postinstall": "x"} }), rel("1.0.1", old.Add(time.Hour), nil)}}, "", RuleInstallScriptAdded, ""},
		{"first version with a script", Snapshot{Name: "x", Created: old, Releases: []Release{rel("1.0.0", old, func(r *Release) { r.Scripts = map[string]string{"postinstall": "x"} })}}, "", RuleInstallScriptAdded, ""},
		{"requested version compared with its predecessor", Snapshot{Name: "x", Created: old, Latest: "1.0.0", Releases: []Release{rel("1.0.0", old, nil), rel("2.0.0-rc.1", old.Add(time.Hour), func(r *Release) { r.Scripts = map[string]string{"preinstall": "curl x | sh"} })}}, "2.0.0-rc.1", RuleInstallScriptAdded, "medium"},
		{"latest dist-tag checked by default", Snapshot{Name: "x", Created: old, Latest: "1.0.0", Releases: []Release{rel("1.0.0", old, nil), rel("2.0.0-rc.1", old.Add(time.Hour), func(r *Release) { r.Scripts = map[string]string{"preinstall": "curl x | sh"} })}}, "", RuleInstallScriptAdded, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := Check(&tc.snap, tc.version, now)
			f := find(fs, tc.rule)
			switch {
			case tc.want == "" && f != nil:
				t.Errorf("%s fired: %+v", tc.rule, *f)
			case tc.want != "" && f == nil:
				t.Errorf("%s did not fire; findings %v", tc.rule, rules(fs))
			case f != nil && f.Severity.String() != tc.want:
				t.Errorf("%s severity %s, want %s", tc.rule, f.Severity, tc.want)
			}
			checkFindings(t, fs)
		})
	}
}

// checkFindings asserts the contract every finding keeps: a catalog rule,
// a severity within the rule's, a confidence in (0, 1], a message and the
// version in the evidence.
func checkFindings(t testing.TB, fs []record.Finding) {
	t.Helper()
	cat := map[string]record.Rule{}
	for _, r := range Rules() {
		cat[r.ID] = r
	}
	for _, f := range fs {
		r, ok := cat[f.Rule]
		if !ok {
			t.Fatalf("rule %q not in the catalog", f.Rule)
		}
		if f.Severity > r.Severity || f.Confidence <= 0 || f.Confidence > 1 || f.Message == "" || f.Evidence["version"] == nil {
			t.Fatalf("finding breaks the contract: %+v", f)
		}
	}
}

func TestCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] || !strings.HasPrefix(r.ID, "npm-") || r.Title == "" || r.Description == "" {
			t.Errorf("catalog entry %+v", r)
		}
		seen[r.ID] = true
		if r.ID != RuleSecurityHolding && r.Severity > record.Medium {
			t.Errorf("%s: %s; risk signals stay at low or medium", r.ID, r.Severity)
		}
	}
	if len(seen) != 7 {
		t.Errorf("%d rules, want 7", len(seen))
	}
}

func TestFromDocument(t *testing.T) {
	s := load(t, "established.json")
	if s.Name != "@acme/widget" || s.Latest != "2.1.0" || len(s.Releases) != 4 || !s.Created.Equal(time.Date(2021, 3, 2, 10, 11, 12, 345e6, time.UTC)) {
		t.Fatalf("snapshot %+v", s)
	}
	r := s.Releases[1]
	if r.Version != "2.0.0" || r.Publisher != "bo" || !reflect.DeepEqual(r.Maintainers, []string{"ada", "bo"}) || r.Repository != "github:acme/widget" || r.Scripts != nil {
		t.Errorf("2.0.0 = %+v (prepare and test are not install scripts)", r)
	}
	// A binding.gyp means npm runs node-gyp at install time.
	d, err := npm.Decode([]byte(`{"name":"n","versions":{"1.0.0":{"gypfile":true},"1.0.1":{"gypfile":true,"scripts":{"install":"prebuild-install"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	g := FromDocument(d)
	if g.Releases[0].Scripts["install"] != "node-gyp rebuild" || g.Releases[1].Scripts["install"] != "prebuild-install" {
		t.Errorf("gyp: %+v", g.Releases)
	}
	// An unpublished package has no release and no finding.
	u, _ := npm.Decode([]byte(`{"name":"gone","time":{"created":"2024-05-30T00:00:00Z","unpublished":{"time":"2024-05-31T00:00:00Z"}}}`))
	if fs := Check(FromDocument(u), "", now); fs != nil {
		t.Errorf("unpublished: %v", fs)
	}
}

func TestLongScriptIsClipped(t *testing.T) {
	long := strings.Repeat("é", 300)
	s := &Snapshot{Name: "x", Created: daysAgo(900), Releases: []Release{rel("1", daysAgo(900), nil), rel("2", daysAgo(800), func(r *Release) { r.Scripts = map[string]string{"install": long} })}}
	f := find(Check(s, "", now), RuleInstallScriptAdded)
	got := f.Evidence["scripts"].(map[string]string)["install"]
	if len(got) > maxScriptEvidenceLength+len("…") || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("clipped to %q", got)
	}
}

func TestAnalyzer(t *testing.T) {
	a := New(now, map[string]*Snapshot{"color-stringify": load(t, "hijacked.json")})
	if a.Name() != "npmmeta" || len(a.Rules()) != 7 {
		t.Fatal("analyzer identity")
	}
	got := rules(a.Analyze(&record.Package{Ecosystem: ecosystem.NPM, Name: "color-stringify", Version: "1.2.3"}))
	if got != nil {
		t.Errorf("1.2.3: %v", got)
	}
	if fs := a.Analyze(&record.Package{Ecosystem: ecosystem.NPM, Name: "color-stringify"}); len(fs) != 3 {
		t.Errorf("latest: %v", rules(fs))
	}
	if fs := a.Analyze(&record.Package{Ecosystem: ecosystem.PyPI, Name: "color-stringify"}); fs != nil {
		t.Error("a PyPI package judged by npm metadata")
	}
	if fs := a.Analyze(&record.Package{Ecosystem: ecosystem.NPM, Name: "unknown"}); fs != nil {
		t.Error("a package without snapshot judged")
	}
	if fs := New(now, nil).Analyze(&record.Package{Ecosystem: ecosystem.NPM, Name: "x"}); fs != nil {
		t.Error("nil snapshots")
	}
}

func FuzzCheck(f *testing.F) {
	for _, name := range []string{"holding.json", "hijacked.json", "fresh.json", "established.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
	}
	f.Add([]byte(`{"name":"a","dist-tags":{"latest":"9"},"versions":{"1":{"_npmUser":"x","maintainers":[]},"2":{"_npmUser":"y","scripts":{"install":"z"}}},"time":{"1":"2024-01-01T00:00:00Z"}}`), "2")
	f.Fuzz(func(t *testing.T, data []byte, version string) {
		d, err := npm.Decode(data)
		if err != nil {
			return
		}
		checkFindings(t, Check(FromDocument(d), version, now))
	})
}
