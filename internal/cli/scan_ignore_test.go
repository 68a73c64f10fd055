package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeScanTree writes files (slash paths relative to root).
func writeScanTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		writeFile(t, filepath.Join(root, filepath.FromSlash(name)), content)
	}
}

// scanResultNames returns name@source of every result, sorted.
func scanResultNames(d jsonDoc) []string {
	var out []string
	for _, r := range d.Results {
		out = append(out, r.Name+"@"+r.Source)
	}
	slices.Sort(out)
	return out
}

// ignoreTree is a repository whose fixtures, installed dependencies and
// generated code would fail a scan (a malformed fixture: exit 2) or add
// squats that are not the project's.
var ignoreTree = map[string]string{
	"package.json":                         `{"dependencies": {"express": "^4"}}`,
	".gitignore":                           "/generated/\n",
	"generated/package.json":               `{"dependencies": {"expresss": "^4"}}`,
	"testdata/broken/package.json":         `{`,
	"node_modules/expresss/package.json":   `{"dependencies": {"expresss": "^4"}}`,
	"legacy/requirements.txt":              "reqeusts\n",
	"api/requirements.txt":                 "requests\n",
	".git/requirements.txt":                "reqeusts\n",
	"services/old/web/package.json":        `{"dependencies": {"lodash": "^4"}}`,
	"services/new/web/package.json":        `{"dependencies": {"lodash": "^4"}}`,
	"services/new/web/testdata/x/go.mod":   "module x\n",
	"services/new/web/node_modules/a/b.js": "",
}

// TestScanIgnoreCLI: by default scan skips testdata, node_modules and
// what .gitignore names, and says so in a notice; --exclude skips more;
// --no-ignore reads what the defaults and .gitignore skip (never .git);
// -v lists every skip; a directory or file named on the command line is
// read whatever would skip it.
func TestScanIgnoreCLI(t *testing.T) {
	root := t.TempDir()
	writeScanTree(t, root, ignoreTree)
	defaults := []string{"express@package.json:1", "lodash@services/new/web/package.json:1", "lodash@services/old/web/package.json:1", "reqeusts@legacy/requirements.txt:1", "requests@api/requirements.txt:1"}
	cases := []struct {
		name    string
		args    []string
		code    int
		results []string // sorted name@source; nil: not checked
		errors  []string // files of the input errors
		notices []string // exact; a trailing "…" matches a prefix
	}{
		{"defaults", []string{root}, ExitFindings, defaults, nil, []string{
			"skipped 5 directories (4 on the default list, 1 by .gitignore); -v lists them; --no-ignore reads what the defaults and .gitignore skip",
		}},
		{"exclude", []string{root, "--exclude", "legacy", "--exclude", "services/*/web/package.json"}, ExitOK,
			[]string{"express@package.json:1", "requests@api/requirements.txt:1"}, nil, []string{
				"skipped 6 directories and 2 project files (4 on the default list, 1 by .gitignore, 3 by --exclude); -v lists them; --no-ignore reads what the defaults and .gitignore skip",
			}},
		{"verbose", []string{root, "-v", "--exclude", "**/old"}, ExitFindings, nil, nil, []string{
			"skipped 6 directories (4 on the default list, 1 by .gitignore, 1 by --exclude); listed below; --no-ignore reads what the defaults and .gitignore skip",
			"skipped generated/ (.gitignore:1: /generated/)",
			"skipped node_modules/ (on the default list)",
			"skipped services/new/web/node_modules/ (on the default list)",
			"skipped services/new/web/testdata/ (on the default list)",
			"skipped services/old/ (--exclude **/old)",
			"skipped testdata/ (on the default list)",
		}},
		{"only_excluded", []string{filepath.Join(root, "api"), "--exclude", "*.txt"}, ExitOK, []string{}, nil, []string{
			"skipped 1 project file (1 by --exclude); -v lists them",
			"no manifest or lockfile found under " + filepath.Join(root, "api"),
		}},
		// Fixtures, installed packages and generated code are read (here:
		// a malformed fixture, so exit 2); .git never is.
		{"no_ignore", []string{root, "--no-ignore"}, ExitError, append(slices.Clone(defaults[:1]),
			"expresss@generated/package.json:1", "expresss@node_modules/expresss/package.json:1", "lodash@services/new/web/package.json:1",
			"lodash@services/old/web/package.json:1", "reqeusts@legacy/requirements.txt:1", "requests@api/requirements.txt:1"),
			[]string{"testdata/broken/package.json"}, nil},
		{"named_dir", []string{filepath.Join(root, "testdata")}, ExitError, []string{}, []string{"broken/package.json"}, nil},
		{"named_file", []string{filepath.Join(root, "generated", "package.json"), "--exclude", "package.json"}, ExitFindings,
			[]string{"expresss@" + filepath.ToSlash(filepath.Join(root, "generated", "package.json")) + ":1"}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _ := runCode(t, c.code, nil, append([]string{"scan", "--format", "json"}, c.args...)...)
			d := decodeDoc(t, out)
			if got := scanResultNames(d); c.results != nil && !slices.Equal(got, c.results) && !(len(got) == 0 && len(c.results) == 0) {
				t.Errorf("results\n got %q\nwant %q", got, c.results)
			}
			var errFiles []string
			for _, e := range d.Errors {
				errFiles = append(errFiles, e.File)
			}
			if !slices.Equal(errFiles, c.errors) {
				t.Errorf("errors on %q, want %q", errFiles, c.errors)
			}
			if !slices.Equal(d.Notices, c.notices) && !(len(d.Notices) == 0 && len(c.notices) == 0) {
				t.Errorf("notices\n got %q\nwant %q", d.Notices, c.notices)
			}
		})
	}
}

