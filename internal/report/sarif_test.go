package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// sarifLog is the part of the SARIF 2.1.0 schema the test checks.
type sarifLog struct {
	Schema  *string `json:"$schema"`
	Version *string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           *string `json:"name"`
				Version        string  `json:"version"`
				InformationURI string  `json:"informationUri"`
				Rules          []struct {
					ID               *string `json:"id"`
					ShortDescription *struct {
						Text *string `json:"text"`
					} `json:"shortDescription"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful *bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level   string `json:"level"`
				Message struct {
					Text *string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    *string `json:"ruleId"`
			RuleIndex *int    `json:"ruleIndex"`
			Level     string  `json:"level"`
			Message   struct {
				Text *string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI *string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			Suppressions []struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
			Properties          map[string]any    `json:"properties"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func renderSARIF(t *testing.T, rep *Report) (sarifLog, []byte) {
	t.Helper()
	var out bytes.Buffer
	if err := (sarifRenderer{cwd: t.TempDir()}).Render(&out, rep); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatalf("%v\n%s", err, out.Bytes())
	}
	return log, out.Bytes()
}

func TestSARIFStructure(t *testing.T) {
	rep := loadReport(t, "testdata/report.json")
	log, raw := renderSARIF(t, rep)
	if log.Schema == nil || *log.Schema == "" {
		t.Error("missing $schema")
	}
	if log.Version == nil || *log.Version != "2.1.0" {
		t.Errorf("version = %v, want 2.1.0", log.Version)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name == nil || *d.Name != "pkgward" || d.Version != "0.1.0" || d.InformationURI != InformationURI {
		t.Errorf("driver = %+v", d)
	}
	if len(d.Rules) != len(rep.Rules) {
		t.Errorf("%d rules, want %d", len(d.Rules), len(rep.Rules))
	}
	for i, r := range d.Rules {
		if r.ID == nil || r.ShortDescription == nil || r.ShortDescription.Text == nil || r.DefaultConfiguration.Level == "" {
			t.Errorf("rule %d incomplete", i)
		}
	}
	nFindings := 0
	for _, r := range rep.Results {
		nFindings += len(r.Findings) + len(r.Suppressed)
	}
	if len(run.Results) != nFindings {
		t.Fatalf("%d results, want %d (one per finding)", len(run.Results), nFindings)
	}
	for i, r := range run.Results {
		if r.RuleID == nil || *r.RuleID == "" {
			t.Errorf("result %d: no ruleId", i)
			continue
		}
		if r.RuleIndex == nil || *r.RuleIndex >= len(d.Rules) || *d.Rules[*r.RuleIndex].ID != *r.RuleID {
			t.Errorf("result %d: ruleIndex %v does not point at %s", i, r.RuleIndex, *r.RuleID)
		}
		if r.Message.Text == nil || *r.Message.Text == "" {
			t.Errorf("result %d: no message.text", i)
		}
		if len(r.Locations) == 0 || len(r.Locations[0].LogicalLocations) == 0 {
			t.Errorf("result %d: no locations", i)
		}
		for _, k := range []string{"ecosystem", "name", "version", "verdict", "confidence"} {
			if _, ok := r.Properties[k]; !ok {
				t.Errorf("result %d: no property %s", i, k)
			}
		}
	}
	// requester, requirements.txt:3, high typosquat.
	r0 := run.Results[0]
	if r0.Level != "error" || r0.Locations[0].PhysicalLocation == nil ||
		*r0.Locations[0].PhysicalLocation.ArtifactLocation.URI != "requirements.txt" ||
		r0.Locations[0].PhysicalLocation.Region.StartLine != 3 ||
		r0.Locations[0].LogicalLocations[0].FullyQualifiedName != "pypi/requester" {
		t.Errorf("first result located wrongly: %+v", r0.Locations[0])
	}
	if ev, _ := r0.Properties["evidence"].(map[string]any); ev["target"] != "requests" {
		t.Errorf("evidence = %v", r0.Properties["evidence"])
	}
	// The argv result has no physical location.
	for _, r := range run.Results {
		if r.Properties["name"] == "Nеwtonsoft.Json" && r.Locations[0].PhysicalLocation != nil {
			t.Error("argv result has a physical location")
		}
	}
	last := run.Results[len(run.Results)-1]
	if len(last.Suppressions) != 1 || last.Suppressions[0].Kind != "external" || last.Suppressions[0].Justification == "" {
		t.Errorf("suppressed finding: %+v", last.Suppressions)
	}
	if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful == nil || *run.Invocations[0].ExecutionSuccessful {
		t.Fatalf("invocations = %+v, want one, unsuccessful", run.Invocations)
	}
	if n := run.Invocations[0].Notifications; len(n) == 0 || n[0].Level != "error" || n[0].Message.Text == nil {
		t.Errorf("notifications = %+v", n)
	}
	if bytes.Contains(raw, []byte(": null")) {
		t.Error("output contains null values, which the SARIF schema rejects")
	}
}

func TestSARIFEmptyAndUnknownRule(t *testing.T) {
	log, raw := renderSARIF(t, &Report{Tool: Tool{Name: "pkgward", Version: "dev"}})
	run := log.Runs[0]
	if run.Results == nil || run.Tool.Driver.Rules == nil || !bytes.Contains(raw, []byte(`"results": []`)) {
		t.Errorf("empty report: results/rules must be arrays:\n%s", raw)
	}
	if s := run.Invocations[0].ExecutionSuccessful; s == nil || !*s {
		t.Error("no errors: executionSuccessful must be true")
	}

	log, _ = renderSARIF(t, &Report{Results: []record.Result{{
		Ecosystem: "npm", Name: "x", Source: "stdin:3", Verdict: record.Warn,
		Findings: []record.Finding{{Rule: "new-rule", Severity: record.Low, Message: "m"}},
	}}})
	run = log.Runs[0]
	if len(run.Tool.Driver.Rules) != 1 || *run.Tool.Driver.Rules[0].ID != "new-rule" {
		t.Errorf("uncatalogued rule not described: %+v", run.Tool.Driver.Rules)
	}
	if r := run.Results[0]; r.Level != "note" || r.Locations[0].PhysicalLocation != nil {
		t.Errorf("low finding from stdin: %+v", r)
	}
}

func TestSplitSource(t *testing.T) {
	for _, c := range []struct {
		src  string
		file string
		line int
		ok   bool
	}{
		{"requirements.txt:3", "requirements.txt", 3, true},
		{"sub/dir/package-lock.json:120", "sub/dir/package-lock.json", 120, true},
		{"package.json", "package.json", 0, true},
		{`C:\src\requirements.txt:7`, `C:\src\requirements.txt`, 7, true},
		{"argv", "", 0, false},
		{"stdin:3", "", 0, false},
		{"-:3", "", 0, false},
		{"feed:npm", "", 0, false},
		{"https://example.com/x:3", "", 0, false},
		{"", "", 0, false},
		{"file:0", "", 0, false},
		{"file:+3", "", 0, false},
	} {
		file, line, ok := splitSource(c.src)
		if file != c.file || line != c.line || ok != c.ok {
			t.Errorf("splitSource(%q) = %q, %d, %v; want %q, %d, %v", c.src, file, line, ok, c.file, c.line, c.ok)
		}
	}
}

func TestSARIFLevels(t *testing.T) {
	want := map[record.Severity]string{record.Critical: "error", record.High: "error",
		record.Medium: "warning", record.Low: "note", record.Info: "note"}
	for s, l := range want {
		if got := sarifLevel(s); got != l {
			t.Errorf("sarifLevel(%s) = %s, want %s", s, got, l)
		}
	}
}

// TestSARIFRuleMetadata: every catalog rule is a SARIF rule, with
// security-severity from its severity, tags, help in text and Markdown and
// a helpUri at its anchor of docs/rules.md; rules without findings are
// listed too, and undocumented rules (a user's rules file) get no helpUri.
func TestSARIFRuleMetadata(t *testing.T) {
	rep := &Report{
		Rules: []record.Rule{
			{ID: "typosquat", Severity: record.High, Title: "Name imitates a package", Description: "Small <edit>."},
			{ID: "install-script", Severity: record.Critical, Title: "Install script"},
			{ID: "registry-unofficial", Severity: record.Info, Title: "Unofficial registry"},
			{ID: "acme-token", Severity: record.Medium, Title: "Our token"},
		},
		Undocumented: map[string]bool{"acme-token": true},
	}
	_, raw := renderSARIF(t, rep)
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
						Help    struct {
							Text     string `json:"text"`
							Markdown string `json:"markdown"`
						} `json:"help"`
						Properties struct {
							SecuritySeverity string   `json:"security-severity"`
							Tags             []string `json:"tags"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	rules := doc.Runs[0].Tool.Driver.Rules
	want := []struct{ id, sev, uri, family string }{
		{"typosquat", "8.0", RulesDoc + "#typosquat", "typosquatting"},
		{"install-script", "9.5", RulesDoc + "#install-script", "malicious-code"},
		{"registry-unofficial", "0.0", RulesDoc + "#registry-unofficial", "registry-configuration"},
		{"acme-token", "5.5", "", "malicious-code"},
	}
	if len(rules) != len(want) {
		t.Fatalf("%d rules, want %d (every catalog rule, with or without findings)", len(rules), len(want))
	}
	for i, w := range want {
		r := rules[i]
		if r.ID != w.id || r.Properties.SecuritySeverity != w.sev || r.HelpURI != w.uri {
			t.Errorf("rule %d: id %q security-severity %q helpUri %q; want %q %q %q", i, r.ID, r.Properties.SecuritySeverity, r.HelpURI, w.id, w.sev, w.uri)
		}
		if len(r.Properties.Tags) != 3 || r.Properties.Tags[0] != "security" || r.Properties.Tags[2] != w.family {
			t.Errorf("rule %s: tags %q", r.ID, r.Properties.Tags)
		}
		if r.Help.Text == "" || r.Help.Markdown == "" {
			t.Errorf("rule %s: help %+v", r.ID, r.Help)
		}
		if w.uri != "" && !bytes.Contains([]byte(r.Help.Markdown), []byte("("+w.uri+")")) {
			t.Errorf("rule %s: help markdown does not link its docs: %q", r.ID, r.Help.Markdown)
		}
	}
	if m := rules[0].Help.Markdown; !bytes.Contains([]byte(m), []byte("Small &lt;edit&gt;")) {
		t.Errorf("help markdown does not escape the description: %q", m)
	}
}
