package project

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/manifest/list"
	"github.com/pkgward/pkgward/internal/manifest/registryconf"
)

const pkgJSON = `{"dependencies": {"left-pad": "^1"}}`

func skipsOf(ss []Skip) []string {
	var out []string
	for _, s := range ss {
		p := s.Path
		if s.Dir {
			p += "/"
		}
		out = append(out, p+" ("+strings.TrimSpace(string(s.Kind)+" "+s.Rule)+")")
	}
	return out
}

// TestScanIgnore: the default skipped directories, .gitignore files (root
// and nested, negations, anchoring, directory-only patterns, as git
// applies them) and --exclude decide what is read, and every skip is
// listed; VCS directories are never entered nor listed.
func TestScanIgnore(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		opts    Options
		read    []string // Result.Files, sorted
		skipped []string // skipsOf(Result.Skipped), in walk order
	}{
		{
			name: "defaults",
			files: map[string]string{
				"package.json":                   pkgJSON,
				"testdata/bad/package.json":      "{",
				"node_modules/x/package.json":    pkgJSON,
				"a/vendor/requirements.txt":      "x\n",
				".git/package.json":              pkgJSON,
				"a/testdata.txt/requirements.in": "x\n", // a file-like directory name is not "testdata"
			},
			read:    []string{"a/testdata.txt/requirements.in", "package.json"},
			skipped: []string{"a/vendor/ (default)", "node_modules/ (default)", "testdata/ (default)"},
		},
		{
			name: "no_ignore",
			files: map[string]string{
				"package.json":                pkgJSON,
				"testdata/ok/package.json":    pkgJSON,
				"node_modules/x/package.json": pkgJSON,
				".git/package.json":           pkgJSON,
				".gitignore":                  "package.json\n",
			},
			opts: Options{NoIgnore: true},
			read: []string{"node_modules/x/package.json", "package.json", "testdata/ok/package.json"},
		},
		{
			name: "gitignore_root",
			files: map[string]string{
				".gitignore":             "# generated\ngen/\n\n*.lock\nrequirements*.txt\n!requirements.txt\n/top.txt\n",
				"gen/package.json":       pkgJSON,
				"Cargo.lock":             "",
				"sub/Cargo.lock":         "",
				"requirements.txt":       "x\n",
				"requirements-dev.txt":   "x\n",
				"sub/requirements.txt":   "x\n",
				"sub/gen":                "a file: gen/ matches directories only",
				"top.txt/package.json":   pkgJSON, // anchored: only at the root
				"sub/top.txt/go.mod":     "module x\n",
				"notes/requirements.txt": "x\n",
			},
			read: []string{"notes/requirements.txt", "requirements.txt", "sub/requirements.txt", "sub/top.txt/go.mod"},
			skipped: []string{
				"Cargo.lock (.gitignore .gitignore:4: *.lock)", "gen/ (.gitignore .gitignore:2: gen/)",
				"requirements-dev.txt (.gitignore .gitignore:5: requirements*.txt)", "sub/Cargo.lock (.gitignore .gitignore:4: *.lock)",
				"top.txt/ (.gitignore .gitignore:7: /top.txt)",
			},
		},
		{
			name: "gitignore_nested",
			files: map[string]string{
				".gitignore":            "*.lock\n",
				"a/.gitignore":          "!Cargo.lock\npackage.json\n/go.mod\n",
				"a/Cargo.lock":          "",
				"a/b/package.json":      pkgJSON,
				"a/b/go.mod":            "module x\n", // /go.mod is anchored to a/
				"a/go.mod":              "module x\n",
				"package.json":          pkgJSON,
				"c/Cargo.lock":          "",
				"build/.gitignore":      "*\n",
				"build/package.json":    pkgJSON,
				"c/.gitignore":          "\xef\xbb\xbf!*.lock\r\n",
				"d/.gitignore/ignored":  "a directory named .gitignore is not read",
				"d/requirements.txt":    "x\n",
				"e/ex/requirements.txt": "x\n",
				"e/.gitignore":          "ex\n",
			},
			read: []string{"a/Cargo.lock", "a/b/go.mod", "c/Cargo.lock", "d/requirements.txt", "package.json"},
			skipped: []string{
				"a/b/package.json (.gitignore a/.gitignore:2: package.json)", "a/go.mod (.gitignore a/.gitignore:3: /go.mod)",
				"build/package.json (.gitignore build/.gitignore:1: *)", "e/ex/ (.gitignore e/.gitignore:1: ex)",
			},
		},
		{
			// git: "!a/" re-includes the directory a, not what "*" matches
			// inside it; "x/**" matches what is inside x, not x itself.
			name: "negation_semantics",
			files: map[string]string{
				".gitignore":              "*\n!.gitignore\n!a/\n!a/go.mod\n!x/\n",
				"a/package.json":          pkgJSON,
				"a/go.mod":                "module x\n",
				"x/.gitignore":            "/**\n!keep/\n!keep/requirements.txt\n",
				"x/keep/requirements.txt": "x\n",
				"x/drop/requirements.txt": "x\n",
				"x/package.json":          pkgJSON,
			},
			read: []string{"a/go.mod", "x/keep/requirements.txt"},
			skipped: []string{
				"a/package.json (.gitignore .gitignore:1: *)", "x/drop/ (.gitignore x/.gitignore:1: /**)",
				"x/package.json (.gitignore x/.gitignore:1: /**)",
			},
		},
		{
			name: "no_reinclude_under_excluded_dir",
			files: map[string]string{
				".gitignore":         "build/\n!build/package.json\n",
				"build/package.json": pkgJSON,
			},
			skipped: []string{"build/ (.gitignore .gitignore:1: build/)"},
		},
		{
			name: "exclude",
			files: map[string]string{
				"legacy/a/package.json":       pkgJSON,
				"web/package.json":            pkgJSON,
				"web/sub/web/package.json":    pkgJSON,
				"Cargo.lock":                  "",
				"x/Cargo.lock":                "",
				"fixtures/requirements.txt":   "x\n",
				"y/fixtures":                  "a file",
				"svc/api/go.mod":              "module x\n",
				"svc/db/go.mod":               "module x\n",
				"svc/ui/go.mod":               "module x\n",
				"testdata/ok/requirements.in": "x\n",
			},
			opts: Options{NoIgnore: true, Exclude: []string{"legacy/**", "*.lock", "/web/package.json", "fixtures/", "./svc/{api,db}"}},
			read: []string{"svc/ui/go.mod", "testdata/ok/requirements.in", "web/sub/web/package.json"},
			skipped: []string{
				"Cargo.lock (--exclude *.lock)", "fixtures/ (--exclude fixtures/)", "legacy/ (--exclude legacy/**)",
				"svc/api/ (--exclude ./svc/{api,db})", "svc/db/ (--exclude ./svc/{api,db})",
				"web/package.json (--exclude /web/package.json)", "x/Cargo.lock (--exclude *.lock)",
			},
		},
		{
			name: "exclude_wins_over_negation",
			files: map[string]string{
				".gitignore":   "!package.json\n",
				"package.json": pkgJSON,
			},
			opts:    Options{Exclude: []string{"package.json"}},
			skipped: []string{"package.json (--exclude package.json)"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, c.files)
			res, err := ScanWith(context.Background(), root, c.opts, list.All(), registryconf.All()...)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Sorted(slices.Values(res.Files))
			if !slices.Equal(got, c.read) {
				t.Errorf("read\n got %q\nwant %q", got, c.read)
			}
			if s := skipsOf(res.Skipped); !slices.Equal(s, c.skipped) {
				t.Errorf("skipped\n got %q\nwant %q", s, c.skipped)
			}
		})
	}
}

