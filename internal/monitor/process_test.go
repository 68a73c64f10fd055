package monitor

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/feed"
	"github.com/pkgward/pkgward/internal/store"
)

// The child process of the kill tests: a monitor on PKGWARD_MONITOR_DSN
// following the changes feed at PKGWARD_MONITOR_FEED, until killed.
func TestMain(m *testing.M) {
	if dsn := os.Getenv("PKGWARD_MONITOR_DSN"); dsn != "" {
		os.Exit(child(dsn, os.Getenv("PKGWARD_MONITOR_FEED")))
	}
	os.Exit(m.Run())
}

func child(dsn, feedURL string) int {
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer cancel()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer st.Close()
	f, err := feed.New(ecosystem.NPM, feedURL, feed.Options{PageSize: 20})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	c := &counter{delay: 20 * time.Millisecond}
	m, err := New(ctx, Config{Store: st.(store.QueueStore), Sources: []Source{{Feed: f, Start: "0"}}, Judge: c.judge,
		PollInterval: 100 * time.Millisecond, Workers: 4, JobTimeout: time.Second, RescueAfter: 2 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	return 0
}

func startChild(t *testing.T, dsn, feedURL string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PKGWARD_MONITOR_DSN="+dsn, "PKGWARD_MONITOR_FEED="+feedURL)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd
}

// TestPostgresKill9 kills a monitor process with SIGKILL in the middle of
// a replay and starts another: every publication is stored exactly once
// (jobs the dead process held are rescued and retried).
func TestPostgresKill9(t *testing.T) {
	st, dsn := openPostgres(t)
	kill9(t, st, dsn)
}

// TestSQLiteKill9 is the same on the embedded store.
func TestSQLiteKill9(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "kill.db")
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	kill9(t, st, dsn)
}

func kill9(t *testing.T, st store.Store, dsn string) {
	cs := &changesServer{names: names(400)}
	cs.release(400)
	srv := httptest.NewServer(cs)
	defer srv.Close()

	first := startChild(t, dsn, srv.URL)
	waitStored(t, st, 100, 60*time.Second)
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	s, _ := st.Stats(context.Background())
	if s.Packages >= 400 {
		t.Fatalf("the first process finished before it was killed (%d stored)", s.Packages)
	}
	t.Logf("killed with %d of 400 stored", s.Packages)
	startChild(t, dsn, srv.URL)
	// The dead process's running jobs wait for River's rescuer (it runs
	// every 30 s once a new leader is elected).
	waitStored(t, st, 400, 120*time.Second)
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Packages != 400 || s.Checks != 400 {
		t.Errorf("after the restart: %+v, want 400 packages in 400 checks", s)
	}
}

// TestPostgresTwoMonitors runs two monitors on one database: one polls
// the feed, both work its jobs, and each publication is judged about once.
func TestPostgresTwoMonitors(t *testing.T) {
	st, dsn := openPostgres(t)
	st2, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	cs := &changesServer{names: names(400)}
	cs.release(400)
	srv := httptest.NewServer(cs)
	defer srv.Close()
	c := &counter{delay: 5 * time.Millisecond}
	stop1 := run(newMonitor(t, st, npmFeed(t, srv, 50), c.judge, "0"))
	stop2 := run(newMonitor(t, st2.(store.QueueStore), npmFeed(t, srv, 50), c.judge, "0"))
	waitStored(t, st, 400, 60*time.Second)
	stop1()
	stop2()
	if n := c.total.Load(); n > 420 {
		t.Errorf("%d judgements for 400 publications (more than 5%% repeated)", n)
	}
	for _, n := range cs.names {
		if c.calls[n] == 0 {
			t.Errorf("%s never judged", n)
		}
	}
}
