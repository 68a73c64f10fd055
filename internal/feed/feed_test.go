package feed

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// fixtures is an httptest server answering each path (with its query, if
// a route names one) from a testdata file; routes can be changed between
// polls to replay a feed over time.
type fixtures struct {
	t   *testing.T
	srv *httptest.Server
	mu  sync.Mutex
	// routes: "path" or "path?query" → a file in testdata, "!NNN" for a
	// status, "=BODY" for an inline body.
	routes map[string]string
	hits   map[string]int
	last   *http.Request
}

func newFixtures(t *testing.T, routes map[string]string) *fixtures {
	t.Helper()
	fx := &fixtures{t: t, routes: routes, hits: map[string]int{}}
	fx.srv = httptest.NewServer(http.HandlerFunc(fx.serve))
	t.Cleanup(fx.srv.Close)
	return fx
}

func (fx *fixtures) set(route, file string) {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	fx.routes[route] = file
}

func (fx *fixtures) serve(w http.ResponseWriter, r *http.Request) {
	fx.mu.Lock()
	file, ok := fx.routes[r.URL.Path+"?"+r.URL.RawQuery]
	if !ok {
		file, ok = fx.routes[r.URL.Path]
	}
	fx.hits[r.URL.Path]++
	fx.last = r
	fx.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if body, ok := strings.CutPrefix(file, "="); ok {
		io.WriteString(w, body)
		return
	}
	if strings.HasPrefix(file, "!") {
		code := 0
		for _, c := range file[1:] {
			code = code*10 + int(c-'0')
		}
		w.WriteHeader(code)
		return
	}
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		fx.t.Errorf("fixture %s: %v", file, err)
		w.WriteHeader(500)
		return
	}
	w.Write(b)
}

func mustFeed(t *testing.T, eco ecosystem.Ecosystem, base string, o Options) Feed {
	t.Helper()
	f, err := New(eco, base, o)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// names lists a batch's items as "name@version" (with a "-" prefix for
// deletions), in order.
func names(b Batch) []string {
	var out []string
	for _, it := range b.Items {
		s := it.Name
		if it.Version != "" {
			s += "@" + it.Version
		}
		if it.Deleted {
			s = "-" + s
		}
		out = append(out, s)
	}
	return out
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		eco     ecosystem.Ecosystem
		base    string
		wantErr string
	}{
		{ecosystem.NPM, "", "no base URL"},
		{ecosystem.Go, "", "no base URL"},
		{ecosystem.PyPI, "", ""},
		{ecosystem.NuGet, "", ""},
		{ecosystem.RubyGems, "", ""},
		{ecosystem.Crates, "", ""},
		{ecosystem.NPM, "ftp://mirror.example/", "want http or https"},
		{ecosystem.NPM, "https:///nohost", "no host"},
		{ecosystem.NPM, "https://mirror.example/npm/", ""},
		{"cpan", "https://x.example", "unsupported ecosystem"},
	} {
		_, err := New(tc.eco, tc.base, Options{})
		if tc.wantErr == "" && err != nil {
			t.Errorf("New(%s, %q): %v", tc.eco, tc.base, err)
		}
		if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("New(%s, %q) = %v, want error containing %q", tc.eco, tc.base, err, tc.wantErr)
		}
	}
	if len(Kinds()) != len(ecosystem.All()) {
		t.Errorf("the feed table has %d rows for %d ecosystems", len(Kinds()), len(ecosystem.All()))
	}
}

func TestNPM(t *testing.T) {
	fx := newFixtures(t, map[string]string{
		"/npm/_changes?limit=5&since=0":         "npm-changes-1.json",
		"/npm/_changes?limit=5&since=105":       "npm-changes-2.json",
		"/npm/_changes?descending=true&limit=1": "npm-changes-2.json",
	})
	f := mustFeed(t, ecosystem.NPM, fx.srv.URL+"/npm/", Options{PageSize: 5})
	ctx := context.Background()

	b, cur, err := f.Latest(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "page 1", names(b), []string{"left-pad", "@scope/tool", "-gone-pkg"})
	if cur != "105" || !b.More || b.Errs != nil {
		t.Errorf("page 1: cursor %q more %v errs %v", cur, b.More, b.Errs)
	}
	b, cur, err = f.Latest(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "page 2", names(b), []string{"react-dom-helper"})
	if cur != "107" || b.More || b.Errs == nil || !strings.Contains(b.Errs.Error(), "white space") {
		t.Errorf("page 2: cursor %q more %v errs %v", cur, b.More, b.Errs)
	}
	head, err := f.Head(ctx)
	if err != nil || head != "107" {
		t.Errorf("Head = %q, %v", head, err)
	}
}

