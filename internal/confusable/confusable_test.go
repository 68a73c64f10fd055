package confusable

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestSkeleton(t *testing.T) {
	tests := []struct{ in, want string }{
		{"requests", "requests"},
		{"jeIlyfish", "jellyfish"},             // capital I looks like l
		{"1odash", "lodash"},                   // digit one
		{"l0dash", "lodash"},                   // digit zero
		{"rnoment", "moment"},                  // rn looks like m
		{"vvebpack", "webpack"},                // vv looks like w
		{"reаct", "react"},                     // Cyrillic а
		{"Newtonsоft.Json", "newtonsoft.json"}, // Cyrillic о
		{"ΑΒΕ", "abe"},                         // Greek capitals
		{"résumé", "resume"},                   // diacritics dropped
		{"ＬＯＤＡＳＨ", "lodash"},                   // full-width
		{"", ""},
	}
	for _, tt := range tests {
		if got := Skeleton(tt.in); got != tt.want {
			t.Errorf("Skeleton(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScripts(t *testing.T) {
	tests := []struct {
		in   string
		want []Script
	}{
		{"requests-2", []Script{Latin}},
		{"reаct", []Script{Latin, Cyrillic}},
		{"αβγ-x", []Script{Greek, Latin}},
		{"քանի", []Script{Armenian}},
		{"123-_.", nil},
	}
	for _, tt := range tests {
		if got := Scripts(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Scripts(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLookalikes(t *testing.T) {
	got := Lookalikes("Newtonsоft.Jsоn")
	if len(got) != 1 || got["о"] != "o" {
		t.Errorf("Lookalikes = %v, want map[о:o]", got)
	}
	if got := Lookalikes("plain"); got != nil {
		t.Errorf("Lookalikes(plain) = %v, want nil", got)
	}
}

func FuzzSkeleton(f *testing.F) {
	for _, s := range []string{"requests", "reаct", "ＬＯＤＡＳＨ", "rnvv|I10", "\xff\xfe", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sk := Skeleton(s)
		if utf8.ValidString(s) && !utf8.ValidString(sk) {
			t.Fatalf("Skeleton(%q) = %q: invalid UTF-8", s, sk)
		}
		// Idempotent on ASCII output.
		if isASCII(sk) && Skeleton(sk) != sk {
			t.Fatalf("Skeleton not idempotent: %q -> %q -> %q", s, sk, Skeleton(sk))
		}
		_ = Scripts(s)
	})
}

func BenchmarkSkeletonASCII(b *testing.B) {
	for b.Loop() {
		Skeleton("eslint-plugin-react-hooks")
	}
}
