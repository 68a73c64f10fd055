package malicious

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func fixtureDB(t *testing.T) *DB {
	t.Helper()
	db, _ := importPaths(t, Limits{}, filepath.Join("testdata", "osv"))
	return db
}

func TestLookup(t *testing.T) {
	db := fixtureDB(t)
	tests := []struct {
		eco     ecosystem.Ecosystem
		name    string
		version string
		want    []string // advisory ids
	}{
		// Every version.
		{ecosystem.NPM, "crossenv", "", []string{"MAL-2024-1001"}},
		{ecosystem.NPM, "crossenv", "6.1.1", []string{"MAL-2024-1001"}},
		{ecosystem.NPM, "CrossEnv", "0.0.1", []string{"MAL-2024-1001"}},
		{ecosystem.NPM, "@acme-internal/billing", "1.0.0", []string{"MAL-2024-1004"}},
		{ecosystem.NuGet, "coinbase.core", "1.0.0", []string{"MAL-2024-3001"}},
		{ecosystem.RubyGems, "atlas-client", "9.9.9", []string{"MAL-2024-4001"}},
		{ecosystem.Crates, "rustdecimal", "1.23.1", []string{"MAL-2024-6001"}},
		{ecosystem.NPM, "flatmap-stream", "0.1.1", []string{"GHSA-mh6f-8j2x-4483"}},
		// Canonical names: PEP 503 for PyPI, "_" ≡ "-" for crates.
		{ecosystem.PyPI, "py-crypt-tool", "", []string{"MAL-2024-2001"}},
		{ecosystem.PyPI, "PY.crypt__tool", "0.1", []string{"MAL-2024-2001"}},
		{ecosystem.Crates, "fast-log-utils", "0.1.0", []string{"MAL-2024-6002"}},
		// Specific versions: the listed ones only; any version when unknown.
		{ecosystem.NPM, "ua-parser-js", "0.7.29", []string{"MAL-2024-1002"}},
		{ecosystem.NPM, "ua-parser-js", "1.0.0", []string{"MAL-2024-1002"}},
		{ecosystem.NPM, "ua-parser-js", "0.7.28", nil},
		{ecosystem.NPM, "ua-parser-js", "1.0.1", nil},
		{ecosystem.NPM, "ua-parser-js", "", []string{"MAL-2024-1002"}},
		{ecosystem.NPM, "event-stream", "3.3.6", []string{"GHSA-mh6f-8j2x-4483"}},
		{ecosystem.NPM, "event-stream", "3.3.5", nil},
		{ecosystem.Go, "github.com/boltdb-go/bolt", "v1.3.1", []string{"MAL-2024-5001"}},
		{ecosystem.Go, "github.com/BoltDB-Go/bolt", "1.3.1", []string{"MAL-2024-5001"}},
		{ecosystem.Go, "github.com/boltdb-go/bolt", "v1.3.2", nil},
		// Ranges.
		{ecosystem.NPM, "rc", "1.2.9", []string{"MAL-2024-1005"}},
		{ecosystem.NPM, "rc", "1.2.10", []string{"MAL-2024-1005"}},
		{ecosystem.NPM, "rc", "1.3.0", nil},
		{ecosystem.NPM, "rc", "2.3.9", []string{"MAL-2024-1005"}},
		{ecosystem.NPM, "rc", "2.3.10", nil},
		{ecosystem.PyPI, "ctx-utils", "2.0.0", []string{"MAL-2024-2002"}},
		{ecosystem.PyPI, "ctx_utils", "2.0", []string{"MAL-2024-2002"}},
		{ecosystem.PyPI, "ctx-utils", "2.0.1", []string{"MAL-2024-2002"}},
		{ecosystem.PyPI, "ctx-utils", "2.0.2", nil},
		{ecosystem.PyPI, "ctx-utils", "1.9", nil},
		// One record, two ecosystems.
		{ecosystem.NPM, "ctx-utils", "2.0.0", []string{"MAL-2024-2002"}},
		{ecosystem.NPM, "ctx-utils", "2.0.1", nil},
		// Not known; other ecosystem; withdrawn; vulnerability; Maven.
		{ecosystem.NPM, "cross-env", "", nil},
		{ecosystem.PyPI, "crossenv", "", nil},
		{ecosystem.NPM, "left-pad-strict", "", nil},
		{ecosystem.NPM, "lodash", "4.17.15", nil},
		{ecosystem.NPM, "com.example:evil-logger", "", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range db.Lookup(tt.eco, tt.name, tt.version) {
			got = append(got, a.ID)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Lookup(%s, %q, %q) = %q, want %q", tt.eco, tt.name, tt.version, got, tt.want)
		}
	}
	adv := db.Lookup(ecosystem.NPM, "ua-parser-js", "0.8.0")[0]
	if adv.Summary != "Embedded malware in ua-parser-js" || adv.Package.Name != "ua-parser-js" ||
		!reflect.DeepEqual(adv.Aliases, []string{"GHSA-pjwm-rvh2-c87w", "CVE-2021-27292-not-real"}) || adv.Published.Year() != 2021 {
		t.Errorf("advisory = %+v", adv)
	}
	var nilDB *DB
	if nilDB.Lookup(ecosystem.NPM, "x", "") != nil || nilDB.Known(ecosystem.NPM, "x") {
		t.Error("nil database answers")
	}
}

func TestLookupMissAllocatesNothing(t *testing.T) {
	db := fixtureDB(t)
	allocs := testing.AllocsPerRun(100, func() {
		db.Lookup(ecosystem.NPM, "express", "4.18.2")
		db.Lookup(ecosystem.PyPI, "requests", "")
	})
	if allocs != 0 {
		t.Errorf("a miss allocates %v times", allocs)
	}
}

func TestAnalyzer(t *testing.T) {
	a := NewAnalyzer(fixtureDB(t))
	tests := []struct {
		name     string
		pkg      record.Package
		severity []record.Severity
		affected []any
		message  string
	}{
		{"every version", record.Package{Ecosystem: ecosystem.NPM, Name: "crossenv"},
			[]record.Severity{record.Critical}, []any{"all versions"}, `"crossenv" is a known malicious package, every version: MAL-2024-1001 (Malicious code in crossenv (npm))`},
		{"every version, range in the manifest", record.Package{Ecosystem: ecosystem.NPM, Name: "crossenv", Version: "^6.1.0"},
			[]record.Severity{record.Critical}, []any{"all versions"}, ""},
		{"pinned malicious version", record.Package{Ecosystem: ecosystem.NPM, Name: "ua-parser-js", Version: "0.7.29"},
			[]record.Severity{record.Critical}, []any{[]string{"0.7.29"}}, "ua-parser-js 0.7.29 is a known malicious version: MAL-2024-1002 (Embedded malware in ua-parser-js)"},
		{"pinned with ==", record.Package{Ecosystem: ecosystem.PyPI, Name: "ctx_utils", Version: "==2.0.1"},
			[]record.Severity{record.Critical}, []any{[]string{"2.0.1"}}, ""},
		{"pinned clean version", record.Package{Ecosystem: ecosystem.NPM, Name: "ua-parser-js", Version: "0.7.28"}, nil, nil, ""},
		{"unknown version", record.Package{Ecosystem: ecosystem.NPM, Name: "ua-parser-js"},
			[]record.Severity{record.Medium}, []any{[]string{"0.7.29", "0.8.0", "1.0.0"}}, ""},
		{"constraint", record.Package{Ecosystem: ecosystem.NPM, Name: "rc", Version: "^1.2.0"},
			[]record.Severity{record.Medium}, []any{[]string{">= 1.2.9, < 1.3.0", ">= 2.3.9, <= 2.3.9"}}, ""},
		{"clean package", record.Package{Ecosystem: ecosystem.NPM, Name: "express", Version: "4.18.2"}, nil, nil, ""},
		{"withdrawn", record.Package{Ecosystem: ecosystem.NPM, Name: "left-pad-strict"}, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := a.Analyze(&tt.pkg)
			if len(fs) != len(tt.severity) {
				t.Fatalf("findings = %+v", fs)
			}
			for i, f := range fs {
				if f.Rule != RuleID || f.Severity != tt.severity[i] || !reflect.DeepEqual(f.Evidence["affected"], tt.affected[i]) {
					t.Errorf("finding = %+v", f)
				}
				if (f.Severity == record.Critical) != (f.Confidence == 1.0) {
					t.Errorf("confidence %v with severity %v", f.Confidence, f.Severity)
				}
				if tt.message != "" && f.Message != tt.message {
					t.Errorf("message = %q\nwant      %q", f.Message, tt.message)
				}
				for _, k := range []string{"id", "url"} {
					if _, ok := f.Evidence[k]; !ok {
						t.Errorf("evidence lacks %s: %v", k, f.Evidence)
					}
				}
			}
		})
	}
	f := a.Analyze(&record.Package{Ecosystem: ecosystem.NPM, Name: "ua-parser-js", Version: "1.0.0"})[0]
	want := map[string]any{
		"id": "MAL-2024-1002", "url": "https://osv.dev/vulnerability/MAL-2024-1002",
		"aliases": []string{"GHSA-pjwm-rvh2-c87w", "CVE-2021-27292-not-real"}, "summary": "Embedded malware in ua-parser-js",
		"published": "2021-10-22T18:00:00Z", "modified": "2024-05-10T08:00:00Z", "affected": []string{"1.0.0"},
	}
	if !reflect.DeepEqual(f.Evidence, want) {
		t.Errorf("evidence = %v\nwant %v", f.Evidence, want)
	}
	if f := a.Analyze(&record.Package{Ecosystem: ecosystem.NPM, Name: "flatmap-stream"}); len(f) != 1 || f[0].Evidence["basis"] != BasisCWE506 {
		t.Errorf("flatmap-stream: %+v", f)
	}
	if NewAnalyzer(nil).Analyze(&record.Package{Ecosystem: ecosystem.NPM, Name: "crossenv"}) != nil {
		t.Error("an analyzer without a database reports")
	}
	rules := a.Rules()
	if len(rules) != 1 || rules[0].ID != "known-malicious" || rules[0].Severity != record.Critical || a.Name() != "malicious" {
		t.Errorf("rules = %+v", rules)
	}
}

func TestAnalyzerManyVersions(t *testing.T) {
	var vs []string
	for i := range 30 {
		vs = append(vs, "1.0."+strings.Repeat("1", 1)+string(rune('0'+i%10))+string(rune('a'+i/10)))
	}
	db := Build([]*Record{{ID: "MAL-1", Basis: BasisMALID, Packages: []Affected{{Ecosystem: ecosystem.NPM, Name: "x", Versions: vs}}}}, nil, Meta{})
	f := NewAnalyzer(db).Analyze(&record.Package{Ecosystem: ecosystem.NPM, Name: "x"})
	if len(f) != 1 || len(f[0].Evidence["affected"].([]string)) != maxEvidenceVersions || f[0].Evidence["affected_total"] != 30 {
		t.Errorf("finding = %+v", f)
	}
}

func TestEcoOrdinal(t *testing.T) {
	all := ecosystem.All()
	if len(all) != numEcosystems {
		t.Fatalf("%d ecosystems, numEcosystems = %d", len(all), numEcosystems)
	}
	for i, e := range all {
		if ecoOrdinal(e) != i {
			t.Errorf("ecoOrdinal(%s) = %d, want %d", e, ecoOrdinal(e), i)
		}
	}
}
