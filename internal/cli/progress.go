package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// sweepProgressEvery is how often sweep's progress line is rewritten.
var sweepProgressEvery = time.Second

// progress writes sweep's progress line ("pkgward: 120,000 records,
// 95,000/s"), rewritten in place at most every interval, on a terminal
// only: never in CI logs or redirected output.
type progress struct {
	w        io.Writer
	now      func() time.Time
	interval time.Duration

	mu      sync.Mutex
	start   time.Time
	last    time.Time
	n       int
	written bool
}

// sweepProgress is sweep's progress line on standard error, or nil when
// no progress may be drawn there (progressWanted: not a terminal, CI,
// --quiet).
func (g *globals) sweepProgress() *progress {
	if !g.progressWanted() {
		return nil
	}
	if g.progress {
		return startProgress(g.io.Err, time.Now, sweepProgressEvery)
	}
	return newProgress(g.io.Err)
}

// newProgress returns a progress line on w, or nil (no progress) when w
// is not a terminal.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil
	}
	return startProgress(w, time.Now, sweepProgressEvery)
}

func startProgress(w io.Writer, now func() time.Time, interval time.Duration) *progress {
	t := now()
	return &progress{w: w, now: now, interval: interval, start: t, last: t}
}

// add counts n more records and rewrites the line when it is due.
func (p *progress) add(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += n
	if t := p.now(); t.Sub(p.last) >= p.interval {
		p.last = t
		p.line(t)
	}
}

// done writes the final count and ends the line, if one was written.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.written {
		p.line(p.now())
		fmt.Fprint(p.w, "\n")
	}
}

func (p *progress) line(t time.Time) {
	rate := 0.0
	if d := t.Sub(p.start).Seconds(); d > 0 {
		rate = float64(p.n) / d
	}
	fmt.Fprintf(p.w, "\rpkgward: %s records, %s/s\x1b[K", thousands(p.n), thousands(int(rate)))
	p.written = true
}

// thousands formats n with commas: 1234567 → "1,234,567".
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
