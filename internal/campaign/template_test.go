package campaign

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNameTemplate(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"free-robux-generator-2024", "free-robux-generator-<year>"},
		{"Free.Robux.Generator.2024", "free-robux-generator-<year>"},
		{"FreeRobuxGenerator2024", "free-robux-generator-<year>"},
		{"free_robux_generator_2024_x7k2p9", "free-robux-generator-<year>-<rand>"},
		{"FreeRobuxGenerator2024Hwc5", "free-robux-generator-<year>-<rand>"},
		{"robux2024", "robux-<year>"},
		{"get-free-vbucks-2024-2751", "get-free-vbucks-<year>-<num>"},
		{"VbucksGenerator2024", "vbucks-generator-<year>"},
		{"free-robux-xkqzt", "free-robux-<rand>"},
		{"@types/node", "@types-node"},
		{"@aws-sdk/client-s3", "@aws-sdk-client-s<num>"},
		{"lodash.debounce", "lodash-debounce"},
		{"XMLParser", "xml-parser"},
		{"base64-js", "base<num>-js"},
		{"k8s-client", "k8s-client"},
		{"i18n-next", "i18n-next"},
		{"es2015-preset", "es-<year>-preset"},
		{"abc12-tool", "<rand>-tool"},
		{"2fa", "<num>fa"},
		{"v2", "v<num>"},
		{"react", "react"},
		{"", ""},
		{"---", ""},
		{"strengths", "strengths"},
		{"Новости-2024", "новости-<year>"},
		{"a.b.c.d.e.f.g.h.i.j.k.l.m.n", "a-b-c-d-e-f-g-h-i-j-k-l"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatTemplate(NameTemplate(tt.name)); got != tt.want {
				t.Errorf("NameTemplate(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestTemplatesSimilar(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"free-robux-generator-2024", "free-vbucks-generator-2024", true},
		{"free-robux-generator-2024-kawu", "free-vbucks-generator-2024-lemo", true}, // two differences of five
		{"free-robux-generator-2024", "get-gems-hack-2023", false},                  // three differences
		{"is-stream", "is-plain", true},                                             // honest families are similar too
		{"is-stream", "is-plain-obj", false},                                        // lengths differ
		{"react", "redux", false},                                                   // one token
		{"2024-1", "2023-2", false},                                                 // no literal shared
		{"@types/node", "@types/react", true},
	}
	for _, tt := range tests {
		b := NewBuilder(DefaultOptions())
		b.Add(pkg(tt.a))
		b.Add(pkg(tt.b))
		if got := b.templatesSimilar(b.recs[0].tmpl, b.recs[1].tmpl); got != tt.want {
			t.Errorf("templatesSimilar(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzNameTemplate(f *testing.F) {
	for _, s := range []string{"free-robux-generator-2024", "FreeRobuxGenerator2024Hwc5", "@types/node", "XMLParser", "a1b2c3", "Ǆǅǆ", "\xff\xfe", "İstanbul-2024", "ﬃ-ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		toks := NameTemplate(name)
		if len(toks) > maxNameTokens {
			t.Fatalf("%d tokens", len(toks))
		}
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("empty token in %q", toks)
			}
			if !utf8.ValidString(tok) {
				t.Fatalf("invalid UTF-8 token %q", tok)
			}
			if strings.ContainsAny(tok, " -_./") {
				t.Fatalf("delimiter in token %q", tok)
			}
		}
		if again := NameTemplate(name); !slices.Equal(toks, again) {
			t.Fatalf("not deterministic: %q vs %q", toks, again)
		}
	})
}
