package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fixture is a small excerpt in `apt-cache dumpavail` format (fields
// trimmed, some relations invented to exercise the counting).
const fixture = `Package: ruby-json
Version: 2.6.3+dfsg-1
Architecture: amd64
Depends: libc6 (>= 2.14), libruby3.1 (>= 3.1.2)
Description: JSON library for Ruby
Homepage: https://flori.github.com/json

Package: ruby-multi-json
Version: 1.15.0-4
Architecture: all
Depends: ruby:any, ruby-json | ruby-yajl
Description: Ruby library to provide easy switching between different JSON backends
 A common interface to multiple JSON libraries.
Homepage: https://github.com/intridea/multi_json
Ruby-Versions: all

Package: rake
Version: 13.0.6-3
Architecture: all
Depends: ruby:any
Description: ruby make-like utility
Homepage: https://github.com/ruby/rake
Ruby-Versions: all

Package: ruby-selinux
Source: libselinux (3.4-1)
Version: 3.4-1+b6
Architecture: amd64
Depends: ruby (>= 1:3.1~0), libselinux1 (= 3.4-1+b6)
Description: SELinux runtime shared libraries - Ruby bindings
Homepage: https://selinuxproject.org

Package: ruby-mocha-doc
Source: ruby-mocha
Version: 1.13.0-1
Architecture: all
Description: Mocking and stubbing library - documentation

Package: ruby-concurrent
Version: 1.1.6+dfsg-5
Architecture: all
Depends: ruby:any, ruby-json
Recommends: ruby-json
Description: modern concurrency tools for Ruby
Homepage: http://www.concurrent-ruby.com

Package: ruby-activesupport
Source: rails
Version: 2:6.1.7.3+dfsg-1
Architecture: all
Depends: ruby-concurrent (>= 1.0.2), ruby-i18n
Description: Support and utility classes used by the Rails framework
Homepage: https://rubyonrails.org/

Package: ruby-actionpack
Source: rails
Version: 2:6.1.7.3+dfsg-1
Architecture: all
Depends: ruby-activesupport (= 2:6.1.7.3+dfsg-1), ruby-json
Description: web-flow and rendering framework putting the VC into MVC (part of Rails)
Homepage: https://rubyonrails.org/

Package: ruby-gnome2
Source: ruby-gnome
Version: 3.5.1-1
Architecture: all
Depends: ruby-gnome
Description: transitional package for ruby-gnome
Homepage: https://ruby-gnome2.osdn.jp/

Package: librust-serde-dev
Source: rust-serde
Version: 1.0.152-2
Architecture: amd64
Provides: librust-serde+std-dev (= 1.0.152-2), librust-serde-1-dev (= 1.0.152-2), librust-serde-1+std-dev (= 1.0.152-2)
Description: Generic serialization/deserialization framework - Rust source code
Homepage: https://serde.rs

Package: librust-serde+derive-dev
Source: rust-serde
Version: 1.0.152-2
Architecture: amd64
Depends: librust-serde-dev (= 1.0.152-2), librust-serde-derive-1+default-dev (>= 1.0.152-~~)
Provides: librust-serde-1+derive-dev (= 1.0.152-2)
Description: Generic serialization/deserialization framework - feature "derive"

Package: librust-serde-derive-dev
Source: rust-serde-derive
Version: 1.0.152-1
Architecture: amd64
Provides: librust-serde-derive-1+default-dev (= 1.0.152-1)
Description: Macros 1.1 implementation of #[derive(Serialize, Deserialize)] - Rust source code
Homepage: https://serde.rs

Package: librust-serde-json-dev
Source: rust-serde-json
Version: 1.0.91-1
Architecture: amd64
Depends: librust-serde-1+derive-dev (>= 1.0.100-~~), librust-serde-1+std-dev
Description: JSON serialization file format - Rust source code
Homepage: https://github.com/serde-rs/json

Package: librust-rand-0.8-dev
Source: rust-rand-0.8
Version: 0.8.5-1
Architecture: amd64
Depends: librust-serde-1+derive-dev
Description: Random number generators and other randomness functionality - Rust source code
Homepage: https://rust-random.github.io/book

Package: librust-rand-dev
Source: rust-rand
Version: 0.7.3-1
Architecture: amd64
Description: Random number generators and other randomness functionality - Rust source code

Package: librust-md-5-dev
Source: rust-md-5
Version: 0.10.1-1
Architecture: amd64
Description: MD5 hash function - Rust source code

Package: librust-lazy-static-dev
Source: rust-lazy-static
Version: 1.4.0-2
Architecture: amd64
Description: Macro for declaring lazily evaluated statics in Rust - Rust source code
Homepage: https://crates.io/crates/lazy_static

Package: ripgrep
Version: 13.0.0-4+b2
Architecture: amd64
Depends: libc6 (>= 2.34)
Description: Recursively searches directories for a regex pattern
Built-Using: rustc (= 1.63.0+dfsg1-2)
X-Cargo-Built-Using: rust-serde (= 1.0.152-2), rust-serde-json (= 1.0.91-1)

Package: golang-golang-x-net-dev
Source: golang-golang-x-net
Version: 1:0.7.0+dfsg-1
Architecture: all
Depends: golang-golang-x-text-dev
Description: Supplementary Go networking libraries
Homepage: https://golang.org/x/net

Package: golang-golang-x-text-dev
Source: golang-golang-x-text
Version: 0.7.0-1
Architecture: all
Description: Supplementary Go text libraries

Package: golang-github-spf13-cobra-dev
Source: golang-github-spf13-cobra
Version: 1.6.1-1
Architecture: all
Depends: golang-golang-x-text-dev, golang-gopkg-yaml.v2-dev
Description: Commander for modern Go CLI interactions
Homepage: https://github.com/spf13/cobra

Package: golang-gopkg-yaml.v2-dev
Source: golang-yaml.v2
Version: 2.4.0-4
Architecture: all
Description: YAML support for the Go language
Homepage: https://github.com/go-yaml/yaml/tree/v2

Package: golang-go.uber-zap-dev
Source: golang-go.uber-zap
Version: 1.23.0-1
Architecture: all
Depends: golang-golang-x-net-dev
Description: Blazing fast, structured, leveled logging in Go
Homepage: https://github.com/uber-go/zap/

Package: hugo
Version: 0.111.3-1
Architecture: amd64
Description: Fast and flexible Static Site Generator written in Go
Built-Using: golang-1.19 (= 1.19.8-2), golang-github-spf13-cobra (= 1.6.1-1), golang-golang-x-text (= 0.7.0-1)

Package: nupkg-newtonsoft.json.6.0.8
Source: newtonsoft-json
Version: 6.0.8+dfsg-1.1
Architecture: all
Depends: nuget
Description: high-performance JSON framework for .NET -- NuGet package

Package: rust-buildsrc
Binary: librust-foo-dev
Build-Depends: debhelper (>= 12), librust-serde-1+derive-dev <!nocheck>, ruby-json [amd64]
`

func fixtureArchive(t *testing.T) *archive {
	t.Helper()
	st, err := parseStanzas(strings.NewReader(fixture))
	if err != nil {
		t.Fatal(err)
	}
	return newArchive(st)
}

func TestParseStanzas(t *testing.T) {
	st, err := parseStanzas(strings.NewReader("Package: a\nDescription: one\n two\n\n\n\nPackage: b\r\nDepends: a\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []stanza{
		{"package": "a", "description": "one\ntwo"},
		{"package": "b", "depends": "a"},
	}
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("got %#v, want %#v", st, want)
	}
	a := fixtureArchive(t)
	if n := len(a.names); n != 25 {
		t.Errorf("binary packages = %d, want 25 (the Sources stanza is not one)", n)
	}
	if got := firstLine(a.pkgs["ruby-multi-json"]["description"]); got != "Ruby library to provide easy switching between different JSON backends" {
		t.Errorf("description = %q", got)
	}
}

func TestRelationNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"ruby:any", []string{"ruby"}},
		{"libc6 (>= 2.14), a | b (<< 2)", []string{"libc6", "a", "b"}},
		{"debhelper (>= 12), librust-serde-1+derive-dev <!nocheck>, ruby-json [amd64]", []string{"debhelper", "librust-serde-1+derive-dev", "ruby-json"}},
		{"golang-1.19 (= 1.19.8-2),\ngolang-x (= 1)", []string{"golang-1.19", "golang-x"}},
	} {
		if got := relationNames(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("relationNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGemName(t *testing.T) {
	a := fixtureArchive(t)
	for _, tc := range []struct {
		pkg  string
		want string // "" = not a gem
	}{
		{"ruby-json", "json"},
		{"ruby-multi-json", "multi_json"}, // Homepage repo gives the _ spelling
		{"rake", "rake"},                  // gem2deb package without the ruby- prefix
		{"ruby-selinux", ""},              // binding built from libselinux
		{"ruby-mocha-doc", ""},
		{"ruby-gnome2", ""}, // transitional
		{"ruby-concurrent", "concurrent-ruby"},
		{"ruby-activesupport", "activesupport"}, // rails source builds gems
		{"librust-serde-dev", ""},
	} {
		got, ok := gemName(tc.pkg, a.pkgs[tc.pkg])
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("gemName(%s) = %q, want %q", tc.pkg, got, tc.want)
		}
	}
	for _, tc := range []struct{ name, home, want string }{
		{"rt", "https://rubygems.org/gems/rttool", "rttool"},
		{"http-parser.rb", "https://github.com/tmm1/http_parser.rb/", "http_parser.rb"},
		{"mime-types", "https://github.com/mime-types/ruby-mime-types/", ""},
		{"foo", "https://github.com/o/foo/tree/main", ""},
	} {
		got, _ := gemFromHomepage(tc.name, tc.home)
		if got != tc.want {
			t.Errorf("gemFromHomepage(%s, %s) = %q, want %q", tc.name, tc.home, got, tc.want)
		}
	}
}

func TestCrateName(t *testing.T) {
	a := fixtureArchive(t)
	for _, tc := range []struct{ pkg, want string }{
		{"librust-serde-dev", "serde"},
		{"librust-serde+derive-dev", "serde"}, // feature package
		{"librust-serde-json-dev", "serde-json"},
		{"librust-rand-0.8-dev", "rand"},           // version-suffixed copy
		{"librust-md-5-dev", "md-5"},               // "5" is part of the name
		{"librust-lazy-static-dev", "lazy_static"}, // Homepage spelling
		{"ripgrep", ""},
	} {
		got, ok := crateName(tc.pkg, a.pkgs[tc.pkg], a)
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("crateName(%s) = %q, want %q", tc.pkg, got, tc.want)
		}
	}
}

