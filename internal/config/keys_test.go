package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/record"
)

// TestParseMessages: every decoding error names the file once, the line
// and the key in the file's words, never a Go type.
func TestParseMessages(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"unknown_top", "fail-on: high\nignores: []\n", "c.yaml:2: unknown key `ignores` (did you mean `ignore`?)"},
		{"unknown_snake", "corpus_files: [a]\n", "c.yaml:1: unknown key `corpus_files` (did you mean `corpus-files`?)"},
		{"unknown_no_suggestion", "colour: red\n", "c.yaml:1: unknown key `colour` (valid keys: brands, corpus, corpus-files, domains, fail-on, ignore, serve)"},
		{"unknown_in_entry", "ignore:\n  - name: x\n    reason: r\n    owner: me\n", "c.yaml:4: unknown key `owner` in `ignore[0]` (valid keys: ecosystem, expires, name, reason, rule)"},
		{"typo_in_entry", "ignore:\n  - name: x\n    reasons: r\n", "c.yaml:3: unknown key `reasons` in `ignore[0]` (did you mean `reason`?)"},
		{"repeated", "fail-on: high\nfail-on: low\n", "c.yaml:2: key `fail-on` repeated (first at line 1)"},
		{"string_for_list", "corpus-files: foo\n", "c.yaml:1: `corpus-files` must be a list of strings, not the string `foo`"},
		{"list_for_string", "fail-on: [high]\n", "c.yaml:1: `fail-on` must be a string, not a list"},
		{"mapping_for_string", "ignore:\n  - name: {a: b}\n    reason: r\n", "c.yaml:2: `ignore[0].name` must be a string, not a mapping"},
		{"number_for_list", "domains: 3\n", "c.yaml:1: `domains` must be a list of strings, not the number `3`"},
		{"list_for_map", "corpus: [a]\n", "c.yaml:1: `corpus` must be a mapping of strings to lists of strings, not a list"},
		{"bad_ecosystem_key", "corpus:\n  npm: [a]\n  cobol: [b]\n", "c.yaml:3: `corpus`: unsupported ecosystem \"cobol\" (want one of npm, pypi, nuget, rubygems, go, crates)"},
		{"not_a_mapping", "- a\n- b\n", "c.yaml:1: the document must be a mapping, not a list"},
		{"merged", "base: &b {fail-on: high}\n", "c.yaml:1: unknown key `base` (valid keys: brands, corpus, corpus-files, domains, fail-on, ignore, serve)"},
		{"merge_brings_unknown", "ignore:\n  - &e {name: x, reason: r}\n  - <<: *e\n    owner: me\n", "c.yaml:4: unknown key `owner` in `ignore[1]` (valid keys: ecosystem, expires, name, reason, rule)"},
		{"merge_of_unknown", "ignore:\n  - &e {name: x, reasn: r}\n", "c.yaml:2: unknown key `reasn` in `ignore[0]` (did you mean `reason`?)"},
		{"merge_list", "ignore:\n  - <<: [{name: x}, {reason: r, ownr: me}]\n", "c.yaml:2: unknown key `ownr` in `ignore[0]` (valid keys: ecosystem, expires, name, reason, rule)"},
		{"bad_fail_on", "\nfail-on: severe\n", "c.yaml:2: `fail-on`: unknown severity \"severe\" (want info, low, medium, high or critical)"},
		{"bad_ignore_ecosystem", "ignore:\n  - name: x\n    reason: r\n    ecosystem: maven\n", "c.yaml:4: `ignore[0].ecosystem`: unsupported ecosystem \"maven\" (want one of npm, pypi, nuget, rubygems, go, crates)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.doc))
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want *record.InputError", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
			if strings.Contains(err.Error(), "config.") || strings.Contains(err.Error(), "[]string") || strings.Count(err.Error(), "c.yaml") != 1 {
				t.Errorf("error %q names a Go type or repeats the file", err)
			}
		})
	}
}

