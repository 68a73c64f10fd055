package stream

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

func TestTally(t *testing.T) {
	f := func(s record.Severity) []record.Finding { return []record.Finding{{Rule: "r", Severity: s}} }
	outcomes := []Outcome{
		{Result: record.Result{Verdict: record.Block, Findings: f(record.High)}},
		{Result: record.Result{Verdict: record.Warn, Findings: f(record.Low)}},
		{Result: record.Result{Verdict: record.Allow, Findings: f(record.Info)}},
		{Result: record.Result{Verdict: record.Allow}},
		{Result: record.Result{Verdict: record.Warn, Errors: []record.AnalyzerError{{Analyzer: "a", Message: "m"}}}},
		{Err: &record.InputError{File: "f", Line: 3, Msg: "bad"}},
	}
	var tl Tally
	for i := range outcomes {
		tl.Add(&outcomes[i])
	}
	want := Tally{Results: 5, Blocked: 1, Warned: 2, Errors: 2, Failing: 3, MaxSeverity: record.High}
	if tl != want {
		t.Errorf("tally %+v, want %+v", tl, want)
	}
}

func TestAppendJSONL(t *testing.T) {
	var b []byte
	b = AppendJSONL(b, &Outcome{Result: record.Result{Ecosystem: "npm", Name: "x", Verdict: record.Allow, Findings: []record.Finding{}}})
	b = AppendJSONL(b, &Outcome{Err: &record.InputError{File: "stdin", Line: 2, Msg: "bad"}})
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines %q", lines)
	}
	var r record.Result
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil || r.Name != "x" {
		t.Errorf("result line %s: %v", lines[0], err)
	}
	if lines[1] != `{"error":{"file":"stdin","line":2,"message":"bad"}}` {
		t.Errorf("error line %s", lines[1])
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestJSONLWriteErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		wantErr bool
	}{
		{"broken pipe is the reader leaving", &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}, false},
		{"broken pipe by message", fmt.Errorf("write: broken pipe"), false},
		{"a full disk is an error", errors.New("no space left on device"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := NewJSONL(failWriter{tc.err})
			j.Write(bytes.Repeat([]byte("x"), 1<<17)) // more than the buffer
			j.Notice("n")
			if err := j.Flush(); (err != nil) != tc.wantErr {
				t.Errorf("Flush = %v, want error %v", err, tc.wantErr)
			}
		})
	}
	var out bytes.Buffer
	j := NewJSONL(&out)
	j.Write([]byte("{}\n"))
	j.Notice(`say "hi"`)
	if err := j.Flush(); err != nil || out.String() != "{}\n{\"notice\":\"say \\\"hi\\\"\"}\n" {
		t.Errorf("wrote %q, %v", out.String(), err)
	}
}

// A result with analyzer errors keeps them in its JSON line.
func TestAppendJSONLAnalyzerErrors(t *testing.T) {
	r := record.Result{Ecosystem: "npm", Name: "x", Verdict: record.Warn, Findings: []record.Finding{},
		Errors: []record.AnalyzerError{{Analyzer: "content", Message: "deadline exceeded"}}}
	line := AppendJSONL(nil, &Outcome{Result: r})
	want, _ := json.Marshal(r)
	if string(line) != string(want)+"\n" {
		t.Errorf("line %s, want %s", line, want)
	}
}
