package server

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/store"
)

func testCampaigns(t *testing.T, open opener) {
	g := newGate(t, open)
	ctx := context.Background()
	if code, body := do(t, "GET", g.URL+"/v1/campaigns", "", ""); code != 200 || !strings.Contains(body, `"campaigns":[]`) {
		t.Errorf("no campaigns: %d %s", code, body)
	}
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	ind := campaign.Indicators{Domains: []campaign.LinkCount{{Value: "bit.ly", Count: 3, Shortener: true}}, Ecosystems: []campaign.Count{{Value: "npm", Count: 3}}}
	for i, id := range []string{"cmp-00000000000000aa", "cmp-00000000000000bb", "cmp-00000000000000cc"} {
		if err := g.Store.UpsertCampaign(ctx, store.CampaignInfo{ID: id, Confidence: 0.9, Indicators: ind}); err != nil {
			t.Fatal(err)
		}
		for j := range 3 {
			m := store.CampaignMember{Ecosystem: "npm", Name: fmt.Sprintf("free-gift-%d-%d", i, j), Version: "1.0.0", SeenAt: t0.Add(time.Duration(i*10+j) * time.Minute)}
			if err := g.Store.AddCampaignMember(ctx, id, m); err != nil {
				t.Fatal(err)
			}
		}
	}
	type campaignOut struct {
		ID         string
		Size       int
		Confidence float64
		Indicators campaign.Indicators
		FirstSeen  *time.Time `json:"first_seen"`
		LastSeen   *time.Time `json:"last_seen"`
		Members    []struct{ Ecosystem, Name, Version string }
	}
	var ids []string
	next := ""
	for page := 0; page < 5; page++ {
		url := g.URL + "/v1/campaigns?limit=2"
		if next != "" {
			url += "&cursor=" + next
		}
		code, body := do(t, "GET", url, "", "")
		var out struct {
			Campaigns []campaignOut
			Next      string
		}
		if err := json.Unmarshal([]byte(body), &out); code != 200 || err != nil {
			t.Fatalf("campaigns: %d %v %s", code, err, body)
		}
		for _, c := range out.Campaigns {
			if c.Size != 3 || c.Members != nil || c.LastSeen == nil {
				t.Errorf("listed campaign %+v: want size 3, a last seen and no members", c)
			}
			ids = append(ids, c.ID)
		}
		if next = out.Next; next == "" {
			break
		}
	}
	if want := []string{"cmp-00000000000000cc", "cmp-00000000000000bb", "cmp-00000000000000aa"}; !slices.Equal(ids, want) {
		t.Errorf("campaign pages %v, want most recently seen first %v", ids, want)
	}
	code, body := do(t, "GET", g.URL+"/v1/campaigns/cmp-00000000000000bb", "", "")
	var c campaignOut
	if err := json.Unmarshal([]byte(body), &c); code != 200 || err != nil {
		t.Fatalf("campaign: %d %v %s", code, err, body)
	}
	if len(c.Members) != 3 || c.Members[0].Name != "free-gift-1-0" || c.Indicators.Domains[0].Value != "bit.ly" ||
		c.FirstSeen == nil || !c.FirstSeen.Equal(t0.Add(10*time.Minute)) || !c.LastSeen.Equal(t0.Add(12*time.Minute)) {
		t.Errorf("campaign %+v", c)
	}
	for path, want := range map[string]int{
		"/v1/campaigns/cmp-unknown":      404,
		"/v1/campaigns?cursor=garbage!!": 400,
		"/v1/campaigns?limit=0":          400,
		"/v1/campaigns?limit=1001":       400,
	} {
		if code, body := do(t, "GET", g.URL+path, "", ""); code != want || !json.Valid([]byte(body)) {
			t.Errorf("GET %s: %d %s, want %d", path, code, body, want)
		}
	}
}

func testAuth(t *testing.T, open opener) {
	g := newGate(t, open, "alpha-token", "beta-token")
	check := `{"ecosystem":"npm","name":"lodash"}`
	for _, tc := range []struct {
		method, path, header string
		want                 int
	}{
		{"POST", "/v1/check", "Bearer alpha-token", 200},
		{"POST", "/v1/check", "Bearer beta-token", 200},
		{"POST", "/v1/check", "", 401},
		{"POST", "/v1/check", "Bearer alpha", 401},
		{"POST", "/v1/check", "Bearer alpha-token2", 401},
		{"POST", "/v1/check", "bearer alpha-token", 401},
		{"POST", "/v1/check", "Basic alpha-token", 401},
		{"GET", "/v1/stats", "", 401},
		{"GET", "/v1/findings", "", 401},
		{"GET", "/v1/campaigns", "", 401},
		{"GET", "/v1/packages/npm/lodash", "", 401},
		{"GET", "/v1/stats", "Bearer beta-token", 200},
		{"GET", "/healthz", "", 200},
		{"GET", "/readyz", "", 200},
		{"GET", "/metrics", "", 200},
	} {
		body := ""
		if tc.method == "POST" {
			body = check
		}
		req := requestWith(t, tc.method, g.URL+tc.path, tc.header, body)
		if req != tc.want {
			t.Errorf("%s %s with %q: %d, want %d", tc.method, tc.path, tc.header, req, tc.want)
		}
	}
	if _, err := New(Config{Engine: engine(t), Store: g.Store, Tokens: []string{""}}); err == nil {
		t.Error("an empty token was accepted")
	}
}

