package dashboard

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds the browser: $PKGWARD_CHROMIUM, else chromium or
// chromium-browser on PATH. Without one the browser tests skip, unless
// PKGWARD_REQUIRE_CHROMIUM=1 (as .ci/run sets it), when they fail.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PKGWARD_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("PKGWARD_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("no chromium found but PKGWARD_REQUIRE_CHROMIUM=1")
	}
	t.Skip("no chromium on PATH (install Debian's chromium, or set PKGWARD_CHROMIUM)")
	return ""
}

// artifacts is where screenshots go: $PKGWARD_ARTIFACTS when set (CI keeps
// them), else a temporary directory.
func artifacts(t *testing.T) string {
	if d := os.Getenv("PKGWARD_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestBrowser loads every page in headless Chromium: no console error, no
// uncaught exception, no failed load or CSP violation, and the numbers the
// store (and so /v1/stats) holds are the ones shown.
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	st := seed(t)
	srv := httptest.NewServer(New(Config{Store: st, Now: func() time.Time { return now }}))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	// Every console message, exception and browser-log entry (a failed
	// load, a CSP violation) of warning level or worse is a problem.
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(bctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			switch m.Type {
			case chromedp.ConsoleWarning, chromedp.ConsoleError, chromedp.ConsoleException:
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s at %s: %s", m.Type, m.URL, m.Text))
				mu.Unlock()
			}
		}
	}()
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := artifacts(t)
	for _, p := range []struct {
		path, shot string
		checks     map[string]string // selector → text it must show
	}{
		{"/", "overview.png", map[string]string{
			"#stat-checks": strconv.FormatInt(stats.Checks, 10),
			"#stat-block":  strconv.FormatInt(stats.ByVerdict["block"], 10),
		}},
		{"/findings?verdict=block", "findings.png", map[string]string{"table.findings tbody": "typosquat"}},
		{"/campaigns", "campaigns.png", map[string]string{"main table": "cmp-00112233aabbccdd"}},
		{"/campaigns/cmp-00112233aabbccdd", "campaign.png", map[string]string{"#campaign-size": "3", "table.members": "free-robux-b"}},
		{"/packages/npm/expresss", "package.png", map[string]string{"main h1": "expresss", "ol.evidence": "typosquat"}},
	} {
		if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+p.path), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		got := map[string]*string{}
		for sel := range p.checks {
			text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
			if err != nil {
				t.Fatalf("%s: %s: %v", p.path, sel, err)
			}
			got[sel] = &text
		}
		shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)) // quality 100: PNG
		if err != nil {
			t.Fatalf("%s: screenshot: %v", p.path, err)
		}
		for sel, want := range p.checks {
			if !strings.Contains(*got[sel], want) {
				t.Errorf("%s: %s shows %q, want %q", p.path, sel, *got[sel], want)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, p.shot), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bcancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, pr := range problems {
		t.Errorf("browser: %s", pr)
	}
}