func TestNPMStringSequenceAndReset(t *testing.T) {
	fx := newFixtures(t, map[string]string{
		"/_changes?limit=1000&since=12-g1AAA": `={"results":[{"seq":"13-g1AAB","id":"x"}],"last_seq":"13-g1AAB"}`,
		"/_changes?limit=1000&since=900":      `={"results":[],"last_seq":17}`,
		"/_changes?limit=1000&since=17":       `={"results":[],"last_seq":17}`,
		"/_changes?limit=1000&since=1":        `={"results":[],"last_seq":null}`,
	})
	f := mustFeed(t, ecosystem.NPM, fx.srv.URL, Options{})
	ctx := context.Background()
	b, cur, err := f.Latest(ctx, "12-g1AAA")
	if err != nil || cur != "13-g1AAB" || len(b.Items) != 1 {
		t.Errorf("string sequence: %v %q %v", names(b), cur, err)
	}
	b, cur, err = f.Latest(ctx, "900")
	if err != nil || b.Gap == nil || cur != "17" {
		t.Errorf("reset: gap %v cursor %q err %v", b.Gap, cur, err)
	}
	b, cur, err = f.Latest(ctx, "17")
	if err != nil || b.Gap != nil || cur != "17" || b.More {
		t.Errorf("caught up: gap %v cursor %q more %v err %v", b.Gap, cur, b.More, err)
	}
	if _, cur, err = f.Latest(ctx, "1"); !errors.Is(err, ErrBadResponse) || cur != "1" {
		t.Errorf("no last_seq: cursor %q err %v", cur, err)
	}
}