// requestWith sends a request with an Authorization header as given.
func requestWith(t *testing.T, method, url, authz, body string) int {
	t.Helper()
	req, _ := newRequest(method, url, body)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := clientDo(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// scrape reads /metrics into series → value, a series written as
// name{label="value",...} with its labels sorted, as the text format
// writes them.
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	code, body := do(t, "GET", url+"/metrics", "", "")
	if code != 200 {
		t.Fatalf("metrics: %d %s", code, body)
	}
	out := map[string]float64{}
	for line := range strings.Lines(body) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func series(name string, labels map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		parts = append(parts, fmt.Sprintf("%s=%q", k, labels[k]))
	}
	return name + "{" + strings.Join(parts, ",") + "}"
}

func testMetrics(t *testing.T, open opener) {
	g := newGate(t, open)
	for _, b := range []string{
		`{"ecosystem":"npm","name":"expresss","version":"1.0.0"}`,
		`{"ecosystem":"npm","name":"lodash","version":"4.17.21"}`,
		`{"ecosystem":"npm"}`,
	} {
		do(t, "POST", g.URL+"/v1/check", "", b)
	}
	do(t, "GET", g.URL+"/v1/packages/npm/%40acme%2Fsecret-name", "", "")
	do(t, "GET", g.URL+"/no/such/secret-path", "", "")
	poll := time.Now().Add(-90 * time.Second)
	if err := g.Store.SetFeedCursor(context.Background(), "pypi", "4711", poll, 3); err != nil {
		t.Fatal(err)
	}
	m := scrape(t, g.URL)
	for s, want := range map[string]float64{
		series("pkgward_checks_total", map[string]string{"input": "metadata", "verdict": "block"}):                              1,
		series("pkgward_checks_total", map[string]string{"input": "metadata", "verdict": "allow"}):                              1,
		series("pkgward_checks_total", map[string]string{"input": "archive", "verdict": "block"}):                               0,
		series("pkgward_http_requests_total", map[string]string{"route": "POST /v1/check", "code": "200"}):                      2,
		series("pkgward_http_requests_total", map[string]string{"route": "POST /v1/check", "code": "400"}):                      1,
		series("pkgward_http_requests_total", map[string]string{"route": "GET /v1/packages/{ecosystem}/{name}", "code": "404"}): 1,
		// The dashboard's catch-all page ("/" of its own mux) answers unknown
		// paths: still a pattern, never the raw path.
		series("pkgward_http_requests_total", map[string]string{"route": "/", "code": "404"}):               1,
		series("pkgward_http_request_duration_seconds_count", map[string]string{"route": "POST /v1/check"}): 3,
		series("pkgward_store_errors_total", map[string]string{"op": "save"}):                               0,
		series("pkgward_feed_errors", map[string]string{"ecosystem": "pypi"}):                               3,
	} {
		if got, ok := m[s]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", s, got, ok, want)
		}
	}
	if lag := m[series("pkgward_feed_lag_seconds", map[string]string{"ecosystem": "pypi"})]; lag < 89 || lag > 600 {
		t.Errorf("pypi feed lag %v s, want about 90", lag)
	}
	if _, ok := m[series("pkgward_feed_lag_seconds", map[string]string{"ecosystem": "npm"})]; ok {
		t.Error("a lag for a feed that never stored a cursor")
	}
	for s := range m {
		if strings.Contains(s, "secret") {
			t.Errorf("a raw path in a metric label: %s", s)
		}
	}
	// A check that could not be stored is a store error.
	g.Store.Close()
	if code, _ := do(t, "POST", g.URL+"/v1/check", "", `{"ecosystem":"npm","name":"react"}`); code != 503 {
		t.Fatalf("check on a closed store: %d, want 503", code)
	}
	m = scrape(t, g.URL)
	if got := m[series("pkgward_store_errors_total", map[string]string{"op": "save"})]; got != 1 {
		t.Errorf("store save errors %v, want 1", got)
	}
	if got := m[series("pkgward_http_requests_total", map[string]string{"route": "POST /v1/check", "code": "503"})]; got != 1 {
		t.Errorf("503 checks %v, want 1", got)
	}
}
