package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkInspect10MB measures `pkgward inspect` end to end on a 10 MB
// npm tarball (target: under 0.5 s): reading the archive safely, every
// code rule, and the package checks, including building the npm index.
func BenchmarkInspect10MB(b *testing.B) {
	var raw bytes.Buffer
	zw := gzip.NewWriter(&raw)
	tw := tar.NewWriter(zw)
	add := func(name string, data []byte) {
		tw.WriteHeader(&tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	add("package.json", []byte(`{"name":"bench-pkg","version":"1.0.0","description":"a benchmark package","dependencies":{"lodash":"^4.17.21"}}`))
	rng := rand.New(rand.NewPCG(1, 2))
	total := 0
	for i := 0; total < 10<<20; i++ {
		var src bytes.Buffer
		for src.Len() < 64<<10 {
			fmt.Fprintf(&src, "function f%d_%d(a, b) {\n  // adds two values\n  const s = 'value-%d';\n  return a + b + s.length * %d;\n}\nmodule.exports.f%d_%d = f%d_%d;\n",
				i, rng.IntN(1e6), rng.IntN(1e6), rng.IntN(100), i, src.Len(), i, src.Len())
		}
		add(fmt.Sprintf("lib/m%03d.js", i), src.Bytes())
		total += src.Len()
	}
	tw.Close()
	zw.Close()
	path := filepath.Join(b.TempDir(), "bench-pkg-1.0.0.tgz")
	if err := os.WriteFile(path, raw.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	for b.Loop() {
		if code := Run(context.Background(), []string{"inspect", path}, IO{In: bytes.NewReader(nil), Out: io.Discard, Err: io.Discard}); code != ExitOK {
			b.Fatalf("inspect exit %d", code)
		}
	}
}
