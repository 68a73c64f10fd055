package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/record"
)

// stdJSONL is the reference: encoding/json, compact, nil findings as [].
func stdJSONL(t testing.TB, r *record.Result) []byte {
	t.Helper()
	c := withFindings(r)
	b, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

var trickyNames = []string{
	"",
	"requests",
	`quo"te`,
	`back\slash`,
	`\"`,
	"tab\there",
	"nl\nlf\rcr",
	"\b\f\v\x00\x01\x1f",
	"del\x7f",
	"<script>alert(1)</script>&amp;",
	"line\u2028sep\u2029para",
	"\u2027\u202a\u202e\u2066",
	"\xff\xfe",
	"trunc\xe2\x82",
	"\xed\xa0\x80surrogate",
	"\xf4\x90\x80\x80beyond",
	"\xc0\xafoverlong",
	"emoji 😀🧑‍💻",
	"Nеwtonsoft.Json",
	"日本語",
	"\ufffd",
	"\uFEFFbom",
	"@scope/pkg",
	strings.Repeat("a", 300) + "\x00",
}

func TestAppendJSONLMatchesEncodingJSON(t *testing.T) {
	for _, name := range trickyNames {
		for _, findings := range [][]record.Finding{nil, {}} {
			r := record.Result{
				Ecosystem: "pypi", Name: name, Version: name + "1.0",
				Source: "requirements.txt:3" + name, Verdict: record.Verdict(name),
				Findings: findings,
			}
			got := AppendJSONL(nil, &r)
			want := stdJSONL(t, &r)
			if !bytes.Equal(got, want) {
				t.Errorf("name %q:\n got %s\nwant %s", name, got, want)
			}
			if !json.Valid(got) {
				t.Errorf("name %q: invalid JSON %s", name, got)
			}
		}
	}
}

func TestAppendJSONLFindings(t *testing.T) {
	r := record.Result{
		Ecosystem: "npm", Name: "expresss", Source: "package.json", Verdict: record.Warn,
		Findings: []record.Finding{{Rule: "typosquat", Severity: record.Medium, Confidence: 0.6,
			Message: "'expresss' <looks> like 'express'", Evidence: map[string]any{"target": "express", "distance": 1}}},
	}
	prefix := []byte("prefix\n")
	got := AppendJSONL(append([]byte(nil), prefix...), &r)
	if want := append(prefix, stdJSONL(t, &r)...); !bytes.Equal(got, want) {
		t.Errorf("got %s\nwant %s", got, want)
	}

	// Suppressed only: findings still [] not null.
	r = record.Result{Ecosystem: "pypi", Name: "request", Verdict: record.Allow,
		Suppressed: []record.Suppressed{{Finding: record.Finding{Rule: "typosquat"}, Reason: "ok"}}}
	got = AppendJSONL(nil, &r)
	if !bytes.Contains(got, []byte(`"findings":[]`)) || !bytes.Equal(got, stdJSONL(t, &r)) {
		t.Errorf("suppressed-only result: %s", got)
	}
}

func TestAppendJSONLUnencodableEvidence(t *testing.T) {
	r := record.Result{Ecosystem: "npm", Name: "x", Verdict: record.Block,
		Findings: []record.Finding{{Rule: "r", Confidence: math.NaN(), Evidence: map[string]any{"bad": math.Inf(1)}}}}
	got := AppendJSONL(nil, &r)
	var back record.Result
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if back.Name != "x" || len(back.Findings) != 1 || back.Findings[0].Evidence["unencodable"] == nil {
		t.Errorf("salvaged line = %s", got)
	}
}

func TestJSONLRenderer(t *testing.T) {
	rep := &Report{
		Results: []record.Result{
			{Ecosystem: "pypi", Name: "a", Verdict: record.Allow},
			{Ecosystem: "pypi", Name: "b", Verdict: record.Block, Findings: []record.Finding{{Rule: "typosquat", Severity: record.High}}},
		},
		Errors:  []record.InputError{{File: "names.txt", Line: 3, Msg: "not a name"}, {File: "x", Msg: "unreadable"}},
		Notices: []string{"n"},
	}
	var out bytes.Buffer
	if err := (jsonlRenderer{}).Render(&out, rep); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&out)
	var lines []map[string]json.RawMessage
	for sc.Scan() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 5 {
		t.Fatalf("got %d lines, want 5", len(lines))
	}
	if string(lines[0]["findings"]) != "[]" || string(lines[1]["name"]) != `"b"` {
		t.Errorf("result lines: %v", lines[:2])
	}
	if string(lines[2]["error"]) != `{"file":"names.txt","line":3,"message":"not a name"}` {
		t.Errorf("error line: %s", lines[2]["error"])
	}
	if string(lines[4]["notice"]) != `"n"` {
		t.Errorf("notice line: %s", lines[4]["notice"])
	}
}

func FuzzAppendJSONL(f *testing.F) {
	for _, n := range trickyNames {
		f.Add(n, "1.0", "requirements.txt:3")
	}
	f.Fuzz(func(t *testing.T, name, version, source string) {
		r := record.Result{Ecosystem: "npm", Name: name, Version: version, Source: source, Verdict: record.Allow}
		got := AppendJSONL(nil, &r)
		want := stdJSONL(t, &r)
		if !bytes.Equal(got, want) {
			t.Fatalf("name %q version %q source %q:\n got %s\nwant %s", name, version, source, got, want)
		}
		var back record.Result
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		if utf8.ValidString(name) && back.Name != name {
			t.Fatalf("round trip: %q != %q", back.Name, name)
		}
	})
}

func BenchmarkAppendJSONL(b *testing.B) {
	r := record.Result{Ecosystem: "npm", Name: "@babel/plugin-transform-runtime", Version: "7.24.3",
		Source: "stdin:123456", Verdict: record.Allow}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendJSONL(buf[:0], &r)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkAppendJSONLEncodingJSON(b *testing.B) {
	r := record.Result{Ecosystem: "npm", Name: "@babel/plugin-transform-runtime", Version: "7.24.3",
		Source: "stdin:123456", Verdict: record.Allow, Findings: []record.Finding{}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(&r); err != nil {
			b.Fatal(err)
		}
	}
}
