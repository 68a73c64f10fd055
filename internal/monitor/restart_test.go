package monitor

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/store"
)

// pgServer is a PostgreSQL server of the test's own, so that the test can
// stop and start it: initdb into a temporary directory with the
// machine's PostgreSQL binaries (as the postgres user when run as root).
type pgServer struct {
	t          *testing.T
	bin, data  string
	port       int
	asPostgres bool
}

func pgBin() string {
	if d := os.Getenv("PKGWARD_PG_BIN"); d != "" {
		return d
	}
	return "/usr/lib/postgresql/15/bin"
}

func (s *pgServer) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	if s.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(s.bin, name)}, args...)...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", name, err, out)
	}
	return nil
}

func (s *pgServer) start() error {
	return s.run("pg_ctl", "-D", s.data, "-l", filepath.Join(filepath.Dir(s.data), "log"), "-w", "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", s.port, filepath.Dir(s.data)), "start")
}

func (s *pgServer) stop() error { return s.run("pg_ctl", "-D", s.data, "-m", "fast", "-w", "stop") }

// ownPostgres starts a private PostgreSQL and returns it with its DSN; it
// skips without the binaries, unless PKGWARD_REQUIRE_POSTGRES=1.
func ownPostgres(t *testing.T) (*pgServer, string) {
	t.Helper()
	bin := pgBin()
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		if os.Getenv("PKGWARD_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("no PostgreSQL binaries in %s but PKGWARD_REQUIRE_POSTGRES=1", bin)
		}
		t.Skipf("no PostgreSQL binaries in %s (set PKGWARD_PG_BIN)", bin)
	}
	dir, err := os.MkdirTemp("", "pkgward-pg-restart")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &pgServer{t: t, bin: bin, data: filepath.Join(dir, "data"), port: port}
	dbUser := "postgres"
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		s.asPostgres = true
		if out, err := exec.Command("chown", "postgres", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
	} else if u != nil {
		dbUser = u.Username
	}
	if err := s.run("initdb", "-D", s.data, "-U", dbUser, "-A", "trust"); err != nil {
		t.Fatal(err)
	}
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop() })
	return s, fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", dbUser, port)
}

// TestPostgresRestart stops the database in the middle of a replay and
// starts it again: the monitor reports itself not ready meanwhile (the
// store's ping fails), retries, and once the database is back every
// publication is stored exactly once.
func TestPostgresRestart(t *testing.T) {
	if os.Getenv("PKGWARD_TEST_POSTGRES") == "" && os.Getenv("PKGWARD_REQUIRE_POSTGRES") != "1" {
		t.Skip("PKGWARD_TEST_POSTGRES not set")
	}
	pg, dsn := ownPostgres(t)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs := &changesServer{names: names(300)}
	cs.release(100)
	srv := httptest.NewServer(cs)
	defer srv.Close()
	c := &counter{}
	stop := run(newMonitor(t, st.(store.QueueStore), npmFeed(t, srv, 25), c.judge, "0"))
	defer stop()
	waitStored(t, st, 100, 60*time.Second)

	if err := pg.stop(); err != nil {
		t.Fatal(err)
	}
	cs.release(300) // published while the database is down
	time.Sleep(2 * time.Second)
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	if err := st.Ping(pctx); err == nil {
		t.Error("the store answers its ping with the database down")
	}
	cancel()
	if err := pg.start(); err != nil {
		t.Fatal(err)
	}
	waitStored(t, st, 300, 120*time.Second)
	stop()
	s, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Packages != 300 || s.Checks != 300 {
		t.Errorf("after the restart: %+v, want 300 packages in 300 checks", s)
	}
	if err := st.Ping(ctx); err != nil {
		t.Errorf("ping after the restart: %v", err)
	}
}
