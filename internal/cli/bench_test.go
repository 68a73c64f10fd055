package cli

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// BenchmarkSweepPyPI measures sweep end to end inside the process (index
// build, reading, judging, JSON Lines), over 150,000 names derived from
// the PyPI corpus: the names themselves and variants that are mostly not
// in it, as a namespace sweep sees. The whole-namespace figure (886k names
// as a separate process) is measured by ../shared/tools/measure.py speed.
func BenchmarkSweepPyPI(b *testing.B) {
	c, err := corpus.Embedded(ecosystem.PyPI)
	if err != nil {
		b.Fatal(err)
	}
	var in bytes.Buffer
	for i := 0; in.Len() < 1<<30 && i < 150000; i++ {
		e := c.Entries[i%len(c.Entries)]
		switch i / len(c.Entries) {
		case 0:
			in.WriteString(e.Name)
		case 1:
			in.WriteString(e.Name + "-helpers")
		case 2:
			in.WriteString("py" + e.Name + "x")
		default:
			in.WriteString(e.Name[:len(e.Name)/2] + "-tools-" + e.Name[len(e.Name)/2:])
		}
		in.WriteByte('\n')
	}
	data := in.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		code := Run(context.Background(), []string{"sweep", "--ecosystem", "pypi"}, IO{In: bytes.NewReader(data), Out: io.Discard, Err: io.Discard})
		if code == ExitError {
			b.Fatal("sweep failed")
		}
	}
	b.ReportMetric(150000, "names/op")
}
