package project

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/list"
	"github.com/pkgward/pkgward/internal/manifest/registryconf"
	"github.com/pkgward/pkgward/internal/record"
)

// fixture is the checked-in project tree: one file of every kind pkgward
// reads, plus a node_modules directory that must be skipped.
const fixture = "testdata/project"

// dep is what the tests compare of a manifest.Dependency.
type dep struct {
	Eco  ecosystem.Ecosystem
	Name string
	Loc  string // file:line
}

func (d dep) String() string { return fmt.Sprintf("%s %s @ %s", d.Eco, d.Name, d.Loc) }

func depsOf(ds []manifest.Dependency) []dep {
	out := make([]dep, len(ds))
	for i, d := range ds {
		out[i] = dep{d.Ecosystem, d.Name, d.Source()}
	}
	return out
}

// fileDeps is the expected outcome of parsing one file of the fixture.
type fileDeps struct {
	file string
	deps []dep
}

const (
	npm    = ecosystem.NPM
	pypi   = ecosystem.PyPI
	nuget  = ecosystem.NuGet
	gems   = ecosystem.RubyGems
	gomod  = ecosystem.Go
	crates = ecosystem.Crates
)

// fixtureExpect lists, in walk order (lexical, per directory), every file
// of testdata/project that a parser reads and the dependencies it declares,
// written by hand from the fixture files.
var fixtureExpect = []fileDeps{
	{"dotnet/App.csproj", []dep{
		{nuget, "Newtonsoft.Json", "dotnet/App.csproj:9"},
		{nuget, "Serilog", "dotnet/App.csproj:10"},
	}},
	{"dotnet/Directory.Packages.props", []dep{
		{nuget, "Newtonsoft.Json", "dotnet/Directory.Packages.props:6"},
		{nuget, "xunit", "dotnet/Directory.Packages.props:7"},
	}},
	{"dotnet/packages.config", []dep{
		{nuget, "NUnit", "dotnet/packages.config:3"},
		{nuget, "Moq", "dotnet/packages.config:4"},
	}},
	{"dotnet/packages.lock.json", []dep{ // the "Project" entry is skipped
		{nuget, "Newtonsoft.Json", "dotnet/packages.lock.json:5"},
		{nuget, "Serilog", "dotnet/packages.lock.json:11"},
	}},
	{"go/go.mod", []dep{ // the replace by a local directory is skipped
		{gomod, "github.com/spf13/cobra", "go/go.mod:6"},
		{gomod, "golang.org/x/text", "go/go.mod:7"},
		{gomod, "gopkg.in/yaml.v3", "go/go.mod:10"},
	}},
	// node_modules/ is skipped.
	{"py/Pipfile.lock", []dep{
		{pypi, "certifi", "py/Pipfile.lock:19"},
		{pypi, "idna", "py/Pipfile.lock:24"},
		{pypi, "pytest", "py/Pipfile.lock:30"},
	}},
	{"py/poetry.lock", []dep{
		{pypi, "click", "py/poetry.lock:4"},
		{pypi, "httpx", "py/poetry.lock:12"},
	}},
	{"py/pyproject.toml", []dep{ // poetry's "python" is skipped
		{pypi, "setuptools", "py/pyproject.toml:2"},
		{pypi, "wheel", "py/pyproject.toml:2"},
		{pypi, "click", "py/pyproject.toml:9"},
		{pypi, "rich", "py/pyproject.toml:10"},
		{pypi, "pytest", "py/pyproject.toml:14"},
		{pypi, "httpx", "py/pyproject.toml:18"},
		{pypi, "black", "py/pyproject.toml:21"},
	}},
	{"py/requirements-base.txt", []dep{
		{pypi, "six", "py/requirements-base.txt:2"},
		{pypi, "urllib3", "py/requirements-base.txt:3"},
	}},
	{"py/requirements.txt", []dep{ // -r requirements-base.txt on line 2
		{pypi, "six", "py/requirements-base.txt:2"},
		{pypi, "urllib3", "py/requirements-base.txt:3"},
		{pypi, "numpy", "py/requirements.txt:3"},
		{pypi, "reqeusts", "py/requirements.txt:4"},
		{pypi, "flask", "py/requirements.txt:6"},
	}},
	{"py/uv.lock", []dep{ // the editable project itself is skipped
		{pypi, "attrs", "py/uv.lock:5"},
		{pypi, "packaging", "py/uv.lock:18"},
	}},
	{"ruby/Gemfile", []dep{
		{gems, "rails", "ruby/Gemfile:3"},
		{gems, "puma", "ruby/Gemfile:4"},
		{gems, "rspec-rails", "ruby/Gemfile:7"},
	}},
	{"ruby/Gemfile.lock", []dep{ // rails is in DEPENDENCIES only
		{gems, "puma", "ruby/Gemfile.lock:4"},
		{gems, "nio4r", "ruby/Gemfile.lock:6"},
		{gems, "rspec-rails", "ruby/Gemfile.lock:7"},
		{gems, "rails", "ruby/Gemfile.lock:14"},
	}},
	{"rust/Cargo.lock", []dep{ // the workspace crate (no source) is skipped
		{crates, "rand", "rust/Cargo.lock:14"},
		{crates, "serde", "rust/Cargo.lock:20"},
	}},
	{"rust/Cargo.toml", []dep{
		{crates, "serde", "rust/Cargo.toml:7"},
		{crates, "rand", "rust/Cargo.toml:8"},
		{crates, "tempfile", "rust/Cargo.toml:11"},
		{crates, "tokio", "rust/Cargo.toml:13"},
	}},
	{"web/package-lock.json", []dep{ // the root entry is skipped
		{npm, "@types/node", "web/package-lock.json:18"},
		{npm, "js-tokens", "web/package-lock.json:23"},
		{npm, "loose-envify", "web/package-lock.json:28"},
		{npm, "react", "web/package-lock.json:36"},
		{npm, "typescript", "web/package-lock.json:44"},
	}},
	{"web/package.json", []dep{
		{npm, "react", "web/package.json:9"},
		{npm, "@types/node", "web/package.json:10"},
		{npm, "typescript", "web/package.json:13"},
	}},
	{"web/pnpm-lock.yaml", []dep{ // importers and snapshots are not reported
		{npm, "js-tokens", "web/pnpm-lock.yaml:17"},
		{npm, "loose-envify", "web/pnpm-lock.yaml:20"},
		{npm, "react", "web/pnpm-lock.yaml:24"},
	}},
	{"web/yarn.lock", []dep{
		{npm, "@types/node", "web/yarn.lock:5"},
		{npm, "js-tokens", "web/yarn.lock:10"},
		{npm, "react", "web/yarn.lock:15"},
	}},
}

