package npm

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock for the cache.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sleeps records the delays the client asked for instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// testClient returns a client of srv with a private cache, recorded
// sleeps and a fake clock.
func testClient(t *testing.T, srv *httptest.Server, mod func(*Options)) (*Client, *sleeps, *fakeClock) {
	t.Helper()
	sl := &sleeps{}
	clk := &fakeClock{t: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)}
	opts := Options{CacheDir: t.TempDir(), Sleep: sl.Sleep, Now: clk.Now, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	if mod != nil {
		mod(&opts)
	}
	c, err := New(srv.URL+"/", opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, sl, clk
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPackumentScopedName(t *testing.T) {
	body := fixture(t, "widget.json")
	var gotURI, gotAccept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotURI, gotAccept = r.RequestURI, r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	c, _, _ := testClient(t, srv, nil)
	doc, err := c.Packument(context.Background(), "@acme/widget")
	if err != nil {
		t.Fatal(err)
	}
	if gotURI != "/@acme%2fwidget" {
		t.Errorf("request URI %q, want /@acme%%2fwidget", gotURI)
	}
	if gotAccept != "application/json" {
		t.Errorf("Accept %q: the full document is needed (times, maintainers)", gotAccept)
	}
	if doc.Name != "@acme/widget" || len(doc.Versions) != 4 || doc.Latest() != "2.1.0" {
		t.Fatalf("decoded %q with %d versions, latest %q", doc.Name, len(doc.Versions), doc.Latest())
	}
	v := doc.Versions["2.0.0"]
	if v.Publisher != (Person{Name: "bo", Email: "bo@example.com"}) || len(v.Maintainers) != 2 || v.Repository.URL != "github:acme/widget" {
		t.Errorf("2.0.0 = %+v", v)
	}
	if b := doc.Versions["3.0.0-beta.1"]; b.Deprecated != "beta: do not use" || len(b.Scripts) != 0 {
		t.Errorf("beta: deprecated %q, scripts %v (a non-string script is dropped)", b.Deprecated, b.Scripts)
	}
	if got := doc.ByTime(); strings.Join(got, " ") != "1.0.0 2.0.0 2.1.0 3.0.0-beta.1" {
		t.Errorf("ByTime = %v", got)
	}
	if want := time.Date(2021, 3, 2, 10, 11, 12, 345e6, time.UTC); !doc.Created.Equal(want) {
		t.Errorf("created %v, want %v", doc.Created, want)
	}
}

func TestPackumentURL(t *testing.T) {
	c, err := New("https://npm.example.com/api/npm/", Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"lodash":             "https://npm.example.com/api/npm/lodash",
		"@types/node":        "https://npm.example.com/api/npm/@types%2fnode",
		"JSONStream":         "https://npm.example.com/api/npm/JSONStream",
		"@babel/core":        "https://npm.example.com/api/npm/@babel%2fcore",
		"lodash.merge":       "https://npm.example.com/api/npm/lodash.merge",
		"@scope/a+b":         "https://npm.example.com/api/npm/@scope%2fa+b",
		"name-with~tilde":    "https://npm.example.com/api/npm/name-with~tilde",
		"@sc/x!y":            "https://npm.example.com/api/npm/@sc%2fx%21y",
		"unicode-ñame-is-ok": "https://npm.example.com/api/npm/unicode-%C3%B1ame-is-ok",
	} {
		got, err := c.PackumentURL(name)
		if err != nil || got != want {
			t.Errorf("PackumentURL(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	// Without a trailing slash the base is still a directory.
	c2, _ := New("http://127.0.0.1:4873", Options{NoCache: true})
	if got, _ := c2.PackumentURL("@a/b"); got != "http://127.0.0.1:4873/@a%2fb" {
		t.Errorf("got %q", got)
	}
	for _, bad := range []string{"", "../etc/passwd", "a/b", "@scope", "@scope/", "@/x", "@s/a/b", ".hidden", "_private", "a b", "a\nb", "a%2fb", "a?b", strings.Repeat("x", 215), "@s/..", "\xff"} {
		if _, err := c.PackumentURL(bad); !errors.Is(err, ErrInvalidName) {
			t.Errorf("PackumentURL(%q): err %v, want ErrInvalidName", bad, err)
		}
	}
}

func TestNewRejectsBadBase(t *testing.T) {
	for _, bad := range []string{"", "ftp://x/", "localhost:4873", "file:///tmp/x", "http://"} {
		if _, err := New(bad, Options{}); err == nil {
			t.Errorf("New(%q) accepted", bad)
		}
	}
}

func TestNotFoundIsNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, `{"error":"Not found"}`, http.StatusNotFound)
	}))
	defer srv.Close()
	c, sl, _ := testClient(t, srv, nil)
	_, err := c.Packument(context.Background(), "no-such-package-xyz")
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnreachable) {
		t.Fatalf("err %v, want ErrNotFound only", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Status != 404 || e.Op != "packument" {
		t.Errorf("error %#v", err)
	}
	if hits.Load() != 1 || len(sl.all()) != 0 {
		t.Errorf("%d requests, %d sleeps: 404 must not be retried", hits.Load(), len(sl.all()))
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	body := fixture(t, "widget.json")
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch hits.Add(1) {
		case 1:
			http.Error(w, "bad gateway", http.StatusBadGateway)
		case 2:
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
		default:
			w.Write(body)
		}
	}))
	defer srv.Close()
	c, sl, _ := testClient(t, srv, nil)
	doc, err := c.Packument(context.Background(), "@acme/widget")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Name != "@acme/widget" || hits.Load() != 3 {
		t.Fatalf("name %q after %d requests", doc.Name, hits.Load())
	}
	d := sl.all()
	if len(d) != 2 {
		t.Fatalf("sleeps %v, want 2", d)
	}
	// Full jitter: retry n waits at most BaseDelay·2^(n-1).
	if d[0] > 100*time.Millisecond || d[1] > 200*time.Millisecond || d[0] < 0 || d[1] < 0 {
		t.Errorf("sleeps %v exceed the backoff windows 100ms, 200ms", d)
	}
}