func TestScanExcludeInvalid(t *testing.T) {
	_, errs := runCode(t, ExitError, nil, "scan", t.TempDir(), "--exclude", "[abc")
	if !strings.Contains(errs, `--exclude "[abc": not a valid glob pattern`) || !strings.Contains(errs, "Run 'pkgward --help'") {
		t.Errorf("stderr %q", errs)
	}
}

// TestScanProgress: the progress line is drawn on standard error only
// when it is a terminal, never with CI set or --quiet, and erased at the
// end; the
// report on standard output is the same either way.
func TestScanProgress(t *testing.T) {
	defer func(d time.Duration) { scanProgressDelay = d }(scanProgressDelay)
	scanProgressDelay = 0
	root := t.TempDir()
	files := map[string]string{"package.json": `{"dependencies": {"express": "^4"}}`}
	for i := range 600 {
		files[filepath.Join("src", strings.Repeat("d", 1+i%7), "f"+strings.Repeat("x", i%50)+string(rune('a'+i%26))+".js")] = ""
	}
	writeScanTree(t, root, files)
	for _, c := range []struct {
		name     string
		terminal bool
		ci       string
		flags    []string
		want     bool
	}{
		{"terminal", true, "", nil, true},
		{"terminal_in_ci", true, "true", nil, false},
		{"terminal_quiet", true, "", []string{"--quiet"}, false},
		{"pipe", false, "", nil, false},
		{"pipe_asked", false, "", []string{"--progress"}, true},
		{"ci_asked", true, "true", []string{"--progress"}, true},
		{"asked_and_quiet", false, "", []string{"--progress", "-q"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("CI", c.ci)
			t.Setenv("TERM", "xterm")
			var out, errb strings.Builder
			code := Run(t.Context(), append([]string{"scan", root, "--format", "json"}, c.flags...), IO{In: strings.NewReader(""), Out: &out, Err: &errb, ErrIsTerminal: c.terminal})
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			e := errb.String()
			drawn := strings.Contains(e, "\rscan: ") && strings.Contains(e, " files seen, 1 project files read") && strings.HasSuffix(e, "\r\x1b[K")
			if drawn != c.want || (!c.want && e != "") {
				t.Errorf("stderr %q, progress wanted: %v", e, c.want)
			}
			if strings.Contains(out.String(), "files seen") {
				t.Errorf("progress on standard output")
			}
		})
	}
}

