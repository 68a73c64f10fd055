package content

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

func TestDefaultPhrases(t *testing.T) {
	p := DefaultPhrases()
	if len(p.List) < 300 {
		t.Fatalf("default phrase set has %d phrases, want hundreds", len(p.List))
	}
	roles := map[Role]bool{}
	for _, c := range p.Categories {
		for _, n := range roleNames {
			if c.Roles&n.role != 0 {
				roles[n.role] = true
			}
		}
	}
	for _, n := range roleNames {
		if !roles[n.role] {
			t.Errorf("no default category has role %s", n.name)
		}
	}
	for _, ph := range p.List {
		if ph.Norm != Normalize(ph.Text) {
			t.Errorf("%s: Norm %q is not Normalize(%q)", ph.Source, ph.Norm, ph.Text)
		}
	}
}

func TestParsePhrasesErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		line           int
	}{
		{"unknown category", "x 1 free", "unknown category", 1},
		{"bad weight", "@category c object t\nc heavy free", "weight", 2},
		{"zero weight", "@category c object t\nc 0 free", "weight", 2},
		{"weight over 10", "@category c object t\nc 11 free", "weight", 2},
		{"unknown role", "@category c villain t", "unknown role", 1},
		{"bad category name", "@category C! object", "category name", 1},
		{"category twice", "@category c object\n@category c hook", "declared twice", 2},
		{"short category", "@category c", "@category NAME ROLES", 1},
		{"short phrase line", "@category c object\nc 1", "CATEGORY WEIGHT PHRASE", 2},
		{"duplicate phrase", "@category c object\nc 1 free robux\nc 2 Free-Robux", "repeats", 3},
		{"no letters", "@category c object\nc 1 ***", "no letters", 2},
		{"non latin", "@category c object\nc 1 免费", "only Latin", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePhrases("user.txt", []byte(tt.in))
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *record.InputError", err)
			}
			if ie.File != "user.txt" || ie.Line != tt.line || !strings.Contains(ie.Msg, tt.want) {
				t.Errorf("err = %v, want user.txt:%d: …%s…", err, tt.line, tt.want)
			}
		})
	}
}

func TestMergeAndWithPhrases(t *testing.T) {
	merged, err := ExtendPhrases("user.txt", []byte(`
# a new object category and a heavier weight for an existing phrase
@category rigs object mining rigs
rigs 3 free mining rig
free 2 free
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ExtendPhrases("user.txt", []byte("@category free hook again")); err == nil {
		t.Error("ExtendPhrases accepted a default category declared again")
	}
	if len(merged.List) != len(DefaultPhrases().List)+1 {
		t.Errorf("merged has %d phrases, want %d", len(merged.List), len(DefaultPhrases().List)+1)
	}
	a := NewWithJudge(nil, WithPhrases(merged))
	fs := a.Analyze(&record.Package{Name: "x", Description: "Get a free mining rig now, limited time"})
	if f := find(fs, RuleLure); f == nil {
		t.Errorf("user phrase not used: %v", fs)
	}
	if fs := NewWithJudge(nil).Analyze(&record.Package{Name: "x", Description: "Get a free mining rig now, limited time"}); find(fs, RuleLure) != nil {
		t.Errorf("default model fires on the user's phrase: %v", fs)
	}

	conflict, _ := ParsePhrases("c.txt", []byte("@category free object other roles"))
	if _, err := DefaultPhrases().Merge(conflict); err == nil {
		t.Error("Merge accepted a category redeclared with other roles")
	}
}

// TestMatcherAgainstNaive checks the automaton against a naive search.
func TestMatcherAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	alpha := "ab c"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
		}
		return string(b)
	}
	for round := 0; round < 200; round++ {
		var pats []string
		seen := map[string]bool{}
		for len(pats) < 1+r.IntN(12) {
			p := word(1 + r.IntN(5))
			if !seen[p] {
				seen[p] = true
				pats = append(pats, p)
			}
		}
		text := []byte(word(r.IntN(80)))
		m := newMatcher(pats)
		got := map[[3]int]bool{}
		m.scan(text, func(p, s, e int) bool {
			got[[3]int{p, s, e}] = true
			return true
		})
		want := map[[3]int]bool{}
		for id, p := range pats {
			for s := 0; s+len(p) <= len(text); s++ {
				if string(text[s:s+len(p)]) == p {
					want[[3]int{id, s, s + len(p)}] = true
				}
			}
		}
		if len(got) != len(want) {
			t.Fatalf("patterns %q text %q: %d matches, want %d", pats, text, len(got), len(want))
		}
		for k := range want {
			if !got[k] {
				t.Fatalf("patterns %q text %q: missing %v", pats, text, k)
			}
		}
	}
}

func find(fs []record.Finding, rule string) *record.Finding {
	for i := range fs {
		if fs[i].Rule == rule {
			return &fs[i]
		}
	}
	return nil
}
