package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/store"
	"github.com/pkgward/pkgward/internal/store/storetest"
)

var (
	engOnce sync.Once
	eng     *analysis.Engine
	engErr  error
)

func engine(t *testing.T) *analysis.Engine {
	engOnce.Do(func() {
		eng, engErr = pipeline.Build(context.Background(), pipeline.Config{Ecosystems: []ecosystem.Ecosystem{ecosystem.PyPI, ecosystem.NPM}})
	})
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}

// gate is a server under test: its URL, its store and its metrics.
type gate struct {
	URL   string
	Store store.Store
}

// opener opens a fresh store of one backend for one test.
type opener func(t *testing.T) store.Store

func sqliteStore(t *testing.T) store.Store {
	st, err := store.Open(context.Background(), storetest.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func postgresStore(dsn string) opener {
	return func(t *testing.T) store.Store {
		st, err := store.Open(context.Background(), storetest.Postgres(t, dsn))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
}

// newGate is a gate on a store open gives, behind tokens.
func newGate(t *testing.T, open opener, tokens ...string) *gate {
	t.Helper()
	st := open(t)
	h, err := New(Config{Engine: engine(t), Store: st, Tokens: tokens, MaxJSON: 4096, MaxArchive: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &gate{srv.URL, st}
}

// contract is the HTTP contract every store backend must keep.
var contract = []struct {
	name string
	fn   func(t *testing.T, open opener)
}{
	{"check", testCheck},
	{"check_archive", testCheckArchive},
	{"packages_findings_stats", testPackagesAndStats},
	{"campaigns", testCampaigns},
	{"auth", testAuth},
	{"metrics", testMetrics},
}

func runContract(t *testing.T, open opener) {
	for _, tc := range contract {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// TestSQLite runs the contract on SQLite, each test on its own file.
func TestSQLite(t *testing.T) { runContract(t, sqliteStore) }

// TestPostgres runs the contract on PKGWARD_TEST_POSTGRES, each test in
// its own schema.
func TestPostgres(t *testing.T) { runContract(t, postgresStore(storetest.RequirePostgres(t))) }

func do(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	return request(t, method, url, token, ct, body)
}

func request(t *testing.T, method, url, token, ct, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func testCheck(t *testing.T, open opener) {
	srv := newGate(t, open, "s3cret")
	for _, tc := range []struct {
		name, token, body string
		wantCode          int
		want              []string // substrings of the body
		ct                string   // default application/json
	}{
		{"a squat is blocked", "s3cret", `{"ecosystem":"pypi","name":"reqeusts","version":"1.0"}`, 200,
			[]string{`"verdict":"block"`, `"rule":"typosquat"`, `"name":"reqeusts"`, `"version":"1.0"`}, ""},
		{"an honest package is allowed", "s3cret", `{"ecosystem":"pypi","name":"numpy","version":"2.0"}`, 200, []string{`"verdict":"allow"`}, ""},
		{"OSV spelling of the ecosystem", "s3cret", `{"ecosystem":"PyPI","name":"numpy"}`, 200, []string{`"ecosystem":"pypi"`}, ""},
		{"no token", "", `{"ecosystem":"pypi","name":"numpy"}`, 401, []string{`"error"`}, ""},
		{"wrong token", "guess", `{"ecosystem":"pypi","name":"numpy"}`, 401, []string{`"error"`}, ""},
		{"bad JSON", "s3cret", `{"ecosystem":`, 400, []string{`"error":"invalid package record`}, ""},
		{"unknown ecosystem", "s3cret", `{"ecosystem":"cpan","name":"x"}`, 400, []string{`"error"`}, ""},
		{"missing name", "s3cret", `{"ecosystem":"npm"}`, 400, []string{`"error":"missing name"`}, ""},
		{"duplicate key", "s3cret", `{"ecosystem":"npm","name":"expresss","name":"express"}`, 400, []string{`"error"`}, ""},
		{"body over the limit", "s3cret", `{"ecosystem":"npm","name":"x","description":"` + strings.Repeat("a", 5000) + `"}`, 413, []string{`"error"`}, ""},
		{"not JSON", "s3cret", `ecosystem=npm&name=x`, 415, []string{`"error":"content type`}, "application/x-www-form-urlencoded"},
		{"JSON with a charset", "s3cret", `{"ecosystem":"npm","name":"lodash"}`, 200, []string{`"verdict":"allow"`}, "application/json; charset=utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct := tc.ct
			if ct == "" {
				ct = "application/json"
			}
			code, body := request(t, "POST", srv.URL+"/v1/check", tc.token, ct, tc.body)
			if code != tc.wantCode {
				t.Fatalf("status %d, want %d: %s", code, tc.wantCode, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s: %s", w, body)
				}
			}
			if !json.Valid([]byte(body)) {
				t.Errorf("body is not JSON: %s", body)
			}
		})
	}
}

func testPackagesAndStats(t *testing.T, open opener) {
	srv := newGate(t, open)
	st := srv.Store
	for _, b := range []string{
		`{"ecosystem":"npm","name":"@acme/widgets","version":"1.0.0"}`,
		`{"ecosystem":"npm","name":"@acme/widgets","version":"1.1.0"}`,
		`{"ecosystem":"pypi","name":"reqeusts","version":"0.1"}`,
		`{"ecosystem":"npm","name":"1odash","version":"0.0.1"}`,
	} {
		if code, body := do(t, "POST", srv.URL+"/v1/check", "", b); code != 200 {
			t.Fatalf("check %s: %d %s", b, code, body)
		}
	}
	code, body := do(t, "GET", srv.URL+"/v1/packages/npm/%40acme%2Fwidgets", "", "")
	var pkg struct {
		Name     string
		Versions []struct{ Version, Verdict, Source string }
	}
	if err := json.Unmarshal([]byte(body), &pkg); code != 200 || err != nil {
		t.Fatalf("packages: %d %v %s", code, err, body)
	}
	if pkg.Name != "@acme/widgets" || len(pkg.Versions) != 2 || pkg.Versions[0].Source != "gate" {
		t.Errorf("packages = %+v", pkg)
	}
	if code, _ := do(t, "GET", srv.URL+"/v1/packages/npm/never-seen", "", ""); code != 404 {
		t.Errorf("unknown package: %d, want 404", code)
	}
	code, body = do(t, "GET", srv.URL+"/v1/stats", "", "")
	var stats struct {
		Packages, Checks int64
		ByVerdict        map[string]int64 `json:"by_verdict"`
	}
	if err := json.Unmarshal([]byte(body), &stats); code != 200 || err != nil {
		t.Fatalf("stats: %d %v %s", code, err, body)
	}
	if stats.Packages != 4 || stats.Checks != 4 || stats.ByVerdict["block"] != 2 || stats.ByVerdict["allow"] != 2 {
		t.Errorf("stats = %+v", stats)
	}
	// Findings: newest first, a page at a time, filtered.
	code, body = do(t, "GET", srv.URL+"/v1/findings?verdict=block&limit=1", "", "")
	var page struct {
		Findings []struct {
			Name    string
			Verdict string
			Finding struct{ Rule string }
		}
		Next string
	}
	if err := json.Unmarshal([]byte(body), &page); code != 200 || err != nil {
		t.Fatalf("findings: %d %v %s", code, err, body)
	}
	if len(page.Findings) != 1 || page.Findings[0].Name != "1odash" || page.Findings[0].Verdict != "block" || page.Next == "" {
		t.Errorf("findings page = %+v", page)
	}
	seen := 1
	for next := page.Next; next != ""; seen++ {
		code, body = do(t, "GET", srv.URL+"/v1/findings?verdict=block&limit=1&cursor="+next, "", "")
		page.Next = ""
		if err := json.Unmarshal([]byte(body), &page); code != 200 || err != nil {
			t.Fatalf("findings: %d %v %s", code, err, body)
		}
		if len(page.Findings) == 0 {
			break
		}
		next = page.Next
	}
	if seen < 2 {
		t.Errorf("two blocked packages' findings fit one page of 1: %d pages", seen)
	}
	for _, bad := range []string{"verdict=maybe", "ecosystem=cpan", "since=yesterday", "limit=0", "cursor=not-a-cursor"} {
		if code, body := do(t, "GET", srv.URL+"/v1/findings?"+bad, "", ""); code != 400 {
			t.Errorf("findings?%s: %d %s, want 400", bad, code, body)
		}
	}
	if code, _ := do(t, "GET", srv.URL+"/readyz", "", ""); code != 200 {
		t.Errorf("readyz with a live store: %d", code)
	}
	st.Close()
	if code, _ := do(t, "GET", srv.URL+"/readyz", "", ""); code != 503 {
		t.Errorf("readyz with a closed store: %d, want 503", code)
	}
	if code, body := do(t, "POST", srv.URL+"/v1/check", "", `{"ecosystem":"npm","name":"lodash"}`); code != 503 {
		t.Errorf("check with a closed store: %d %s, want 503 (never an answer that was not stored)", code, body)
	}
}

func BenchmarkCheck(b *testing.B) {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "gate.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	e, err := pipeline.Build(context.Background(), pipeline.Config{Ecosystems: []ecosystem.Ecosystem{ecosystem.NPM}})
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(Config{Engine: e, Store: st})
	if err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(16) // many registry clients at once: their saves share commits
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/v1/check", strings.NewReader(`{"ecosystem":"npm","name":"expresss","version":"1.0.0"}`))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}

func newRequest(method, url, body string) (*http.Request, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err == nil && body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, err
}

func clientDo(req *http.Request) (*http.Response, error) { return http.DefaultClient.Do(req) }
