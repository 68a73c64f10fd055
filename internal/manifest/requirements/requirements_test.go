package requirements

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/record"
)

// dep is the part of a manifest.Dependency the tests assert.
type dep struct {
	Name, Version, File string
	Line                int
}

func simplify(deps []manifest.Dependency) []dep {
	out := []dep{}
	for _, d := range deps {
		out = append(out, dep{d.Name, d.Version, d.File, d.Line})
	}
	return out
}

// dirInput reads root/file from testdata; ReadFile resolves within root,
// like the real scanner, and returns root-relative display paths.
func dirInput(t testing.TB, root, file string) manifest.Input {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", root, file))
	if err != nil {
		t.Fatal(err)
	}
	return manifest.Input{
		Path: file,
		Data: data,
		ReadFile: func(rel string) (string, []byte, error) {
			p := path.Join(path.Dir(file), rel)
			if path.IsAbs(rel) || strings.HasPrefix(p, "../") || p == ".." {
				return "", nil, errors.New("outside the scan root")
			}
			data, err := os.ReadFile(filepath.Join("testdata", root, filepath.FromSlash(p)))
			return p, data, err
		},
	}
}

// mapInput serves files from a map of display path to content.
func mapInput(file string, files map[string]string) manifest.Input {
	return manifest.Input{
		Path: file,
		Data: []byte(files[file]),
		ReadFile: func(rel string) (string, []byte, error) {
			p := path.Join(path.Dir(file), rel)
			data, ok := files[p]
			if !ok {
				return "", nil, fmt.Errorf("open %s: file does not exist", p)
			}
			return p, []byte(data), nil
		},
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   manifest.Input
		want []dep
	}{
		{
			name: "basic",
			in:   dirInput(t, "basic", "requirements.txt"),
			want: []dep{
				{"requests", ">=2.31.0,<3", "requirements.txt", 6},
				{"Django", "==4.2.7", "requirements.txt", 7},
				{"numpy", "~= 1.26.0", "requirements.txt", 8},
				{"flask", "", "requirements.txt", 9},
				{"urllib3", "==2.0.7", "requirements.txt", 10},
				{"cryptography", "==41.0.5", "requirements.txt", 13},
				{"celery", ">=5.3", "requirements.txt", 14},
				{"click", "", "requirements.txt", 15},
				{"pip", "", "requirements.txt", 18},
				{"black", "", "requirements.txt", 21},
				{"PyYAML", ">=6.0", "requirements.txt", 25},
				{"attrs", "==23.1.0", "requirements.txt", 28},
			},
		},
		{
			name: "nested_includes",
			in:   dirInput(t, "nested", "requirements.txt"),
			want: []dep{
				{"requests", "==2.31.0", "base.txt", 1},
				{"pytest", "==7.4.3", "requirements.txt", 2},
				{"black", "==23.1.0", "sub/dev.txt", 1},
				// sub/dev.txt includes ../base.txt again: read once.
				{"ruff", ">=0.1", "sub/lint.txt", 2},
			},
		},
		{
			name: "nested_dir_display_paths",
			in: mapInput("svc/requirements.txt", map[string]string{
				"svc/requirements.txt": "-r reqs/dev.txt\n",
				"svc/reqs/dev.txt":     "\n-r ../../common/base.txt\nmypy\n",
				"common/base.txt":      "six\n",
			}),
			want: []dep{
				{"six", "", "common/base.txt", 1},
				{"mypy", "", "svc/reqs/dev.txt", 3},
			},
		},
		{
			name: "empty",
			in:   manifest.Input{Path: "requirements.txt"},
			want: []dep{},
		},
		{
			name: "crlf_bom_and_continuations",
			in: manifest.Input{Path: "requirements.txt", Data: []byte("\xEF\xBB\xBFalpha==1\r\n" +
				"beta\\\r\n>=2\r\n\r\n" + "gamma \\\n  [x] \\\n  <3\n")},
			want: []dep{
				{"alpha", "==1", "requirements.txt", 1},
				{"beta", ">=2", "requirements.txt", 2},
				{"gamma", "<3", "requirements.txt", 5},
			},
		},
		{
			// Python's splitlines breaks on a lone CR, form feed and U+2028:
			// pip installs what follows, so it must not hide in a comment.
			name: "python_line_breaks",
			in:   manifest.Input{Path: "requirements.txt", Data: []byte("# note\rhidden==1\nx\fy\n# c\u2028z>1\n")},
			want: []dep{
				{"hidden", "==1", "requirements.txt", 1},
				{"x", "", "requirements.txt", 2},
				{"y", "", "requirements.txt", 2},
				{"z", ">1", "requirements.txt", 3},
			},
		},
		{
			name: "comments",
			in:   manifest.Input{Path: "requirements.txt", Data: []byte("bar==1\t# tab comment\n#baz\n  # qux\nqux==2\u00a0# after a no-break space\n")},
			want: []dep{
				{"bar", "==1", "requirements.txt", 1},
				{"qux", "==2", "requirements.txt", 4},
			},
		},
		{
			name: "options_skipped",
			in: manifest.Input{Path: "requirements.txt", Data: []byte(
				"-i https://pypi.org/simple --no-index\n--find-links=./wheels\n--only-binary :all:\n" +
					"--use-feature=truststore\n--require-hashes\n--prefer-binary\n--unknown-option x\n" +
					"-c constraints.txt\n--constraint=constraints.txt\n--hash=sha256:abc\nok\n")},
			want: []dep{{"ok", "", "requirements.txt", 11}},
		},
		{
			name: "editables",
			in: manifest.Input{Path: "requirements.txt", Data: []byte(
				"-e git+ssh://git@github.com/org/lib.git@v1#egg=org-lib[extra]\n" +
					"--editable=hg+https://hg.example.com/repo#egg=HgPkg\n" +
					"--edit 'git+https://github.com/a/b#subdirectory=x&egg=b_pkg'\n" +
					"-egit+https://github.com/c/d.git#egg=dpkg\n" +
					"-e git+https://github.com/no/egg.git\n" +
					"-e ./src/mypkg#egg=mypkg\n-e file:///opt/pkg#egg=optpkg\n")},
			want: []dep{
				{"org-lib", "", "requirements.txt", 1},
				{"HgPkg", "", "requirements.txt", 2},
				{"b_pkg", "", "requirements.txt", 3},
				{"dpkg", "", "requirements.txt", 4},
			},
		},
		{
			name: "links",
			in: manifest.Input{Path: "requirements.txt", Data: []byte(
				"foo-1.0.tar.gz\nwheels/bar-2.0-py3-none-any.whl\n../sibling\nC:\\pkgs\\x.zip\n" +
					"file:///tmp/x.whl\nbaz@https://example.com/baz-1.0.tar.gz\n" +
					"qux @ file:///local/qux\nhttps://example.com/q.whl#egg=quux; python_version<'3'\n")},
			want: []dep{
				{"baz", "", "requirements.txt", 6},
				{"quux", "", "requirements.txt", 8},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Parse(context.Background(), tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for _, d := range got {
				if d.Ecosystem != ecosystem.PyPI {
					t.Errorf("%s: ecosystem %q", d.Name, d.Ecosystem)
				}
			}
			if g := simplify(got); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("Parse mismatch\n got: %+v\nwant: %+v", g, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	deep := map[string]string{}
	for i := 0; i <= MaxIncludeDepth+1; i++ {
		deep[fmt.Sprintf("r%d.txt", i)] = fmt.Sprintf("pkg%d\n-r r%d.txt\n", i, i+1)
	}
	tests := []struct {
		name     string
		in       manifest.Input
		wantFile string
		wantLine int
		wantMsg  string
	}{
		{"malformed", dirInput(t, "malformed", "requirements.txt"), "requirements.txt", 3, "invalid requirement"},
		{"cycle", dirInput(t, "cycle", "requirements.txt"), "b.txt", 3, "include cycle"},
		{"self_include", mapInput("requirements.txt", map[string]string{"requirements.txt": "a\n-r ./requirements.txt\n"}), "requirements.txt", 2, "include cycle"},
		{"too_deep", mapInput("r0.txt", deep), fmt.Sprintf("r%d.txt", MaxIncludeDepth), 2, "nested deeper"},
		{"missing_include", mapInput("requirements.txt", map[string]string{"requirements.txt": "a\n\n-r missing.txt\n"}), "requirements.txt", 3, "does not exist"},
		{"no_readfile", manifest.Input{Path: "x/requirements.txt", Data: []byte("-r other.txt")}, "x/requirements.txt", 1, "includes are not available"},
		{"error_in_include", mapInput("requirements.txt", map[string]string{"requirements.txt": "-r dev.txt\n", "dev.txt": "ok\n\n==1.0\n"}), "dev.txt", 3, "invalid requirement"},
		{"version_only", manifest.Input{Path: "requirements.txt", Data: []byte("==1.0\n")}, "requirements.txt", 1, "expected a project name"},
		{"continuation_reports_first_line", manifest.Input{Path: "requirements.txt", Data: []byte("a==1\nb==2 \\\n  c d\n")}, "requirements.txt", 2, "invalid requirement"},
		{"bad_marker", manifest.Input{Path: "requirements.txt", Data: []byte("a; python_version <\n")}, "requirements.txt", 1, "marker"},
		{"bad_egg", manifest.Input{Path: "requirements.txt", Data: []byte("-e git+https://x/y#egg=foo==1\n")}, "requirements.txt", 1, "egg"},
		{"missing_option_value", manifest.Input{Path: "requirements.txt", Data: []byte("\n-r\n")}, "requirements.txt", 2, "requires an argument"},
		{"unclosed_quote", manifest.Input{Path: "requirements.txt", Data: []byte("-e 'git+https://x#egg=y\n")}, "requirements.txt", 1, "quotation"},
		{"hash_without_space_is_not_a_comment", manifest.Input{Path: "requirements.txt", Data: []byte("foo#bar\n")}, "requirements.txt", 1, "unexpected"},
		{"invalid_name", manifest.Input{Path: "requirements.txt", Data: []byte("foo_-\n")}, "requirements.txt", 1, "invalid project name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, err := New().Parse(context.Background(), tt.in)
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse = %v, %v; want *record.InputError", deps, err)
			}
			for _, d := range deps {
				if d.File == ie.File && d.Line == ie.Line {
					t.Errorf("dependency %v read from the bad line", d)
				}
			}
			if ie.File != tt.wantFile || ie.Line != tt.wantLine || !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("error %q at %s:%d, want %q at %s:%d", ie.Msg, ie.File, ie.Line, tt.wantMsg, tt.wantFile, tt.wantLine)
			}
		})
	}
}

// TestParseReportsEveryLine: a bad line is an error but does not hide the
// dependencies of the other lines, nor the other bad lines (issue 11).
func TestParseReportsEveryLine(t *testing.T) {
	many := strings.Repeat("==1\n", maxErrors+50) + "late\n"
	tests := []struct {
		name     string
		in       manifest.Input
		wantDeps []dep
		wantErrs []string // "file:line: substring", in order
	}{
		{"squat_then_missing_include", mapInput("requirements.txt", map[string]string{"requirements.txt": "reqeusts==2.31\n-r missing.txt\n"}),
			[]dep{{"reqeusts", "==2.31", "requirements.txt", 1}},
			[]string{"requirements.txt:2: does not exist"}},
		{"two_bad_lines_and_good_ones", manifest.Input{Path: "requirements.txt", Data: []byte("a\n==1\nb\nfoo_-\nc\n")},
			[]dep{{"a", "", "requirements.txt", 1}, {"b", "", "requirements.txt", 3}, {"c", "", "requirements.txt", 5}},
			[]string{"requirements.txt:2: expected a project name", "requirements.txt:4: invalid project name"}},
		{"bad_line_in_include", mapInput("requirements.txt", map[string]string{"requirements.txt": "-r dev.txt\nafter\n", "dev.txt": "ok\n==1.0\nok2\n"}),
			[]dep{{"ok", "", "dev.txt", 1}, {"ok2", "", "dev.txt", 3}, {"after", "", "requirements.txt", 2}},
			[]string{"dev.txt:2: invalid requirement"}},
		{"errors_bounded", manifest.Input{Path: "requirements.txt", Data: []byte(many)},
			[]dep{},
			append(slices.Repeat([]string{"requirements.txt:"}, maxErrors), fmt.Sprintf("requirements.txt:%d: more than %d errors", maxErrors, maxErrors))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps, err := New().Parse(context.Background(), tt.in)
			if err == nil {
				t.Fatalf("Parse = %v, nil error", deps)
			}
			if g := simplify(deps); !reflect.DeepEqual(g, tt.wantDeps) {
				t.Errorf("deps\n got: %+v\nwant: %+v", g, tt.wantDeps)
			}
			errs := err.(interface{ Unwrap() []error }).Unwrap()
			if len(errs) != len(tt.wantErrs) {
				t.Fatalf("%d errors, want %d: %v", len(errs), len(tt.wantErrs), err)
			}
			for i, e := range errs {
				var ie *record.InputError
				if !errors.As(e, &ie) {
					t.Fatalf("error %v is not an InputError", e)
				}
				// want is "file:line: substring" or, for any line, "file:".
				want := tt.wantErrs[i]
				loc, msg, _ := strings.Cut(want, " ")
				if got := fmt.Sprintf("%s:%d: %s", ie.File, ie.Line, ie.Msg); !strings.HasPrefix(got, loc) || !strings.Contains(ie.Msg, msg) {
					t.Errorf("error %d = %q, want %q", i, got, want)
				}
			}
		})
	}
}

func TestParseCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Parse(ctx, manifest.Input{Path: "requirements.txt", Data: []byte("a\n")}); !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v", err)
	}
}

