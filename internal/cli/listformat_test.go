package cli

import (
	"strings"
	"testing"
)

// TestListFormats: rules and corpus list write the formats they have and
// refuse the others with a usage error naming them, never falling back
// to text under another format's name.
func TestListFormats(t *testing.T) {
	for _, c := range []struct {
		cmd    []string
		format string
		code   int
		want   string // in stdout, or in stderr on a usage error
	}{
		{[]string{"rules"}, "text", ExitOK, "RULE "},
		{[]string{"rules"}, "json", ExitOK, `"id": "typosquat"`},
		{[]string{"rules"}, "markdown", ExitOK, "| rule | max severity | description |"},
		{[]string{"rules"}, "html", ExitError, "rules has no html form"},
		{[]string{"rules"}, "sarif", ExitError, "rules has no sarif form"},
		{[]string{"corpus", "list"}, "text", ExitOK, "ECOSYSTEM"},
		{[]string{"corpus", "list"}, "json", ExitOK, `"ecosystem": "npm"`},
		{[]string{"corpus", "list"}, "html", ExitError, "corpus list has no html form"},
		{[]string{"corpus", "list"}, "sarif", ExitError, "corpus list has no sarif form"},
	} {
		t.Run(strings.Join(c.cmd, "_")+"_"+c.format, func(t *testing.T) {
			code, out, errs := run(t, nil, append(c.cmd, "--format", c.format)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, clip(out), errs)
			}
			got := out
			if c.code == ExitError {
				got = errs
				if out != "" {
					t.Errorf("a refused format wrote %q", clip(out))
				}
			}
			if !strings.Contains(got, c.want) {
				t.Errorf("output lacks %q:\n%s", c.want, clip(got))
			}
		})
	}
}
