package store

import (
	"context"
	"database/sql"
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

func testAdvanceFeed(t *testing.T, s Store) {
	ctx := context.Background()
	qs, ok := s.(QueueStore)
	if !ok {
		t.Fatal("the store is not a QueueStore")
	}
	poll := t0.Add(time.Minute)
	boom := errors.New("enqueue failed")
	if err := qs.AdvanceFeed(ctx, FeedAdvance{Ecosystem: "npm", Cursor: "5", LastPoll: poll}, func(*sql.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("a failed enqueue: %v", err)
	}
	if _, err := qs.FeedCursor(ctx, "npm"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a failed enqueue stored the cursor: %v", err)
	}
	ran := false
	gap := &FeedGap{From: "900", To: "17", Reason: "reset"}
	if err := qs.AdvanceFeed(ctx, FeedAdvance{Ecosystem: "npm", Cursor: "17", LastPoll: poll, Errors: 1, Gap: gap}, func(tx *sql.Tx) error {
		ran = tx != nil
		return nil
	}); err != nil || !ran {
		t.Fatalf("advance: %v (enqueue ran: %v)", err, ran)
	}
	f, err := qs.FeedCursor(ctx, "npm")
	if err != nil || f.Cursor != "17" || f.Errors != 1 {
		t.Fatalf("cursor %+v %v", f, err)
	}
	gaps, err := qs.FeedGaps(ctx, "", 10)
	if err != nil || len(gaps) != 1 || gaps[0].From != "900" || gaps[0].Reason != "reset" || gaps[0].Ecosystem != "npm" {
		t.Fatalf("gaps %+v %v", gaps, err)
	}
	if gaps, _ := qs.FeedGaps(ctx, "pypi", 10); len(gaps) != 0 {
		t.Errorf("pypi gaps %+v", gaps)
	}
	if qs.DB() == nil || (qs.Dialect() != DialectSQLite && qs.Dialect() != DialectPostgres) {
		t.Errorf("DB %v dialect %q", qs.DB(), qs.Dialect())
	}
}
