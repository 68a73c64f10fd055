package store

import (
	"context"
	"errors"
)

// Open opens the store a DSN names and applies the embedded migrations:
// "postgres://…" or "postgresql://…" is PostgreSQL; "sqlite:PATH",
// "file:PATH[?…]" or a plain path is a SQLite file (created if missing).
func Open(ctx context.Context, dsn string) (Store, error) {
	return OpenOptions(ctx, dsn, Options{})
}

// OpenOptions is Open with options.
func OpenOptions(ctx context.Context, dsn string, opts Options) (Store, error) {
	return nil, errors.New("store: not implemented yet")
}
