package monitor

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/feed"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

// changesServer is an npm changes feed over a growing list of names:
// seq i+1 is names[i]; only the first released names are visible.
type changesServer struct {
	mu       sync.Mutex
	names    []string
	released int
	reset    bool // answer every since with last_seq 3 and nothing (a reset)
}

func (c *changesServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := r.URL.Query()
	type result struct {
		Seq int    `json:"seq"`
		ID  string `json:"id"`
	}
	var out struct {
		Results []result `json:"results"`
		LastSeq int      `json:"last_seq"`
		Pending int      `json:"pending"`
	}
	out.Results = []result{}
	if c.reset {
		out.LastSeq = 3
		json.NewEncoder(w).Encode(out)
		return
	}
	if q.Get("descending") == "true" {
		out.LastSeq = c.released
		json.NewEncoder(w).Encode(out)
		return
	}
	since, _ := strconv.Atoi(q.Get("since"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	i := since
	for ; i < c.released && len(out.Results) < limit; i++ {
		out.Results = append(out.Results, result{i + 1, c.names[i]})
	}
	out.LastSeq = i
	out.Pending = c.released - i
	json.NewEncoder(w).Encode(out)
}

func (c *changesServer) release(n int) {
	c.mu.Lock()
	c.released = min(len(c.names), n)
	c.mu.Unlock()
}

// counter is a Judge that counts its calls per name.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
	total atomic.Int64
	delay time.Duration
}

func (c *counter) judge(ctx context.Context, it feed.Item) ([]store.Check, error) {
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[it.Name]++
	c.mu.Unlock()
	c.total.Add(1)
	if c.delay > 0 {
		sleep(ctx, c.delay)
	}
	return []store.Check{{Kind: store.KindPackage, Ecosystem: it.Ecosystem, Name: it.Name, Version: "1.0.0", Verdict: record.Allow}}, nil
}

func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("pkg-%04d", i)
	}
	return out
}

// stores are the backends the tests run on: SQLite always, PostgreSQL
// when PKGWARD_TEST_POSTGRES is set (each test in its own schema).
func openSQLite(t *testing.T) store.QueueStore {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "monitor.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.(store.QueueStore)
}

func openPostgres(t *testing.T) (store.QueueStore, string) {
	t.Helper()
	dsn := os.Getenv("PKGWARD_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("PKGWARD_REQUIRE_POSTGRES") == "1" {
			t.Fatal("PKGWARD_TEST_POSTGRES not set but PKGWARD_REQUIRE_POSTGRES=1")
		}
		t.Skip("PKGWARD_TEST_POSTGRES not set")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "m_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		st.Close()
		if a, err := sql.Open("pgx", dsn); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	return st.(store.QueueStore), u.String()
}

func npmFeed(t *testing.T, srv *httptest.Server, page int) feed.Feed {
	t.Helper()
	f, err := feed.New(ecosystem.NPM, srv.URL, feed.Options{PageSize: page})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newMonitor(t *testing.T, st store.QueueStore, f feed.Feed, j Judge, start string) *Monitor {
	t.Helper()
	m, err := New(context.Background(), Config{
		Store: st, Sources: []Source{{Feed: f, Start: start}}, Judge: j,
		PollInterval: 100 * time.Millisecond, Workers: 4, JobTimeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// waitStored waits until n package versions are stored.
func waitStored(t *testing.T, st store.Store, n int64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		s, err := st.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if s.Packages >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d stored after %v", s.Packages, n, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func run(m *Monitor) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
}

func testReplay(t *testing.T, st store.QueueStore) {
	cs := &changesServer{names: names(300)}
	cs.release(300)
	srv := httptest.NewServer(cs)
	defer srv.Close()
	var c counter
	stop := run(newMonitor(t, st, npmFeed(t, srv, 50), c.judge, "0"))
	waitStored(t, st, 300, 60*time.Second)
	stop()
	for _, n := range cs.names {
		if c.calls[n] != 1 {
			t.Errorf("%s judged %d times", n, c.calls[n])
		}
	}
	f, err := st.FeedCursor(context.Background(), "npm")
	if err != nil || f.Cursor != "300" {
		t.Errorf("cursor %+v %v", f, err)
	}
}

func testRestart(t *testing.T, st store.QueueStore) {
	cs := &changesServer{names: names(200)}
	cs.release(100)
	srv := httptest.NewServer(cs)
	defer srv.Close()
	var c counter
	stop := run(newMonitor(t, st, npmFeed(t, srv, 25), c.judge, "0"))
	waitStored(t, st, 100, 60*time.Second)
	stop()
	// Published while no monitor ran: the stored cursor resumes there.
	cs.release(200)
	stop = run(newMonitor(t, st, npmFeed(t, srv, 25), c.judge, ""))
	waitStored(t, st, 200, 60*time.Second)
	stop()
	s, _ := st.Stats(context.Background())
	if s.Packages != 200 || s.Checks != 200 {
		t.Errorf("stats %+v", s)
	}
	if c.total.Load() != 200 {
		t.Errorf("%d judgements for 200 publications", c.total.Load())
	}
}

func testStartNow(t *testing.T, st store.QueueStore) {
	cs := &changesServer{names: names(60)}
	cs.release(50)
	srv := httptest.NewServer(cs)
	defer srv.Close()
	var c counter
	stop := run(newMonitor(t, st, npmFeed(t, srv, 25), c.judge, ""))
	// The feed starts at its end: only what comes after is judged.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if f, err := st.FeedCursor(context.Background(), "npm"); err == nil && f.Cursor == "50" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the start cursor was not stored")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cs.release(60)
	waitStored(t, st, 10, 30*time.Second)
	stop()
	if c.total.Load() != 10 || c.calls["pkg-0049"] != 0 || c.calls["pkg-0050"] != 1 {
		t.Errorf("judged %d (pkg-0049 %d, pkg-0050 %d), want only the 10 new ones", c.total.Load(), c.calls["pkg-0049"], c.calls["pkg-0050"])
	}
}

func testGap(t *testing.T, st store.QueueStore) {
	cs := &changesServer{names: names(10), reset: true}
	srv := httptest.NewServer(cs)
	defer srv.Close()
	var c counter
	stop := run(newMonitor(t, st, npmFeed(t, srv, 25), c.judge, "900"))
	deadline := time.Now().Add(30 * time.Second)
	var gaps []store.FeedGap
	for len(gaps) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		gaps, _ = st.FeedGaps(context.Background(), "npm", 10)
	}
	stop()
	if len(gaps) == 0 || gaps[0].From != "900" || gaps[0].To != "3" {
		t.Fatalf("gaps %+v", gaps)
	}
}

var suite = []struct {
	name string
	fn   func(*testing.T, store.QueueStore)
}{
	{"replay", testReplay},
	{"restart", testRestart},
	{"start_now", testStartNow},
	{"gap", testGap},
}

func TestSQLite(t *testing.T) {
	for _, tc := range suite {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, openSQLite(t)) })
	}
}

func TestPostgresMonitor(t *testing.T) {
	for _, tc := range suite {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := openPostgres(t)
			tc.fn(t, st)
		})
	}
}
