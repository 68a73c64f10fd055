package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Progress line timing: nothing is shown for a walk shorter than
// progressDelay, then the line is redrawn at most every progressEvery.
var (
	progressDelay = 500 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

// progress draws one self-overwriting line on standard error while scan
// walks a big tree. A nil *progress draws nothing.
type progress struct {
	w               io.Writer
	now             func() time.Time
	start, last     time.Time
	shown, finished bool
}

// scanProgress returns the progress line for scan, or nil when standard
// error is not a terminal (CI logs, redirections), TERM is dumb or CI is
// set: the line is for a person watching, never for a log.
func (g *globals) scanProgress() *progress {
	if !g.progressWanted() {
		return nil
	}
	p := &progress{w: g.io.Err, now: time.Now}
	p.start = p.now()
	return p
}

// progressWanted reports whether progress may be drawn on standard error.
func (g *globals) progressWanted() bool {
	return g.io.ErrIsTerminal && os.Getenv("TERM") != "dumb" && os.Getenv("CI") == ""
}

// update redraws the line with the counts of files seen and read.
func (p *progress) update(seen, read int) {
	p.draw("%d files seen, %d project files read", seen, read)
}

// judged redraws the line with the count of dependencies judged.
func (p *progress) judged(done, total int) {
	p.draw("%d of %d dependencies judged", done, total)
}

func (p *progress) draw(format string, args ...any) {
	if p == nil || p.finished {
		return
	}
	t := p.now()
	if t.Sub(p.start) < progressDelay || (p.shown && t.Sub(p.last) < progressEvery) {
		return
	}
	p.last, p.shown = t, true
	fmt.Fprintf(p.w, "\rscan: "+format+"\x1b[K", args...)
}

// done erases the line, if one was drawn; nothing is drawn after it.
func (p *progress) done() {
	if p == nil || p.finished {
		return
	}
	p.finished = true
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
