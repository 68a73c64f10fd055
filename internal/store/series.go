package store

import (
	"context"
	"fmt"
	"time"

	"github.com/pkgward/pkgward/internal/record"
)

// SeriesQuery selects checks over time.
type SeriesQuery struct {
	Since time.Time     // the first bucket starts here (required)
	Step  time.Duration // each bucket's width (at least a second)
	// Buckets is how many buckets to return, at most MaxBuckets.
	Buckets int
}

// MaxBuckets bounds a series.
const MaxBuckets = 1000

// Bucket counts the checks of one stretch of time by verdict.
type Bucket struct {
	Start     time.Time
	ByVerdict map[record.Verdict]int64
}

// Total is the bucket's count of every verdict.
func (b Bucket) Total() int64 {
	var n int64
	for _, v := range b.ByVerdict {
		n += v
	}
	return n
}

func (s *sqlStore) Series(ctx context.Context, q SeriesQuery) ([]Bucket, error) {
	if q.Since.IsZero() || q.Step < time.Second || q.Buckets <= 0 || q.Buckets > MaxBuckets {
		return nil, fmt.Errorf("%w: series needs a start, a step of at least 1s and 1 to %d buckets", ErrInvalid, MaxBuckets)
	}
	since, step := us(q.Since), q.Step.Microseconds()
	until := since + step*int64(q.Buckets)
	out := make([]Bucket, q.Buckets)
	for i := range out {
		out[i] = Bucket{Start: fromUS(since + step*int64(i)), ByVerdict: map[record.Verdict]int64{}}
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT (checked_at - $1) / $2, verdict, COUNT(*) FROM checks
		WHERE checked_at >= $1 AND checked_at < $3 GROUP BY 1, 2`), since, step, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b int64
		var v record.Verdict
		var n int64
		if err := rows.Scan(&b, &v, &n); err != nil {
			return nil, err
		}
		if b >= 0 && b < int64(len(out)) {
			out[b].ByVerdict[v] += n
		}
	}
	return out, rows.Err()
}