// expectedFixture returns fixtureExpect without the files no registered
// parser reads yet (pnpm-lock.yaml may be registered later), logging them.
func expectedFixture(t *testing.T) []fileDeps {
	t.Helper()
	parsers := list.All()
	var out []fileDeps
	for _, fd := range fixtureExpect {
		if parserFor(parsers, fd.file) == nil {
			if strings.HasSuffix(fd.file, "pnpm-lock.yaml") {
				t.Logf("no parser registered for %s: its expectations are skipped", fd.file)
				continue
			}
			t.Fatalf("no parser matches %s", fd.file)
		}
		out = append(out, fd)
	}
	return out
}

// copyTree copies the regular files and directories of src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
}

// diffDeps returns a readable line-by-line comparison, or "" when equal.
func diffDeps(got, want []dep) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	var b strings.Builder
	n := max(len(got), len(want))
	for i := 0; i < n; i++ {
		var g, w string
		if i < len(got) {
			g = got[i].String()
		}
		if i < len(want) {
			w = want[i].String()
		}
		mark := "  "
		if g != w {
			mark = "! "
		}
		fmt.Fprintf(&b, "%s%3d got  %-55s want %s\n", mark, i, g, w)
	}
	return b.String()
}

func TestScanFixture(t *testing.T) {
	root := t.TempDir()
	copyTree(t, fixture, root)

	// Things that must never be read: a symlinked directory and a
	// symlinked manifest pointing outside the tree, and manifests in
	// skipped directories.
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{
		"package.json":     `{"dependencies": {"outside-dir-dep": "1"}}`,
		"requirements.txt": "outside-file-dep==1\n",
	})
	symlink(t, outside, filepath.Join(root, "linked"))
	symlink(t, filepath.Join(outside, "requirements.txt"), filepath.Join(root, "py", "requirements-linked.txt"))
	writeFiles(t, root, map[string]string{
		"web/node_modules/evil/package.json": `{"dependencies": {"nested-node-modules-dep": "1"}}`,
		"vendor/requirements.txt":            "vendored-dep==1\n",
		".git/requirements.txt":              "git-dep==1\n",
		"rust/target/Cargo.lock":             "this is not even TOML [[[",
	})

	res, err := Scan(context.Background(), root, list.All())
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(res.Errors) != 0 {
		t.Errorf("errors: %v", res.Errors)
	}
	expect := expectedFixture(t)
	var wantFiles []string
	var want []dep
	for _, fd := range expect {
		wantFiles = append(wantFiles, fd.file)
		want = append(want, fd.deps...)
	}
	if !reflect.DeepEqual(res.Files, wantFiles) {
		t.Errorf("files parsed:\n got  %q\n want %q", res.Files, wantFiles)
	}
	if d := diffDeps(depsOf(res.Dependencies), want); d != "" {
		t.Errorf("dependencies differ:\n%s", d)
	}
	for _, d := range res.Dependencies {
		if d.Line <= 0 {
			t.Errorf("%s has no line", d.Name)
		}
		for _, bad := range []string{"node_modules/", "vendor/", ".git/", "linked/", "target/", "requirements-linked"} {
			if strings.Contains(d.File, bad) {
				t.Errorf("%s read from %s, which must be skipped", d.Name, d.File)
			}
		}
		switch d.Name {
		case "lodahs", "nested-node-modules-dep", "outside-dir-dep", "outside-file-dep", "vendored-dep", "git-dep":
			t.Errorf("dependency %s from a skipped place was reported (%s)", d.Name, d.Source())
		}
	}
}

