package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pkgward/pkgward/internal/report"
)

// docAnchors returns the anchors of a Markdown file: GitHub's heading
// slugs and explicit <a id="…"> / <a name="…"> anchors.
func docAnchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	explicit := regexp.MustCompile(`<a (?:id|name)="([^"]+)"`)
	inFence := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		for _, m := range explicit.FindAllStringSubmatch(line, -1) {
			anchors[m[1]] = true
		}
		if h := strings.TrimLeft(line, "#"); len(h) < len(line) && strings.HasPrefix(h, " ") {
			anchors[headingSlug(h)] = true
		}
	}
	return anchors
}

// headingSlug is GitHub's anchor for a heading's text: lower case, spaces
// to '-', punctuation other than '-' and '_' dropped.
func headingSlug(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	var b strings.Builder
	for _, r := range h {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestDocsRuleAnchors: every rule id of the catalog (pkgward rules) has an
// anchor in docs/rules.md, where SARIF's helpUri points.
func TestDocsRuleAnchors(t *testing.T) {
	anchors := docAnchors(t, "../../docs/rules.md")
	for _, r := range catalog() {
		if !anchors[r.ID] {
			t.Errorf("docs/rules.md has no anchor #%s for the rule %s", r.ID, r.ID)
		}
	}
}

// TestDocsCommands: every command of the cobra tree has a page in
// docs/commands/ (or, for serve, the page cli.md's table names) and a row
// in cli.md's command table; every subcommand appears in cli.md and on its
// parent's page; every flag of a command appears on its page.
func TestDocsCommands(t *testing.T) {
	cliMD, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	g := &globals{}
	root := g.rootCmd(context.Background(), nil)
	pages := map[string]string{"serve": "../../docs/server.md"}
	for _, c := range root.Commands() {
		name := c.Name()
		if name == "help" || name == "completion" {
			if !strings.Contains(string(cliMD), "`pkgward "+name) {
				t.Errorf("docs/cli.md does not mention pkgward %s", name)
			}
			continue
		}
		page := pages[name]
		if page == "" {
			page = filepath.Join("../../docs/commands", name+".md")
		}
		text, err := os.ReadFile(page)
		if err != nil {
			t.Errorf("command %s has no page: %v", name, err)
			continue
		}
		if !regexp.MustCompile("(?m)^\\| `pkgward " + name + "[ `]").Match(cliMD) {
			t.Errorf("docs/cli.md's command table has no row for pkgward %s", name)
		}
		for _, sub := range c.Commands() {
			full := "pkgward " + name + " " + sub.Name()
			if !strings.Contains(string(text), full) {
				t.Errorf("%s does not describe %s", page, full)
			}
			if !strings.Contains(string(cliMD), sub.Name()) {
				t.Errorf("docs/cli.md does not name %s", full)
			}
		}
		checkFlags := func(cmd *cobra.Command, text []byte, page string) {
			cmd.LocalNonPersistentFlags().VisitAll(func(f *pflagFlag) {
				if f.Hidden || f.Name == "help" {
					return
				}
				if !strings.Contains(string(text), "--"+f.Name) {
					t.Errorf("%s does not document %s's flag --%s", page, cmd.CommandPath(), f.Name)
				}
			})
		}
		checkFlags(c, text, page)
		for _, sub := range c.Commands() {
			checkFlags(sub, text, page)
		}
	}
	root.PersistentFlags().VisitAll(func(f *pflagFlag) {
		if !strings.Contains(string(cliMD), "`--"+f.Name) {
			t.Errorf("docs/cli.md's global flags do not document --%s", f.Name)
		}
	})
}

type pflagFlag = pflag.Flag

// TestDocsFormats: every --format value has its section in cli.md's
// output formats and golden renders in internal/report/testdata.
func TestDocsFormats(t *testing.T) {
	anchors := docAnchors(t, "../../docs/cli.md")
	for _, f := range report.Formats {
		if !anchors[f] {
			t.Errorf("docs/cli.md has no section ### %s", f)
		}
		if m, _ := filepath.Glob("../report/testdata/*." + f + "*.golden"); len(m) == 0 {
			t.Errorf("format %s has no golden file in internal/report/testdata", f)
		}
	}
}

// TestDocsSARIFExcerpt: the SARIF excerpt of docs/cli.md is what
// `pkgward scan proj/api --format sarif` writes for the repository it
// describes: its ruleIndex, uri, line and fingerprint.
func TestDocsSARIFExcerpt(t *testing.T) {
	b, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "An excerpt of\n`pkgward scan proj/api --format sarif`")
	if start < 0 {
		t.Fatal("docs/cli.md: the SARIF excerpt is gone")
	}
	excerpt := doc[start:]
	excerpt = excerpt[:strings.Index(excerpt, "\n```\n")]
	field := func(re string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(excerpt)
		if m == nil {
			t.Fatalf("the excerpt has no %s", re)
		}
		return m[1]
	}
	repo := t.TempDir()
	writeFile(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	writeFile(t, filepath.Join(repo, "proj", "api", "requirements.txt"), "flask\nreqeusts==2.31.0\n")
	t.Chdir(repo)
	out, _ := runCode(t, ExitFindings, nil, "scan", "proj/api", "--format", "sarif")
	out = out[strings.Index(out, `"results"`):]
	for _, re := range []string{
		`"ruleIndex": (\d+)`, `"uri": "([^"]+)"`, `"startLine": (\d+)`, `"pkgward/v2": "([0-9a-f]+)"`, `"version": "([^"]*)"`,
	} {
		want := field(re)
		got := regexp.MustCompile(re).FindStringSubmatch(out)
		if got == nil || got[1] != want {
			t.Errorf("docs/cli.md's excerpt has %s = %q, the output %q", re, want, got)
		}
	}
}

// TestDocsExamples: the example runs shown in the docs that need no files
// of their own are what pkgward prints (run from the repository root,
// with no known-malicious database). A change of output must update them.
func TestDocsExamples(t *testing.T) {
	examples := []struct{ page, command string }{
		{"docs/cli.md", `pkgward check pypi requester reqeusts numpy`},
		{"docs/cli.md", `pkgward check pypi reqeusts numpy "bad name" --format json`},
		{"docs/cli.md", `pkgward check pypi reqeusts numpy "bad name" --format jsonl`},
		{"docs/cli.md", `pkgward check pypi reqeusts numpy --format markdown`},
		{"docs/commands/check.md", `pkgward check npm crossenv lodahs @types/node@20.1.0 -v`},
		{"docs/commands/check.md", `pkgward check go github.com/sirupsen/logrus@v1.9.3 githib.com/sirupsen/logrus@v1.9.3`},
		{"docs/commands/check.md", `pkgward check npm crossenv --format json`},
		{"docs/commands/check.md", `pkgward check npm @types/node@20.1.0 lodahs@1.0.0 "" --format jsonl`},
		{"docs/commands/corpus.md", `pkgward corpus list`},
		{"docs/commands/domain.md", `pkgward domain npmjs.help pypi.org https://npmjs.com.account-verify.io/login support@pypi-mirror.org secure-package-repo.com -v`},
		{"docs/commands/domain.md", `pkgward domain xn--pi-kmcm.org npmtrends.com "" -v`},
		{"docs/commands/domain.md", `pkgward domain npnjs.com --format json`},
		{"docs/configuration.md", `pkgward --config docs/examples/pkgward.yaml check npm crossenv acmecli @acme/uii acme-ui`},
		{"docs/configuration.md", `pkgward --config docs/examples/pkgward.yaml check pypi requests2 acme-biling`},
		{"docs/rules.md", `pkgward check nuget Newtonsoft.Jsоn`},
		{"docs/rules.md", `pkgward check npm рауа`},
	}
	t.Setenv("PKGWARD_DB", filepath.Join(t.TempDir(), "none.db"))
	t.Setenv("NO_COLOR", "1")
	t.Chdir("../..")
	for _, ex := range examples {
		t.Run(ex.command, func(t *testing.T) {
			b, err := os.ReadFile(ex.page)
			if err != nil {
				t.Fatal(err)
			}
			doc := string(b)
			i := strings.Index(doc, "\n$ "+ex.command+"\n")
			if i < 0 {
				t.Fatalf("%s no longer shows `%s`", ex.page, ex.command)
			}
			want := doc[i+len("\n$ "+ex.command+"\n"):]
			for _, end := range []string{"\n$ ", "```"} {
				if j := strings.Index(want, end); j >= 0 {
					want = want[:j]
				}
			}
			_, out, errs := run(t, nil, splitWords(t, ex.command)[1:]...)
			if got := strings.TrimRight(out+errs, "\n"); got != strings.TrimRight(want, "\n") {
				t.Errorf("%s shows for `%s`:\n%s\npkgward prints:\n%s", ex.page, ex.command, want, got)
			}
		})
	}
}

// splitWords splits a shell command line of words and "double-quoted"
// words (no escapes).
func splitWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			j := strings.IndexByte(s[1:], '"')
			if j < 0 {
				t.Fatalf("unterminated quote in %q", s)
			}
			words, s = append(words, s[1:j+1]), s[j+2:]
			continue
		}
		w, rest, _ := strings.Cut(s, " ")
		words, s = append(words, w), rest
	}
	return words
}
