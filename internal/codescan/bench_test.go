package codescan

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/artifact"
)

// benchTree builds about size bytes of mixed source: the code files of the
// benign fixtures (JavaScript, a minified bundle, Python, PowerShell,
// Ruby, shell, MSBuild, Rust), each repeated into ~64 KiB files with
// lines of random identifiers, strings and comments in between.
func benchTree(tb testing.TB, size int) *artifact.Tree {
	tb.Helper()
	type src struct {
		path string
		data []byte
		lang lang
	}
	var srcs []src
	err := filepath.WalkDir("testdata/benign", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// The twin of obfuscator-identifiers is kept just under the rule's
		// count: repeated, it would cross it.
		if strings.Contains(filepath.ToSlash(p), "/obfuscator-identifiers/") {
			return nil
		}
		if l := detectLang(p, data, bytes.IndexByte(data, 0) >= 0); l != langNone && l != langBinary {
			rel, _ := filepath.Rel("testdata/benign", p)
			srcs = append(srcs, src{filepath.ToSlash(rel), data, l})
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	ident := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
		n := 3 + rnd.IntN(12)
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[rnd.IntN(len(letters))]
		}
		return string(b)
	}
	comment := map[lang]string{langJS: "//", langRust: "//", langPython: "#", langRuby: "#", langShell: "#", langPowerShell: "#", langBatch: "REM", langMSBuild: "<!--"}
	tr := &artifact.Tree{Format: "dir"}
	total := 0
	for i := 0; total < size; i++ {
		s := srcs[i%len(srcs)]
		var buf bytes.Buffer
		for buf.Len() < 64<<10 {
			buf.Write(s.data)
			for k := 0; k < 20; k++ {
				switch rnd.IntN(3) {
				case 0:
					fmt.Fprintf(&buf, "%s = %s(%s, %d)\n", ident(), ident(), ident(), rnd.IntN(1000))
				case 1:
					fmt.Fprintf(&buf, "%s.%s(\"%s %s %s\")\n", ident(), ident(), ident(), ident(), ident())
				default:
					fmt.Fprintf(&buf, "%s %s %s %s\n", comment[s.lang], ident(), ident(), ident())
				}
			}
		}
		tr.Files = append(tr.Files, artifact.File{Path: fmt.Sprintf("src/%d/%s", i, s.path), Size: int64(buf.Len()), Data: buf.Bytes()})
		total += buf.Len()
	}
	return tr
}

func treeBytes(t *artifact.Tree) int64 {
	var n int64
	for _, f := range t.Files {
		n += int64(len(f.Data))
	}
	return n
}

// BenchmarkScan scans ~50 MB of mixed benign source per iteration; MB/s is
// the figure to watch (target: 100 MB/s or more on one core).
func BenchmarkScan(b *testing.B) {
	tr := benchTree(b, 50<<20)
	rs := DefaultRules()
	b.SetBytes(treeBytes(tr))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Scan(tr, rs)
	}
}

// BenchmarkScanSmallPackage is one typical small npm package (a few files).
func BenchmarkScanSmallPackage(b *testing.B) {
	tr := treeFromDir(b, "testdata/malicious/shai-hulud-worm")
	rs := DefaultRules()
	b.SetBytes(treeBytes(tr))
	b.ReportAllocs()
	for b.Loop() {
		Scan(tr, rs)
	}
}

func TestBenchTreeIsQuiet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 4 MB of source")
	}
	tr := benchTree(t, 4<<20)
	for _, f := range Scan(tr, DefaultRules()) {
		if f.Severity >= 1 {
			t.Errorf("benign benchmark source fires %s %s: %s", f.Severity, f.Rule, f.Message)
		}
	}
}
