package dashboard

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

// now is the dashboard's clock in tests.
var now = time.Date(2026, 12, 4, 12, 30, 0, 0, time.UTC)

// hostile is package text that must reach the page escaped.
const hostile = `<script>alert("x")</script>`

// seed fills a fresh SQLite store with checks of every verdict, a
// campaign and a feed cursor.
func seed(t testing.TB) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "dash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	save := func(c store.Check) {
		t.Helper()
		if _, err := st.SaveCheck(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	save(store.Check{Kind: store.KindPackage, Ecosystem: "npm", Name: "expresss", Version: "1.0.0", Source: "gate", Verdict: record.Block,
		CheckedAt: now.Add(-2 * time.Hour),
		Findings: []record.Finding{{Rule: "typosquat", Severity: record.High, Confidence: 0.9,
			Message: "expresss looks like express " + hostile, Evidence: map[string]any{"target": "express", "note": hostile}}}})
	save(store.Check{Kind: store.KindPackage, Ecosystem: "npm", Name: "@acme/tool", Version: "2.0.0", Source: "feed:npm", Verdict: record.Warn,
		CheckedAt: now.Add(-time.Hour),
		Findings:  []record.Finding{{Rule: "install-script", Severity: record.Medium, Confidence: 0.6, Message: "runs a postinstall script"}}})
	for i, n := range []string{"lodash", "react", "requests"} {
		save(store.Check{Kind: store.KindPackage, Ecosystem: "npm", Name: n, Version: "1", Source: "gate", Verdict: record.Allow, CheckedAt: now.Add(-time.Duration(i) * time.Minute)})
	}
	if err := st.UpsertCampaign(ctx, store.CampaignInfo{ID: "cmp-00112233aabbccdd", Confidence: 0.95, Indicators: campaign.Indicators{
		NameTemplates: []campaign.Count{{Value: "free-robux-{n}", Count: 3}},
		Domains:       []campaign.LinkCount{{Value: "lure.example", Count: 3}},
	}}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := st.AddCampaignMember(ctx, "cmp-00112233aabbccdd", store.CampaignMember{Ecosystem: "npm", Name: "free-robux-" + string(rune('a'+i)), Version: "1.0.0", SeenAt: now.Add(-time.Duration(i) * 30 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.(store.QueueStore).AdvanceFeed(ctx, store.FeedAdvance{Ecosystem: "npm", Cursor: "12345", LastPoll: now.Add(-90 * time.Second), Errors: 1,
		Gap: &store.FeedGap{From: "900", To: "17", Reason: "the npm changes sequence went backwards (feed reset)"}}, nil); err != nil {
		t.Fatal(err)
	}
	return st
}

func get(t *testing.T, h http.Handler, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body), rec.Result().Header
}

func TestPages(t *testing.T) {
	h := New(Config{Store: seed(t), Now: func() time.Time { return now }})
	for _, tc := range []struct {
		path   string
		status int
		want   []string
		absent []string
	}{
		{"/", 200, []string{`id="stat-checks">5<`, `id="stat-block">1<`, `id="stat-allow">3<`, "<svg", `class="block"`, "expresss", "cmp-00112233aabbccdd", "12345", "feed reset"}, nil},
		{"/findings", 200, []string{"typosquat", "install-script", `href="/packages/npm/@acme%2Ftool"`}, nil},
		{"/findings?verdict=block", 200, []string{"typosquat"}, []string{"install-script"}},
		{"/findings?rule=install-script", 200, []string{"postinstall"}, []string{"expresss looks like"}},
		{"/findings?verdict=bogus", 400, []string{"unknown verdict"}, nil},
		{"/findings?ecosystem=cpan", 400, []string{"unsupported ecosystem"}, nil},
		{"/findings?cursor=garbage", 400, nil, nil},
		{"/campaigns", 200, []string{"cmp-00112233aabbccdd", "free-robux-{n}", "lure.example"}, nil},
		{"/campaigns/cmp-00112233aabbccdd", 200, []string{`id="campaign-size">3<`, "free-robux-a", "free-robux-c", "<svg", `class="member"`}, nil},
		{"/campaigns/cmp-unknown", 404, nil, nil},
		{"/packages/npm/expresss", 200, []string{"typosquat", "&#34;target&#34;: &#34;express&#34;", "source gate"}, nil},
		{"/packages/npm/%40acme%2Ftool", 200, []string{"install-script", "feed:npm"}, nil},
		{"/packages/npm/nothere", 404, nil, nil},
		{"/packages/cpan/x", 404, nil, nil},
		{"/static/style.css", 200, []string{"--block"}, nil},
		{"/nope", 404, nil, nil},
	} {
		code, body, hdr := get(t, h, tc.path)
		if code != tc.status {
			t.Errorf("GET %s = %d, want %d\n%s", tc.path, code, tc.status, body)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q in the page", tc.path, w)
			}
		}
		for _, a := range tc.absent {
			if strings.Contains(body, a) {
				t.Errorf("GET %s: %q should not be on the page", tc.path, a)
			}
		}
		if strings.Contains(body, hostile) {
			t.Errorf("GET %s: package text reached the page unescaped", tc.path)
		}
		if !strings.Contains(hdr.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("GET %s: no CSP", tc.path)
		}
	}
}

func TestFindingsPagination(t *testing.T) {
	st := seed(t)
	ctx := context.Background()
	for i := range store.DefaultLimit + 5 {
		if _, err := st.SaveCheck(ctx, store.Check{Kind: store.KindPackage, Ecosystem: "pypi", Name: "p" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Version: "1", Source: "gate", Verdict: record.Warn,
			Findings: []record.Finding{{Rule: "lure-text", Severity: record.Medium, Message: "m"}}}); err != nil {
			t.Fatal(err)
		}
	}
	h := New(Config{Store: st, Now: func() time.Time { return now }})
	_, body, _ := get(t, h, "/findings?ecosystem=pypi")
	i := strings.Index(body, `rel="next" href="`)
	if i < 0 {
		t.Fatal("no next link on a full page")
	}
	next := body[i+len(`rel="next" href="`):]
	next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
	code, body2, _ := get(t, h, next)
	if code != 200 || strings.Contains(body2, `rel="next"`) || strings.Count(body2, "lure-text") != 5 {
		t.Errorf("page 2 (%s): %d, %d rows", next, code, strings.Count(body2, "lure-text"))
	}
	if !strings.Contains(next, "ecosystem=pypi") {
		t.Errorf("the next link dropped the filter: %s", next)
	}
}

func TestChart(t *testing.T) {
	cols := []series{{Start: now, Counts: []int64{3, 0, 7}}, {Start: now.Add(time.Hour), Counts: []int64{0, 0, 0}}}
	c := newChart("t", cols, []string{"allow", "warn", "block"}, "15:04", 1)
	if c.Empty || len(c.Bars) != 2 || len(c.Bars[0].Parts) != 2 || len(c.Bars[1].Parts) != 0 {
		t.Fatalf("chart %+v", c)
	}
	// The tallest bar fills the plot up to the scale (10 for a top of 10).
	p := c.Bars[0].Parts
	if p[0].Class != "allow" || p[1].Class != "block" || p[1].Y+p[1].H != p[0].Y {
		t.Errorf("parts not stacked: %+v", p)
	}
	if total := p[0].H + p[1].H; total < chartH-padBot-padTop-0.5 {
		t.Errorf("a full-scale bar is %.1f high", total)
	}
	if newChart("t", []series{{Start: now, Counts: []int64{0}}}, []string{"x"}, "", 0).Empty != true {
		t.Error("an all-zero chart is not empty")
	}
	for n, want := range map[int64]int64{0: 2, 3: 5, 7: 10, 10: 10, 11: 20, 150: 200, 999: 1000} {
		if got := niceCeil(n); got != want {
			t.Errorf("niceCeil(%d) = %d, want %d", n, got, want)
		}
	}
}