// TestScanFixturePerFile checks each file of the fixture on its own
// (single-file mode), so a failure names the file.
func TestScanFixturePerFile(t *testing.T) {
	for _, fd := range expectedFixture(t) {
		t.Run(fd.file, func(t *testing.T) {
			// Run from the fixture's root so that the display path is the
			// path as given, i.e. fd.file.
			t.Chdir(fixture)
			res, err := Scan(context.Background(), fd.file, list.All())
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if len(res.Errors) != 0 {
				t.Errorf("errors: %v", res.Errors)
			}
			if !reflect.DeepEqual(res.Files, []string{fd.file}) {
				t.Errorf("files = %q, want [%q]", res.Files, fd.file)
			}
			if d := diffDeps(depsOf(res.Dependencies), fd.deps); d != "" {
				t.Errorf("dependencies differ:\n%s", d)
			}
		})
	}
}

func TestScanSkipsNodeModules(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"package.json":                        `{"dependencies": {"express": "^4"}}`,
		"node_modules/express/package.json":   `{"dependencies": {"body-parser": "^1"}}`,
		"a/b/node_modules/x/package.json":     `{"dependencies": {"deep-dep": "^1"}}`,
		"a/b/node_modules/x/requirements.txt": "deep-py-dep\n",
	})
	res, err := Scan(context.Background(), root, list.All())
	if err != nil {
		t.Fatal(err)
	}
	want := []dep{{npm, "express", "package.json:1"}}
	if d := diffDeps(depsOf(res.Dependencies), want); d != "" {
		t.Errorf("dependencies differ:\n%s", d)
	}
	if !reflect.DeepEqual(res.Files, []string{"package.json"}) || len(res.Errors) != 0 {
		t.Errorf("files = %q, errors = %v", res.Files, res.Errors)
	}
}

