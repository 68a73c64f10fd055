package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const pyLayouts = "testdata/pylayouts"

// sources returns the "file:line" sources of the results, sorted, with
// the fixture directory cut off.
func sources(d jsonDoc) []string {
	var out []string
	for _, r := range d.Results {
		out = append(out, r.Name+"@"+strings.TrimPrefix(filepath.ToSlash(r.Source), pyLayouts+"/"))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestScanPythonLayouts: requirements/*.txt and *.in, requirements.in and
// constraints.txt are read by a directory scan (issue 11 item 4); a
// notes file in another directory is not.
func TestScanPythonLayouts(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "scan", pyLayouts, "--format", "json")
	d := decodeDoc(t, out)
	want := []string{
		"djnago@requirements.in:1", "flask@requirements/base.txt:2", "numpyy@constraints.txt:1",
		"pytest@requirements/dev.txt:2", "pytset@requirements/dev.in:1", "reqeusts@requirements/base.txt:1",
	}
	if got := sources(d); !slices.Equal(got, want) {
		t.Errorf("results\n got %v\nwant %v", got, want)
	}
	for _, r := range d.Results {
		if slices.Contains([]string{"reqeusts", "djnago", "numpyy", "pytset"}, r.Name) && r.finding("typosquat") == nil {
			t.Errorf("%s: no typosquat finding", r.Name)
		}
	}
}

// TestScanLockfile: --lockfile [TYPE:]PATH forces a parser on a file of
// any name; without TYPE it is inferred from the name; a bad TYPE or an
// unrecognizable name is a usage error listing the types.
func TestScanLockfile(t *testing.T) {
	lst := filepath.Join(pyLayouts, "deps.lst")
	cases := []struct {
		name   string
		args   []string
		code   int
		want   []string // sorted result sources
		stderr string
	}{
		{"typed", []string{"--lockfile", "pypi/requirements.txt:" + lst}, ExitFindings,
			[]string{"reqeusts@deps.lst:2", "urllib3@deps.lst:1"}, ""},
		{"type_case_insensitive_short_flag", []string{"-L", "PyPI/Requirements.txt:" + lst}, ExitFindings,
			[]string{"reqeusts@deps.lst:2", "urllib3@deps.lst:1"}, ""},
		{"short_type", []string{"-L", "requirements.txt:" + lst}, ExitFindings,
			[]string{"reqeusts@deps.lst:2", "urllib3@deps.lst:1"}, ""},
		{"short_type_unknown", []string{"-L", "requirements:" + lst}, ExitError, nil,
			`--lockfile: unknown type "requirements"; valid types: npm/package.json,`},
		{"inferred", []string{"--lockfile", filepath.Join(pyLayouts, "requirements", "base.txt")}, ExitFindings,
			[]string{"flask@requirements/base.txt:2", "reqeusts@requirements/base.txt:1"}, ""},
		{"repeated", []string{"-L", filepath.Join(pyLayouts, "constraints.txt"), "-L", "pypi/requirements.txt:" + lst}, ExitFindings,
			[]string{"numpyy@constraints.txt:1", "reqeusts@deps.lst:2", "urllib3@deps.lst:1"}, ""},
		{"with_dir", []string{filepath.Join(pyLayouts, "requirements"), "-L", "pypi/requirements.txt:" + lst}, ExitFindings,
			[]string{"flask@base.txt:2", "pytest@dev.txt:2", "pytset@dev.in:1", "reqeusts@base.txt:1", "reqeusts@deps.lst:2", "urllib3@deps.lst:1"}, ""},
		{"unknown_type", []string{"--lockfile", "pip:" + lst}, ExitError, nil,
			`--lockfile: unknown type "pip"; valid types: npm/package.json,`},
		{"not_inferable", []string{"--lockfile", lst}, ExitError, nil,
			"cannot tell the file type from its name; give TYPE:PATH, TYPE one of npm/package.json,"},
		{"missing_file", []string{"--lockfile", "pypi/requirements.txt:" + filepath.Join(pyLayouts, "nope.txt")}, ExitError, nil, "nope.txt"},
		{"no_path", []string{"--lockfile", "pypi/requirements.txt:"}, ExitError, nil, "no PATH after the type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, nil, append([]string{"scan", "--format", "json"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, clip(out), clip(errs))
			}
			if !strings.Contains(errs, c.stderr) {
				t.Errorf("stderr %q lacks %q", errs, c.stderr)
			}
			if c.code == ExitError {
				if c.name != "missing_file" && !strings.Contains(errs, "pypi/requirements.txt") {
					t.Errorf("usage error does not list the types: %q", errs)
				}
				return
			}
			got, want := sources(decodeDoc(t, out)), c.want
			if !slices.Equal(got, want) {
				t.Errorf("results\n got %v\nwant %v", got, want)
			}
		})
	}
}

// TestScanLockfileStdin: --lockfile TYPE:- reads standard input, as "-"
// does wherever a file is read; includes are not followed there; only
// one input may take standard input; a directory is refused by name.
func TestScanLockfileStdin(t *testing.T) {
	cases := []struct {
		name   string
		in     string
		args   []string
		code   int
		want   []string // sorted result sources
		stderr string
	}{
		{"stdin", "urllib3\nreqeusts\n", []string{"-L", "pypi/requirements.txt:-"}, ExitFindings,
			[]string{"reqeusts@stdin:2", "urllib3@stdin:1"}, ""},
		{"stdin_include_not_followed", "reqeusts\n-r base.txt\n", []string{"-L", "requirements.txt:-"}, ExitError,
			[]string{"reqeusts@stdin:1"}, ""},
		{"stdin_twice", "x\n", []string{"-L", "pypi/requirements.txt:-", "-L", "npm/package.json:-"}, ExitError,
			nil, "standard input (-) can feed only one of"},
		{"stdin_and_config", "x\n", []string{"-L", "pypi/requirements.txt:-", "--config", "-"}, ExitError,
			nil, "standard input (-) can feed only one of"},
		{"directory", "", []string{"-L", "pypi/requirements.txt:" + filepath.Join(pyLayouts, "requirements")}, ExitError,
			nil, "requirements: is a directory, not a file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run(t, strings.NewReader(c.in), append([]string{"scan", "--format", "json"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, clip(out), clip(errs))
			}
			if !strings.Contains(errs, c.stderr) {
				t.Errorf("stderr %q lacks %q", errs, c.stderr)
			}
			if c.want == nil {
				return
			}
			d := decodeDoc(t, out)
			if got := sources(d); !slices.Equal(got, c.want) {
				t.Errorf("results\n got %v\nwant %v", got, c.want)
			}
			if c.code == ExitError && (len(d.Errors) != 1 || d.Errors[0].File != "stdin" || d.Errors[0].Line != 2) {
				t.Errorf("errors %+v, want one at stdin:2", d.Errors)
			}
		})
	}
}