func TestMatches(t *testing.T) {
	p := New()
	for file, want := range map[string]bool{
		"requirements.txt": true, "a/b/requirements-dev.txt": true, "requirements_test.txt": true,
		"Requirements.txt": true, "dev-requirements.txt": true, "constraints.txt": true,
		"requirements.in": true, "requirements-dev.in": true, "requirements/base.txt": true,
		"a/requirements/dev.txt": true, "REQUIREMENTS/Prod.txt": true,
		"requirements/base.in": true, "a/requirements/Dev.IN": true, "requirements/sub/x.in": false,
		"requirements/sub/x.txt": false, "requirements/README.md": false, "notes.in": false,
		"requirements.txt/x": false, "myrequirements.txt": false,
		"docs/notes.txt": false, "pyproject.toml": false,
	} {
		if got := p.Matches(file); got != want {
			t.Errorf("Matches(%q) = %v, want %v", file, got, want)
		}
	}
	if p.Name() != Name || p.Ecosystem() != ecosystem.PyPI {
		t.Error("bad Name or Ecosystem")
	}
}

func FuzzParse(f *testing.F) {
	for _, file := range []string{
		"basic/requirements.txt", "nested/requirements.txt", "nested/sub/dev.txt",
		"cycle/b.txt", "malformed/requirements.txt",
	} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Every include reads the fuzzed file again under another name.
		in := manifest.Input{Path: "requirements.txt", Data: data,
			ReadFile: func(rel string) (string, []byte, error) { return "inc/" + path.Base(rel), data, nil }}
		deps, err := New().Parse(context.Background(), in)
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			return
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, d := range deps {
			if d.Line < 1 || d.Line > lines || d.Name == "" {
				t.Fatalf("dependency %+v out of range (%d lines)", d, lines)
			}
		}
	})
}