func TestGoModule(t *testing.T) {
	a := fixtureArchive(t)
	for _, tc := range []struct{ pkg, want string }{
		{"golang-golang-x-net-dev", "golang.org/x/net"},
		{"golang-golang-x-text-dev", "golang.org/x/text"}, // from the name
		{"golang-github-spf13-cobra-dev", "github.com/spf13/cobra"},
		{"golang-gopkg-yaml.v2-dev", "gopkg.in/yaml.v2"},
		{"golang-go.uber-zap-dev", "go.uber.org/zap"},
		{"hugo", ""},
	} {
		got, ok := goModule(tc.pkg, a.pkgs[tc.pkg])
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("goModule(%s) = %q, want %q", tc.pkg, got, tc.want)
		}
	}
	for _, tc := range []struct{ rest, home, want string }{
		{"src-d-go-git.v4", "https://github.com/src-d/go-git", "gopkg.in/src-d/go-git.v4"},
		{"check.v1", "http://labix.org/gocheck", "gopkg.in/check.v1"},
		{"guregu-null.v3", "http://gopkg.in/guregu/null.v3", "gopkg.in/guregu/null.v3"},
		{"asn1-ber.v1", "https://github.com/go-asn1-ber/asn1-ber", "gopkg.in/asn1-ber.v1"},
		{"a-b-c.v1", "", ""}, // ambiguous
	} {
		got, _ := gopkgModule(tc.rest, tc.home)
		if got != tc.want {
			t.Errorf("gopkgModule(%s, %s) = %q, want %q", tc.rest, tc.home, got, tc.want)
		}
	}
	for _, tc := range []struct{ home, want string }{
		{"https://github.com/Sirupsen/logrus.git", "github.com/Sirupsen/logrus"},
		{"https://GitLab.com/o/r/", "gitlab.com/o/r"},
		{"https://github.com/o/r/wiki", ""},
		{"https://godoc.org/google.golang.org/grpc", "google.golang.org/grpc"},
		{"https://github.com/kubernetes/klog", "k8s.io/klog"},
		{"https://github.com/protocolbuffers/protobuf-go", "google.golang.org/protobuf"},
		{"https://golang.org/", ""},
		{"https://example.com/foo/bar", ""},
	} {
		got, _ := goFromHomepage(tc.home)
		if got != tc.want {
			t.Errorf("goFromHomepage(%s) = %q, want %q", tc.home, got, tc.want)
		}
	}
}

