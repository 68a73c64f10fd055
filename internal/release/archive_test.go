package release

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/artifact"
)

type entry struct {
	name, body, link string
	typ              byte
}

// tgz writes an npm tarball of entries into dir and returns its path.
func tgz(t *testing.T, dir, name string, truncate bool, entries ...entry) string {
	t.Helper()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o644, Linkname: e.link}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	data := tb.Bytes()
	if truncate {
		data = data[:len(data)-1536] // cut into the last entry
	}
	var gb bytes.Buffer
	zw := gzip.NewWriter(&gb)
	zw.Write(data)
	zw.Close()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, gb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func open(t *testing.T, path string) Side {
	t.Helper()
	tr, err := artifact.Open(context.Background(), path, artifact.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return Side{Tree: tr}
}

// TestDiffReportsNewArchiveFindings: every structural finding inspect
// reports on NEW and not on OLD reaches the diff, under its own rule.
func TestDiffReportsNewArchiveFindings(t *testing.T) {
	dir := t.TempDir()
	pkg := entry{name: "package/package.json", body: `{"name":"x","version":"1.0.1"}`}
	index := entry{name: "package/index.js", body: "module.exports = 1\n"}
	old := open(t, tgz(t, dir, "old.tgz", false, pkg, index))
	for _, tc := range []struct {
		name     string
		truncate bool
		entries  []entry
	}{
		{"traversal", false, []entry{pkg, index, {name: "package/../../../etc/cron.d/x", body: "* * * * * root sh\n"}}},
		{"symlink to /etc/passwd", false, []entry{pkg, index, {name: "package/pw", typ: tar.TypeSymlink, link: "/etc/passwd"}}},
		{"device", false, []entry{pkg, index, {name: "package/dev", typ: tar.TypeChar}}},
		{"truncated", true, []entry{pkg, index, {name: "package/big.js", body: strings.Repeat("x = 1;\n", 2000)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cur := open(t, tgz(t, dir, strings.NewReplacer(" ", "-", "/", "_").Replace(tc.name)+".tgz", tc.truncate, tc.entries...))
			if len(cur.Tree.Findings) == 0 {
				t.Fatal("fixture: inspect reports nothing on NEW")
			}
			got := map[string]bool{}
			for _, f := range Compare(old, cur) {
				got[f.Rule] = true
			}
			for _, f := range cur.Tree.Findings {
				if !got[f.Rule] {
					t.Errorf("inspect NEW reports %s (%s); diff does not", f.Rule, f.Message)
				}
			}
		})
	}
	// The same findings on both sides are not new.
	bad := []entry{pkg, index, {name: "package/pw", typ: tar.TypeSymlink, link: "/etc/passwd"}}
	a, b := open(t, tgz(t, dir, "a.tgz", false, bad...)), open(t, tgz(t, dir, "b.tgz", false, bad...))
	for _, f := range Compare(a, b) {
		if strings.HasPrefix(f.Rule, "archive-") {
			t.Errorf("unchanged archive finding reported as new: %s", f.Rule)
		}
	}
}
