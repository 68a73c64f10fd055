package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn     string
		dialect dialect
		want    string
		wantErr bool
	}{
		{dsn: "pkgward.db", dialect: dialectSQLite, want: "file:pkgward.db"},
		{dsn: "/var/lib/a?b#c%d.db", dialect: dialectSQLite, want: "file:/var/lib/a%3fb%23c%25d.db"},
		{dsn: "sqlite:x.db", dialect: dialectSQLite, want: "file:x.db"},
		{dsn: "sqlite:///tmp/x.db", dialect: dialectSQLite, want: "file:/tmp/x.db"},
		{dsn: "file:x.db?mode=rwc", dialect: dialectSQLite, want: "file:x.db?mode=rwc"},
		{dsn: "postgres://u@h/db", dialect: dialectPostgres, want: "postgres://u@h/db"},
		{dsn: "postgresql://u@h/db", dialect: dialectPostgres, want: "postgresql://u@h/db"},
		{dsn: "", wantErr: true},
		{dsn: ":memory:", wantErr: true},
		{dsn: "sqlite:", wantErr: true},
		{dsn: "mysql://u@h/db", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseDSN(tt.dsn)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseDSN(%q) error = %v, want error %v", tt.dsn, err, tt.wantErr)
			continue
		}
		if err == nil && (got.dialect != tt.dialect || got.dsn != tt.want) {
			t.Errorf("parseDSN(%q) = %v %q, want %v %q", tt.dsn, got.dialect, got.dsn, tt.dialect, tt.want)
		}
	}
}

// TestMigrateSQLite applies the migrations twice (the second is a no-op)
// and finds every table.
func TestMigrateSQLite(t *testing.T) {
	ctx := context.Background()
	tg, err := parseDSN(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", tg.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 {
		if _, err := migrate(ctx, dialectSQLite, db); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range []string{"checks", "findings", "campaigns", "campaign_members", "feeds"} {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
}
