package typosquat

import (
	"strings"
	"testing"
)

func TestOSA(t *testing.T) {
	tests := []struct {
		c, t  string
		limit int
		want  int
		kinds []opKind
	}{
		{"requests", "requests", 2, 0, nil},
		{"reqeusts", "requests", 2, 1, []opKind{opTranspose}},
		{"requets", "requests", 2, 1, []opKind{opDelete}},
		{"requestss", "requests", 2, 1, []opKind{opInsert}},
		{"requezts", "requests", 2, 1, []opKind{opSubst}},
		{"aiohtttps", "aiohttp", 2, 2, []opKind{opInsert, opInsert}},
		{"dezcordjs", "discordjs", 2, 2, []opKind{opSubst, opSubst}},
		{"abcdef", "uvwxyz", 2, 3, nil},
		{"a", "abcd", 2, 3, nil},
	}
	for _, tt := range tests {
		d, ops := osa(tt.c, tt.t, tt.limit, nil)
		if d != tt.want {
			t.Errorf("osa(%q, %q) = %d, want %d", tt.c, tt.t, d, tt.want)
			continue
		}
		if d <= tt.limit && len(ops) != len(tt.kinds) {
			t.Errorf("osa(%q, %q) ops = %v, want kinds %v", tt.c, tt.t, ops, tt.kinds)
			continue
		}
		for i, k := range tt.kinds {
			if ops[i].kind != k {
				t.Errorf("osa(%q, %q) op %d = %v, want %v", tt.c, tt.t, i, ops[i].kind, k)
			}
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		c, t, tech string
		kb         bool
	}{
		{"reqeusts", "requests", TechTransposition, false},
		{"requestss", "requests", TechRepetition, false},
		{"arequests", "requests", TechInsertion, false},
		{"reqests", "requests", TechOmission, false},
		{"raquests", "requests", TechVowelSwap, false},
		{"requesrs", "requests", TechSubstitution, true},
		{"reque5ts", "requests", TechHomoglyph, false},
		{"1odash", "lodash", TechHomoglyph, false},
		{"requesbs", "requests", TechSubstitution, false},
		{"requesus", "requests", TechBitFlip, false},
	}
	for _, tt := range tests {
		_, ops := osa(tt.c, tt.t, 1, nil)
		if len(ops) != 1 {
			t.Fatalf("osa(%q, %q): %v", tt.c, tt.t, ops)
		}
		tech, _, kb := describe(ops[0], tt.c)
		if tech != tt.tech || kb != tt.kb {
			t.Errorf("describe(%q vs %q) = %s kb=%v, want %s kb=%v", tt.c, tt.t, tech, kb, tt.tech, tt.kb)
		}
	}
}

func FuzzOSA(f *testing.F) {
	f.Add("requests", "reqeusts")
	f.Add("", "abc")
	f.Fuzz(func(t *testing.T, a, b string) {
		d1, ops := osa(a, b, 2, nil)
		d2, _ := osa(b, a, 2, nil)
		if d1 != d2 {
			t.Fatalf("asymmetric: osa(%q,%q)=%d, reverse %d", a, b, d1, d2)
		}
		if d1 <= 2 && len(ops) != d1 {
			t.Fatalf("osa(%q,%q)=%d with %d ops", a, b, d1, len(ops))
		}
		if (a == b) != (d1 == 0) && len(a) <= maxEditLen {
			t.Fatalf("osa(%q,%q)=%d", a, b, d1)
		}
	})
}

func TestCutVersion(t *testing.T) {
	tests := []struct{ in, rest, ver string }{
		{"discord.js12.5.3", "discord.js", "12.5.3"},
		{"bitcoinjs-lib-v6", "bitcoinjs-lib", "v6"},
		{"react@18.2", "react", "18.2"},
		{"lodash_4_17", "lodash", "4_17"},
		{"uuid5", "", ""},    // a plain number: not a version
		{"ipv6", "", ""},     // "v6" not after a delimiter
		{"1.2.3", "", ""},    // nothing before it
		{"a-v2", "", ""},     // too short a name
		{"x-v", "", ""},      // no digits
		{"foo.1.", "", ""},   // a trailing dot
		{"angular2", "", ""}, // a counter
	}
	for _, tt := range tests {
		rest, ver, ok := cutVersion(tt.in)
		if ok != (tt.rest != "") || rest != tt.rest || ver != tt.ver {
			t.Errorf("cutVersion(%q) = %q, %q, %v; want %q, %q", tt.in, rest, ver, ok, tt.rest, tt.ver)
		}
	}
}

func FuzzCutVersion(f *testing.F) {
	for _, s := range []string{"discord.js12.5.3", "a-v6", "v1.2", "..1.2", "x@1_2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rest, ver, ok := cutVersion(s)
		if !ok {
			return
		}
		if !strings.HasPrefix(s, rest) || !strings.HasSuffix(s, ver) || len(rest)+len(ver) > len(s) || len(rest) < 2 || ver == "" {
			t.Fatalf("cutVersion(%q) = %q, %q", s, rest, ver)
		}
	})
}
