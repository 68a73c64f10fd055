package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Progress line timing: nothing is shown for a scan shorter than
// scanProgressDelay, then the line is redrawn at most every
// scanProgressEvery.
var (
	scanProgressDelay = 500 * time.Millisecond
	scanProgressEvery = 100 * time.Millisecond
)

// scanProgressLine draws one self-overwriting line on standard error
// while scan works on a big tree. A nil *scanProgressLine draws nothing.
type scanProgressLine struct {
	w               io.Writer
	now             func() time.Time
	start, last     time.Time
	shown, finished bool
}

// scanProgress returns the progress line for scan, or nil when standard
// error is not a terminal (CI logs, redirections), TERM is dumb, CI is
// set or --quiet is given: the line is for a person watching, never for
// a log.
func (g *globals) scanProgress() *scanProgressLine {
	if !g.progressWanted() {
		return nil
	}
	p := &scanProgressLine{w: g.io.Err, now: time.Now}
	p.start = p.now()
	return p
}

// progressWanted reports whether a progress line (scan's, sweep's) may
// be drawn on standard error: a terminal, not CI, no --quiet; or asked
// for with --progress (but not with --quiet).
func (g *globals) progressWanted() bool {
	if g.quiet {
		return false
	}
	return g.progress || (g.io.ErrIsTerminal && os.Getenv("TERM") != "dumb" && os.Getenv("CI") == "")
}

// update redraws the line with the counts of files seen and read.
func (p *scanProgressLine) update(seen, read int) {
	p.draw("%d files seen, %d project files read", seen, read)
}

// judged redraws the line with the count of dependencies judged.
func (p *scanProgressLine) judged(done, total int) {
	p.draw("%d of %d dependencies judged", done, total)
}

func (p *scanProgressLine) draw(format string, args ...any) {
	if p == nil || p.finished {
		return
	}
	t := p.now()
	if t.Sub(p.start) < scanProgressDelay || (p.shown && t.Sub(p.last) < scanProgressEvery) {
		return
	}
	p.last, p.shown = t, true
	fmt.Fprintf(p.w, "\rscan: "+format+"\x1b[K", args...)
}

// done erases the line, if one was drawn; nothing is drawn after it.
func (p *scanProgressLine) done() {
	if p == nil || p.finished {
		return
	}
	p.finished = true
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
