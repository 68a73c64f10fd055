package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/record"
)

func testSeries(t *testing.T, s Store) {
	ctx := context.Background()
	save(t, s, pkgCheck("s1", "1", record.Allow, t0))
	save(t, s, pkgCheck("s2", "1", record.Block, t0.Add(30*time.Minute)))
	save(t, s, pkgCheck("s3", "1", record.Block, t0.Add(59*time.Minute)))
	save(t, s, pkgCheck("s4", "1", record.Warn, t0.Add(2*time.Hour+time.Second)))
	save(t, s, pkgCheck("early", "1", record.Block, t0.Add(-time.Second)))
	save(t, s, pkgCheck("late", "1", record.Block, t0.Add(3*time.Hour)))
	got, err := s.Series(ctx, SeriesQuery{Since: t0, Step: time.Hour, Buckets: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []map[record.Verdict]int64{
		{record.Allow: 1, record.Block: 2},
		{},
		{record.Warn: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("%d buckets", len(got))
	}
	for i, b := range got {
		if !b.Start.Equal(t0.Add(time.Duration(i) * time.Hour)) {
			t.Errorf("bucket %d starts %v", i, b.Start)
		}
		if len(b.ByVerdict) != len(want[i]) {
			t.Errorf("bucket %d: %v, want %v", i, b.ByVerdict, want[i])
		}
		for v, n := range want[i] {
			if b.ByVerdict[v] != n {
				t.Errorf("bucket %d: %v, want %v", i, b.ByVerdict, want[i])
			}
		}
	}
	if got[0].Total() != 3 {
		t.Errorf("total %d", got[0].Total())
	}
	for _, q := range []SeriesQuery{{Step: time.Hour, Buckets: 1}, {Since: t0, Step: time.Millisecond, Buckets: 1}, {Since: t0, Step: time.Hour, Buckets: MaxBuckets + 1}} {
		if _, err := s.Series(ctx, q); !errors.Is(err, ErrInvalid) {
			t.Errorf("Series(%+v) = %v, want ErrInvalid", q, err)
		}
	}
}