func TestHTTPErrors(t *testing.T) {
	fx := newFixtures(t, map[string]string{
		"/a/_changes": "!503",
		"/b/_changes": "!404",
		"/c/_changes": "npm-changes-1.json",
	})
	ctx := context.Background()
	for _, tc := range []struct {
		base string
		o    Options
		want error
	}{
		{"/a", Options{}, ErrUnreachable},
		{"/b", Options{}, ErrBadResponse},
		{"/c", Options{MaxBody: 64}, ErrTooLarge},
	} {
		f := mustFeed(t, ecosystem.NPM, fx.srv.URL+tc.base, tc.o)
		_, cur, err := f.Latest(ctx, "7")
		if !errors.Is(err, tc.want) || cur != "7" {
			t.Errorf("%s: cursor %q err %v, want %v and the cursor kept", tc.base, cur, err, tc.want)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	f := mustFeed(t, ecosystem.NPM, fx.srv.URL+"/c", Options{})
	if _, _, err := f.Latest(cctx, ""); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestPyPI(t *testing.T) {
	fx := newFixtures(t, map[string]string{"/pypi": "pypi-changelog.xml"})
	f := mustFeed(t, ecosystem.PyPI, fx.srv.URL, Options{})
	b, cur, err := f.Latest(context.Background(), "25000000")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "changelog", names(b), []string{"requests-toolbelt@1.0.1", "-oldproj@0.3", "-deadproj", "plain-text-name@2.0"})
	if cur != "25000006" || b.More {
		t.Errorf("cursor %q more %v", cur, b.More)
	}
	if b.Errs == nil || !strings.Contains(b.Errs.Error(), "entry 6") {
		t.Errorf("errs = %v, want the short entry reported", b.Errs)
	}
	if got := b.Items[0].Published; !got.Equal(time.Unix(1733270400, 0)) {
		t.Errorf("published %v", got)
	}
	body := fx.last
	if body.Method != http.MethodPost || body.Header.Get("Content-Type") != "text/xml" {
		t.Errorf("request %s %s", body.Method, body.Header.Get("Content-Type"))
	}
	if _, _, err := f.Latest(context.Background(), "abc"); err == nil {
		t.Error("a non-numeric cursor was accepted")
	}
}

func TestPyPIFallback(t *testing.T) {
	fx := newFixtures(t, map[string]string{"/pypi": "pypi-fault.xml", "/rss/updates.xml": "pypi-updates.xml"})
	f := mustFeed(t, ecosystem.PyPI, fx.srv.URL, Options{})
	b, cur, err := f.Latest(context.Background(), "42")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "fallback", names(b), []string{"fastjsonx@0.2.0", "numpy-helpers@1.4"})
	if cur != "42" {
		t.Errorf("the cursor moved to %q on the fallback", cur)
	}
	if b.Errs == nil || !strings.Contains(b.Errs.Error(), "rate limited") || !strings.Contains(b.Errs.Error(), "RSS") {
		t.Errorf("errs = %v", b.Errs)
	}
	fx.set("/rss/updates.xml", "!500")
	if _, cur, err := f.Latest(context.Background(), "42"); err == nil || cur != "42" {
		t.Errorf("both failing: cursor %q err %v", cur, err)
	}
	if _, err := f.Head(context.Background()); err == nil || !strings.Contains(err.Error(), "fault") {
		t.Errorf("Head on a fault: %v", err)
	}
}

func TestNuGet(t *testing.T) {
	fx := newFixtures(t, map[string]string{
		"/v3/index.json":          "nuget-index.json",
		"/v3/catalog0/index.json": "nuget-catalog.json",
		"/v3/catalog0/page0.json": "nuget-page0.json",
		"/v3/catalog0/page1.json": "nuget-page1.json",
		"/v3/catalog0/page2.json": "nuget-page2.json",
	})
	// One page per call, so the commit that spans pages 1 and 2 is read
	// across two calls.
	f := mustFeed(t, ecosystem.NuGet, fx.srv.URL+"/v3/index.json", Options{PageSize: 1})
	ctx := context.Background()
	start := timeCursor{T: time.Date(2024, 12, 4, 0, 0, 0, 0, time.UTC)}.cursor()
	b, cur, err := f.Latest(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "page 1", names(b), []string{"Newtonsoft.Json.Extras@13.0.4", "-Removed.Thing@0.1.0", "Spans.Commit@1.0.0"})
	if !b.More {
		t.Error("page 1: More is false")
	}
	b, cur, err = f.Latest(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "page 2", names(b), []string{"Spans.Commit@1.0.1", "Serilog.Sinks.Lure@2.0.0"})
	b, cur2, err := f.Latest(ctx, cur)
	if err != nil || len(b.Items) != 0 || cur2 != cur {
		t.Errorf("caught up: %v %q→%q %v", names(b), cur, cur2, err)
	}
	if fx.hits["/v3/catalog0/page0.json"] != 0 {
		t.Error("a page older than the cursor was fetched")
	}
	if fx.hits["/v3/index.json"] != 1 {
		t.Errorf("the service index was read %d times, want once", fx.hits["/v3/index.json"])
	}
	head, err := f.Head(ctx)
	if err != nil || !strings.HasPrefix(string(head), "2024-12-04T10:00:02.5Z") {
		t.Errorf("Head = %q, %v", head, err)
	}
}

func TestRubyGemsOverlap(t *testing.T) {
	fx := newFixtures(t, map[string]string{
		"/api/v1/activity/just_updated.json": "rubygems-just_updated-1.json",
		"/api/v1/activity/latest.json":       "rubygems-latest.json",
	})
	f := mustFeed(t, ecosystem.RubyGems, fx.srv.URL, Options{})
	ctx := context.Background()
	start := timeCursor{T: time.Date(2024, 12, 4, 10, 0, 0, 0, time.UTC)}.cursor()
	b, cur, err := f.Latest(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "poll 1", names(b), []string{"racc@1.8.1", "nokogiri@1.17.0", "rails@8.0.1", "brand-new-gem@0.0.1"})
	if b.Errs == nil || !strings.Contains(b.Errs.Error(), "odd-entry") {
		t.Errorf("errs = %v", b.Errs)
	}
	// Every entry of both lists is newer than the cursor: they may have
	// overflowed.
	if b.Gap == nil {
		t.Error("poll 1: no gap reported for lists wholly newer than the cursor")
	}
	fx.set("/api/v1/activity/just_updated.json", "rubygems-just_updated-2.json")
	b, _, err = f.Latest(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	// puma shares rails' instant but was not read at it; the rest
	// repeats or is older.
	equal(t, "poll 2", names(b), []string{"sidekiq@7.3.6"})
	if b.Gap != nil {
		t.Errorf("poll 2: gap %v for overlapping lists", b.Gap)
	}
}

func TestCrates(t *testing.T) {
	fx := newFixtures(t, map[string]string{
		"/rss/updates.xml": "crates-updates.xml",
		"/api/v1/summary":  "crates-summary.json",
	})
	f := mustFeed(t, ecosystem.Crates, fx.srv.URL, Options{})
	start := timeCursor{T: time.Date(2024, 12, 4, 9, 30, 0, 0, time.UTC)}.cursor()
	b, cur, err := f.Latest(context.Background(), start)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "crates", names(b), []string{"anyhow@1.0.94", "tokio@1.42.0", "serde@1.0.216", "fresh-crate@0.1.0"})
	if !strings.HasPrefix(string(cur), "2024-12-04T10:00:03.5Z|") {
		t.Errorf("cursor %q", cur)
	}
	if cr, ok := f.(*cratesFeed); !ok || cr.rss.String() != fx.srv.URL {
		t.Errorf("a custom base must serve the RSS feed too")
	}
	def := mustFeed(t, ecosystem.Crates, "", Options{}).(*cratesFeed)
	if def.rss.String() != cratesStatic {
		t.Errorf("default RSS base %s", def.rss)
	}
}

func TestGoIndex(t *testing.T) {
	line := func(path, ts string) string {
		return `{"Path":"` + path + `","Version":"v1.0.0","Timestamp":"2024-12-04T10:00:00.00000000` + ts + `Z"}` + "\n"
	}
	fx := newFixtures(t, map[string]string{
		"/index?limit=3": "goindex-1.jsonl",
		// since is inclusive: the two entries at ...002 come again.
		"/index?limit=3&since=2024-12-04T10%3A00%3A00.000000002Z": "=" + line("golang.org/x/sys", "2") + line("example.com/dup", "2") + line("example.com/next", "3"),
		// A full page at one instant, all read before.
		"/index?limit=3&since=2024-12-04T10%3A00%3A00.000000003Z": "=" + line("example.com/next", "3") + line("example.com/next", "3") + line("example.com/next", "3"),
	})
	f := mustFeed(t, ecosystem.Go, fx.srv.URL, Options{PageSize: 3})
	ctx := context.Background()
	b, cur, err := f.Latest(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "page 1", names(b), []string{"github.com/acme/tool@v1.2.3", "golang.org/x/sys@v0.28.0", "example.com/dup@v0.1.0"})
	if !b.More {
		t.Error("a full page must say More")
	}
	b, cur, err = f.Latest(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	// x/sys and dup were read at v0.28.0/v0.1.0, these are v1.0.0: new keys
	// at the cursor's instant count as new.
	equal(t, "page 2", names(b), []string{"golang.org/x/sys@v1.0.0", "example.com/dup@v1.0.0", "example.com/next@v1.0.0"})
	b, cur2, err := f.Latest(ctx, cur)
	if err != nil || len(b.Items) != 0 {
		t.Fatalf("page 3: %v %v", names(b), err)
	}
	if b.Gap == nil || cur2 == cur || !strings.HasPrefix(string(cur2), "2024-12-04T10:00:00.000000004Z") {
		t.Errorf("stuck page: gap %v cursor %q→%q", b.Gap, cur, cur2)
	}
}

func TestTimeCursor(t *testing.T) {
	tc := timeCursor{Seen: map[string]bool{}}
	at := time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	tc.advance(at, "a,b@1")
	tc.advance(at, "c|d@2")
	back, err := parseTimeCursor(tc.cursor())
	if err != nil {
		t.Fatal(err)
	}
	if !back.T.Equal(at) || !back.Seen["a,b@1"] || !back.Seen["c|d@2"] || len(back.Seen) != 2 {
		t.Errorf("round trip: %+v", back)
	}
	if back.isNew(at, "a,b@1") || !back.isNew(at, "e@3") || back.isNew(at.Add(-1), "z") || !back.isNew(at.Add(1), "a,b@1") {
		t.Error("isNew")
	}
	for _, bad := range []Cursor{"yesterday", "2024-01-02T03:04:05Z|%zz"} {
		if _, err := parseTimeCursor(bad); err == nil {
			t.Errorf("parseTimeCursor(%q) accepted", bad)
		}
	}
}
