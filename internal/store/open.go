package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// dialect is a database family.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

// target is what a DSN names.
type target struct {
	dialect dialect
	// dsn is what the driver is given: a postgres URL as is, or a SQLite
	// file: URI without pkgward's pragmas.
	dsn string
}

// parseDSN tells a PostgreSQL URL from a SQLite path.
func parseDSN(dsn string) (target, error) {
	switch {
	case dsn == "":
		return target{}, errors.New("store: empty DSN")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return target{dialectPostgres, dsn}, nil
	case strings.HasPrefix(dsn, "file:"):
		return target{dialectSQLite, dsn}, nil
	case strings.HasPrefix(dsn, "sqlite://"):
		return sqliteTarget(strings.TrimPrefix(dsn, "sqlite://"))
	case strings.HasPrefix(dsn, "sqlite:"):
		return sqliteTarget(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.Contains(dsn, "://"):
		return target{}, fmt.Errorf("store: unsupported DSN scheme in %q (want a file path, file:, sqlite: or postgres://)", dsn)
	}
	return sqliteTarget(dsn)
}

// sqliteTarget makes a file: URI of a path, escaping what a URI reads.
func sqliteTarget(path string) (target, error) {
	if path == "" || path == ":memory:" {
		return target{}, errors.New("store: SQLite needs a file path (an in-memory database is not shared between connections)")
	}
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return target{dialectSQLite, "file:" + r.Replace(path)}, nil
}

// withParams appends query parameters to a SQLite URI.
func withParams(uri string, params ...string) string {
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	return uri + sep + strings.Join(params, "&")
}

// migrationsFS is one dialect's migration directory.
func migrationsFS(d dialect) fs.FS {
	dir := "migrations/sqlite"
	if d == dialectPostgres {
		dir = "migrations/postgres"
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		panic(err) // the directory is embedded
	}
	return sub
}

// migrate applies the embedded migrations. On PostgreSQL a session
// advisory lock, keyed by the schema, keeps several processes from
// migrating one schema at once.
func migrate(ctx context.Context, d dialect, db *sql.DB) (*goose.Provider, error) {
	var opts []goose.ProviderOption
	gd := goose.DialectSQLite3
	if d == dialectPostgres {
		gd = goose.DialectPostgres
		var schema string
		if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return nil, fmt.Errorf("store: current schema: %w", err)
		}
		h := fnv.New64a()
		h.Write([]byte("pkgward-store:" + schema))
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db, migrationsFS(d), opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return nil, fmt.Errorf("store: applying migrations: %w", err)
	}
	return p, nil
}

// Open opens the store a DSN names and applies the embedded migrations:
// "postgres://…" or "postgresql://…" is PostgreSQL; "sqlite:PATH",
// "file:PATH[?…]" or a plain path is a SQLite file (created if missing).
func Open(ctx context.Context, dsn string) (Store, error) {
	return OpenOptions(ctx, dsn, Options{})
}

// OpenOptions is Open with options.
func OpenOptions(ctx context.Context, dsn string, opts Options) (Store, error) {
	t, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var w, r *sql.DB
	switch t.dialect {
	case dialectSQLite:
		pragmas := []string{"_pragma=busy_timeout(10000)", "_pragma=journal_mode(WAL)",
			"_pragma=synchronous(FULL)", "_pragma=foreign_keys(1)"}
		if w, err = sql.Open("sqlite", withParams(t.dsn, append(pragmas, "_txlock=immediate")...)); err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(1) // the single writer
		if r, err = sql.Open("sqlite", withParams(t.dsn, append(pragmas, "_pragma=query_only(1)")...)); err != nil {
			w.Close()
			return nil, err
		}
		r.SetMaxOpenConns(4)
	case dialectPostgres:
		if w, err = sql.Open("pgx", t.dsn); err != nil {
			return nil, err
		}
		w.SetMaxOpenConns(16)
		r = w
	}
	closeAll := func() {
		w.Close()
		if r != w {
			r.Close()
		}
	}
	if err := w.PingContext(ctx); err != nil {
		closeAll()
		return nil, fmt.Errorf("store: %w", err)
	}
	if _, err := migrate(ctx, t.dialect, w); err != nil {
		closeAll()
		return nil, err
	}
	s := &sqlStore{d: t.dialect, w: w, r: r, opts: opts, reqs: make(chan *saveReq, 1024), done: make(chan struct{})}
	if err := s.prepare(ctx); err != nil {
		closeAll()
		return nil, err
	}
	go s.writeLoop()
	return s, nil
}
