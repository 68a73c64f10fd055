package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

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

func (g *globals) serveCmd(ctx context.Context) *cobra.Command {
	var addr, db, token string
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--db DSN]",
		Short: "Run the publish gate: an HTTP API a registry calls before it accepts a package",
		Long: `serve judges package records sent to POST /v1/check with the same engine as
check and stores every result (SQLite by default, or PostgreSQL with --db
postgres://...). See docs/server.md for the API.`,
		Example: "  pkgward serve\n  pkgward serve --addr 127.0.0.1:9090 --db postgres://pkgward@127.0.0.1/pkgward",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if token == "" {
				token = os.Getenv("PKGWARD_TOKEN")
			}
			if db == "" {
				var err error
				if db, err = defaultDB(); err != nil {
					return err
				}
			}
			st, err := store.Open(ctx, db)
			if err != nil {
				return usageError{fmt.Errorf("--db: %w", err)}
			}
			defer st.Close()
			eng, notices, err := g.buildEngine(ctx, ecosystem.All(), "")
			if err != nil {
				return err
			}
			for _, n := range notices {
				g.notice("%s", n)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usageError{fmt.Errorf("--addr: %w", err)}
			}
			srv := &http.Server{
				Handler:           server.New(server.Config{Engine: eng, Store: st, Token: token}),
				ReadHeaderTimeout: 5 * time.Second,
				ReadTimeout:       30 * time.Second,
				WriteTimeout:      30 * time.Second,
				IdleTimeout:       2 * time.Minute,
			}
			auth := "no token: every client may call it"
			if token != "" {
				auth = "bearer token required"
			}
			fmt.Fprintf(g.io.Err, "pkgward: gate on http://%s (store %s; %s)\n", ln.Addr(), redactDSN(db), auth)
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			// Finish the checks in flight (each is stored before it is
			// answered), then close the store.
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			fmt.Fprintln(g.io.Err, "pkgward: gate stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&db, "db", "", "store: a SQLite file path or a postgres:// URL (default: gate.db in the user cache directory)")
	f.StringVar(&token, "token", "", "bearer token clients must send (default $PKGWARD_TOKEN; none: no authentication)")
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
