package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/store"
)

// lockedBuffer is a bytes.Buffer safe for the server goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// running is a serve started in this process by startServe.
type running struct {
	base   string
	stderr *lockedBuffer
	done   chan int
	stop   context.CancelFunc
}

var gateLine = regexp.MustCompile(`gate on (http://127\.0\.0\.1:\d+)`)

// startServe runs pkgward args (a serve command) until the test ends or
// stop is called, and waits for its start line.
func startServe(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stderr: &lockedBuffer{}, done: make(chan int, 1), stop: cancel}
	go func() {
		r.done <- Run(ctx, args, IO{In: strings.NewReader(""), Out: io.Discard, Err: r.stderr})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := gateLine.FindStringSubmatch(r.stderr.String()); m != nil {
			r.base = m[1]
			return r
		}
		select {
		case code := <-r.done:
			r.done <- code
			t.Fatalf("serve exited %d: %s", code, r.stderr.String())
		default:
		}
	}
	t.Fatalf("serve did not start: %s", r.stderr.String())
	return nil
}

// wait stops serve as a signal would and returns its exit code.
func (r *running) wait(t *testing.T) int {
	t.Helper()
	r.stop()
	select {
	case code := <-r.done:
		r.done <- code // for the cleanup
		return code
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
	return -1
}

func post(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/v1/check", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServe starts the gate on a free loopback port, checks a package
// through it and stops it as a signal would.
func TestServe(t *testing.T) {
	t.Setenv("PKGWARD_TOKEN", "")
	db := filepath.Join(t.TempDir(), "gate.db")
	r := startServe(t, "serve", "--addr", "127.0.0.1:0", "--db", db, "--token", "t0k")
	if code, body := post(t, r.base, "t0k", `{"ecosystem":"pypi","name":"reqeusts"}`); code != 200 || !strings.Contains(body, `"verdict":"block"`) {
		t.Errorf("check through serve: %d %s", code, body)
	}
	if code, _ := post(t, r.base, "", `{"ecosystem":"pypi","name":"reqeusts"}`); code != 401 {
		t.Errorf("check without the token: %d, want 401", code)
	}
	if code := r.wait(t); code != ExitOK {
		t.Errorf("serve stopped with exit %d: %s", code, r.stderr.String())
	}
	if !strings.Contains(r.stderr.String(), "gate stopped") {
		t.Errorf("no stop line: %s", r.stderr.String())
	}
}

// TestServeConfig: the serve: section sets the address, the store and
// the token file (relative to the config file), flags override it.
func TestServeConfig(t *testing.T) {
	t.Setenv("PKGWARD_TOKEN", "")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tokens"), []byte("# the registry\nreg-token-1\nci-token-2\n"), 0o600)
	cfg := filepath.Join(dir, "pkgward.yaml")
	os.WriteFile(cfg, []byte("serve:\n  addr: 127.0.0.1:0\n  db: "+filepath.Join(dir, "cfg.db")+"\n  token-file: tokens\n  max-json-bytes: 200\n"), 0o600)
	r := startServe(t, "serve", "--config", cfg)
	if !strings.Contains(r.stderr.String(), "2 bearer tokens") || !strings.Contains(r.stderr.String(), "cfg.db") {
		t.Errorf("start line: %s", r.stderr.String())
	}
	for _, tok := range []string{"reg-token-1", "ci-token-2"} {
		if code, body := post(t, r.base, tok, `{"ecosystem":"npm","name":"lodash"}`); code != 200 {
			t.Errorf("token %s: %d %s", tok, code, body)
		}
	}
	if code, _ := post(t, r.base, "the registry", `{"ecosystem":"npm","name":"lodash"}`); code != 401 {
		t.Errorf("a comment is a token: %d", code)
	}
	if code, _ := post(t, r.base, "reg-token-1", `{"ecosystem":"npm","name":"lodash","description":"`+strings.Repeat("x", 300)+`"}`); code != 413 {
		t.Errorf("max-json-bytes 200: %d, want 413", code)
	}
	r.wait(t)

	// Flags win: --db and --token-file replace the config's.
	os.WriteFile(filepath.Join(dir, "other"), []byte("other-token\n"), 0o600)
	r = startServe(t, "serve", "--config", cfg, "--db", filepath.Join(dir, "flag.db"), "--token-file", filepath.Join(dir, "other"))
	if code, _ := post(t, r.base, "reg-token-1", `{"ecosystem":"npm","name":"lodash"}`); code != 401 {
		t.Errorf("the config's token file after --token-file: %d, want 401", code)
	}
	if code, _ := post(t, r.base, "other-token", `{"ecosystem":"npm","name":"lodash"}`); code != 200 {
		t.Errorf("--token-file's token: %d", code)
	}
	r.wait(t)
	if _, err := os.Stat(filepath.Join(dir, "flag.db")); err != nil {
		t.Errorf("--db did not override serve.db: %v", err)
	}
}

// TestServeRefuses: what serve must not start with exits 2 and says why.
func TestServeRefuses(t *testing.T) {
	t.Setenv("PKGWARD_TOKEN", "")
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("# no tokens yet\n\n"), 0o600)
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("serve:\n  read-timeout: 0s\n"), 0o600)
	openCfg := filepath.Join(dir, "open.yaml")
	os.WriteFile(openCfg, []byte("serve:\n  addr: 0.0.0.0:0\n"), 0o600)
	badDB := filepath.Join(dir, "baddb.yaml")
	os.WriteFile(badDB, []byte("serve:\n  addr: 127.0.0.1:0\n  db: mysql://x/y\n"), 0o600)
	db := filepath.Join(dir, "x.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--addr", "0.0.0.0:0", "--db", db}, "is not a loopback address: give tokens"},
		{[]string{"serve", "--addr", ":0", "--db", db}, "is not a loopback address"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--token-file", empty}, "no token in the token file"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--token-file", filepath.Join(dir, "missing")}, "missing"},
		{[]string{"serve", "--config", badCfg, "--db", db}, "bad.yaml:2: duration 0s: want more than 0"},
		{[]string{"serve", "--addr", "127.0.0.1:99999", "--db", db}, "--addr"},
		{[]string{"serve", "--config", openCfg, "--db", db}, "open.yaml: serve.addr 0.0.0.0:0 is not a loopback address"},
		{[]string{"serve", "--config", badDB, "--addr", "127.0.0.1:0"}, "baddb.yaml: serve.db: store: unsupported DSN scheme"},
	} {
		var stderr bytes.Buffer
		code := Run(context.Background(), tc.args, IO{In: strings.NewReader(""), Out: io.Discard, Err: &stderr})
		if code != ExitError || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d %q, want exit %d and %q", tc.args, code, stderr.String(), ExitError, tc.want)
		}
	}
}

