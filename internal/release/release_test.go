package release

import (
	"context"
	"testing"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/codescan"
	"github.com/pkgward/pkgward/internal/record"
)

func side(t *testing.T, dir string) Side {
	t.Helper()
	tr, err := artifact.Open(context.Background(), dir, artifact.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return Side{Tree: tr, Findings: codescan.Scan(tr, codescan.DefaultRules())}
}

// TestHijackedRelease mimics the September 2025 chalk/debug compromise:
// the hijacked release is the honest one plus injected wallet-hijacking
// code. The diff must report that code and nothing else.
func TestHijackedRelease(t *testing.T) {
	fs := Compare(side(t, "testdata/chalk-5.6.0"), side(t, "testdata/chalk-5.6.1"))
	if len(fs) == 0 {
		t.Fatal("no finding on the hijacked release")
	}
	wallet := false
	for _, f := range fs {
		if f.Rule != RuleNewFinding {
			t.Errorf("unexpected finding %s: %s", f.Rule, f.Message)
			continue
		}
		if f.Evidence["file"] != "index.js" {
			t.Errorf("finding outside the injected file: %+v", f.Evidence)
		}
		if f.Evidence["rule"] == "wallet-address-swap" && f.Severity == record.Critical {
			wallet = true
		}
	}
	if !wallet {
		t.Errorf("the wallet-address swap was not reported as critical: %+v", fs)
	}
}

// TestHonestRelease: the same release against itself reports nothing.
func TestHonestRelease(t *testing.T) {
	s := side(t, "testdata/chalk-5.6.0")
	if fs := Compare(s, side(t, "testdata/chalk-5.6.0")); len(fs) != 0 {
		t.Errorf("identical releases: %+v", fs)
	}
}

func TestStructuralChanges(t *testing.T) {
	old := &artifact.Tree{Package: record.Package{
		Scripts:      map[string]string{"test": "node t.js"},
		Authors:      []record.Person{{Name: "a", Email: "a@example.com"}},
		Dependencies: []record.Dependency{{Name: "x", Version: "1"}},
	}}
	cur := &artifact.Tree{
		Package: record.Package{
			Scripts:      map[string]string{"test": "node t.js", "postinstall": "node setup.js"},
			Authors:      []record.Person{{Name: "b", Email: "b@example.net"}},
			Dependencies: []record.Dependency{{Name: "x", Version: "1"}, {Name: "y", Version: "2"}},
		},
		Files: []artifact.File{
			{Path: "setup.js", Data: []byte("fetch('https://collector.example.net/x')"), Size: 40},
			{Path: "bin/tool", Binary: true, Size: 5000},
		},
	}
	got := map[string]bool{}
	for _, f := range Compare(Side{Tree: old}, Side{Tree: cur}) {
		got[f.Rule] = true
	}
	for _, r := range []string{RuleScriptAdded, RuleMaintainers, RuleNewDependency, RuleNewEndpoint, RuleNewBinary} {
		if !got[r] {
			t.Errorf("%s not reported; got %v", r, got)
		}
	}
}
