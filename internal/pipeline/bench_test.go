package pipeline

import (
	"context"
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// BenchmarkJudgeName measures the engine's whole name check (every
// analyzer, suppression, verdict) on names of the PyPI corpus and variants
// of them, as sweep and the gate run it: it must stay well under 5 µs a
// name.
func BenchmarkJudgeName(b *testing.B) {
	eng, err := Build(context.Background(), Config{Ecosystems: []ecosystem.Ecosystem{ecosystem.PyPI}})
	if err != nil {
		b.Fatal(err)
	}
	c, err := corpus.Embedded(ecosystem.PyPI)
	if err != nil {
		b.Fatal(err)
	}
	var pkgs []record.Package
	for i, e := range c.Entries[:2000] {
		name := e.Name
		if i%2 == 1 {
			name = "py" + e.Name + "x"
		}
		pkgs = append(pkgs, record.Package{Ecosystem: ecosystem.PyPI, Name: name})
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		eng.Judge(&pkgs[i%len(pkgs)])
		i++
	}
}
