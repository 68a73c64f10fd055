package npm_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/npmmeta"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// TestLive fetches a few real packages from the registry this machine is
// configured for (npm_config_registry, .npmrc or `npm config get
// registry`). It runs only with PKGWARD_LIVE=1:
//
//	PKGWARD_LIVE=1 go test -run TestLive -v ./internal/registry/npm/
func TestLive(t *testing.T) {
	if os.Getenv("PKGWARD_LIVE") != "1" {
		t.Skip("set PKGWARD_LIVE=1 to test against the configured npm registry")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	base, err := npm.RegistryFor("lodash", ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("registry %s", base)
	c, err := npm.New(base, npm.Options{CacheDir: t.TempDir(), TTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tc := range []struct {
		name        string
		minVersions int
	}{
		{"lodash", 100},
		{"chalk", 30},
		{"@types/lodash", 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name[0] == '@' {
				if b, err := npm.RegistryFor(tc.name, ".", nil); err != nil || b != base {
					t.Skipf("scope configured elsewhere: %q, %v", b, err)
				}
			}
			start := time.Now()
			doc, err := c.Packument(ctx, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			latest := doc.Latest()
			v := doc.Versions[latest]
			t.Logf("%s: %d versions, latest %s published %s by %q, fetched in %s",
				doc.Name, len(doc.Versions), latest, doc.Time[latest].Format(time.DateOnly), v.Publisher.Name, time.Since(start).Round(time.Millisecond))
			if doc.Name != tc.name || len(doc.Versions) < tc.minVersions || latest == "" || doc.DistTags["latest"] != latest {
				t.Fatalf("%q: %d versions, latest %q", doc.Name, len(doc.Versions), latest)
			}
			if doc.Time[latest].IsZero() || v.Dist.Tarball == "" || (v.Dist.Integrity == "" && v.Dist.Shasum == "") {
				t.Errorf("incomplete document: time %v, dist %+v", doc.Time[latest], v.Dist)
			}
			// Mirrors may serve reduced documents: log what is missing.
			if doc.Created.IsZero() || len(doc.Maintainers) == 0 || v.Publisher == (npm.Person{}) {
				t.Logf("reduced document: created %v, %d maintainers, publisher %q", doc.Created, len(doc.Maintainers), v.Publisher)
			}
			for _, f := range npmmeta.Check(npmmeta.FromDocument(doc), "", now) {
				t.Logf("finding: %s %s: %s", f.Severity, f.Rule, f.Message)
				if f.Severity >= record.High {
					t.Errorf("a popular package judged %s", f.Severity)
				}
			}
			// Revalidation of the cached copy (TTL -1 always asks).
			if _, err := c.Packument(ctx, tc.name); err != nil {
				t.Errorf("second fetch: %v", err)
			}
		})
	}
	t.Run("tarball", func(t *testing.T) {
		doc, err := c.Packument(ctx, "chalk")
		if err != nil {
			t.Fatal(err)
		}
		d := doc.Versions[doc.Latest()].Dist
		b, err := c.Tarball(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("tarball of %d bytes is not gzip", len(b))
		}
		d.Integrity = "sha512-" + "AAAA" // wrong length: refused before download
		if _, err := c.Tarball(ctx, d); !errors.Is(err, npm.ErrIntegrity) {
			t.Errorf("bad integrity: %v", err)
		}
	})
	t.Run("not found", func(t *testing.T) {
		_, err := c.Packument(ctx, "pkgward-no-such-package-7f3c9e21d4")
		if !errors.Is(err, npm.ErrNotFound) {
			t.Fatalf("err %v, want ErrNotFound", err)
		}
	})
}