func TestRevdeps(t *testing.T) {
	a := fixtureArchive(t)
	count := func(ms []mapped) map[string]int {
		m := map[string]int{}
		for _, x := range ms {
			m[x.name] = a.revdeps(x)
		}
		return m
	}
	// ruby-json: multi-json, concurrent (Depends+Recommends counted once),
	// rails (actionpack), and the rust-buildsrc Sources stanza.
	gems := count(a.gems())
	if gems["json"] != 4 || gems["activesupport"] != 0 || gems["concurrent-ruby"] != 1 {
		t.Errorf("gem revdeps = %v", gems)
	}
	// serde: serde-json and rand-0.8 via virtual packages, ripgrep via
	// X-Cargo-Built-Using, rust-buildsrc via Build-Depends; not
	// rust-serde itself (the derive feature package). serde-derive: the
	// serde+derive feature package of rust-serde.
	crates := count(a.crates())
	if crates["serde"] != 4 || crates["serde-derive"] != 1 || crates["serde-json"] != 1 {
		t.Errorf("crate revdeps = %v", crates)
	}
	if len(crates) != 6 {
		t.Errorf("crates = %v, want 6 (serde, serde-derive, serde-json, rand, md-5, lazy_static)", crates)
	}
	mods := count(a.goModules())
	if mods["golang.org/x/text"] != 3 || mods["github.com/spf13/cobra"] != 1 || mods["gopkg.in/yaml.v2"] != 1 {
		t.Errorf("go revdeps = %v", mods)
	}
	got := rankByRevdeps(a.gems(), a)
	// activesupport's only dependent (actionpack) is from its own source.
	if got[0] != (entry{Name: "json", Rank: 1}) || got[1].Name != "concurrent-ruby" || got[2] != (entry{Name: "actionpack", Rank: 3}) {
		t.Errorf("rankByRevdeps = %v", got)
	}
}