// TestScanIgnoreAncestors: inside a git work tree, the .gitignore files
// from the repository root down to the scanned directory apply, anchored
// where they are; outside one, a parent's .gitignore does not. The
// scanned directory itself is read even when a parent ignores it.
func TestScanIgnoreAncestors(t *testing.T) {
	for _, repo := range []bool{true, false} {
		t.Run(fmt.Sprint("repo=", repo), func(t *testing.T) {
			top := t.TempDir()
			files := map[string]string{
				".gitignore":                     "/svc/api/generated/\nsvc/\n!svc/api/\n*.lock\n",
				"svc/.gitignore":                 "api/old/\n",
				"svc/api/package.json":           pkgJSON,
				"svc/api/generated/package.json": pkgJSON,
				"svc/api/old/package.json":       pkgJSON,
				"svc/api/Cargo.lock":             "",
			}
			if repo {
				files[".git/HEAD"] = "ref: refs/heads/main\n"
			}
			writeFiles(t, top, files)
			res, err := Scan(context.Background(), filepath.Join(top, "svc", "api"), list.All())
			if err != nil {
				t.Fatal(err)
			}
			read, skipped := []string{"package.json"}, []string{
				"Cargo.lock (.gitignore ../../.gitignore:4: *.lock)",
				"generated/ (.gitignore ../../.gitignore:1: /svc/api/generated/)",
				"old/ (.gitignore ../.gitignore:1: api/old/)",
			}
			if !repo {
				read, skipped = []string{"Cargo.lock", "generated/package.json", "old/package.json", "package.json"}, nil
			}
			if got := slices.Sorted(slices.Values(res.Files)); !slices.Equal(got, read) {
				t.Errorf("read\n got %q\nwant %q", got, read)
			}
			if s := skipsOf(res.Skipped); !slices.Equal(s, skipped) {
				t.Errorf("skipped\n got %q\nwant %q", s, skipped)
			}
		})
	}
}

