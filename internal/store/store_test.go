package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store/storetest"
)

// suite is the table of tests every backend runs.
var suite = []struct {
	name string
	fn   func(t *testing.T, s Store)
}{
	{"save_and_package", testSaveAndPackage},
	{"upsert", testUpsert},
	{"invalid", testInvalid},
	{"findings_pages", testFindingsPages},
	{"campaigns", testCampaigns},
	{"feeds_and_stats", testFeedsAndStats},
	{"series", testSeries},
	{"advance_feed", testAdvanceFeed},
	{"concurrent_saves", testConcurrent},
	{"closed", testClosed},
}

func run(t *testing.T, open func(t *testing.T) Store) {
	for _, tc := range suite {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func TestSQLite(t *testing.T) {
	run(t, func(t *testing.T) Store {
		s, err := Open(context.Background(), storetest.SQLite(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestPostgres runs the suite on PKGWARD_TEST_POSTGRES, each test in its
// own schema.
func TestPostgres(t *testing.T) {
	dsn := storetest.RequirePostgres(t)
	run(t, func(t *testing.T) Store {
		s, err := Open(context.Background(), storetest.Postgres(t, dsn))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func pkgCheck(name, version string, v record.Verdict, at time.Time, rules ...string) Check {
	c := Check{Kind: KindPackage, Ecosystem: "npm", Name: name, Version: version, Source: "gate", Verdict: v, CheckedAt: at,
		Package: []byte(`{"name":"` + name + `"}`)}
	for i, r := range rules {
		c.Findings = append(c.Findings, record.Finding{Rule: r, Severity: record.Severity(i % 3), Confidence: 0.5,
			Message: "m " + r, Evidence: map[string]any{"i": float64(i)}})
	}
	return c
}

func save(t *testing.T, s Store, c Check) int64 {
	t.Helper()
	id, err := s.SaveCheck(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func testSaveAndPackage(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.Package(ctx, "npm", "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown package: %v, want ErrNotFound", err)
	}
	save(t, s, pkgCheck("lodahs", "1.0.0", record.Block, t0, "typosquat", "lure"))
	save(t, s, pkgCheck("lodahs", "1.0.1", record.Warn, t0.Add(time.Hour)))
	save(t, s, Check{Kind: KindDomain, Name: "lodahs", Source: "cli", Verdict: record.Block})
	got, err := s.Package(ctx, "npm", "lodahs")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Version != "1.0.1" || got[1].Version != "1.0.0" {
		t.Fatalf("versions %+v, want 1.0.1 then 1.0.0", got)
	}
	v := got[1]
	if v.Verdict != record.Block || v.Source != "gate" || !v.FirstSeen.Equal(t0) || string(v.Package) != `{"name":"lodahs"}` {
		t.Errorf("record %+v", v)
	}
	if len(v.Findings) != 2 || v.Findings[0].Rule != "typosquat" || v.Findings[1].Severity != record.Severity(1) || v.Findings[1].Evidence["i"] != 1.0 {
		t.Errorf("findings %+v", v.Findings)
	}
}

func testUpsert(t *testing.T, s Store) {
	ctx := context.Background()
	id1 := save(t, s, pkgCheck("x", "1", record.Block, t0.Add(time.Hour), "a", "b"))
	id2 := save(t, s, pkgCheck("x", "1", record.Allow, t0, "c"))
	if id1 != id2 {
		t.Fatalf("ids %d, %d: want one row", id1, id2)
	}
	c := pkgCheck("x", "1", record.Warn, t0)
	c.Source = "feed:npm"
	if id3 := save(t, s, c); id3 == id1 {
		t.Fatal("another source shares the row")
	}
	got, _ := s.Package(ctx, "npm", "x")
	if len(got) != 2 {
		t.Fatalf("%d records, want 2", len(got))
	}
	for _, v := range got {
		if v.Source == "gate" && (v.Verdict != record.Allow || len(v.Findings) != 1 || v.Findings[0].Rule != "c" || !v.FirstSeen.Equal(t0)) {
			t.Errorf("after upsert: %+v", v)
		}
	}
	st, _ := s.Stats(ctx)
	if st.Checks != 2 {
		t.Errorf("checks %d, want 2", st.Checks)
	}
}

func testInvalid(t *testing.T, s Store) {
	ok := pkgCheck("x", "1", record.Allow, t0)
	for _, tc := range []struct {
		name string
		mod  func(c *Check)
	}{
		{"no_name", func(c *Check) { c.Name = "" }},
		{"no_source", func(c *Check) { c.Source = "" }},
		{"bad_kind", func(c *Check) { c.Kind = "x" }},
		{"bad_verdict", func(c *Check) { c.Verdict = "maybe" }},
		{"package_no_ecosystem", func(c *Check) { c.Ecosystem = "" }},
		{"nul_name", func(c *Check) { c.Name = "a\x00b" }},
		{"bad_utf8", func(c *Check) { c.Version = "\xff" }},
		{"bad_json", func(c *Check) { c.Package = []byte("{") }},
	} {
		c := ok
		tc.mod(&c)
		if _, err := s.SaveCheck(context.Background(), c); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", tc.name, err)
		}
	}
	c := ok
	c.Findings = []record.Finding{{Rule: "r", Message: "bad \x00 \xff"}}
	if _, err := s.SaveCheck(context.Background(), c); err != nil {
		t.Errorf("a hostile finding message must be stored cleaned: %v", err)
	}
}

func testFindingsPages(t *testing.T, s Store) {
	ctx := context.Background()
	for i := range 10 {
		v := record.Warn
		if i%2 == 0 {
			v = record.Block
		}
		save(t, s, pkgCheck(fmt.Sprintf("p%d", i), "1", v, t0.Add(time.Duration(i)*time.Minute), "r1", "r2"))
	}
	seen := map[int64]bool{}
	var all []FindingRow
	cursor := ""
	for page := 0; ; page++ {
		rows, next, err := s.Findings(ctx, FindingQuery{Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if seen[r.ID] {
				t.Fatalf("finding %d twice", r.ID)
			}
			seen[r.ID] = true
		}
		all = append(all, rows...)
		if page == 1 { // a newer check arrives between pages
			save(t, s, pkgCheck("late", "1", record.Block, t0.Add(time.Hour), "r1"))
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(all) != 20 {
		t.Fatalf("%d findings, want 20", len(all))
	}
	if all[0].Name != "p9" || all[0].Finding.Rule != "r1" || all[1].Finding.Rule != "r2" || all[19].Name != "p0" {
		t.Errorf("order: first %s/%s %s, last %s", all[0].Name, all[0].Finding.Rule, all[1].Finding.Rule, all[19].Name)
	}
	for _, tc := range []struct {
		q    FindingQuery
		want int
	}{
		{FindingQuery{Verdict: record.Block, Limit: 100}, 11},
		{FindingQuery{Rule: "r2", Limit: 100}, 10},
		{FindingQuery{Ecosystem: "pypi"}, 0},
		{FindingQuery{Since: t0.Add(8 * time.Minute)}, 5},
	} {
		rows, _, err := s.Findings(ctx, tc.q)
		if err != nil || len(rows) != tc.want {
			t.Errorf("%+v: %d rows, %v; want %d", tc.q, len(rows), err, tc.want)
		}
	}
	if _, _, err := s.Findings(ctx, FindingQuery{Cursor: "garbage!"}); !errors.Is(err, ErrInvalidCursor) {
		t.Errorf("bad cursor: %v", err)
	}
}

func testCampaigns(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.Campaign(ctx, "cmp-x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown campaign: %v", err)
	}
	if err := s.AddCampaignMember(ctx, "cmp-x", CampaignMember{Ecosystem: "npm", Name: "a"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("member of unknown campaign: %v", err)
	}
	ind := campaign.Indicators{Domains: []campaign.LinkCount{{Value: "bit.ly", Count: 2, Shortener: true}}}
	if err := s.UpsertCampaign(ctx, CampaignInfo{ID: "cmp-x", Confidence: 0.9, Indicators: ind}); err != nil {
		t.Fatal(err)
	}
	for i, m := range []CampaignMember{{"npm", "b", "1", t0.Add(time.Hour)}, {"npm", "a", "1", t0}, {"npm", "a", "1", t0.Add(-time.Hour)}} {
		if err := s.AddCampaignMember(ctx, "cmp-x", m); err != nil {
			t.Fatalf("member %d: %v", i, err)
		}
	}
	s.UpsertCampaign(ctx, CampaignInfo{ID: "cmp-x", Confidence: 0.95, Indicators: ind})
	c, err := s.Campaign(ctx, "cmp-x")
	if err != nil {
		t.Fatal(err)
	}
	if c.Size != 2 || len(c.Members) != 2 || c.Members[0].Name != "a" || !c.FirstSeen.Equal(t0) || !c.LastSeen.Equal(t0.Add(time.Hour)) || c.Confidence != 0.95 || c.Indicators.Domains[0].Value != "bit.ly" {
		t.Errorf("campaign %+v", c)
	}
	list, next, err := s.Campaigns(ctx, CampaignQuery{})
	if err != nil || len(list) != 1 || list[0].Members != nil || next != "" {
		t.Errorf("list %+v %q %v", list, next, err)
	}
	// Pages: most recently seen first, a memberless campaign last, ties
	// by id; every campaign once.
	for i, id := range []string{"cmp-b", "cmp-a", "cmp-c", "cmp-empty"} {
		if err := s.UpsertCampaign(ctx, CampaignInfo{ID: id, Confidence: 0.5}); err != nil {
			t.Fatal(err)
		}
		if id != "cmp-empty" {
			at := t0.Add(2 * time.Hour)
			if id == "cmp-c" {
				at = t0.Add(-3 * time.Hour)
			}
			if err := s.AddCampaignMember(ctx, id, CampaignMember{Ecosystem: "npm", Name: fmt.Sprint("m", i), Version: "1", SeenAt: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var ids []string
	cursor := ""
	for range 10 {
		page, next, err := s.Campaigns(ctx, CampaignQuery{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			ids = append(ids, c.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if want := "cmp-a cmp-b cmp-x cmp-c cmp-empty"; fmt.Sprint(ids) != "["+want+"]" {
		t.Errorf("campaign pages %v, want [%s]", ids, want)
	}
	for _, bad := range []string{"garbage!", encodeCursor(1, 1)} {
		if _, _, err := s.Campaigns(ctx, CampaignQuery{Cursor: bad}); !errors.Is(err, ErrInvalidCursor) {
			t.Errorf("campaign cursor %q: %v, want ErrInvalidCursor", bad, err)
		}
	}
}

func testFeedsAndStats(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.FeedCursor(ctx, "npm"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no cursor: %v", err)
	}
	poll := time.Now().Add(-time.Minute).Truncate(time.Microsecond).UTC()
	if err := s.SetFeedCursor(ctx, "npm", "12345", poll, 2); err != nil {
		t.Fatal(err)
	}
	f, err := s.FeedCursor(ctx, "npm")
	if err != nil || f.Cursor != "12345" || !f.LastPoll.Equal(poll) || f.Errors != 2 {
		t.Fatalf("cursor %+v %v", f, err)
	}
	save(t, s, pkgCheck("a", "1", record.Block, t0))
	save(t, s, pkgCheck("a", "2", record.Allow, t0))
	c := pkgCheck("a", "2", record.Allow, t0)
	c.Source = "feed:npm"
	save(t, s, c)
	save(t, s, Check{Kind: KindEmail, Name: "<m@x>", Source: "cli", Verdict: record.Warn})
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Packages != 2 || st.Names != 1 || st.Checks != 4 || st.ByVerdict[record.Allow] != 2 || st.ByVerdict[record.Block] != 1 {
		t.Errorf("stats %+v", st)
	}
	if len(st.Feeds) != 1 || st.Feeds[0].LagSeconds < 59 || st.Feeds[0].Cursor != "12345" {
		t.Errorf("feeds %+v", st.Feeds)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("ping: %v", err)
	}
}

func testConcurrent(t *testing.T, s Store) {
	var wg sync.WaitGroup
	ids := make([]int64, 200)
	errs := make([]error, 200)
	for i := range ids {
		wg.Go(func() {
			ids[i], errs[i] = s.SaveCheck(context.Background(), pkgCheck(fmt.Sprintf("c%d", i), "1", record.Allow, t0, "r"))
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i, id := range ids {
		if errs[i] != nil || id == 0 || seen[id] {
			t.Fatalf("save %d: id %d err %v", i, id, errs[i])
		}
		seen[id] = true
	}
	st, _ := s.Stats(context.Background())
	if st.Checks != 200 {
		t.Errorf("checks %d, want 200", st.Checks)
	}
}

func testClosed(t *testing.T, s Store) {
	save(t, s, pkgCheck("a", "1", record.Allow, t0))
	s.Close()
	if _, err := s.SaveCheck(context.Background(), pkgCheck("b", "1", record.Allow, t0)); !errors.Is(err, ErrClosed) {
		t.Errorf("after close: %v", err)
	}
}
