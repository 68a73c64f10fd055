package ecosystem

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Ecosystem
	}{
		{"npm", NPM}, {"PyPI", PyPI}, {"pypi", PyPI}, {"NuGet", NuGet}, {"RubyGems", RubyGems},
		{"Go", Go}, {"golang", Go}, {"crates.io", Crates}, {"crates", Crates}, {" npm ", NPM},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "maven", "npm2"} {
		if _, err := Parse(bad); !errors.Is(err, ErrUnsupported) {
			t.Errorf("Parse(%q) error = %v, want ErrUnsupported", bad, err)
		}
	}
}

func TestOSVRoundTrip(t *testing.T) {
	for _, e := range All() {
		got, err := Parse(e.OSV())
		if err != nil || got != e {
			t.Errorf("Parse(%q) = %q, %v; want %q", e.OSV(), got, err, e)
		}
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		eco      Ecosystem
		in, want string
	}{
		{PyPI, "Django", "django"},
		{PyPI, "my_package", "my-package"},
		{PyPI, "my.package", "my-package"},
		{PyPI, "My__Weird.-Name", "my-weird-name"},
		{PyPI, "requests", "requests"},
		{NPM, "@Types/Node", "@types/node"},
		{NPM, "cross-env", "cross-env"},
		{NuGet, "Newtonsoft.Json", "newtonsoft.json"},
		{Crates, "rust_decimal", "rust-decimal"},
		{RubyGems, "rest_client", "rest_client"},
		{Go, "github.com/BoltDB/bolt", "github.com/boltdb/bolt"},
	}
	for _, tt := range tests {
		if got := tt.eco.Canonical(tt.in); got != tt.want {
			t.Errorf("%s.Canonical(%q) = %q, want %q", tt.eco, tt.in, got, tt.want)
		}
	}
}

func TestCollisionKey(t *testing.T) {
	tests := []struct {
		eco  Ecosystem
		a, b string
		same bool
	}{
		{NPM, "cross-env", "crossenv", true},
		{NPM, "cross-env", "cross.env", true},
		{NPM, "@acme/cross-env", "@acme/crossenv", true},
		{NPM, "@acme/crossenv", "crossenv", false},
		{PyPI, "foo-bar", "foobar", true},
		{PyPI, "pillow", "pi11ow", true},
		{PyPI, "boto", "bot0", true},
		{PyPI, "boto", "boat", false},
		{RubyGems, "rest-client", "rest_client", true},
		{Crates, "rust-decimal", "rust_decimal", true},
		{NuGet, "Newtonsoft.Json", "newtonsoft.json", true},
		{NuGet, "Newtonsoft.Json", "NewtonsoftJson", false},
	}
	for _, tt := range tests {
		if got := tt.eco.CollisionKey(tt.a) == tt.eco.CollisionKey(tt.b); got != tt.same {
			t.Errorf("%s: CollisionKey(%q) == CollisionKey(%q) is %v, want %v", tt.eco, tt.a, tt.b, got, tt.same)
		}
	}
}

func TestSplit(t *testing.T) {
	if s, b := SplitScope("@types/node"); s != "types" || b != "node" {
		t.Errorf("SplitScope = %q, %q", s, b)
	}
	if s, b := SplitScope("lodash"); s != "" || b != "lodash" {
		t.Errorf("SplitScope = %q, %q", s, b)
	}
	g := SplitGoPath("github.com/boltdb/bolt/cmd/bolt")
	if g != (GoPath{"github.com", "boltdb", "bolt", "cmd/bolt"}) {
		t.Errorf("SplitGoPath = %+v", g)
	}
}

// FuzzNormalize checks the normalizers on arbitrary input: no panic,
// idempotence, and valid UTF-8 preserved.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"requests", "My__Weird.-Name", "@types/node", "github.com/a/b", "réquests", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range All() {
			c := e.Canonical(s)
			if e.Canonical(c) != c {
				t.Fatalf("%s.Canonical not idempotent on %q: %q -> %q", e, s, c, e.Canonical(c))
			}
			if utf8.ValidString(s) && !utf8.ValidString(c) {
				t.Fatalf("%s.Canonical(%q) = %q: invalid UTF-8", e, s, c)
			}
			k := e.CollisionKey(s)
			if strings.ContainsAny(k, "_") && (e == PyPI || e == RubyGems || e == Crates) {
				t.Fatalf("%s.CollisionKey(%q) = %q keeps '_'", e, s, k)
			}
		}
		_ = SplitGoPath(s)
		_, _ = SplitScope(s)
	})
}
