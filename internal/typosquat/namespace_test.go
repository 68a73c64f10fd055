package typosquat

import (
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func TestNamespace(t *testing.T) {
	existing := map[ecosystem.Ecosystem][]string{
		ecosystem.NPM:      {"cross-env", "@acme/widget", "lodash"},
		ecosystem.PyPI:     {"pillow", "boto", "foo-bar"},
		ecosystem.RubyGems: {"rest-client"},
		ecosystem.NuGet:    {"Newtonsoft.Json"},
		ecosystem.Crates:   {"rust_decimal"},
	}
	tests := []struct {
		eco      ecosystem.Ecosystem
		name     string
		existing string // "" = no collision
	}{
		{ecosystem.NPM, "crossenv", "cross-env"},
		{ecosystem.NPM, "cross.env", "cross-env"},
		{ecosystem.NPM, "cross-env", ""}, // itself: not a new name
		{ecosystem.NPM, "widget", "@acme/widget"},
		{ecosystem.NPM, "lоdash", "lodash"}, // Cyrillic о
		{ecosystem.NPM, "lodash-es", ""},
		{ecosystem.PyPI, "pi11ow", "pillow"},
		{ecosystem.PyPI, "b0t0", "boto"},
		{ecosystem.PyPI, "foobar", "foo-bar"},
		{ecosystem.PyPI, "Foo_Bar", ""}, // PEP 503: the same project
		{ecosystem.RubyGems, "rest_client", "rest-client"},
		{ecosystem.NuGet, "newtonsoft.json", ""}, // case-insensitive: the same id
		{ecosystem.NuGet, "Newtonsоft.Json", "Newtonsoft.Json"},
		{ecosystem.Crates, "rust-decimal", ""}, // the same crate
	}
	nss := map[ecosystem.Ecosystem]*Namespace{}
	for eco, names := range existing {
		ns := NewNamespace(eco)
		for _, n := range names {
			ns.Add(n)
		}
		nss[eco] = ns
	}
	for _, tt := range tests {
		fs := nss[tt.eco].Check(tt.name)
		if tt.existing == "" {
			if len(fs) != 0 {
				t.Errorf("%s %q: unexpected %+v", tt.eco, tt.name, fs)
			}
			continue
		}
		if len(fs) != 1 || fs[0].Rule != RuleCollision || fs[0].Evidence["existing"] != tt.existing || fs[0].Severity != record.High {
			t.Errorf("%s %q: got %+v, want collision with %q", tt.eco, tt.name, fs, tt.existing)
		}
	}
	if nss[ecosystem.NPM].Len() != 3 {
		t.Errorf("Len = %d", nss[ecosystem.NPM].Len())
	}
}

func TestMixedScript(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"requests", false},
		{"reqυests", true},        // Greek upsilon in a Latin name
		{"Newtonsоft.Json", true}, // Cyrillic о
		{"раураl", true},          // wholly Cyrillic letters imitating Latin
		{"日本語パッケージ", false},       // another script, nothing imitated
		{"café-utils", false},     // Latin with a diacritic is Latin
		{"Café.日本", false},        // Latin and CJK, nothing imitated
	}
	for _, tt := range tests {
		f, got := MixedScript(tt.name)
		if got != tt.want {
			t.Errorf("MixedScript(%q) = %v, want %v (%+v)", tt.name, got, tt.want, f)
		}
		if got && (f.Rule != RuleMixedScript || f.Message == "") {
			t.Errorf("MixedScript(%q) finding incomplete: %+v", tt.name, f)
		}
	}
}

func FuzzNamespace(f *testing.F) {
	f.Add("crossenv")
	f.Add("@acme/widget")
	f.Fuzz(func(t *testing.T, name string) {
		for _, eco := range ecosystem.All() {
			ns := NewNamespace(eco)
			ns.Add("cross-env")
			ns.Add(name)
			if fs := ns.Check(name); len(fs) != 0 {
				t.Fatalf("%s: an existing name %q collides with itself: %+v", eco, name, fs)
			}
		}
	})
}
