package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusFilesErrors: a corpus-files entry that cannot be used is an
// input error naming the configuration file and the entry's line, not a
// --corpus flag the user never gave; a --corpus flag is still named as
// such (a usage error).
func TestCorpusFilesErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "names.txt"), "acme-billing\n")
	cfg := filepath.Join(dir, "c.yaml")
	for _, c := range []struct {
		name, doc string
		args      []string
		want      string
		notWant   string
	}{
		{"missing file", "fail-on: high\ncorpus-files:\n  - names.txt\n  - nope.txt\n", nil,
			cfg + ":4: `corpus-files`: " + filepath.Join(dir, "nope.txt") + ": no such file or directory", "--corpus"},
		{"misspelt ecosystem", "corpus-files: [\"cobol=names.txt\"]\n", nil,
			cfg + `:1: ` + "`corpus-files`" + `: cobol=`, "--corpus"},
		{"flag", "fail-on: high\n", []string{"--corpus", "cobol=nope.txt"},
			`--corpus cobol=nope.txt: unsupported ecosystem "cobol"`, "c.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			writeFile(t, cfg, c.doc)
			_, errs := runCode(t, ExitError, nil, append([]string{"check", "npm", "lodash", "--config", cfg}, c.args...)...)
			if !strings.Contains(errs, c.want) || strings.Contains(errs, c.notWant) {
				t.Errorf("stderr %q: want %q, not %q", errs, c.want, c.notWant)
			}
		})
	}
}
