package cli

import (
	"strings"
	"testing"
)

// TestFlagValueErrors: a flag value that does not parse is a usage error
// (exit 2) that names the flag and what it wants, without Go's parser
// names (strconv.ParseInt, time: …).
func TestFlagValueErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "--ecosystem", "npm", "--workers", "abc"}, `pkgward: --workers: "abc" is not a whole number`},
		{[]string{"sweep", "--ecosystem", "npm", "--workers=99999999999999999999"}, `--workers: "99999999999999999999" is not a whole number in range`},
		{[]string{"check", "npm", "x", "--offline=maybe"}, `pkgward: --offline: "maybe" is not true or false`},
		{[]string{"check", "npm", "x", "-q=x"}, `pkgward: --quiet: "x" is not true or false`},
		{[]string{"serve", "--poll-interval", "5x"}, `pkgward: --poll-interval: "5x" is not a duration`},
	} {
		t.Run(strings.Join(c.args, "_"), func(t *testing.T) {
			_, errs := runCode(t, ExitError, nil, c.args...)
			if !strings.Contains(errs, c.want) {
				t.Errorf("stderr %q lacks %q", errs, c.want)
			}
			for _, goism := range []string{"strconv.", "time: ", "invalid syntax"} {
				if strings.Contains(errs, goism) {
					t.Errorf("stderr %q has %q", errs, goism)
				}
			}
		})
	}
}
