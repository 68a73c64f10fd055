package codescan

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"testing"

	stdctx "context"
	"github.com/pkgward/pkgward/internal/artifact"
)

var bgctx = stdctx.Background()

// BenchmarkReadAndScan measures the whole archive pipeline on one core:
// decompressing and reading a ~50 MB npm tarball of mixed source with the
// safe reader, then every code rule over it (target: >= 100 MB/s of
// unpacked source).
func BenchmarkReadAndScan(b *testing.B) {
	src := benchTree(b, 50<<20)
	var raw bytes.Buffer
	zw := gzip.NewWriter(&raw)
	tw := tar.NewWriter(zw)
	total := 0
	for _, f := range src.Files {
		tw.WriteHeader(&tar.Header{Name: "package/" + f.Path, Mode: 0o644, Size: int64(len(f.Data)), Typeflag: tar.TypeReg})
		tw.Write(f.Data)
		total += len(f.Data)
	}
	tw.Close()
	zw.Close()
	rs := DefaultRules()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for b.Loop() {
		t, err := artifact.Read(bgctx, "bench.tgz", bytes.NewReader(raw.Bytes()), artifact.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		Scan(t, rs)
	}
}