// TestScanNodeModulesRoot: a skipped directory named as the root itself
// is scanned (the user asked for it).
func TestScanNodeModulesRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "node_modules")
	writeFiles(t, root, map[string]string{"package.json": `{"dependencies": {"express": "^4"}}`})
	res, err := Scan(context.Background(), root, list.All())
	if err != nil {
		t.Fatal(err)
	}
	if d := diffDeps(depsOf(res.Dependencies), []dep{{npm, "express", "package.json:1"}}); d != "" {
		t.Errorf("dependencies differ:\n%s", d)
	}
}

func TestScanIncludes(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		link  [2]string // optional symlink: target (relative to root), link
		want  []dep
		err   string // substring of the error; "" for none
		errAt string // "file:line" of the error
	}{
		{
			name: "escapes the root",
			files: map[string]string{
				"sub/requirements.txt": "flask\n-r ../../etc/passwd\n",
			},
			err: "leaves the scanned directory", errAt: "sub/requirements.txt:2",
		},
		{
			name: "escapes the root from the top",
			files: map[string]string{
				"requirements.txt": "# x\n\n--requirement ../x.txt\n",
			},
			err: "leaves the scanned directory", errAt: "requirements.txt:3",
		},
		{
			name: "absolute",
			files: map[string]string{
				"requirements.txt": "-r /etc/passwd\n",
			},
			err: "absolute", errAt: "requirements.txt:1",
		},
		{
			name: "symlinked include",
			files: map[string]string{
				"requirements.txt": "six\n-r other.txt\n",
				"real.txt":         "flask\n",
			},
			link: [2]string{"real.txt", "other.txt"},
			err:  "symlinks are not followed", errAt: "requirements.txt:2",
		},
		{
			name: "missing",
			files: map[string]string{
				"requirements.txt": "-r nope.txt\n",
			},
			err: `included file "nope.txt": no such file or directory`, errAt: "requirements.txt:1",
		},
		{
			name: "inside the root, up and down",
			files: map[string]string{
				"app/requirements.txt": "flask\n-r ../common/base.txt\n",
				"common/base.txt":      "\nsix\n",
			},
			want: []dep{
				{pypi, "flask", "app/requirements.txt:1"},
				{pypi, "six", "common/base.txt:2"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, tt.files)
			if tt.link[1] != "" {
				symlink(t, filepath.Join(root, tt.link[0]), filepath.Join(root, tt.link[1]))
			}
			res, err := Scan(context.Background(), root, list.All())
			if err != nil {
				t.Fatal(err)
			}
			if tt.err == "" {
				if len(res.Errors) != 0 {
					t.Errorf("errors: %v", res.Errors)
				}
				if d := diffDeps(depsOf(res.Dependencies), tt.want); d != "" {
					t.Errorf("dependencies differ:\n%s", d)
				}
				return
			}
			if len(res.Errors) != 1 {
				t.Fatalf("errors = %v, want one", res.Errors)
			}
			e := res.Errors[0]
			if loc := fmt.Sprintf("%s:%d", e.File, e.Line); loc != tt.errAt || !strings.Contains(e.Msg, tt.err) {
				t.Errorf("error = %s:%d: %s; want at %s, containing %q", e.File, e.Line, e.Msg, tt.errAt, tt.err)
			}
			for _, d := range res.Dependencies {
				if d.Name == "flask" && d.File == "real.txt" {
					t.Errorf("symlinked include was read: %v", d)
				}
			}
		})
	}
}

