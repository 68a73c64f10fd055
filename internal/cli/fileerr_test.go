package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUnreadableFileNamedOnce: an input file that cannot be read is an
// error (exit 2) naming the file once, without Go's "open PATH:" prefix.
func TestUnreadableFileNamedOnce(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope")
	rules := filepath.Join(dir, "r.yaml")
	writeFile(t, rules, "version: 1\nrules: []\n")
	fake := filepath.Join(dir, "pkg-1.0.0.tgz") // named as an archive, holding text
	writeFile(t, fake, "version: 1\n")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"email", []string{"email", missing + ".eml"}, missing + ".eml: no such file or directory"},
		{"email_directory", []string{"email", dir}, dir + ": is a directory"},
		{"inspect", []string{"inspect", missing + ".tgz"}, missing + ".tgz: no such file or directory"},
		{"inspect_rules_file", []string{"inspect", dir, "--rules-file", missing + ".yaml"}, missing + ".yaml: no such file or directory"},
		{"diff", []string{"diff", missing + ".tgz", dir}, missing + ".tgz: no such file or directory"},
		{"check_corpus", []string{"check", "npm", "x", "--corpus", missing + ".txt"}, missing + ".txt: no such file or directory"},
		{"sweep_input", []string{"sweep", "--ecosystem", "npm", "--input", missing + ".txt"}, missing + ".txt: no such file or directory"},
		{"sweep_namespace", []string{"sweep", "--ecosystem", "npm", "--namespace", missing + ".txt"}, missing + ".txt: no such file or directory"},
		{"not_an_archive", []string{"inspect", fake}, fake + ": not a supported archive"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, nil, c.args...)
			if code != ExitError {
				t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, clip(out), errs)
			}
			all := out + errs
			if !strings.Contains(all, c.want) {
				t.Errorf("output lacks %q:\n%s", c.want, all)
			}
			file := strings.Fields(c.want)[0]
			file = strings.TrimSuffix(file, ":")
			if n := strings.Count(all, file); n != 1 {
				t.Errorf("%s named %d times:\n%s", file, n, all)
			}
		})
	}
}
