package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
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

// writePkg writes a package directory whose package.json has deps.
func writePkg(t *testing.T, version, deps string) string {
	t.Helper()
	dir := t.TempDir()
	pj := `{"name":"diff-fixture","version":"` + version + `","dependencies":{` + deps + `}}`
	for name, body := range map[string]string{"package.json": pj, "index.js": "module.exports = 1\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDiffReportsNewPackageChecks: a dependency squat that NEW adds is
// reported by diff as inspect NEW reports it; one OLD had already is not.
func TestDiffReportsNewPackageChecks(t *testing.T) {
	clean := writePkg(t, "1.0.0", `"left-pad":"1.3.0"`)
	squat := writePkg(t, "1.0.1", `"left-pad":"1.3.0","expresss":"1.0.0"`)
	squat2 := writePkg(t, "1.0.2", `"left-pad":"1.3.0","expresss":"1.0.0"`)
	out, _ := runCode(t, ExitFindings, nil, "diff", clean, squat, "--format", "json")
	if !strings.Contains(out, `"name": "expresss"`) || !strings.Contains(out, `"verdict": "block"`) {
		t.Errorf("diff does not report the squatted dependency NEW adds:\n%s", clip(out))
	}
	_, out, _ = run(t, nil, "diff", squat, squat2, "--format", "json")
	if strings.Contains(out, `"name": "expresss"`) {
		t.Errorf("diff reports a dependency finding OLD already had:\n%s", clip(out))
	}
}

// TestInspectReleasesContent: inspect keeps one archive's contents at a
// time; what it keeps of each is its metadata and findings.
func TestInspectReleasesContent(t *testing.T) {
	rs, err := (&codeRulesFlag{}).load(&globals{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := (&globals{}).inspectArchive(context.Background(), hijackedRelease, rs)
	if err != nil {
		t.Fatal(err)
	}
	if o.tree.Files != nil {
		t.Errorf("inspectArchive kept %d files' contents", len(o.tree.Files))
	}
	if len(o.code) == 0 || o.tree.Package.Name == "" {
		t.Errorf("inspectArchive lost the findings or metadata: %d code findings, name %q", len(o.code), o.tree.Package.Name)
	}
}

// TestArchiveFromStdin: "-" is an archive on standard input for inspect
// and diff, named "stdin" in results; it can be read once.
func TestArchiveFromStdin(t *testing.T) {
	old := writeTgz(t, "old.tgz")
	bad := writeTgz(t, "new.tgz", &tar.Header{Name: "package/../../etc/cron.d/x", Mode: 0o644, Typeflag: tar.TypeReg})
	data, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"inspect", []string{"inspect", "-"}, ExitFindings, `"source": "stdin"`},
		{"inspect_beside_a_file", []string{"inspect", old, "-"}, ExitFindings, `"rule": "archive-path-traversal"`},
		{"diff_new_on_stdin", []string{"diff", old, "-"}, ExitFindings, `"rule": "archive-path-traversal"`},
		{"inspect_twice", []string{"inspect", "-", "-"}, ExitError, ""},
		{"diff_twice", []string{"diff", "-", "-"}, ExitError, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, bytes.NewReader(data), append(c.args, "--format", "json")...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, clip(out), errs)
			}
			if c.code == ExitError {
				if !strings.Contains(errs, "standard input (-) can feed only one of") {
					t.Errorf("stderr %q", errs)
				}
				return
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("output lacks %s:\n%s", c.want, clip(out))
			}
		})
	}
}

// TestRulesFileFromStdin: --rules-file - reads the code rules from
// standard input, whose errors are named stdin:LINE.
func TestRulesFileFromStdin(t *testing.T) {
	rules := "version: 1\nrules:\n  - id: custom-chalk\n    title: names chalk-mimic\n    severity: medium\n    languages: [javascript]\n    patterns:\n      - literals: [\"chalk-mimic\"]\n"
	for _, c := range []struct {
		name, in string
		args     []string
		code     int
		want     string
	}{
		{"inspect", rules, []string{"inspect", hijackedRelease, "--rules-file", "-", "--rules", "custom-chalk"}, ExitOK, `"rules"`},
		{"malformed", "rules: [\n", []string{"inspect", hijackedRelease, "--rules-file", "-"}, ExitError, "pkgward: stdin:"},
		{"with_archive_on_stdin", rules, []string{"inspect", "-", "--rules-file", "-"}, ExitError, "standard input (-) can feed only one of"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, strings.NewReader(c.in), append(c.args, "--format", "sarif")...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, clip(out), errs)
			}
			if got := out + errs; !strings.Contains(got, c.want) {
				t.Errorf("output lacks %q:\n%s", c.want, clip(got))
			}
			if c.code == ExitOK && !strings.Contains(out, `"id": "custom-chalk"`) {
				t.Errorf("the rule read from standard input is not in the SARIF catalog:\n%s", clip(out))
			}
		})
	}
}