// TestIncludeReadOnce: a file referenced many times is read once, and
// every reference counts against the file and byte limits.
func TestIncludeReadOnce(t *testing.T) {
	big := strings.Repeat("#"+strings.Repeat("x", 1<<20-2)+"\n", 4) // 4 MiB of comments
	tests := []struct {
		name    string
		refs    int
		inc     string
		wantErr string
	}{
		{"few_small", 50, "six\n", ""},
		{"many_small", 1000, "six\n", "more than 256 included files"},
		{"big_repeated", 20, big, "exceed 67108864 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var top strings.Builder
			for i := range tt.refs {
				// Spellings that clean to the same path.
				fmt.Fprintf(&top, "-r %sr.txt\n", strings.Repeat("./", i%3))
			}
			opens := 0
			in := manifest.Input{Path: "requirements.txt", Data: []byte(top.String()),
				ReadFile: func(rel string) (string, []byte, error) {
					opens++
					return path.Clean(rel), []byte(tt.inc), nil
				}}
			deps, err := New().Parse(context.Background(), in)
			if opens != 1 {
				t.Errorf("include opened %d times, want 1", opens)
			}
			if tt.wantErr == "" {
				if err != nil || len(deps) != 1 {
					t.Fatalf("got %v, %v; want one dependency", deps, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}
