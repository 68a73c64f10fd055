package artifact

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// npmTarball generates an npm tarball of about size bytes of JavaScript-like
// text in files of 25 KB (compressing about 4:1, as real code does).
func npmTarball(tb testing.TB, size int) (data []byte, uncompressed int64) {
	words := strings.Fields("function return const let var if else for while this module exports require " +
		"async await new class extends null undefined true false typeof instanceof switch case break default " +
		"options callback error result value index length push map filter reduce promise resolve reject")
	rnd := rand.New(rand.NewPCG(7, 7))
	entries := []ent{file("package/package.json", `{"name":"bench","version":"1.0.0","scripts":{"test":"x"}}`)}
	for i := 0; int(uncompressed) < size; i++ {
		var b strings.Builder
		for b.Len() < 25<<10 {
			b.WriteString(words[rnd.IntN(len(words))])
			if rnd.IntN(8) == 0 {
				fmt.Fprintf(&b, "_%d;\n", rnd.IntN(1000))
			} else {
				b.WriteByte(' ')
			}
		}
		entries = append(entries, file(fmt.Sprintf("package/lib/m%04d.js", i), b.String()))
		uncompressed += int64(b.Len())
	}
	return tgzOf(tb, entries...), uncompressed
}

func BenchmarkReadNPM(b *testing.B) {
	data, n := npmTarball(b, 10<<20)
	b.SetBytes(n)
	b.ResetTimer()
	for b.Loop() {
		tree, err := Read(context.Background(), "bench-1.0.0.tgz", bytes.NewReader(data), Limits{})
		if err != nil || len(tree.Files) < 400 {
			b.Fatal(err, len(tree.Files))
		}
	}
	b.ReportMetric(float64(n)/float64(len(data)), "ratio")
}