// TestServeFinishesInFlight: a check in flight when the stop comes is
// judged, answered and stored before serve exits.
func TestServeFinishesInFlight(t *testing.T) {
	t.Setenv("PKGWARD_TOKEN", "")
	db := filepath.Join(t.TempDir(), "gate.db")
	r := startServe(t, "serve", "--addr", "127.0.0.1:0", "--db", db)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", r.base+"/v1/check", pr)
	req.Header.Set("Content-Type", "application/json")
	type result struct {
		code int
		body string
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			resc <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resc <- result{resp.StatusCode, string(b), nil}
	}()
	pw.Write([]byte(`{"ecosystem":"npm",`))
	// The request is in flight once the server counts it.
	inFlight := regexp.MustCompile(`(?m)^pkgward_http_requests_in_flight ([0-9]+)`)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, err := http.Get(r.base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if m := inFlight.FindSubmatch(b); m != nil && string(m[1]) != "0" && string(m[1]) != "1" { // the check and this scrape
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the check never arrived: %s", b)
		}
	}
	r.stop()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(r.stderr.String(), "stopping"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no stopping line")
		}
	}
	time.Sleep(100 * time.Millisecond) // Shutdown has closed the listener and waits
	pw.Write([]byte(`"name":"expresss","version":"9.9.9"}`))
	pw.Close()
	res := <-resc
	if res.err != nil || res.code != 200 || !strings.Contains(res.body, `"verdict":"block"`) {
		t.Fatalf("the check in flight: %d %s %v", res.code, res.body, res.err)
	}
	if code := r.wait(t); code != ExitOK {
		t.Fatalf("serve exit %d: %s", code, r.stderr.String())
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vs, err := st.Package(context.Background(), "npm", "expresss")
	if err != nil || len(vs) != 1 || vs[0].Version != "9.9.9" {
		t.Errorf("the check answered during the stop is not stored: %+v %v", vs, err)
	}
	if _, err := http.Get(r.base + "/healthz"); err == nil {
		t.Error("serve still answers after it stopped")
	}
}

// TestServeLimits: the serve: timeouts and header limit reach the HTTP
// server. A client that never finishes its header is cut off after
// read-header-timeout; a header over max-header-bytes is refused.
func TestServeLimits(t *testing.T) {
	t.Setenv("PKGWARD_TOKEN", "")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "pkgward.yaml")
	os.WriteFile(cfg, []byte("serve:\n  addr: 127.0.0.1:0\n  read-header-timeout: 300ms\n  max-header-bytes: 4KiB\n"), 0o600)
	r := startServe(t, "serve", "--config", cfg, "--db", filepath.Join(dir, "gate.db"))
	conn, err := net.Dial("tcp", strings.TrimPrefix(r.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /v1/check HTTP/1.1\r\nHost: x\r\n")) // and nothing more
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.Copy(io.Discard, conn) // returns when the server closes
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("a stalled header held the connection %s; read-header-timeout is 300ms", took)
	}
	req, _ := http.NewRequest("GET", r.base+"/healthz", nil)
	req.Header.Set("X-Padding", strings.Repeat("a", 16<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 16 KiB header with max-header-bytes 4KiB: %d, want 431", resp.StatusCode)
	}
}
