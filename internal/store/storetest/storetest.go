// Package storetest gives tests a fresh database of each backend: a
// SQLite file in a temporary directory, and a PostgreSQL schema of its own
// in the database PKGWARD_TEST_POSTGRES names. Without that variable the
// PostgreSQL tests skip, unless PKGWARD_REQUIRE_POSTGRES=1 makes them fail
// (as .ci/run does).
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// SQLite returns the DSN of a new SQLite file, removed after the test.
func SQLite(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "pkgward.db")
}

// RequirePostgres skips the test (or fails it under
// PKGWARD_REQUIRE_POSTGRES=1) when PKGWARD_TEST_POSTGRES is not set, and
// returns that DSN otherwise.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("PKGWARD_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("PKGWARD_REQUIRE_POSTGRES") == "1" {
			t.Fatal("PKGWARD_TEST_POSTGRES not set but PKGWARD_REQUIRE_POSTGRES=1")
		}
		t.Skip("PKGWARD_TEST_POSTGRES not set: the PostgreSQL tests are skipped")
	}
	return dsn
}

// Postgres creates a schema of its own in the database dsn names and
// returns a DSN that selects it (search_path); the schema is dropped
// after the test.
func Postgres(t testing.TB, dsn string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	qv := u.Query()
	qv.Set("search_path", schema)
	u.RawQuery = qv.Encode()
	return u.String()
}
