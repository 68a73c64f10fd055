package malicious

import (
	"reflect"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		eco  ecosystem.Ecosystem
		a, b string
		want int
	}{
		{ecosystem.NPM, "1.0.0", "1.0.0", 0},
		{ecosystem.NPM, "0", "0.0.0", -1},
		{ecosystem.NPM, "1.2.9", "1.10.0", -1},
		{ecosystem.NPM, "1.0.0-alpha", "1.0.0", -1},
		{ecosystem.NPM, "1.0.0-alpha", "1.0.0-alpha.1", -1},
		{ecosystem.NPM, "1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
		{ecosystem.NPM, "1.0.0-beta.2", "1.0.0-beta.11", -1},
		{ecosystem.NPM, "1.0.0-rc.1", "1.0.0", -1},
		{ecosystem.NPM, "1.0.0+build.1", "1.0.0+build.2", 0},
		{ecosystem.NPM, "99999999999999999999.0.0", "1.0.0", 1},
		{ecosystem.Go, "v1.3.1", "1.3.1", 0},
		{ecosystem.Go, "v0.0.0-20230101000000-abcdef123456", "0.0.1", -1},
		{ecosystem.Crates, "0.1", "0.1.0", 0},
		{ecosystem.PyPI, "1.0", "1.0.0", 0},
		{ecosystem.PyPI, "2.0.0rc1", "2.0.0", -1},
		{ecosystem.PyPI, "2.0.0.dev1", "2.0.0a1", -1},
		{ecosystem.PyPI, "2.0.0a1", "2.0.0b1", -1},
		{ecosystem.PyPI, "2.0.0b1", "2.0.0rc1", -1},
		{ecosystem.PyPI, "2.0.0", "2.0.0.post1", -1},
		{ecosystem.PyPI, "2.0.0.post1", "2.0.1", -1},
		{ecosystem.PyPI, "2.0.1+local", "2.0.1", 0},
		{ecosystem.PyPI, "1.10", "1.9", 1},
		{ecosystem.RubyGems, "1.0.0.pre", "1.0.0", -1},
		{ecosystem.RubyGems, "1.0.a", "1.0.1", -1},
		{ecosystem.NuGet, "1.0.0-Beta", "1.0.0-beta", 0},
		{ecosystem.NuGet, "1.0.0.0", "1.0", 0},
		{ecosystem.NuGet, "1.0.0-beta.10", "1.0.0-beta.2", 1},
	}
	for _, tt := range tests {
		if got := compareVersions(tt.eco, tt.a, tt.b); got != tt.want {
			t.Errorf("%s: compare(%q, %q) = %d, want %d", tt.eco, tt.a, tt.b, got, tt.want)
		}
		if got := compareVersions(tt.eco, tt.b, tt.a); got != -tt.want {
			t.Errorf("%s: compare(%q, %q) = %d, want %d", tt.eco, tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestInRange(t *testing.T) {
	ev := func(kvs ...any) []Event {
		var out []Event
		for i := 0; i < len(kvs); i += 2 {
			out = append(out, Event{kvs[i].(EventKind), kvs[i+1].(string)})
		}
		return out
	}
	tests := []struct {
		name   string
		eco    ecosystem.Ecosystem
		events []Event
		in     []string
		out    []string
	}{
		{"introduced fixed", ecosystem.NPM, ev(Introduced, "1.2.9", Fixed, "1.3.0"), []string{"1.2.9", "1.2.10"}, []string{"1.2.8", "1.3.0", "2.0.0"}},
		{"last affected", ecosystem.PyPI, ev(Introduced, "2.0.0rc1", LastAffected, "2.0.1"), []string{"2.0.0rc1", "2.0.0", "2.0.1"}, []string{"2.0.0b9", "2.0.2", "2.0.1.post1"}},
		{"open ended", ecosystem.RubyGems, ev(Introduced, "3.0"), []string{"3.0.0", "10.1"}, []string{"2.9.9"}},
		{"two windows", ecosystem.NPM, ev(Introduced, "0", Fixed, "1.0.0", Introduced, "2.0.0", Fixed, "2.1.0"), []string{"0.0.1", "2.0.5"}, []string{"1.0.0", "1.5.0", "2.1.0"}},
		{"limit", ecosystem.Go, ev(Introduced, "0", Limit, "1.0.0"), []string{"v0.9.0"}, []string{"v1.0.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs := append([]Event(nil), tt.events...)
			// Unsorted input must be sorted first, as ParseOSV does.
			for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
				evs[i], evs[j] = evs[j], evs[i]
			}
			sortEvents(tt.eco, evs)
			for _, v := range tt.in {
				if !inRange(tt.eco, evs, v) {
					t.Errorf("%s not in %+v", v, evs)
				}
			}
			for _, v := range tt.out {
				if inRange(tt.eco, evs, v) {
					t.Errorf("%s in %+v", v, evs)
				}
			}
		})
	}
}

func TestPinned(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"1.2.3", "1.2.3", true},
		{" ==1.2.3 ", "1.2.3", true},
		{"===1.0", "1.0", true},
		{"= 1.0.0", "1.0.0", true},
		{"[1.2.3]", "1.2.3", true},
		{"v1.3.1", "v1.3.1", true},
		{"1.0.0-beta.1", "1.0.0-beta.1", true},
		{"", "", false},
		{"*", "", false},
		{"latest", "", false},
		{"^1.2.0", "", false},
		{"~> 1.0", "", false},
		{">=1.0,<2", "", false},
		{"1.x", "", false},
		{"1.2.X", "", false},
		{"[1.0,2.0)", "", false},
		{"1.0 || 2.0", "", false},
		{"npm:other@1.0.0", "", false},
		{"git+https://example.invalid/x.git", "", false},
	}
	for _, tt := range tests {
		got, ok := Pinned(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Pinned(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDescribe(t *testing.T) {
	a := Affected{Ecosystem: ecosystem.NPM, Versions: []string{"0.7.29"}, Ranges: []Range{
		{"SEMVER", []Event{{Introduced, "1.2.9"}, {Fixed, "1.3.0"}}},
		{"SEMVER", []Event{{Introduced, "0"}, {LastAffected, "0.1.0"}}},
		{"SEMVER", []Event{{Introduced, "5.0.0"}}},
	}}
	want := []string{"0.7.29", ">= 1.2.9, < 1.3.0", "<= 0.1.0", ">= 5.0.0"}
	if got := a.Describe(); !reflect.DeepEqual(got, want) {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if got := (&Affected{All: true}).Describe(); !reflect.DeepEqual(got, []string{"all versions"}) {
		t.Errorf("Describe = %q", got)
	}
}
