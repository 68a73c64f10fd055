package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

func TestJSONArraysNeverNull(t *testing.T) {
	rep := &Report{Tool: Tool{Name: "pkgward", Version: "0.1.0"},
		Results: []record.Result{{Ecosystem: "pypi", Name: "numpy", Verdict: record.Allow}}}
	var out bytes.Buffer
	if err := (jsonRenderer{}).Render(&out, rep); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "null") || strings.Contains(s, "notices") || !strings.HasSuffix(s, "}\n") {
		t.Errorf("output:\n%s", s)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if string(doc["schema"]) != `"pkgward/report/v1"` || string(doc["errors"]) != "[]" {
		t.Errorf("doc = %s", s)
	}
	if rep.Results[0].Findings != nil {
		t.Error("renderer modified the report")
	}

	out.Reset()
	if err := (jsonRenderer{}).Render(&out, &Report{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"results": []`) {
		t.Errorf("empty report: %s", out.String())
	}
}

// The json document's results and the jsonl lines are the same objects.
func TestJSONAndJSONLAgree(t *testing.T) {
	rep := loadReport(t, "testdata/report.json")
	var doc struct {
		Results []json.RawMessage `json:"results"`
	}
	var out bytes.Buffer
	if err := (jsonRenderer{}).Render(&out, rep); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for i := range rep.Results {
		var compact bytes.Buffer
		if err := json.Compact(&compact, doc.Results[i]); err != nil {
			t.Fatal(err)
		}
		line := AppendJSONL(nil, &rep.Results[i])
		if compact.String()+"\n" != string(line) {
			t.Errorf("result %d:\njson  %s\njsonl %s", i, compact.Bytes(), line)
		}
	}
}

func TestNewUnknownFormat(t *testing.T) {
	for _, f := range Formats {
		if _, err := New(f, Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	for _, f := range []string{"xml", "HTML", "md", ""} {
		if _, err := New(f, Options{}); err == nil {
			t.Errorf("New(%q) succeeded", f)
		}
	}
}