// TestParseValid: what the checker accepts still decodes (empty values,
// aliases, comments).
func TestParseValid(t *testing.T) {
	doc := "fail-on:\nlist: &l [a, b]\n"
	if _, err := Parse("c.yaml", []byte(doc)); err == nil || !strings.Contains(err.Error(), "unknown key `list`") {
		t.Fatalf("err = %v", err)
	}
	c, err := Parse("c.yaml", []byte("fail-on:\ncorpus:\n  npm: &names [a, b]\n  pypi: *names\ndomains: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Corpus["pypi"]) != 2 || c.FailOn != "" {
		t.Errorf("config = %+v", c)
	}
}

// TestCheckNested: keys of nested structs (a pointer to a struct, a
// duration, a number, a boolean, an inline struct), as another section
// such as serve: brings, are checked from their yaml tags alone.
func TestCheckNested(t *testing.T) {
	type limits struct {
		Burst int `yaml:"burst"`
	}
	type server struct {
		Addr    string        `yaml:"addr"`
		Timeout time.Duration `yaml:"timeout"`
		TLS     bool          `yaml:"tls"`
		Limits  *limits       `yaml:"limits"`
		Tags    map[string]int
		limits  `yaml:",inline"`
		Secret  string `yaml:"-"`
	}
	type doc struct {
		Serve *server `yaml:"serve"`
	}
	tests := []struct{ name, doc, want string }{
		{"ok", "serve:\n  addr: :8080\n  timeout: 30s\n  tls: true\n  limits: {burst: 3}\n  tags: {a: 1}\n  burst: 2\n", ""},
		{"typo", "serve:\n  adr: :8080\n", "s.yaml:2: unknown key `adr` in `serve` (did you mean `addr`?)"},
		{"deeper", "serve:\n  limits:\n    bursts: 3\n", "s.yaml:3: unknown key `bursts` in `serve.limits` (did you mean `burst`?)"},
		{"hidden", "serve:\n  secret: x\n", "s.yaml:2: unknown key `secret` in `serve` (valid keys: addr, burst, limits, tags, timeout, tls)"},
		{"duration", "serve:\n  timeout: soon\n", "s.yaml:2: `serve.timeout` must be a duration such as 30s or 5m, not the string `soon`"},
		{"bool", "serve:\n  tls: maybe\n", "s.yaml:2: `serve.tls` must be true or false, not the string `maybe`"},
		{"int", "serve:\n  limits: {burst: many}\n", "s.yaml:2: `serve.limits.burst` must be a whole number, not the string `many`"},
		{"map_value", "serve:\n  tags: {a: x}\n", "s.yaml:2: `serve.tags.a` must be a whole number, not the string `x`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var root yaml.Node
			if err := yaml.Unmarshal([]byte(tt.doc), &root); err != nil {
				t.Fatal(err)
			}
			err := checkDocument("s.yaml", &root, reflect.TypeFor[doc]())
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestCheckAliasBomb: aliases of aliases are expanded at most maxNodes
// times.
func TestCheckAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 8; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(b.String()), &root); err != nil {
		t.Skip("yaml refuses the document itself:", err)
	}
	type deep struct {
		A0 []string               `yaml:"a0"`
		A1 [][]string             `yaml:"a1"`
		A2 [][][]string           `yaml:"a2"`
		A3 [][][][]string         `yaml:"a3"`
		A4 [][][][][]string       `yaml:"a4"`
		A5 [][][][][][]string     `yaml:"a5"`
		A6 [][][][][][][]string   `yaml:"a6"`
		A7 [][][][][][][][]string `yaml:"a7"`
	}
	err := checkDocument("b.yaml", &root, reflect.TypeFor[deep]())
	if err == nil || !strings.Contains(err.Error(), "aliases expanded") {
		t.Errorf("err = %v", err)
	}
}