func TestScanMalformedFiles(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a/package.json":     "{\n  \"dependencies\": {\n    \"react\": \"^18\",\n  }\n}\n", // trailing comma
		"b/Cargo.toml":       "[dependencies]\nserde = \"1\"\nrand = \n",
		"c/requirements.txt": "flask==2.0\nsix\n",
		"d/go.mod":           "module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tthis is not go.mod\n)\n",
		"e/Gemfile":          "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.1\"\n",
		"f/packages.config":  "<packages>\n  <package id=\"NUnit\" version=\"3.14.0\" />\n  <package id=\"Moq\"\n",
	})
	res, err := Scan(context.Background(), root, list.All())
	if err != nil {
		t.Fatal(err)
	}
	want := []dep{
		{pypi, "flask", "c/requirements.txt:1"},
		{pypi, "six", "c/requirements.txt:2"},
		{gems, "rails", "e/Gemfile:2"},
	}
	if d := diffDeps(depsOf(res.Dependencies), want); d != "" {
		t.Errorf("dependencies differ:\n%s", d)
	}
	// Every malformed file is an error naming it, with its line (all these
	// formats know where they fail), and every file was read.
	wantErrs := map[string]bool{"a/package.json": true, "b/Cargo.toml": true, "d/go.mod": true, "f/packages.config": true}
	for _, e := range res.Errors {
		if !wantErrs[e.File] {
			t.Errorf("unexpected error %v", &e)
			continue
		}
		delete(wantErrs, e.File)
		if e.Line <= 0 {
			t.Errorf("error without a line: %v", &e)
		}
	}
	for f := range wantErrs {
		t.Errorf("no error for malformed %s (errors: %v)", f, res.Errors)
	}
	if len(res.Files) != 6 {
		t.Errorf("files = %q, want all 6", res.Files)
	}
}

func TestScanSingleFile(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"svc/requirements.txt": "-r base/reqs.txt\nflask\n",
		"svc/base/reqs.txt":    "six\n",
		"svc/notes.txt":        "hello\n",
	})
	file := filepath.Join(root, "svc", "requirements.txt")
	res, err := Scan(context.Background(), file, list.All())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.ToSlash(filepath.Join(root, "svc"))
	want := []dep{
		{pypi, "six", dir + "/base/reqs.txt:1"},
		{pypi, "flask", dir + "/requirements.txt:2"},
	}
	if d := diffDeps(depsOf(res.Dependencies), want); d != "" {
		t.Errorf("dependencies differ:\n%s", d)
	}

	if _, err := Scan(context.Background(), filepath.Join(root, "svc", "notes.txt"), list.All()); err == nil {
		t.Error("a file no parser reads: no error")
	}
	_, err = Scan(context.Background(), filepath.Join(root, "missing"), list.All())
	var ie *record.InputError
	if err == nil || !errors.As(err, &ie) || !strings.HasSuffix(ie.File, "missing") {
		t.Errorf("missing root: err = %v, want an InputError naming it", err)
	}
}

// TestScanSymlinkedRoot: the root the user names is scanned even when it
// is a symbolic link to a directory; links below it are not followed.
func TestScanSymlinkedRoot(t *testing.T) {
	real := t.TempDir()
	writeFiles(t, real, map[string]string{"requirements.txt": "flask\n"})
	link := filepath.Join(t.TempDir(), "link")
	symlink(t, real, link)
	res, err := Scan(context.Background(), link, list.All())
	if err != nil {
		t.Fatal(err)
	}
	if d := diffDeps(depsOf(res.Dependencies), []dep{{pypi, "flask", "requirements.txt:1"}}); d != "" {
		t.Errorf("dependencies differ:\n%s", d)
	}
}

func TestScanCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Scan(ctx, fixture, list.All()); err == nil {
		t.Error("canceled scan: no error")
	}
}

// registryFixture holds one realistic registry configuration file of each
// kind, most of them bad (see internal/cli/scan_registry_test.go).
const registryFixture = "testdata/registry"

func settingsOf(ss []registryconf.Setting) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		v := s.URL
		if v == "" {
			v = s.Value
		}
		out[i] = fmt.Sprintf("%s %s %s %s %s", s.Source(), s.Ecosystem, s.Kind, s.Key, v)
		if s.Secret != "" {
			out[i] += " secret=" + string(s.Secret)
		}
	}
	return out
}

