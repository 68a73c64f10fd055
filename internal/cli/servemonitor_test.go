package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/alert"
)

// npmMirror is a changes feed and the package documents of its names, as
// one registry mirror serves them.
func npmMirror(t *testing.T, names []string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_changes" {
			type res struct {
				Seq int    `json:"seq"`
				ID  string `json:"id"`
			}
			out := struct {
				Results []res `json:"results"`
				LastSeq int   `json:"last_seq"`
			}{Results: []res{}, LastSeq: len(names)}
			if r.URL.Query().Get("descending") != "true" {
				var since int
				fmt.Sscan(r.URL.Query().Get("since"), &since)
				for i := since; i < len(names); i++ {
					out.Results = append(out.Results, res{i + 1, names[i]})
				}
			}
			json.NewEncoder(w).Encode(out)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/")
		for _, n := range names {
			if n == name {
				fmt.Fprintf(w, `{"name":%q,"dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":%q,"version":"1.0.0","description":"a package"}},"time":{"created":"2026-12-01T00:00:00Z","1.0.0":"2026-12-01T00:00:00Z"}}`, n, n)
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestServeMonitor follows a mirror's changes feed: each changed package
// is fetched, judged and stored with source feed:npm, the squat blocked;
// the dashboard and /readyz answer.
func TestServeMonitor(t *testing.T) {
	t.Setenv("PKGWARD_TOKEN", "")
	mirror := npmMirror(t, []string{"left-pad-utils-x", "expresss"})
	db := filepath.Join(t.TempDir(), "gate.db")
	r := startServe(t, "serve", "--addr", "127.0.0.1:0", "--db", db,
		"--feed", "npm="+mirror.URL, "--registry", mirror.URL, "--feed-start", "npm=0", "--poll-interval", "1s")
	if !strings.Contains(r.stderr.String(), "monitor: feeds npm every 1s; live campaigns") {
		t.Errorf("no monitor line: %s", r.stderr.String())
	}
	var body string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(r.base + "/v1/packages/npm/expresss")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 {
			body = string(b)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("expresss never stored: %d %s\n%s", resp.StatusCode, b, r.stderr.String())
		}
	}
	if !strings.Contains(body, `"feed:npm"`) || !strings.Contains(body, `"block"`) || !strings.Contains(body, "typosquat") {
		t.Errorf("stored check: %s", body)
	}
	for _, p := range []string{"/readyz", "/", "/packages/npm/expresss"} {
		resp, err := http.Get(r.base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", p, resp.StatusCode)
		}
	}
	// River marks a job completed shortly after its check is stored.
	want := []string{`pkgward_queue_jobs{state="completed"}`, `pkgward_jobs_total{kind="pkgward.check",outcome="completed"}`}
	var metrics string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(r.base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if metrics = string(b); strings.Contains(metrics, want[0]) && strings.Contains(metrics, want[1]) {
			break
		}
	}
	for _, w := range want {
		if !strings.Contains(metrics, w) {
			t.Errorf("/metrics has no %s", w)
		}
	}
	if code := r.wait(t); code != ExitOK {
		t.Errorf("serve stopped with exit %d: %s", code, r.stderr.String())
	}
}

func TestServeMonitorFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gate.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--feed", "cpan"}, `--feed "cpan": unsupported ecosystem`},
		{[]string{"--feed", "go"}, "no base URL"},
		{[]string{"--feed", "pypi=ftp://x"}, "want http or https"},
		{[]string{"--feed-start", "npm"}, "want ECO=CURSOR"},
		{[]string{"--poll-interval", "10ms"}, "want at least 1s"},
	} {
		var stderr strings.Builder
		code := Run(t.Context(), append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, tc.args...), IO{In: strings.NewReader(""), Out: io.Discard, Err: &stderr})
		if code != ExitError || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d %q, want exit 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}

// TestServeWebhook: a check the gate blocks is sent to the configured
// webhook, signed.
func TestServeWebhook(t *testing.T) {
	t.Setenv("PKGWARD_TOKEN", "")
	t.Setenv("PKGWARD_TEST_HOOK_SECRET", "s3cret")
	got := make(chan *http.Request, 4)
	bodies := make(chan []byte, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r
		bodies <- b
	}))
	defer hook.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfg, []byte("serve:\n  webhooks:\n    - url: "+hook.URL+"\n      secret-env: PKGWARD_TEST_HOOK_SECRET\n      events: [block]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startServe(t, "serve", "--config", cfg, "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "gate.db"))
	if code, body := post(t, r.base, "", `{"ecosystem":"pypi","name":"reqeusts"}`); code != 200 || !strings.Contains(body, `"block"`) {
		t.Fatalf("check: %d %s", code, body)
	}
	select {
	case req := <-got:
		body := <-bodies
		if req.Header.Get("X-Pkgward-Event") != "block" || !strings.Contains(string(body), "reqeusts") {
			t.Errorf("alert %v %s", req.Header, body)
		}
		if err := alert.Verify("s3cret", req.Header, body, time.Now(), 5*time.Minute); err != nil {
			t.Errorf("signature: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no alert: %s", r.stderr.String())
	}
}

// TestServeWithoutMonitor: no feed and --campaigns=false runs the gate
// alone, until stopped.
func TestServeWithoutMonitor(t *testing.T) {
	t.Setenv("PKGWARD_TOKEN", "")
	r := startServe(t, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "gate.db"), "--campaigns=false")
	time.Sleep(300 * time.Millisecond)
	if code, body := post(t, r.base, "", `{"ecosystem":"pypi","name":"requests"}`); code != 200 {
		t.Fatalf("check: %d %s\n%s", code, body, r.stderr.String())
	}
	if strings.Contains(r.stderr.String(), "monitor") {
		t.Errorf("a monitor line without a monitor: %s", r.stderr.String())
	}
	if code := r.wait(t); code != ExitOK {
		t.Errorf("exit %d: %s", code, r.stderr.String())
	}
}
