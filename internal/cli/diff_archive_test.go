package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTgz writes an npm tarball with a package.json and the given extra
// headers (their content empty).
func writeTgz(t *testing.T, name string, extra ...*tar.Header) string {
	t.Helper()
	var raw bytes.Buffer
	zw := gzip.NewWriter(&raw)
	tw := tar.NewWriter(zw)
	pj := []byte(`{"name":"chalk-mimic","version":"1.0.0"}`)
	tw.WriteHeader(&tar.Header{Name: "package/package.json", Mode: 0o644, Size: int64(len(pj)), Typeflag: tar.TypeReg})
	tw.Write(pj)
	for _, h := range extra {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	zw.Close()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, raw.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDiffReportsNewArchiveFindings: what inspect NEW reports about the
// archive itself (traversal, links, devices) and inspect OLD does not is
// reported by diff; findings both have are not.
func TestDiffReportsNewArchiveFindings(t *testing.T) {
	old := writeTgz(t, "old.tgz")
	bad := writeTgz(t, "new.tgz",
		&tar.Header{Name: "package/../../etc/cron.d/x", Mode: 0o644, Typeflag: tar.TypeReg},
		&tar.Header{Name: "package/passwd", Linkname: "/etc/passwd", Typeflag: tar.TypeSymlink},
		&tar.Header{Name: "package/dev", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3})
	out, _ := runCode(t, ExitFindings, nil, "diff", old, bad, "--format", "json")
	for _, want := range []string{`"rule": "archive-path-traversal"`, `"rule": "archive-symlink"`, `"rule": "archive-special-file"`, `"verdict": "block"`} {
		if !strings.Contains(out, want) {
			t.Errorf("diff old new lacks %s:\n%s", want, clip(out))
		}
	}
	out, _ = runCode(t, ExitOK, nil, "diff", bad, bad, "--format", "json")
	if strings.Contains(out, `"rule": "archive-`) {
		t.Errorf("findings both releases have are reported:\n%s", clip(out))
	}
}

// TestTruncatedArchiveIsInputError: an archive cut short is an input
// error (exit 2) for inspect and diff, naming the file.
func TestTruncatedArchiveIsInputError(t *testing.T) {
	full := writeTgz(t, "full.tgz", &tar.Header{Name: "package/index.js", Mode: 0o644, Typeflag: tar.TypeReg})
	data, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.tgz")
	if err := os.WriteFile(cut, data[:len(data)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"inspect", cut}, {"diff", full, cut}, {"diff", cut, full}} {
		out, errs := runCode(t, ExitError, nil, args...)
		if !strings.Contains(out+errs, "truncated") {
			t.Errorf("pkgward %q: no truncation message:\n%s%s", args, clip(out), clip(errs))
		}
	}
}