// TestScanConfigDiscovery: scan reads the .pkgward.yaml nearest to the
// scanned directory (up to the repository root), before the working
// directory's; --config wins over both; a notice names the file used.
func TestScanConfigDiscovery(t *testing.T) {
	top := t.TempDir()
	suppress := "ignore:\n  - name: expresss\n    reason: reviewed\n"
	failLow := "fail-on: low\n"
	writeScanTree(t, top, map[string]string{
		"elsewhere/.pkgward.yaml":           failLow,
		"proj/.pkgward.yaml":                suppress,
		"proj/web/package.json":             `{"dependencies": {"expresss": "^4"}}`,
		"repo/.git/HEAD":                    "ref: refs/heads/main\n",
		"repo/.pkgward.yaml":                suppress,
		"repo/svc/web/package.json":         `{"dependencies": {"expresss": "^4"}}`,
		"outside/.pkgward.yaml":             suppress,
		"outside/norepo/web/package.json":   `{"dependencies": {"expresss": "^4"}}`,
		"explicit.yaml":                     "fail-on: medium\n",
		"broken/.pkgward.yaml":              "ignores: []\n",
		"broken/package.json":               `{"dependencies": {"express": "^4"}}`,
		"proj/web/sub/requirements.txt":     "flask\n",
		"proj/web/sub/.pkgward.yaml.backup": "",
	})
	abs := func(p string) string { return filepath.Join(top, filepath.FromSlash(p)) }
	cases := []struct {
		name   string
		cwd    string
		args   []string
		code   int
		notice string // "" for none
		stderr string
	}{
		// cd elsewhere && pkgward scan /proj uses /proj/.pkgward.yaml.
		{"scanned_dir", "elsewhere", []string{abs("proj")}, ExitOK, "configuration: " + abs("proj/.pkgward.yaml") + " (nearest to the scanned directory)", ""},
		{"relative_path", ".", []string{"proj"}, ExitOK, "configuration: proj/.pkgward.yaml (nearest to the scanned directory)", ""},
		// proj is no repository: its parent directories are not looked at,
		// so the working directory's file applies.
		{"no_repo_subdir", "elsewhere", []string{abs("proj/web")}, ExitFindings, "configuration: .pkgward.yaml (working directory)", ""},
		{"repo_parent", "elsewhere", []string{abs("repo/svc/web")}, ExitOK, "configuration: " + abs("repo/.pkgward.yaml") + " (nearest to the scanned directory)", ""},
		{"file_argument", "elsewhere", []string{abs("repo/svc/web/package.json")}, ExitOK, "configuration: " + abs("repo/.pkgward.yaml") + " (nearest to the scanned directory)", ""},
		{"cwd_default", "proj", []string{"web"}, ExitOK, "configuration: .pkgward.yaml (working directory)", ""},
		{"cwd_is_scanned", "proj", nil, ExitOK, "configuration: .pkgward.yaml (nearest to the scanned directory)", ""},
		{"explicit_wins", "proj", []string{".", "--config", abs("explicit.yaml")}, ExitFindings, "configuration: " + abs("explicit.yaml") + " (--config)", ""},
		{"broken_nearest", "elsewhere", []string{abs("broken")}, ExitError, "", abs("broken/.pkgward.yaml") + ":1: unknown key `ignores` (did you mean `ignore`?)"},
		{"none", "outside/norepo", []string{"web"}, ExitFindings, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(abs(c.cwd))
			code, out, errs := run(t, nil, append([]string{"scan", "--format", "json"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, clip(out), errs)
			}
			if c.stderr != "" {
				if !strings.Contains(errs, c.stderr) {
					t.Errorf("stderr %q lacks %q", errs, c.stderr)
				}
				return
			}
			d := decodeDoc(t, out)
			var got []string
			for _, n := range d.Notices {
				if strings.HasPrefix(n, "configuration: ") {
					got = append(got, n)
				}
			}
			if want := []string{c.notice}; (c.notice == "" && len(got) != 0) || (c.notice != "" && !slices.Equal(got, want)) {
				t.Errorf("notices %q, want %q", got, c.notice)
			}
		})
	}
}

// TestProgressThrottle: nothing is drawn before scanProgressDelay, then at
// most once per scanProgressEvery; done erases the line once and nothing is
// drawn after it; a walk that ends early draws nothing at all.
func TestProgressThrottle(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var now time.Time
	var w strings.Builder
	p := &scanProgressLine{w: &w, now: func() time.Time { return now }, start: t0}
	steps := []struct {
		at   time.Duration
		call func()
		want string // what this step adds
	}{
		{100 * time.Millisecond, func() { p.update(10, 0) }, ""},
		{600 * time.Millisecond, func() { p.update(5000, 2) }, "\rscan: 5000 files seen, 2 project files read\x1b[K"},
		{650 * time.Millisecond, func() { p.update(6000, 2) }, ""},
		{750 * time.Millisecond, func() { p.judged(1024, 3000) }, "\rscan: 1024 of 3000 dependencies judged\x1b[K"},
		{760 * time.Millisecond, p.done, "\r\x1b[K"},
		{900 * time.Millisecond, func() { p.judged(2048, 3000) }, ""},
		{950 * time.Millisecond, p.done, ""},
	}
	for i, s := range steps {
		now = t0.Add(s.at)
		before := w.Len()
		s.call()
		if got := w.String()[before:]; got != s.want {
			t.Errorf("step %d (%v): drew %q, want %q", i, s.at, got, s.want)
		}
	}
	var quiet strings.Builder
	q := &scanProgressLine{w: &quiet, now: func() time.Time { return t0.Add(100 * time.Millisecond) }, start: t0}
	q.update(1, 1)
	q.done()
	if quiet.Len() != 0 {
		t.Errorf("short walk drew %q", quiet.String())
	}
	var none *scanProgressLine // not a terminal: every call is a no-op
	none.update(1, 1)
	none.judged(1, 1)
	none.done()
}

// TestScanErrorsNamePathOnce: a missing DIR, --lockfile file or
// --config file is named once, not again inside the system's message.
func TestScanErrorsNamePathOnce(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	for _, args := range [][]string{
		{"scan", missing},
		{"scan", "--lockfile", "pypi/requirements.txt:" + missing},
		{"scan", t.TempDir(), "--config", missing},
	} {
		_, errs := runCode(t, ExitError, nil, args...)
		if want := "pkgward: " + missing + ": no such file or directory\n"; errs != want {
			t.Errorf("%q: stderr %q, want %q", args, errs, want)
		}
	}
}
