package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// BenchmarkSaveCheckParallel measures group-committed saves from many
// goroutines on SQLite (synchronous=FULL, so every commit is fsynced).
func BenchmarkSaveCheckParallel(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if _, err := s.SaveCheck(context.Background(), pkgCheck(fmt.Sprintf("b%d", i), "1", record.Warn, t0, "typosquat")); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
