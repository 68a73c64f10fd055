package stream

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"
)

// Options bound a run.
type Options struct {
	// Workers is the number of goroutines judging batches (0: GOMAXPROCS).
	Workers int
	// InFlight bounds the batches between read and emit: read, being
	// judged, or judged and waiting for an earlier batch (0: 4×Workers;
	// never fewer than Workers).
	InFlight int
}

func (o Options) norm() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.InFlight <= 0 {
		o.InFlight = 4 * o.Workers
	}
	o.InFlight = max(o.InFlight, o.Workers)
	return o
}

type seqd[B any] struct {
	seq int
	b   B
}

// Ordered runs work on every batch that read sends, in opt.Workers
// goroutines, and calls emit on each batch in the order read sent them,
// from the calling goroutine. send blocks while opt.InFlight batches are
// between read and emit, and fails once the run is stopped; read should
// then return.
//
// It returns, in this order of precedence: the first error of emit (which
// stops the run), ctx's cause when ctx is done (nothing is emitted after
// that), or read's error (every batch sent before it is emitted first).
func Ordered[B any](ctx context.Context, opt Options, read func(ctx context.Context, send func(B) error) error, work func(ctx context.Context, b B), emit func(b B) error) error {
	opt = opt.norm()
	parent := ctx
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	slots := make(chan struct{}, opt.InFlight)
	todo := make(chan seqd[B])
	done := make(chan seqd[B], opt.InFlight) // never blocks: one per slot
	readErr := make(chan error, 1)
	go func() {
		defer close(todo)
		seq := 0
		send := func(b B) error {
			if ctx.Err() != nil { // select would pick a free slot at random
				return context.Cause(ctx)
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return context.Cause(ctx)
			}
			select {
			case todo <- seqd[B]{seq, b}:
				seq++
				return nil
			case <-ctx.Done():
				<-slots
				return context.Cause(ctx)
			}
		}
		readErr <- read(ctx, send)
	}()
	var wg sync.WaitGroup
	for range opt.Workers {
		wg.Go(func() {
			for it := range todo {
				work(ctx, it.b)
				done <- it
			}
		})
	}
	go func() {
		wg.Wait()
		close(done)
	}()

	pending := make(map[int]B, opt.InFlight)
	next := 0
	var emitErr error
	for it := range done {
		pending[it.seq] = it.b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if emitErr == nil && ctx.Err() == nil {
				if err := emit(b); err != nil {
					emitErr = err
					cancel(err)
				}
			}
			<-slots
		}
	}
	rerr := <-readErr
	switch {
	case emitErr != nil:
		return emitErr
	case parent.Err() != nil:
		return context.Cause(parent)
	}
	return rerr
}

// Map is Ordered over single items: it reads items with next until it
// returns io.EOF (any other error ends the run after the items read
// before it are emitted), groups them in batches of batch items (0: 256),
// applies fn to each in parallel, and calls emit on every outcome in input
// order. At most opt.InFlight×batch items are in flight.
func Map[In, Out any](ctx context.Context, opt Options, batch int, next func() (In, error), fn func(ctx context.Context, in In) Out, emit func(out Out) error) error {
	if batch <= 0 {
		batch = 256
	}
	type mb struct {
		in  []In
		out []Out
	}
	read := func(ctx context.Context, send func(*mb) error) error {
		b := &mb{in: make([]In, 0, batch)}
		for {
			it, err := next()
			if err != nil {
				if len(b.in) > 0 {
					if serr := send(b); serr != nil {
						return serr
					}
				}
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
			b.in = append(b.in, it)
			if len(b.in) == batch {
				if err := send(b); err != nil {
					return err
				}
				b = &mb{in: make([]In, 0, batch)}
			}
		}
	}
	work := func(ctx context.Context, b *mb) {
		b.out = make([]Out, len(b.in))
		for i := range b.in {
			b.out[i] = fn(ctx, b.in[i])
		}
	}
	return Ordered(ctx, opt, read, work, func(b *mb) error {
		for _, o := range b.out {
			if err := emit(o); err != nil {
				return err
			}
		}
		return nil
	})
}
