package stream

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"syscall"

	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/report"
)

// Outcome is one judged item: its result, or the input error in its place.
type Outcome struct {
	Result record.Result
	Err    *record.InputError
}

// Tally counts outcomes, for a summary line and the exit code.
type Tally struct {
	Results, Blocked, Warned int
	// Errors counts input errors and results with analyzer errors.
	Errors int
	// Failing counts results with at least one finding; MaxSeverity is
	// the highest severity among them.
	Failing     int
	MaxSeverity record.Severity
}

// Add counts o.
func (t *Tally) Add(o *Outcome) {
	if o.Err != nil {
		t.Errors++
		return
	}
	t.Results++
	if len(o.Result.Errors) > 0 {
		t.Errors++
	}
	switch o.Result.Verdict {
	case record.Block:
		t.Blocked++
	case record.Warn:
		t.Warned++
	}
	if sev, ok := o.Result.MaxSeverity(); ok {
		t.Failing++
		t.MaxSeverity = max(t.MaxSeverity, sev)
	}
}

// AppendJSONL appends o as one JSON line, as the jsonl report writes a
// result, and {"error": ...} in place of an input error. Workers call it,
// in parallel, so that the ordered writer only copies bytes.
func AppendJSONL(dst []byte, o *Outcome) []byte {
	if o.Err != nil {
		line, _ := json.Marshal(map[string]*record.InputError{"error": o.Err})
		return append(append(dst, line...), '\n')
	}
	return report.AppendJSONL(dst, &o.Result)
}

// JSONL is the streaming report handler: it writes JSON Lines rendered by
// AppendJSONL, in order, through one buffer, and the notices after them.
// A reader that went away (a broken pipe: `| head`) is not an error: the
// rest is discarded.
type JSONL struct {
	bw  *bufio.Writer
	err error
}

// NewJSONL returns a handler writing to w.
func NewJSONL(w io.Writer) *JSONL { return &JSONL{bw: bufio.NewWriterSize(w, 1<<16)} }

// Write writes rendered lines; after a write error it does nothing and
// Flush reports the error.
func (j *JSONL) Write(lines []byte) {
	if j.err == nil {
		_, j.err = j.bw.Write(lines)
	}
}

// Notice writes {"notice": msg}.
func (j *JSONL) Notice(msg string) {
	b, _ := json.Marshal(map[string]string{"notice": msg})
	j.Write(append(b, '\n'))
}

// Flush writes what is buffered and returns the first write error, unless
// it is a broken pipe.
func (j *JSONL) Flush() error {
	if j.err == nil {
		j.err = j.bw.Flush()
	}
	if j.err != nil && !errors.Is(j.err, syscall.EPIPE) && !strings.Contains(j.err.Error(), "broken pipe") {
		return j.err
	}
	return nil
}
