package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// hostileReport puts s in every untrusted field a renderer shows.
func hostileReport(s string) *Report {
	f := record.Finding{Rule: "typosquat", Severity: record.High, Confidence: 0.9, Message: s,
		Evidence: map[string]any{"target": s, s: s, "indicators": []string{s, s}}}
	return &Report{
		Tool: Tool{Name: "pkgward", Version: "0.1.0"},
		Results: []record.Result{
			{Ecosystem: ecosystem.NPM, Name: s, Version: s, Source: s, Verdict: record.Block, Findings: []record.Finding{f}},
			{Ecosystem: ecosystem.NPM, Name: s, Verdict: record.Block, Findings: []record.Finding{{Rule: campaignRule, Severity: record.High,
				Message: s, Evidence: map[string]any{"campaign": s, "size": s, "indicators": []string{s}}}}},
			{Ecosystem: ecosystem.NPM, Name: s, Verdict: record.Allow, Findings: []record.Finding{}, Suppressed: []record.Suppressed{{Finding: f, Reason: s}}},
		},
		Errors:  []record.InputError{{File: s, Line: 1, Msg: s}},
		Notices: []string{s},
	}
}

var hostileStrings = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'; alert(1); '`,
	"</details><script src=//evil.example/x.js></script>",
	"pay\u202elod\u2066x\u2069 zero\u200dwidth \ufeff bom",
	"\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",
	"[click](javascript:alert(1)) ![i](http://evil.example/p.png) <http://evil.example> www.evil.example https://evil.example @org/team $x$ | a | b |",
	"\xff\xfe invalid",
}

// markupTag finds an HTML tag (or its start) in Markdown or HTML output.
var markupTag = regexp.MustCompile(`<[A-Za-z!/?]`)

// TestHostileMarkup: nothing from a package or an input can open a tag,
// a link or a mention in the markdown and html outputs, or leave a bidi,
// zero-width or control character in them.
func TestHostileMarkup(t *testing.T) {
	allowedTags := map[string]map[string]bool{
		"markdown": {"<d": true, "</": true, "<s": true}, // <details>, <summary>, <sub> and their ends: checked below
	}
	for _, s := range hostileStrings {
		for _, format := range []string{"markdown", "html", "text"} {
			r, err := New(format, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := r.Render(&out, hostileReport(s)); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			got := out.String()
			for _, c := range []string{"\u202e", "\u2066", "\u2069", "\u200d", "\ufeff", "\x1b", "\xff"} {
				if strings.Contains(got, c) {
					t.Errorf("%s of %q keeps the raw character %q", format, s, c)
				}
			}
			switch format {
			case "html":
				// The only tags are the template's: none of the input's
				// letters follow a '<'.
				for _, m := range []string{"<script", "<img", "<a ", "<a>", "onerror=alert(1)>"} {
					if strings.Contains(got, m) {
						t.Errorf("html of %q contains %q", s, m)
					}
				}
				if !strings.Contains(got, `content="default-src 'none'; style-src 'unsafe-inline'"`) {
					t.Error("html lacks its Content-Security-Policy")
				}
				if strings.Contains(got, "http://evil") && !strings.Contains(s, "http://evil") {
					t.Error("html invents a link")
				}
			case "markdown":
				for _, line := range strings.Split(got, "\n") {
					for _, loc := range markupTag.FindAllStringIndex(line, -1) {
						tag := line[loc[0]:]
						if !allowedTags["markdown"][tag[:2]] || !(strings.HasPrefix(tag, "<details>") || strings.HasPrefix(tag, "</details>") ||
							strings.HasPrefix(tag, "<summary>") || strings.HasPrefix(tag, "</summary>") ||
							strings.HasPrefix(tag, "<sub>") || strings.HasPrefix(tag, "</sub>")) {
							t.Errorf("markdown of %q opens a tag: %q", s, line)
						}
					}
				}
				for _, m := range []string{"](", "p://", "s://", "www.", " @org", "$x$", "| a |"} {
					if strings.Contains(got, m) {
						t.Errorf("markdown of %q contains the unescaped %q", s, m)
					}
				}
			}
		}
	}
}

// TestMarkdownTableCells: a finding row has exactly five cells whatever
// pipes the message holds.
func TestMarkdownTableCells(t *testing.T) {
	var out bytes.Buffer
	if err := (markdownRenderer{}).Render(&out, hostileReport("a | b | c")); err != nil {
		t.Fatal(err)
	}
	unescaped := regexp.MustCompile(`(^|[^\\])\|`)
	rows := 0
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "| high |") {
			rows++
			if n := len(unescaped.FindAllString(line, -1)); n != 6 {
				t.Errorf("row has %d cell separators, want 6: %s", n, line)
			}
		}
	}
	if rows != 2 {
		t.Errorf("%d high rows, want 2:\n%s", rows, out.String())
	}
}

// TestShownEvidence: the human formats leave out the rule description and
// a detail the message repeats, and keep everything else.
func TestShownEvidence(t *testing.T) {
	f := record.Finding{Message: `"reqeusts" looks like "requests": 'u' and 'e' swapped`, Evidence: map[string]any{
		"detail": "'u' and 'e' swapped", "description": "A long rule description.", "target": "requests", "distance": 1,
	}}
	if got, want := evidenceLine(&f), "distance=1 target=requests"; got != want {
		t.Errorf("text evidence %q, want %q", got, want)
	}
	f.Evidence["detail"] = "something the message does not say"
	if got := evidenceLine(&f); !strings.Contains(got, "detail=something") || strings.Contains(got, "description") {
		t.Errorf("text evidence %q", got)
	}
}

// FuzzHTML: no input string opens a tag in the html report.
func FuzzHTML(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var out bytes.Buffer
		if err := (htmlRenderer{}).Render(&out, hostileReport(s)); err != nil {
			t.Fatal(err)
		}
		var clean bytes.Buffer
		if err := (htmlRenderer{}).Render(&clean, hostileReport("x")); err != nil {
			t.Fatal(err)
		}
		if a, b := strings.Count(out.String(), "<"), strings.Count(clean.String(), "<"); a > b {
			t.Errorf("input %q adds %d '<' to the page", s, a-b)
		}
	})
}

// TestMarkdownBounded: a report with many findings lists the most severe
// markdownFindings and says how many more there are.
func TestMarkdownBounded(t *testing.T) {
	rep := &Report{}
	for i := range markdownFindings + 7 {
		sev := record.Medium
		if i == markdownFindings+6 {
			sev = record.Critical // last in input order, first in the table
		}
		rep.Results = append(rep.Results, record.Result{Ecosystem: ecosystem.NPM, Name: "p" + strings.Repeat("x", i), Verdict: record.Warn,
			Findings: []record.Finding{{Rule: "typosquat", Severity: sev, Message: "m"}}})
	}
	var out bytes.Buffer
	if err := (markdownRenderer{}).Render(&out, rep); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if n := strings.Count(got, "\n| medium |") + strings.Count(got, "\n| critical |"); n != markdownFindings {
		t.Errorf("%d table rows, want %d", n, markdownFindings)
	}
	if !strings.Contains(got, "\n| critical |") || !strings.Contains(got, "7 more findings") {
		t.Errorf("the critical finding or the count of the rest is missing:\n%s", got)
	}
	if n := strings.Count(got, "#### "); n != markdownFindings {
		t.Errorf("%d evidence entries, want %d", n, markdownFindings)
	}
}

// TestEvidenceValues: lists and maps read as data in the human formats,
// not as Go values (no "map[...]"); maps are in key order.
func TestEvidenceValues(t *testing.T) {
	for _, c := range []struct {
		name     string
		v        any
		text, md string
	}{
		{"string", "requests", "requests", "requests"},
		{"number", 3, "3", "3"},
		{"list", []string{"Latin", "Cyrillic"}, "[Latin Cyrillic]", "Latin, Cyrillic"},
		{"decoded list", []any{"a", 2.0}, "[a 2]", "a, 2"},
		{"map", map[string]string{"р": "p", "а": "a"}, "[а:a р:p]", "а: a, р: p"},
		{"decoded map", map[string]any{"о": "o", "b": 1.5}, "[b:1.5 о:o]", "b: 1.5, о: o"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := record.Finding{Evidence: map[string]any{"v": c.v}}
			if got, want := evidenceLine(&f), "v="+c.text; got != want {
				t.Errorf("text %q, want %q", got, want)
			}
			if got := shownEvidence(&f)[0].Value; got != c.md {
				t.Errorf("markdown/html %q, want %q", got, c.md)
			}
		})
	}
}
