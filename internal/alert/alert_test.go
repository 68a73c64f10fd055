package alert

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

func blockCheck(name, version, msg string) store.Check {
	return store.Check{
		Kind: store.KindPackage, Ecosystem: ecosystem.NPM, Name: name, Version: version,
		Source: "feed:npm", Verdict: record.Block,
		Findings: []record.Finding{
			{Rule: "install-script-download", Severity: record.High, Message: msg},
			{Rule: "typosquat", Severity: record.Medium, Message: "name is 1 edit from lodash"},
		},
		CheckedAt: time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC),
	}
}

func TestFromCheck(t *testing.T) {
	a := FromCheck(blockCheck("@evil/lodahs", "1.0.0", "postinstall fetches a script"))
	if a.Kind != KindBlock || a.Campaign != nil || a.Package == nil {
		t.Fatalf("alert %+v", a)
	}
	if a.Path != "/packages/npm/@evil%2Flodahs" {
		t.Errorf("path %q", a.Path)
	}
	p := a.Package
	if p.Name != "@evil/lodahs" || p.Version != "1.0.0" || p.Source != "feed:npm" || p.Verdict != record.Block {
		t.Errorf("package %+v", p)
	}
	want := []Finding{{"install-script-download", "postinstall fetches a script"}, {"typosquat", "name is 1 edit from lodash"}}
	if fmt.Sprint(p.Findings) != fmt.Sprint(want) {
		t.Errorf("findings %v, want %v", p.Findings, want)
	}
}

func TestFromCheckBounds(t *testing.T) {
	c := blockCheck(strings.Repeat("n", 5000), "1", strings.Repeat("é", 5000))
	for i := range 30 {
		c.Findings = append(c.Findings, record.Finding{Rule: fmt.Sprint("r", i), Message: "m"})
	}
	a := FromCheck(c)
	if n := len(a.Package.Findings); n != MaxFindings {
		t.Errorf("%d findings kept, want %d", n, MaxFindings)
	}
	if a.Package.MoreFindings != 32-MaxFindings {
		t.Errorf("more findings %d", a.Package.MoreFindings)
	}
	if n := utf8.RuneCountInString(a.Package.Name); n != MaxText+1 {
		t.Errorf("name of %d runes", n)
	}
	if m := a.Package.Findings[0].Message; utf8.RuneCountInString(m) != MaxText+1 || !utf8.ValidString(m) {
		t.Errorf("message of %d runes", utf8.RuneCountInString(m))
	}
	body, err := Body(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) > 32<<10 {
		t.Errorf("body of %d bytes", len(body))
	}
	if !strings.Contains(string(body), "and 22 more findings") {
		t.Errorf("the left-out findings are not counted: %s", body)
	}
}

func TestFromCampaign(t *testing.T) {
	c := campaign.Campaign{
		ID: "cmp-0123456789abcdef", Size: 240, Confidence: 0.93,
		Indicators: campaign.Indicators{
			NameTemplates: []campaign.Count{{Value: "free-{word}-generator-{year}", Count: 200}, {Value: "b", Count: 3}, {Value: "c", Count: 2}},
			Domains:       []campaign.LinkCount{{Value: "bit.example", Count: 180, Shortener: true}},
			Authors:       []campaign.Count{{Value: "spammer", Count: 240}},
			LureTerms:     []campaign.Count{{Value: "free", Count: 200}, {Value: "robux", Count: 100}},
			LureShare:     0.8,
			Burst:         &campaign.Burst{PeakHour: 120},
		},
	}
	at := time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)
	a := FromCampaign(c, at)
	if a.Kind != KindCampaign || a.Package != nil || a.Path != "/campaigns/cmp-0123456789abcdef" || !a.At.Equal(at) {
		t.Fatalf("alert %+v", a)
	}
	got := a.Campaign
	if got.ID != c.ID || got.Size != 240 || got.Confidence != 0.93 {
		t.Errorf("campaign %+v", got)
	}
	want := []string{
		"name template free-{word}-generator-{year} (200)",
		"name template b (3)",
		"domain bit.example (180), a URL shortener",
		"author spammer (240)",
		`lure terms ["free" "robux"] (80% of members)`,
		"up to 120 members published within one hour",
	}
	if strings.Join(got.Indicators, "\n") != strings.Join(want, "\n") {
		t.Errorf("indicators\n%s\nwant\n%s", strings.Join(got.Indicators, "\n"), strings.Join(want, "\n"))
	}
}

func TestWants(t *testing.T) {
	tests := []struct {
		events []string
		kind   Kind
		want   bool
	}{
		{nil, KindBlock, true},
		{nil, KindCampaign, true},
		{[]string{"block"}, KindBlock, true},
		{[]string{"block"}, KindCampaign, false},
		{[]string{"campaign"}, KindBlock, false},
		{[]string{"campaign", "block"}, KindCampaign, true},
	}
	for _, tc := range tests {
		if got := (Target{Events: tc.events}).Wants(tc.kind); got != tc.want {
			t.Errorf("events %v wants %s = %v", tc.events, tc.kind, got)
		}
	}
}

// payloadOf decodes a body as Slack does.
func payloadOf(t testing.TB, body []byte) Payload {
	t.Helper()
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	return p
}