func TestRetriesAreBounded(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	c, sl, _ := testClient(t, srv, func(o *Options) { o.MaxAttempts = 5 })
	_, err := c.Packument(context.Background(), "lodash")
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err %v, want ErrUnreachable", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Attempts != 5 || e.Status != 500 {
		t.Errorf("error %+v: want 5 attempts, last status 500", e)
	}
	if hits.Load() != 5 || len(sl.all()) != 4 {
		t.Errorf("%d requests and %d sleeps, want 5 and 4", hits.Load(), len(sl.all()))
	}
	if !strings.Contains(err.Error(), "after 5 attempts") {
		t.Errorf("message %q does not say how often it tried", err)
	}
}

func TestBackoffWindows(t *testing.T) {
	c, _ := New("http://127.0.0.1/", Options{NoCache: true, BaseDelay: 250 * time.Millisecond, MaxDelay: 2 * time.Second})
	for n := 1; n <= 64; n++ {
		window := min(250*time.Millisecond<<min(n-1, 20), 2*time.Second)
		for range 50 {
			if d := c.backoff(n); d < 0 || d > window {
				t.Fatalf("backoff(%d) = %v, outside [0, %v]", n, d, window)
			}
		}
	}
	// Jitter: the delays are not all equal.
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[c.backoff(3)] = true
	}
	if len(seen) < 2 {
		t.Error("backoff has no jitter")
	}
}

func TestRetryAfter(t *testing.T) {
	body := fixture(t, "widget.json")
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch hits.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.Header().Set("Retry-After", time.Date(2024, 6, 1, 12, 0, 7, 0, time.UTC).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.Write(body)
		}
	}))
	defer srv.Close()
	c, sl, _ := testClient(t, srv, nil)
	if _, err := c.Packument(context.Background(), "@acme/widget"); err != nil {
		t.Fatal(err)
	}
	d := sl.all()
	if len(d) != 2 || d[0] != 3*time.Second || d[1] != 7*time.Second {
		t.Errorf("sleeps %v, want [3s 7s] as Retry-After asked", d)
	}
}