func TestBuildGo(t *testing.T) {
	a := fixtureArchive(t)
	path := filepath.Join(t.TempDir(), "go.tsv")
	if err := os.WriteFile(path, []byte("module\ngithub.com/spf13/cobra\nexample.com/z\nexample.com/a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := buildGo(path, a)
	if err != nil {
		t.Fatal(err)
	}
	want := []entry{
		{Name: "golang.org/x/text", Rank: 1},      // 3 reverse deps (net, cobra, hugo)
		{Name: "example.com/a", Rank: 2},          // shared list, no Debian data: tied
		{Name: "example.com/z", Rank: 2},          //
		{Name: "github.com/spf13/cobra", Rank: 2}, // shared list, 1 reverse dep: tied
		{Name: "golang.org/x/net", Rank: 5},       // Debian only, 1 (zap)
		{Name: "gopkg.in/yaml.v2", Rank: 6},       // Debian only, 1 (cobra)
		{Name: "go.uber.org/zap", Rank: 7},        // Debian only, 0
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("buildGo =\n%v\nwant\n%v", rows, want)
	}
}

func TestNupkgID(t *testing.T) {
	for _, tc := range []struct{ pkg, want string }{
		{"nupkg-newtonsoft.json.6.0.8", "newtonsoft.json"},
		{"nupkg-nunit.mocks.2.6.4", "nunit.mocks"},
		{"nuget", ""},
	} {
		got, _ := nupkgID(tc.pkg)
		if got != tc.want {
			t.Errorf("nupkgID(%s) = %q, want %q", tc.pkg, got, tc.want)
		}
	}
}

func TestCanonicalDedupe(t *testing.T) {
	for _, tc := range []struct{ eco, in, want string }{
		{"pypi", "Foo__Bar.baz", "foo-bar-baz"},
		{"crates", "Lazy_Static", "lazy-static"},
		{"npm", "JSONStream", "jsonstream"},
		{"go", "github.com/Sirupsen/logrus", "github.com/sirupsen/logrus"},
	} {
		if got := canonical(tc.eco, tc.in); got != tc.want {
			t.Errorf("canonical(%s, %s) = %q, want %q", tc.eco, tc.in, got, tc.want)
		}
	}
	rows := dedupe("pypi", []entry{{"b", 2, 0}, {"Foo.Bar", 3, 0}, {"foo_bar", 1, 0}, {"a", 2, 0}})
	want := []entry{{"foo_bar", 1, 0}, {"a", 2, 0}, {"b", 2, 0}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("dedupe = %v, want %v", rows, want)
	}
}