func TestBody(t *testing.T) {
	body, err := Body(FromCheck(blockCheck("lodahs", "1.0.0", "postinstall fetches a script")))
	if err != nil {
		t.Fatal(err)
	}
	p := payloadOf(t, body)
	if p.Text != "pkgward blocked npm lodahs@1.0.0" {
		t.Errorf("text %q", p.Text)
	}
	if len(p.Blocks) != 2 {
		t.Fatalf("blocks %+v", p.Blocks)
	}
	for _, b := range p.Blocks {
		if b.Type != "section" || b.Text == nil || b.Text.Type != "mrkdwn" {
			t.Errorf("block %+v", b)
		}
	}
	if want := "*pkgward blocked* npm `lodahs@1.0.0` (source feed:npm)\nDashboard: `/packages/npm/lodahs`"; p.Blocks[0].Text.Text != want {
		t.Errorf("head %q, want %q", p.Blocks[0].Text.Text, want)
	}
	if want := "• `install-script-download` postinstall fetches a script\n• `typosquat` name is 1 edit from lodash"; p.Blocks[1].Text.Text != want {
		t.Errorf("findings %q, want %q", p.Blocks[1].Text.Text, want)
	}
	if p.Pkgward.Kind != KindBlock || p.Pkgward.Package.Name != "lodahs" {
		t.Errorf("structured alert %+v", p.Pkgward)
	}
}

// entity is an escape esc writes; any other & is raw.
var entity = regexp.MustCompile(`&(amp|lt|gt);`)

// assertSafe fails when untrusted text could act in Slack: a raw <, >
// or & (a mention, a link, an entity), a control character other than
// the payload's own newlines, or a backtick closing a code span early.
func assertSafe(t testing.TB, p Payload) {
	t.Helper()
	texts := []string{p.Text}
	for _, b := range p.Blocks {
		if b.Text != nil {
			texts = append(texts, b.Text.Text)
		}
	}
	for _, s := range texts {
		if strings.ContainsAny(entity.ReplaceAllString(s, ""), "<>&") {
			t.Errorf("unescaped Slack control character in %q", s)
		}
		for _, r := range s {
			if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
				t.Errorf("control character %U in %q", r, s)
			}
		}
		for _, line := range strings.Split(s, "\n") {
			if strings.Count(line, "`")%2 != 0 {
				t.Errorf("unbalanced code span in %q", line)
			}
		}
	}
}

func TestBodyHostile(t *testing.T) {
	tests := []struct {
		name, version, msg string
		want               string // in the head block
	}{
		{"<!channel>", "1", "x", "`&lt;!channel&gt;@1`"},
		{"<https://phish.example|click me>", "1", "x", "`&lt;https://phish.example|click me&gt;@1`"},
		{"a&lt;b", "1", "x", "`a&amp;lt;b@1`"},
		{"x`*bold*`", "1", "x", "`x'*bold*'@1`"},
		{"ok\n*pkgward allowed* everything", "1\r\n", "x", "`ok *pkgward allowed* everything@1  `"},
		{"rtl\u202eexe.js", "1", "x", "`rtl exe.js@1`"},
		{"fine", "1", "<@U123> see <!here> & <javascript:alert(1)|here>\n\tmore", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, err := Body(FromCheck(blockCheck(tc.name, tc.version, tc.msg)))
			if err != nil {
				t.Fatal(err)
			}
			p := payloadOf(t, body)
			assertSafe(t, p)
			if tc.want != "" && !strings.Contains(p.Blocks[0].Text.Text, tc.want) {
				t.Errorf("head %q lacks %q", p.Blocks[0].Text.Text, tc.want)
			}
			// The structured copy keeps the name as published.
			if p.Pkgward.Package.Name != tc.name {
				t.Errorf("structured name %q, want %q", p.Pkgward.Package.Name, tc.name)
			}
		})
	}
	// A hostile campaign indicator (an author, a domain from package
	// metadata) is escaped too.
	c := campaign.Campaign{ID: "cmp-1", Size: 3, Indicators: campaign.Indicators{
		Authors: []campaign.Count{{Value: "<!everyone> & `x", Count: 3}},
	}}
	body, err := Body(FromCampaign(c, time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	p := payloadOf(t, body)
	assertSafe(t, p)
	if !strings.Contains(p.Blocks[1].Text.Text, "author &lt;!everyone&gt; &amp; 'x (3)") {
		t.Errorf("indicators %q", p.Blocks[1].Text.Text)
	}
}

func FuzzBody(f *testing.F) {
	f.Add("<!channel>", "1.0.0", "a & b", "cmp-<x>")
	f.Add("a\nb`c", "\u202e", "<@U1|x>", "\x00")
	f.Fuzz(func(t *testing.T, name, version, msg, author string) {
		for _, a := range []Alert{
			FromCheck(blockCheck(name, version, msg)),
			FromCampaign(campaign.Campaign{ID: name, Size: 1, Indicators: campaign.Indicators{
				Authors: []campaign.Count{{Value: author}}, NameTemplates: []campaign.Count{{Value: msg}},
			}}, time.Time{}),
		} {
			body, err := Body(a)
			if err != nil {
				t.Fatal(err)
			}
			p := payloadOf(t, body)
			assertSafe(t, p)
			for _, b := range p.Blocks {
				if n := utf8.RuneCountInString(b.Text.Text); n > maxSection {
					t.Fatalf("section of %d runes", n)
				}
			}
		}
	})
}