func TestRetryAfterTooLongGivesUp(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c, sl, _ := testClient(t, srv, nil)
	_, err := c.Packument(context.Background(), "lodash")
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "retry after 1h0m0s") {
		t.Fatalf("err %v", err)
	}
	if hits.Load() != 1 || len(sl.all()) != 0 {
		t.Errorf("%d requests, sleeps %v: an hour's Retry-After must end the retries", hits.Load(), sl.all())
	}
}

func TestNetworkErrorThenSuccess(t *testing.T) {
	body := fixture(t, "widget.json")
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // connection reset before any response
			}
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	c, sl, _ := testClient(t, srv, nil)
	if _, err := c.Packument(context.Background(), "@acme/widget"); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 || len(sl.all()) != 1 {
		t.Errorf("%d requests, %d sleeps; want 2 and 1", hits.Load(), len(sl.all()))
	}
}

func TestUnreachableServer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more
	sl := &sleeps{}
	c, err := New(url, Options{NoCache: true, Sleep: sl.Sleep, MaxAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Packument(context.Background(), "lodash")
	if !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrNotFound) {
		t.Fatalf("err %v, want ErrUnreachable", err)
	}
	if len(sl.all()) != 2 {
		t.Errorf("sleeps %v, want 2 (3 attempts)", sl.all())
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Write(fixture(t, "widget.json"))
	}))
	defer srv.Close()
	defer close(release)
	c, _, _ := testClient(t, srv, func(o *Options) { o.Timeout = 100 * time.Millisecond })
	if _, err := c.Packument(context.Background(), "@acme/widget"); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Errorf("%d requests, want 2", hits.Load())
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	c, err := New(srv.URL, Options{NoCache: true, MaxAttempts: 10, Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Packument(ctx, "lodash")
	if !errors.Is(err, context.Canceled) || hits.Load() != 1 {
		t.Errorf("err %v after %d requests; want context.Canceled after 1", err, hits.Load())
	}
}

func TestBadResponses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"forbidden", 403, `{"error":"forbidden"}`, ErrBadResponse},
		{"unauthorized", 401, ``, ErrBadResponse},
		{"not json", 200, `<html>captive portal</html>`, ErrBadResponse},
		{"json array", 200, `[1,2,3]`, ErrBadResponse},
		{"no name", 200, `{"versions":{}}`, ErrBadResponse},
		{"other package", 200, `{"name":"evil","versions":{}}`, ErrBadResponse},
		{"truncated", 200, `{"name":"lodash","versions":{"1.0.0":`, ErrBadResponse},
		{"redirect loop ends elsewhere", 302, ``, ErrBadResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if tc.status == 302 {
					w.WriteHeader(http.StatusNotModified) // 304 without a conditional request
					return
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c, _, _ := testClient(t, srv, nil)
			_, err := c.Packument(context.Background(), "lodash")
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if hits.Load() != 1 {
				t.Errorf("%d requests: a bad response is not retried", hits.Load())
			}
			// Nothing bad was cached: the next call asks again.
			c.Packument(context.Background(), "lodash")
			if hits.Load() != 2 {
				t.Errorf("a bad response was cached")
			}
		})
	}
}

