package main

import (
	"io"
	"strings"
	"testing"
)

// TestHonestProjects runs the name rules over the dependencies of the
// well-known projects in testdata (all honest): none may be blocked, and
// at most 0.5% warned.
func TestHonestProjects(t *testing.T) {
	projects, err := load([]string{"testdata"})
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) < 20 {
		t.Fatalf("only %d projects in testdata", len(projects))
	}
	a, err := analyzer()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	s := evaluate(a, projects, &out, true)
	if s.deps < 5000 {
		t.Fatalf("only %d dependencies", s.deps)
	}
	if s.blocked > 0 || float64(s.warned) > 0.005*float64(s.deps) {
		t.Errorf("%d of %d honest dependencies blocked, %d warned:\n%s", s.blocked, s.deps, s.warned, out.String())
	}
}

func TestParseList(t *testing.T) {
	p, err := parseList("x", strings.NewReader("# a comment\n# ecosystem: npm\nreact\n\nvite\n"))
	if err != nil || len(p.deps) != 2 || p.deps[1].name != "vite" || p.deps[0].eco != "npm" {
		t.Fatalf("parseList = %+v, %v", p, err)
	}
	for _, bad := range []string{"react\n", "# ecosystem: cobol\nx\n"} {
		if _, err := parseList("x", strings.NewReader(bad)); err == nil {
			t.Errorf("parseList(%q): no error", bad)
		}
	}
}

func FuzzParseList(f *testing.F) {
	f.Add("# ecosystem: go\ngolang.org/x/net\n")
	f.Add("# ecosystem: npm\n@types/node\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseList("fuzz", io.LimitReader(strings.NewReader(s), maxList))
		if err != nil {
			return
		}
		for _, d := range p.deps {
			if d.name == "" || d.eco == "" {
				t.Fatalf("empty dependency in %+v", p)
			}
		}
	})
}
