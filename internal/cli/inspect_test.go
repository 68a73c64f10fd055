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

const (
	honestRelease   = "../release/testdata/chalk-5.6.0"
	hijackedRelease = "../release/testdata/chalk-5.6.1"
)

func TestInspect(t *testing.T) {
	out, _ := runCode(t, ExitOK, nil, "inspect", honestRelease, "--format", "json")
	if !strings.Contains(out, `"name": "chalk-mimic"`) || !strings.Contains(out, `"verdict": "allow"`) {
		t.Errorf("inspect of the honest release:\n%s", out)
	}
	out, _ = runCode(t, ExitFindings, nil, "inspect", hijackedRelease, "--format", "json")
	for _, want := range []string{`"verdict": "block"`, `"rule": "wallet-address-swap"`, `"location": "index.js:18"`} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect of the hijacked release lacks %s:\n%s", want, clip(out))
		}
	}
	out, _ = runCode(t, ExitError, nil, "inspect", "no/such/archive.tgz")
	if !strings.Contains(out, "no/such/archive.tgz") {
		t.Errorf("missing archive not named: %q", out)
	}
}

func TestDiff(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "diff", honestRelease, hijackedRelease, "--format", "json")
	if !strings.Contains(out, `"rule": "release-new-code-finding"`) || strings.Contains(out, `"rule": "release-new-endpoint"`) {
		t.Errorf("diff of the hijacked release:\n%s", clip(out))
	}
	runCode(t, ExitOK, nil, "diff", honestRelease, honestRelease)
	runCode(t, ExitError, nil, "diff", honestRelease)
}

// truncatedTgz writes an npm tarball cut inside its last entry.
func truncatedTgz(t *testing.T) string {
	t.Helper()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, e := range []struct{ name, body string }{
		{"package/package.json", `{"name":"cut","version":"1.0.0"}`},
		{"package/install.js", strings.Repeat("var x = 1;\n", 1000)},
	} {
		tw.WriteHeader(&tar.Header{Name: e.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(e.body))})
		tw.Write([]byte(e.body))
	}
	tw.Close()
	var gb bytes.Buffer
	zw := gzip.NewWriter(&gb)
	zw.Write(tb.Bytes()[:tb.Len()-2048])
	zw.Close()
	p := filepath.Join(t.TempDir(), "cut-1.0.0.tgz")
	if err := os.WriteFile(p, gb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTruncatedArchiveIsAnInputError: what was never read cannot pass.
func TestTruncatedArchiveIsAnInputError(t *testing.T) {
	cut := truncatedTgz(t)
	for _, args := range [][]string{
		{"inspect", cut, "--format", "json"},
		{"diff", honestRelease, cut, "--format", "json"},
		{"diff", cut, honestRelease, "--format", "json"},
	} {
		out, _ := runCode(t, ExitError, nil, args...)
		if !strings.Contains(out, "truncated") || !strings.Contains(out, `"errors"`) {
			t.Errorf("%v: truncation not reported as an error:\n%s", args, clip(out))
		}
	}
}