func TestCacheTTLAndRevalidation(t *testing.T) {
	body := fixture(t, "widget.json")
	var hits, conditional atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 01 Feb 2023 09:00:05 GMT")
		w.Write(body)
	}))
	defer srv.Close()
	c, _, clk := testClient(t, srv, func(o *Options) { o.TTL = time.Minute })
	ctx := context.Background()
	get := func() *Document {
		t.Helper()
		d, err := c.Packument(ctx, "@acme/widget")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	get()
	get() // fresh: served from the cache
	if hits.Load() != 1 {
		t.Fatalf("%d requests within the TTL, want 1", hits.Load())
	}
	clk.Add(2 * time.Minute)
	if d := get(); d.Latest() != "2.1.0" {
		t.Fatalf("revalidated document: latest %q", d.Latest())
	}
	if hits.Load() != 2 || conditional.Load() != 1 {
		t.Fatalf("%d requests (%d conditional), want 2 (1)", hits.Load(), conditional.Load())
	}
	get() // the 304 refreshed the entry
	if hits.Load() != 2 {
		t.Errorf("%d requests after a 304, want the entry to be fresh again", hits.Load())
	}
	// A second client on the same directory (another run) sees the entry.
	c2, err := New(srv.URL, Options{CacheDir: c.cache.dir, Now: clk.Now, TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Packument(ctx, "@acme/widget"); err != nil || hits.Load() != 2 {
		t.Errorf("second client: %v, %d requests", err, hits.Load())
	}
}

func TestCacheStaleAlwaysRevalidates(t *testing.T) {
	body := fixture(t, "widget.json")
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("If-Modified-Since") != "" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Last-Modified", "Wed, 01 Feb 2023 09:00:05 GMT")
		w.Write(body)
	}))
	defer srv.Close()
	c, _, _ := testClient(t, srv, func(o *Options) { o.TTL = -1 })
	for range 3 {
		if _, err := c.Packument(context.Background(), "@acme/widget"); err != nil {
			t.Fatal(err)
		}
	}
	if hits.Load() != 3 {
		t.Errorf("%d requests with TTL<0, want 3 (each revalidated)", hits.Load())
	}
}

func TestCacheFilesAndCorruption(t *testing.T) {
	body := fixture(t, "widget.json")
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write(body)
	}))
	defer srv.Close()
	c, _, _ := testClient(t, srv, nil)
	if _, err := c.Packument(context.Background(), "@acme/widget"); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(c.cache.dir, "*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], cacheSuffix) {
		t.Fatalf("cache files %v, want one entry and no temporary file", files)
	}
	// A damaged entry is ignored, not trusted.
	os.WriteFile(files[0], []byte("garbage\n{"), 0o600)
	if _, err := c.Packument(context.Background(), "@acme/widget"); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Errorf("%d requests, want the damaged entry refetched", hits.Load())
	}
}

func TestCacheKeepsNoCredentials(t *testing.T) {
	body := fixture(t, "widget.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	dir := t.TempDir()
	u := strings.Replace(srv.URL, "http://", "http://user:s3cret@", 1)
	c, err := New(u, Options{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Packument(context.Background(), "@acme/widget"); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		if b, _ := os.ReadFile(f); bytes.Contains(b, []byte("s3cret")) {
			t.Errorf("%s holds the password", f)
		}
	}
}

func TestCachePrune(t *testing.T) {
	dir := t.TempDir()
	clk := &fakeClock{t: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	ca := &cache{dir: dir, maxEntry: 1 << 20, maxTotal: 10 << 10, now: clk.Now}
	for i := range 40 {
		clk.Add(time.Second)
		ca.put(fmt.Sprintf("http://x/p%d", i), &entry{body: bytes.Repeat([]byte("x"), 1000)})
	}
	ca.prune()
	var total int64
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		st, _ := os.Stat(f)
		total += st.Size()
	}
	if total > 10<<10 {
		t.Errorf("cache holds %d bytes, bound 10 KiB", total)
	}
	if ca.get("http://x/p39") == nil {
		t.Error("the newest entry was pruned")
	}
	if ca.get("http://x/p0") != nil {
		t.Error("the oldest entry survived")
	}
	// Oversized bodies are not cached at all.
	ca.put("http://x/big", &entry{body: make([]byte, 2<<20)})
	if ca.get("http://x/big") != nil {
		t.Error("an oversized body was cached")
	}
}

func TestDocumentSizeLimit(t *testing.T) {
	big := `{"name":"huge","description":"` + strings.Repeat("a", 4096) + `"}`
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if !chunked {
					w.Header().Set("Content-Length", fmt.Sprint(len(big)))
				}
				for i := 0; i < len(big); i += 512 {
					w.Write([]byte(big[i:min(i+512, len(big))]))
					if chunked {
						w.(http.Flusher).Flush()
					}
				}
			}))
			defer srv.Close()
			c, _, _ := testClient(t, srv, func(o *Options) { o.MaxDocumentSize = 1024 })
			_, err := c.Packument(context.Background(), "huge")
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err %v, want ErrTooLarge", err)
			}
			if hits.Load() != 1 {
				t.Errorf("%d requests: too large is final", hits.Load())
			}
		})
	}
}

