package stream

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// counter yields 0, 1, …, n-1, then io.EOF (or err, when set).
func counter(n int, err error) func() (int, error) {
	i := 0
	return func() (int, error) {
		if i == n {
			if err != nil {
				return 0, err
			}
			return 0, io.EOF
		}
		i++
		return i - 1, nil
	}
}

func TestMapOrder(t *testing.T) {
	for _, tc := range []struct {
		name           string
		n, batch, wrks int
	}{
		{"empty", 0, 4, 2},
		{"one partial batch", 3, 4, 2},
		{"many batches, many workers", 10_000, 7, 8},
		{"one worker", 1000, 16, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			err := Map(context.Background(), Options{Workers: tc.wrks}, tc.batch, counter(tc.n, nil),
				func(_ context.Context, i int) int {
					if i%3 == 0 { // uneven work: later batches overtake
						time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond)
					}
					return i * 2
				},
				func(o int) error { got = append(got, o); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.n {
				t.Fatalf("%d outcomes, want %d", len(got), tc.n)
			}
			for i, o := range got {
				if o != i*2 {
					t.Fatalf("outcome %d is %d, want %d: out of order", i, o, i*2)
				}
			}
		})
	}
}

// Items are per-item outcomes, errors included; a read error ends the run
// after every item read before it.
func TestMapItemAndReadErrors(t *testing.T) {
	type out struct {
		v   int
		err error
	}
	readErr := errors.New("disk gone")
	var got []out
	err := Map(context.Background(), Options{Workers: 3}, 4, counter(10, readErr),
		func(_ context.Context, i int) out {
			if i%4 == 1 {
				return out{err: errors.New("bad item")}
			}
			return out{v: i}
		},
		func(o out) error { got = append(got, o); return nil })
	if !errors.Is(err, readErr) {
		t.Fatalf("err = %v, want the read error", err)
	}
	if len(got) != 10 {
		t.Fatalf("%d outcomes before the read error, want all 10", len(got))
	}
	for i, o := range got {
		if (i%4 == 1) != (o.err != nil) || (o.err == nil && o.v != i) {
			t.Errorf("outcome %d = %+v", i, o)
		}
	}
}

func TestEmitErrorStops(t *testing.T) {
	stop := errors.New("writer closed")
	var emitted, read atomic.Int64
	next := func() (int, error) { return int(read.Add(1)), nil } // endless
	err := Map(context.Background(), Options{Workers: 2, InFlight: 4}, 8, next,
		func(_ context.Context, i int) int { return i },
		func(int) error {
			if emitted.Add(1) == 20 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the emit error", err)
	}
	if emitted.Load() != 20 {
		t.Errorf("emitted %d after the error, want it to stop at 20", emitted.Load())
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var emitted atomic.Int64
	var sawDone atomic.Bool
	next := func() (int, error) { return 0, nil } // endless
	errc := make(chan error, 1)
	go func() {
		errc <- Map(ctx, Options{Workers: 2}, 16, next,
			func(ctx context.Context, i int) int {
				if ctx.Err() != nil {
					sawDone.Store(true)
				}
				return i
			},
			func(int) error {
				if emitted.Add(1) == 100 {
					cancel()
				}
				return nil
			})
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Map did not return after cancellation")
	}
	if n := emitted.Load(); n < 100 || n > 100+15 {
		t.Errorf("%d emitted: nothing may be emitted after the batch that saw the cancellation", n)
	}
	_ = sawDone.Load() // workers may or may not have seen it: both are fine
}

// However slow the first batch, no more than InFlight batches are read
// ahead of the writer.
func TestInFlightBound(t *testing.T) {
	const inflight, batch = 3, 5
	var read, emitted atomic.Int64
	var maxAhead atomic.Int64
	release := make(chan struct{})
	next := func() (int, error) {
		n := read.Add(1)
		if n > 200 {
			return 0, io.EOF
		}
		if ahead := n - emitted.Load(); ahead > maxAhead.Load() {
			maxAhead.Store(ahead)
		}
		return int(n - 1), nil
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		close(release)
	}()
	err := Map(context.Background(), Options{Workers: 2, InFlight: inflight}, batch, next,
		func(_ context.Context, i int) int {
			if i == 0 {
				<-release // the first item holds up every later one
			}
			return i
		},
		func(int) error { emitted.Add(1); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if emitted.Load() != 200 {
		t.Fatalf("emitted %d, want 200", emitted.Load())
	}
	// The batches in flight, plus the one being filled.
	if limit := int64((inflight + 1) * batch); maxAhead.Load() > limit {
		t.Errorf("%d items read ahead of the writer, bound is %d", maxAhead.Load(), limit)
	}
	if maxAhead.Load() < int64(inflight*batch) {
		t.Errorf("only %d items read ahead: the reader should fill the bound (%d) while one batch is slow", maxAhead.Load(), inflight*batch)
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{}.norm()
	if o.Workers < 1 || o.InFlight != 4*o.Workers {
		t.Errorf("defaults %+v", o)
	}
	if o := (Options{Workers: 8, InFlight: 2}).norm(); o.InFlight != 8 {
		t.Errorf("InFlight below Workers: %+v, want raised to 8", o)
	}
}

func BenchmarkMap(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var sum int
		err := Map(context.Background(), Options{}, 1024, counter(100_000, nil),
			func(_ context.Context, i int) int { return i & 7 },
			func(o int) error { sum += o; return nil })
		if err != nil || sum != 350_000 {
			b.Fatal(err, sum)
		}
	}
	b.ReportMetric(100_000, "items/op")
}
