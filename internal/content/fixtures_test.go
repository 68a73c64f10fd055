package content

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/record"
)

func fixtureFindings(t *testing.T, a *Analyzer, dir string) []record.Finding {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/%s: %v", dir, err)
	}
	var out []record.Finding
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a.Analyze(&record.Package{Name: "pkg", Readme: string(b)})...)
	}
	return out
}

// TestFixtures: every spam README is flagged by lure-text, most of them
// high; no honest README is blocked. With the fake judge and with the real
// domain engine.
func TestFixtures(t *testing.T) {
	for name, a := range map[string]*Analyzer{"fake judge": NewWithJudge(&fakeJudge{}), "domain engine": New(domain.New(nil))} {
		t.Run(name, func(t *testing.T) {
			spam, _ := filepath.Glob(filepath.Join("testdata", "spam", "*.md"))
			high := 0
			for _, f := range spam {
				b, _ := os.ReadFile(f)
				fs := a.Analyze(&record.Package{Name: "pkg", Readme: string(b)})
				l := find(fs, RuleLure)
				switch {
				case l == nil:
					t.Errorf("%s: no lure-text finding (%v)", f, rules(fs))
				case l.Severity >= record.High:
					high++
				default:
					t.Logf("%s: lure-text %s", f, l.Severity)
				}
			}
			if high*10 < len(spam)*8 {
				t.Errorf("%d of %d spam fixtures high, want at least 80%%", high, len(spam))
			}
			honest, _ := filepath.Glob(filepath.Join("testdata", "honest", "*.md"))
			for _, f := range honest {
				b, _ := os.ReadFile(f)
				for _, x := range a.Analyze(&record.Package{Name: "pkg", Readme: string(b)}) {
					if x.Severity >= record.High {
						t.Errorf("%s: blocked by %s %s: %s", f, x.Rule, x.Severity, x.Message)
					}
				}
			}
		})
	}
}