func sri(b []byte) string {
	s := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(s[:])
}

func TestTarball(t *testing.T) {
	tgz := []byte("\x1f\x8b\x08\x00fake tarball bytes for the test")
	sha := sha1.Sum(tgz)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/@acme/widget/-/widget-2.1.0.tgz":
			w.Write(tgz)
		case "/big.tgz":
			w.Write(make([]byte, 4096))
		case "/flaky.tgz":
			if hits.Load()%2 == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			w.Write(tgz)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _, _ := testClient(t, srv, func(o *Options) { o.MaxTarballSize = 1024 })
	ctx := context.Background()
	good := srv.URL + "/@acme/widget/-/widget-2.1.0.tgz"
	for _, tc := range []struct {
		name string
		dist Dist
		want error
	}{
		{"sha512", Dist{Tarball: good, Integrity: sri(tgz)}, nil},
		{"sha512 among others", Dist{Tarball: good, Integrity: "sha1-" + base64.StdEncoding.EncodeToString(sha[:]) + " " + sri(tgz)}, nil},
		{"shasum only", Dist{Tarball: good, Shasum: hex.EncodeToString(sha[:])}, nil},
		{"retried after 502", Dist{Tarball: srv.URL + "/flaky.tgz", Integrity: sri(tgz)}, nil},
		{"sha512 mismatch", Dist{Tarball: good, Integrity: sri([]byte("other"))}, ErrIntegrity},
		{"strongest hash wins", Dist{Tarball: good, Integrity: sri([]byte("other")) + " sha1-" + base64.StdEncoding.EncodeToString(sha[:])}, ErrIntegrity},
		{"shasum mismatch", Dist{Tarball: good, Shasum: strings.Repeat("0", 40)}, ErrIntegrity},
		{"no hash", Dist{Tarball: good}, ErrIntegrity},
		{"malformed integrity", Dist{Tarball: good, Integrity: "sha512-!!!"}, ErrIntegrity},
		{"unknown algorithm", Dist{Tarball: good, Integrity: "md5-AAAA"}, ErrIntegrity},
		{"too large", Dist{Tarball: srv.URL + "/big.tgz", Integrity: sri(make([]byte, 4096))}, ErrTooLarge},
		{"not found", Dist{Tarball: srv.URL + "/missing.tgz", Integrity: sri(tgz)}, ErrNotFound},
		{"not http", Dist{Tarball: "file:///etc/passwd", Integrity: sri(tgz)}, ErrBadResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Tarball(ctx, tc.dist)
			if tc.want == nil {
				if err != nil || !bytes.Equal(got, tgz) {
					t.Fatalf("Tarball: %v (%d bytes)", err, len(got))
				}
				return
			}
			if !errors.Is(err, tc.want) || got != nil {
				t.Fatalf("err %v, want %v and no bytes", err, tc.want)
			}
		})
	}
}

func TestErrorMessageRedactsCredentials(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	c, err := New(strings.Replace(srv.URL, "http://", "http://user:s3cret@", 1), Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Packument(context.Background(), "lodash")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error %v shows the password", err)
	}
}

func TestConcurrentClients(t *testing.T) {
	body := fixture(t, "widget.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"e"`)
		w.Write(body)
	}))
	defer srv.Close()
	c, _, _ := testClient(t, srv, func(o *Options) { o.TTL = -1 })
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if _, err := c.Packument(context.Background(), "@acme/widget"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
