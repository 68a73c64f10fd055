package campaign

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/record"
)

// benchRecords is 150,000 records: 146,000 honest-looking (varied READMEs,
// prolific authors, monorepo families) and two spam campaigns of 2,000.
func benchRecords(b *testing.B) []record.Package {
	b.Helper()
	honest := spamgen.Honest(spamgen.HonestConfig{N: 146_000, Seed: 1})
	c1 := spamgen.Campaign(spamgen.Config{N: 2000, Seed: 1})
	c2 := spamgen.Campaign(spamgen.Config{N: 2000, Seed: 2, Start: time.Date(2023, 2, 1, 0, 0, 0, 0, time.UTC)})
	out := make([]record.Package, 0, 150_000)
	out = append(out, honest[:50_000]...)
	out = append(out, c1...)
	out = append(out, honest[50_000:100_000]...)
	out = append(out, c2...)
	out = append(out, honest[100_000:]...)
	return out
}

// BenchmarkCluster150k signs and clusters 150,000 records (one
// goroutine). Reported: ns/op, and peak-heap-MB, the highest heap in use
// above the records themselves while signing and clustering (sampled
// every millisecond).
func BenchmarkCluster150k(b *testing.B) {
	recs := benchRecords(b)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				mu.Lock()
				peak = max(peak, m.HeapInuse)
				mu.Unlock()
			}
		}
	}()
	b.ResetTimer()
	var res *Result
	for b.Loop() {
		bl := NewBuilder(DefaultOptions())
		for i := range recs {
			bl.Add(&recs[i])
		}
		var err error
		if res, err = bl.Cluster(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	mu.Lock()
	b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-heap-MB")
	mu.Unlock()
	b.ReportMetric(float64(len(res.Campaigns)), "campaigns")
	b.ReportMetric(float64(res.Members()), "members")
	b.ReportMetric(float64(len(res.Families)), "families")
}