// TestScanIgnoreFileErrors: an oversized .gitignore is an error naming
// it once, and its patterns are not applied (the scan reads more, never
// less); a .gitignore that is a symbolic link is not followed.
func TestScanIgnoreFileErrors(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a/.gitignore":   "package.json\n" + strings.Repeat("#", maxIgnoreSize),
		"a/package.json": pkgJSON,
		"b/package.json": pkgJSON,
		"elsewhere":      "package.json\n",
	})
	symlink(t, filepath.Join(root, "elsewhere"), filepath.Join(root, "b", ".gitignore"))
	res, err := Scan(context.Background(), root, list.All())
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(slices.Values(res.Files)); !slices.Equal(got, []string{"a/package.json", "b/package.json"}) {
		t.Errorf("read %q", got)
	}
	if len(res.Errors) != 1 || res.Errors[0].Error() != fmt.Sprintf("a/.gitignore: larger than %d bytes; its patterns are not applied", maxIgnoreSize) {
		t.Errorf("errors = %v", res.Errors)
	}
}

func TestCompileExcludesErrors(t *testing.T) {
	for _, p := range []string{"[", "", "/", "./", "a/[b"} {
		if _, err := CompileExcludes([]string{p}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("--exclude %q", p)) {
			t.Errorf("%q: err = %v", p, err)
		}
	}
}

// TestScanExplicitFileIgnoresNothing: a file named as the root is read
// even when .gitignore, --exclude or a default skip would skip it.
func TestScanExplicitFileIgnoresNothing(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{".gitignore": "package.json\n", "node_modules/package.json": pkgJSON})
	p := filepath.Join(root, "node_modules", "package.json")
	res, err := ScanWith(context.Background(), p, Options{Exclude: []string{"package.json"}}, list.All())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Dependencies) != 1 || len(res.Skipped) != 0 {
		t.Errorf("deps %v, skipped %v", res.Dependencies, res.Skipped)
	}
}

