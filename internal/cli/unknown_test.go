package cli

import (
	"strings"
	"testing"
)

// TestUnknownCommand: a mistyped command at any level, help topics
// included, is a usage error (exit 2) with a suggestion where one is
// close, never help and exit 0.
func TestUnknownCommand(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		stderr   string // substring of stderr
		noStderr string // must not appear in stderr
		stdout   string // substring of stdout
	}{
		{[]string{"db", "imprt"}, ExitError, `unknown command "imprt" for "pkgward db" (did you mean "import"?)`, "", ""},
		{[]string{"corpus", "lst"}, ExitError, `unknown command "lst" for "pkgward corpus" (did you mean "list"?)`, "", ""},
		{[]string{"chek", "lodash"}, ExitError, `unknown command "chek" for "pkgward" (did you mean "check"?)`, "", ""},
		{[]string{"help", "bogus"}, ExitError, `unknown command "bogus" for "pkgward" (commands: check, completion, corpus, db, diff, domain, email, inspect, rules, scan, serve, sweep)`, "did you mean", ""},
		{[]string{"db", "zzzzzz"}, ExitError, `unknown command "zzzzzz" for "pkgward db" (commands: import, status)`, "did you mean", ""},
		{[]string{"help", "db", "imprt"}, ExitError, `unknown command "imprt" for "pkgward db" (did you mean "import"?)`, "", ""},
		{[]string{"help", "corpus", "lst"}, ExitError, `(did you mean "list"?)`, "", ""},
		{[]string{"completion", "bsh"}, ExitError, `unknown command "bsh" for "pkgward completion" (did you mean "bash"`, "", ""},
		{[]string{"zzzzzzzz"}, ExitError, `unknown command "zzzzzzzz" for "pkgward"`, "did you mean", ""},
		// Groups without an argument, and help on a real topic, still
		// print help and succeed.
		{[]string{"db"}, ExitOK, "", "unknown", "pkgward db [command]"},
		{[]string{"corpus"}, ExitOK, "", "unknown", "pkgward corpus [command]"},
		{[]string{"help", "db"}, ExitOK, "", "unknown", "pkgward db [command]"},
		{[]string{"help", "corpus", "list"}, ExitOK, "", "unknown", "pkgward corpus list"},
		{[]string{"completion", "bash"}, ExitOK, "", "unknown", "bash completion"},
		{[]string{"help"}, ExitOK, "", "unknown", "Available Commands"},
		{nil, ExitOK, "", "unknown", "Available Commands"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, "_"), func(t *testing.T) {
			code, out, errs := run(t, nil, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, clip(out), clip(errs))
			}
			if !strings.Contains(errs, c.stderr) {
				t.Errorf("stderr %q lacks %q", errs, c.stderr)
			}
			if c.noStderr != "" && strings.Contains(errs, c.noStderr) {
				t.Errorf("stderr %q has %q", errs, c.noStderr)
			}
			if !strings.Contains(out, c.stdout) {
				t.Errorf("stdout lacks %q:\n%s", c.stdout, clip(out))
			}
			if c.code == ExitError && out != "" {
				t.Errorf("an unknown command printed to stdout:\n%s", clip(out))
			}
		})
	}
}
