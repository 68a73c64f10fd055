package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/record"
)

// campaignInput is JSON Lines of 25 spam records spread through 200
// honest ones.
func campaignInput(t *testing.T, extra ...string) string {
	t.Helper()
	spam := spamgen.Campaign(spamgen.Config{N: 25, Seed: 11})
	honest := spamgen.Honest(spamgen.HonestConfig{N: 200, Seed: 11})
	var b bytes.Buffer
	for i := range honest {
		if i%8 == 0 {
			line, _ := json.Marshal(&spam[i/8])
			b.Write(append(line, '\n'))
		}
		line, _ := json.Marshal(&honest[i])
		b.Write(append(line, '\n'))
	}
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return b.String()
}

type campaignsOut struct {
	Schema    string              `json:"schema"`
	Records   int                 `json:"records"`
	Members   int                 `json:"members"`
	Campaigns []campaign.Campaign `json:"campaigns"`
	Errors    []record.InputError `json:"errors"`
}

func TestSweepCampaigns(t *testing.T) {
	in := campaignInput(t)
	out, _ := runCode(t, ExitFindings, strings.NewReader(in), "sweep", "--campaigns", "--workers", "3")
	var doc campaignsOut
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not a JSON document: %v\n%s", err, clip(out))
	}
	if doc.Schema != CampaignsSchema || doc.Records != 225 || len(doc.Campaigns) != 1 || doc.Members != 25 || doc.Campaigns[0].Size != 25 || doc.Errors == nil {
		t.Fatalf("doc: schema %q records %d campaigns %d members %d errors %v", doc.Schema, doc.Records, len(doc.Campaigns), doc.Members, doc.Errors)
	}
	for _, m := range doc.Campaigns[0].Members {
		if !strings.Contains(in, `"name":"`+m.Name+`"`) {
			t.Errorf("member %s not in the input", m.Name)
		}
	}
	// Same campaign id whatever the number of workers.
	out1, _ := runCode(t, ExitFindings, strings.NewReader(in), "sweep", "--campaigns", "--workers", "1")
	var doc1 campaignsOut
	json.Unmarshal([]byte(out1), &doc1)
	if len(doc1.Campaigns) != 1 || doc1.Campaigns[0].ID != doc.Campaigns[0].ID {
		t.Errorf("workers 1 and 3 differ")
	}

	text, _ := runCode(t, ExitFindings, strings.NewReader(in), "sweep", "--campaigns", "--format", "text")
	for _, want := range []string{"CAMPAIGN " + doc.Campaigns[0].ID, "25 packages", "shared link", "… and 15 more", "225 records: 1 campaign (25 packages)"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}

	jsonl, _ := runCode(t, ExitFindings, strings.NewReader(in), "sweep", "--campaigns", "--format", "jsonl")
	lines := strings.Split(strings.TrimSpace(jsonl), "\n")
	if len(lines) != 25 {
		t.Fatalf("jsonl: %d lines, want 25", len(lines))
	}
	var r record.Result
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil || len(r.Findings) != 1 || r.Findings[0].Rule != campaign.RuleMember || r.Verdict != record.Block {
		t.Errorf("jsonl line %s: %v", lines[0], err)
	}

	sarif, _ := runCode(t, ExitFindings, strings.NewReader(in), "sweep", "--campaigns", "--format", "sarif")
	if !strings.Contains(sarif, campaign.RuleMember) {
		t.Errorf("sarif lacks the rule")
	}
}

func TestSweepCampaignsErrorsAndNone(t *testing.T) {
	in := campaignInput(t, `{"name":`, `{"ecosystem":"npm","name":"bad name"}`)
	out, _ := runCode(t, ExitError, strings.NewReader(in), "sweep", "--campaigns")
	var doc campaignsOut
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Errors) != 2 || doc.Errors[0].Line != 226 || len(doc.Campaigns) != 1 {
		t.Errorf("errors %+v, campaigns %d", doc.Errors, len(doc.Campaigns))
	}

	honest := spamgen.Honest(spamgen.HonestConfig{N: 100, Seed: 3})
	var b bytes.Buffer
	for i := range honest {
		line, _ := json.Marshal(&honest[i])
		b.Write(append(line, '\n'))
	}
	b.WriteString("plain-name\n")
	out, _ = runCode(t, ExitOK, strings.NewReader(b.String()), "sweep", "--campaigns", "--ecosystem", "npm")
	if !strings.Contains(out, `"campaigns": []`) || !strings.Contains(out, `"records": 101`) {
		t.Errorf("no campaigns expected:\n%s", clip(out))
	}

	_, errs := runCode(t, ExitError, strings.NewReader(""), "sweep", "--campaigns", "--ecosystem", "npm", "--namespace", "x.txt")
	if !strings.Contains(errs, "--namespace does not apply to --campaigns") {
		t.Errorf("stderr: %s", errs)
	}
}

// Floods without lure text are reported by their name shape; honest
// organization families of the same size, burst and sameness are not.
func TestSweepCampaignsShapes(t *testing.T) {
	jsonl := func(recs []record.Package) string {
		var b bytes.Buffer
		for i := range recs {
			line, _ := json.Marshal(&recs[i])
			b.Write(append(line, '\n'))
		}
		return b.String()
	}
	farm := spamgen.TokenFarm(spamgen.Config{N: 60, Seed: 5})
	out, _ := runCode(t, ExitFindings, strings.NewReader(jsonl(farm)), "sweep", "--campaigns")
	var doc campaignsOut
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Campaigns) != 1 || doc.Members < 54 || doc.Campaigns[0].Indicators.NameShape == "" {
		t.Fatalf("token farm: %d campaigns, %d members: %s", len(doc.Campaigns), doc.Members, clip(out))
	}
	text, _ := runCode(t, ExitFindings, strings.NewReader(jsonl(farm)), "sweep", "--campaigns", "--format", "text")
	if !strings.Contains(text, "name shape ") || !strings.Contains(text, "random parts, no common word") {
		t.Errorf("text output lacks the name shape:\n%s", text)
	}
	org := spamgen.OrgFamilies(200, 5)
	out, _ = runCode(t, ExitOK, strings.NewReader(jsonl(org)), "sweep", "--campaigns")
	if !strings.Contains(out, `"campaigns": []`) {
		t.Errorf("organization families reported:\n%s", clip(out))
	}
}