// TestScanProgress: the progress callback counts the files seen and
// read, and ends with every file read.
func TestScanProgress(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for i := range 600 {
		files[fmt.Sprintf("d%03d/notes.md", i)] = ""
	}
	files["z/package.json"] = pkgJSON
	writeFiles(t, root, files)
	var calls [][2]int
	_, err := ScanWith(context.Background(), root, Options{Progress: func(seen, read int) { calls = append(calls, [2]int{seen, read}) }}, list.All())
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int{{256, 0}, {512, 0}, {601, 1}}
	if !slices.Equal(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
}

// TestIgnoreAgreesWithGit: where git is installed, the files the walk
// reads are those of the tree that git does not ignore (and a parser
// reads), for trees exercising gitignore(5)'s rules. git runs without
// the user's or the system's configuration, on a fresh repository.
func TestIgnoreAgreesWithGit(t *testing.T) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	trees := []map[string]string{
		{
			".gitignore":                 "*.lock\n!/keep.lock\nout/\n/go.mod\n**/deep/requirements.txt\nsrc/**/package.json\n!src/main/package.json\n\\#hash.txt\n",
			"keep.lock":                  "",
			"Cargo.lock":                 "",
			"a/Cargo.lock":               "",
			"a/keep.lock":                "",
			"out/package.json":           pkgJSON,
			"a/out/package.json":         pkgJSON,
			"go.mod":                     "module x\n",
			"a/go.mod":                   "module x\n",
			"x/deep/requirements.txt":    "x\n",
			"x/y/deep/requirements.txt":  "x\n",
			"deep/requirements.txt":      "x\n",
			"src/package.json":           pkgJSON,
			"src/a/b/package.json":       pkgJSON,
			"src/main/package.json":      pkgJSON,
			"#hash.txt/requirements.txt": "x\n",
			"requirements.txt":           "x\n",
		},
		{
			".gitignore":             "/*\n!/web/\n!/.gitignore\n",
			"package.json":           pkgJSON,
			"web/package.json":       pkgJSON,
			"api/requirements.txt":   "x\n",
			"web/.gitignore":         "sub/*\n!sub/go.mod\n*.txt \n",
			"web/sub/go.mod":         "module x\n",
			"web/sub/package.json":   pkgJSON,
			"web/requirements.txt":   "x\n",
			"web/a/sub/package.json": pkgJSON,
		},
		{
			".gitignore":          "[Bb]uild/\n?ist/\nlib*/\n!lib2/\n",
			"Build/package.json":  pkgJSON,
			"build/package.json":  pkgJSON,
			"dist/package.json":   pkgJSON,
			"lib1/package.json":   pkgJSON,
			"lib2/package.json":   pkgJSON,
			"x/lib1/package.json": pkgJSON,
			"library.txt/go.mod":  "module x\n",
			"ok/package.json":     pkgJSON,
		},
	}
	parsers, configs := list.All(), registryconf.All()
	for i, files := range trees {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, files)
			git := func(args ...string) string {
				cmd := exec.Command(gitPath, args...)
				cmd.Dir = root
				cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1", "HOME="+root)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
				return string(out)
			}
			git("init", "-q")
			var want []string
			for _, f := range strings.Split(git("ls-files", "--others", "--exclude-standard", "-z"), "\x00") {
				if f != "" && (parserFor(parsers, f) != nil || configFor(configs, f) != nil) {
					want = append(want, f)
				}
			}
			slices.Sort(want)
			all := 0
			for f := range files {
				if parserFor(parsers, f) != nil || configFor(configs, f) != nil {
					all++
				}
			}
			if len(want) == 0 || len(want) == all {
				t.Fatalf("git reads %d of %d project files: the tree tests nothing", len(want), all)
			}
			res, err := Scan(context.Background(), root, parsers, configs...)
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(slices.Values(res.Files)); !slices.Equal(got, want) {
				t.Errorf("read\n got %q\ngit %q", got, want)
			}
		})
	}
}

// FuzzIgnoreLine: .gitignore lines come from the scanned repository:
// parsing and matching any line against any path never panics, and a
// line that is a plain name matches that name at any depth.
func FuzzIgnoreLine(f *testing.F) {
	for _, s := range []string{"*.lock", "!keep", "/a/**/b/", "\\#x", "[a-", "a\\ ", "**", "{a,b}", "a/**", "\xff"} {
		f.Add(s, "a/b/keep")
	}
	f.Fuzz(func(t *testing.T, line, p string) {
		ip, ok := parseIgnoreLine(line, "", "f:1")
		plain := line != "" && !strings.ContainsAny(line, "*?[]{}\\/! #\r\x00") && strings.TrimSpace(line) == line
		if plain && (!ok || !ip.match("x/"+line, false)) {
			t.Errorf("plain name %q does not match x/%s (ok=%v)", line, line, ok)
		}
		if ok {
			ip.match(p, true)
			ip.match(p, false)
			ip.dir = "a"
			ip.match(p, true)
		}
	})
}
