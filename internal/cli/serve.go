package cli

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/alert"
	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/config"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/server"
	"github.com/pkgward/pkgward/internal/store"
)

// defaultDB is the SQLite file serve uses without --db.
func defaultDB() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory for the default store (%v): give --db", err)
	}
	dir = filepath.Join(dir, "pkgward")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, "gate.db"), nil
}

// Defaults of serve (docs/server.md#configuration).
const (
	defaultAddr              = "127.0.0.1:8080"
	defaultReadHeaderTimeout = 5 * time.Second
	defaultReadTimeout       = time.Minute
	defaultWriteTimeout      = time.Minute
	defaultIdleTimeout       = 2 * time.Minute
	defaultShutdownTimeout   = 30 * time.Second
	defaultMaxHeaderBytes    = 64 << 10
)

// orDefault is d unless v is set.
func orDefault[T ~int64 | ~int](v, d T) T {
	if v > 0 {
		return v
	}
	return d
}

// serveTokens are the bearer tokens serve requires: --token (or
// $PKGWARD_TOKEN) and those of --token-file (or serve.token-file).
func (g *globals) serveTokens(token, tokenFile string, flagged bool) ([]string, string, error) {
	if token == "" {
		token = os.Getenv("PKGWARD_TOKEN")
	}
	var tokens []string
	if token != "" {
		tokens = append(tokens, token)
	}
	file := tokenFile
	if !flagged && g.cfg != nil {
		file = g.cfg.TokenFilePath()
	}
	if file != "" {
		ts, err := config.ReadTokenFile(file)
		if err != nil {
			return nil, "", err
		}
		tokens = append(tokens, ts...)
	}
	return tokens, file, nil
}

// loopback reports whether a listener accepts only this machine's
// connections.
func loopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