func TestScanRegistryConfig(t *testing.T) {
	res, err := Scan(context.Background(), registryFixture, list.All(), registryconf.All()...)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	want := []string{
		"api/pip.conf:3 pypi registry global.index-url http://pypi-mirror.example.com/simple",
		"api/requirements.txt:2 pypi extra-index --extra-index-url https://pypi.internal.example.com/simple",
		"api/requirements.txt:3 pypi checksum --trusted-host pypi.internal.example.com",
		"api/requirements.txt:4 pypi extra-index --extra-index-url https://ci:***@pypi.ci.example.com/simple secret=url-password",
		"clean/.npmrc:1 npm registry registry https://npmjs.org/",
		"clean/.npmrc:2 npm scope-registry @acme:registry https://npm.pkg.github.com/",
		"clean/.npmrc:3 npm credential //npm.pkg.github.com/:_authToken ${GITHUB_TOKEN}",
		"clean/Gemfile:1 rubygems registry source https://rubygems.org",
		"deploy/.env:2 go proxy GOPROXY http://athens.internal.example.com",
		"deploy/.env:3 go checksum GOINSECURE github.com",
		"dotnet/nuget.config:4 nuget registry packageSources.nuget.org https://api.nuget.org/v3/index.json",
		"dotnet/nuget.config:5 nuget extra-index packageSources.contoso https://pkgs.contoso.example.com/nuget/v3/index.json",
		"dotnet/nuget.config:10 nuget credential packageSourceCredentials.contoso.ClearTextPassword  secret=literal",
		"go/go.env:1 go proxy GOPROXY https://goproxy.example.com",
		"go/go.env:2 go checksum GOSUMDB off",
		"go/go.env:3 go checksum GONOSUMDB *",
		"go/go.env:4 go checksum GOFLAGS -insecure",
		"legacy/.yarnrc:5 npm registry registry http://yarn-mirror.example.com",
		"ruby/Gemfile:1 rubygems registry source https://rubygems.org",
		"ruby/Gemfile:2 rubygems extra-index source https://gems.internal.example.com",
		"rust/.cargo/config.toml:5 crates registry source.corp-mirror.registry sparse+http://crates-mirror.example.com/index/",
		"rust/.cargo/config.toml:8 crates scope-registry registries.acme.index sparse+https://crates.acme.example.com/index/",
		"rust/.cargo/config.toml:9 crates credential registries.acme.token  secret=literal",
		"svc/Pipfile:2 pypi registry source.pypi.url https://pypi.org/simple",
		"svc/Pipfile:3 pypi checksum source.pypi.verify_ssl true",
		"svc/Pipfile:7 pypi extra-index source.internal.url https://pypi.internal.example.com/simple",
		"svc/Pipfile:8 pypi checksum source.internal.verify_ssl false",
		"svc/pyproject.toml:11 pypi extra-index tool.poetry.source.acme https://pypi.acme.example.com/simple/",
		"web/.npmrc:2 npm registry registry https://npmjs-registry.org/",
		"web/.npmrc:3 npm scope-registry @acme:registry http://npm.acme.example.com/",
		"web/.npmrc:4 npm credential //npm.acme.example.com/:_authToken  secret=literal",
		"web/.npmrc:5 npm checksum strict-ssl false",
		"web/.yarnrc.yml:2 npm registry npmRegistryServer https://npmjs.org",
		"web/.yarnrc.yml:3 npm checksum enableStrictSsl false",
		"web/.yarnrc.yml:6 npm scope-registry npmScopes.@acme.npmRegistryServer https://npm.acme.example.com",
		"web/.yarnrc.yml:7 npm credential npmScopes.@acme.npmAuthToken ${ACME_NPM_TOKEN}",
	}
	if got := settingsOf(res.Settings); !reflect.DeepEqual(got, want) {
		t.Errorf("settings:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
	for _, s := range res.Settings {
		if strings.Contains(fmt.Sprintf("%+v", s), "FAKE") {
			t.Errorf("a secret of the fixture was kept: %+v", s)
		}
	}
	// Files read by both kinds of parser are listed once; dependencies of
	// the same files are still found.
	wantFiles := []string{
		"api/pip.conf", "api/requirements.txt", "clean/.npmrc", "clean/Gemfile", "deploy/.env",
		"dotnet/nuget.config", "go/go.env", "legacy/.yarnrc", "ruby/Gemfile", "rust/.cargo/config.toml",
		"svc/Pipfile", "svc/pyproject.toml", "web/.npmrc", "web/.yarnrc.yml",
	}
	if !reflect.DeepEqual(res.Files, wantFiles) {
		t.Errorf("files = %q, want %q", res.Files, wantFiles)
	}
	var deps []string
	for _, d := range res.Dependencies {
		deps = append(deps, d.Name+"@"+d.Source())
	}
	wantDeps := []string{
		"flask@api/requirements.txt:5", "acmecorp-billing@api/requirements.txt:6", "rails@clean/Gemfile:3",
		"rails@ruby/Gemfile:4", "acme-auth@ruby/Gemfile:5", "acmecorp-billing@svc/pyproject.toml:7",
	}
	if !reflect.DeepEqual(deps, wantDeps) {
		t.Errorf("dependencies = %q, want %q", deps, wantDeps)
	}

	// Without configuration parsers, only the manifests are read.
	res, err = Scan(context.Background(), registryFixture, list.All())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Settings) != 0 || len(res.Files) != 4 {
		t.Errorf("without config parsers: %d settings, files %q", len(res.Settings), res.Files)
	}
}

func TestScanRegistryConfigSingleFile(t *testing.T) {
	file := filepath.Join(registryFixture, "web", ".npmrc")
	res, err := Scan(context.Background(), file, list.All(), registryconf.All()...)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.ToSlash(file)
	if len(res.Settings) != 4 || res.Settings[0].File != want || !reflect.DeepEqual(res.Files, []string{want}) {
		t.Errorf("settings %v, files %q; want 4 settings of %s", settingsOf(res.Settings), res.Files, want)
	}
	// A configuration file with no configuration parser is not readable.
	if _, err := Scan(context.Background(), file, list.All()); err == nil {
		t.Errorf("scanning .npmrc without config parsers: no error")
	}
}

// TestScanRegistryConfigErrors: a malformed configuration file is an error
// at its line; a file both parsers fail on is reported once.
func TestScanRegistryConfigErrors(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a/.npmrc":         "registry=https://npmjs.org/\n=oops\n",
		"b/pyproject.toml": "[project\nname = 1\n",
		"c/pip.conf":       "index-url = https://pypi.org/simple\n",
		"d/.npmrc":         "registry=https://npmjs.org/\n",
	})
	res, err := Scan(context.Background(), root, list.All(), registryconf.All()...)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Errors {
		got = append(got, fmt.Sprintf("%s:%d", e.File, e.Line))
	}
	if want := []string{"a/.npmrc:2", "b/pyproject.toml:1", "c/pip.conf:1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("errors at %q, want %q (%v)", got, want, res.Errors)
	}
	if len(res.Settings) != 1 || res.Settings[0].File != "d/.npmrc" {
		t.Errorf("settings = %v, want the good file's", settingsOf(res.Settings))
	}
}

// TestIncludeThroughSymlinkedDir: an include whose path crosses a
// symlinked directory pointing outside the root must not be read.
func TestIncludeThroughSymlinkedDir(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "creds.txt"), []byte("secret-token==1.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	if err := os.WriteFile(filepath.Join(root, "requirements.txt"), []byte("requests==2.0\n-r link/creds.txt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), root, list.All())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Dependencies {
		if d.Name == "secret-token" {
			t.Fatalf("include through a symlinked directory was read: %+v", d)
		}
	}
	if len(res.Errors) == 0 {
		t.Fatal("no error for an include escaping through a symlink")
	}
}