func (g *globals) serveCmd(ctx context.Context) *cobra.Command {
	var addr, db, token, tokenFile string
	var mf monitorFlags
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--db DSN] [--token-file FILE] [--config FILE]",
		Short: "Run the publish gate: an HTTP API a registry calls before it accepts a package",
		Long: `serve judges package records sent to POST /v1/check with the same engine as
check and stores every result (SQLite by default, or PostgreSQL with --db
postgres://...). The configuration file's serve: section sets the address,
store, token file, body limits and timeouts; flags override it. Without a
token serve listens only on a loopback address. See docs/server.md.`,
		Example: "  pkgward serve\n  pkgward serve --addr 0.0.0.0:8080 --token-file /etc/pkgward/tokens --db postgres://pkgward@127.0.0.1/pkgward",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc := g.cfg.Serve
			addrFrom, dbFrom := "--addr", "--db"
			if !cmd.Flags().Changed("addr") && sc.Addr != "" {
				addr, addrFrom = sc.Addr, g.cfg.File+": serve.addr"
			}
			if db == "" && sc.DB != "" {
				db, dbFrom = sc.DB, g.cfg.File+": serve.db"
			}
			tokens, file, err := g.serveTokens(token, tokenFile, cmd.Flags().Changed("token-file"))
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usageError{fmt.Errorf("%s: %w", addrFrom, err)}
			}
			defer ln.Close()
			if len(tokens) == 0 && !loopback(ln.Addr()) {
				return usageError{fmt.Errorf("%s %s is not a loopback address: give tokens (--token-file, serve.token-file or --token) before serving other machines", addrFrom, addr)}
			}
			if db == "" {
				if db, err = defaultDB(); err != nil {
					return err
				}
			}
			st, err := store.Open(ctx, db)
			if err != nil {
				return usageError{fmt.Errorf("%s: %w", dbFrom, err)}
			}
			defer st.Close()
			// The gate matches packages against the known campaigns,
			// which the monitor keeps loaded.
			g.campaigns = &campaign.MatcherRef{}
			eng, notices, err := g.buildEngine(ctx, ecosystem.All(), "")
			if err != nil {
				return err
			}
			for _, n := range notices {
				g.notice("%s", n)
			}
			reg := server.NewRegistry()
			mon, err := g.buildMonitor(ctx, cmd, st, eng, mf, reg)
			if err != nil {
				return err
			}
			scfg := server.Config{Engine: eng, Store: st, Tokens: tokens, Registry: reg,
				MaxJSON: int64(sc.MaxJSONBytes), MaxArchive: int64(sc.MaxArchiveBytes)}
			// monDone is nil (never ready) without a monitor.
			var monDone chan error
			if mon != nil {
				monDone = make(chan error, 1)
				scfg.Ready = func(context.Context) error {
					if !mon.m.Ready() {
						return errors.New("monitor: not running")
					}
					return nil
				}
				scfg.OnBlock = func(ctx context.Context, c store.Check) {
					if err := mon.m.Alert(ctx, alert.FromCheck(c)); err != nil {
						g.notice("cannot queue the block alert of %s: %v", c.Name, err)
					}
				}
				go func() { monDone <- mon.m.Run(ctx) }()
			}
			h, err := server.New(scfg)
			if err != nil {
				return err
			}
			srv := &http.Server{
				Handler:           h,
				ReadHeaderTimeout: orDefault(time.Duration(sc.ReadHeaderTimeout), defaultReadHeaderTimeout),
				ReadTimeout:       orDefault(time.Duration(sc.ReadTimeout), defaultReadTimeout),
				WriteTimeout:      orDefault(time.Duration(sc.WriteTimeout), defaultWriteTimeout),
				IdleTimeout:       orDefault(time.Duration(sc.IdleTimeout), defaultIdleTimeout),
				MaxHeaderBytes:    int(orDefault(sc.MaxHeaderBytes, defaultMaxHeaderBytes)),
				ErrorLog:          log.New(g.io.Err, "pkgward: http: ", 0),
			}
			auth := "no token: every local client may call it"
			switch {
			case file != "":
				auth = fmt.Sprintf("%d bearer tokens (%s)", len(tokens), file)
			case len(tokens) > 0:
				auth = "bearer token required"
			}
			fmt.Fprintf(g.io.Err, "pkgward: gate on http://%s (store %s; %s)\n", ln.Addr(), redactDSN(db), auth)
			if mon != nil {
				fmt.Fprintf(g.io.Err, "pkgward: monitor: %s; dashboard on http://%s/\n", mon.desc, ln.Addr())
			}
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case err := <-monDone:
				if ctx.Err() == nil {
					// The monitor ends on its own only when it fails.
					srv.Close()
					return fmt.Errorf("the monitor stopped: %w", err)
				}
				monDone <- err
			case <-ctx.Done():
			}
			// Finish the checks in flight (each is stored before it is
			// answered), then close the store.
			fmt.Fprintln(g.io.Err, "pkgward: stopping: finishing the requests in flight")
			wait := orDefault(time.Duration(sc.ShutdownTimeout), defaultShutdownTimeout)
			sctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				srv.Close()
				return fmt.Errorf("stopping the gate: requests still in flight after %s: %w", wait, err)
			}
			if monDone != nil {
				if err := <-monDone; err != nil {
					return fmt.Errorf("stopping the monitor: %w", err)
				}
			}
			fmt.Fprintln(g.io.Err, "pkgward: gate stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", defaultAddr, "address to listen on (default serve.addr, then 127.0.0.1:8080)")
	f.StringVar(&db, "db", "", "store: a SQLite file path or a postgres:// URL (default serve.db, then gate.db in the user cache directory)")
	f.StringVar(&token, "token", "", "a bearer token clients may send (default $PKGWARD_TOKEN)")
	f.StringVar(&tokenFile, "token-file", "", "file of bearer tokens clients may send, one a line, # comments (default serve.token-file)")
	mf.register(cmd)
	return cmd
}

// redactDSN hides a password in a postgres URL for the start-up line.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "***")
			return u.String()
		}
	}
	return dsn
}
