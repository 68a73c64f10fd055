package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// failOn fails on one name, as an analyzer that ran out of time does.
type failOn string

func (failOn) Name() string         { return "slow" }
func (failOn) Rules() []record.Rule { return nil }
func (f failOn) Analyze(_ context.Context, p *record.Package) ([]record.Finding, error) {
	if p.Name == string(f) {
		return nil, errors.New("deadline exceeded")
	}
	return nil, nil
}

// A package an analyzer could not judge is not an allow, and it is an
// error line of the sweep (exit code 2), in its place in the output.
func TestSweepAnalyzerError(t *testing.T) {
	s := &sweeper{eng: analysis.New(nil, failOn("b")), eco: ecosystem.PyPI, file: "in", workers: 2}
	for _, format := range []string{"jsonl", "json"} {
		t.Run(format, func(t *testing.T) {
			in := strings.NewReader("a\nb\nc\n")
			if format == "jsonl" {
				var out bytes.Buffer
				st, err := s.stream(context.Background(), in, &out, nil)
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(strings.TrimSpace(out.String()), "\n")
				if len(lines) != 4 || st.Errors != 1 || st.Results != 3 || st.Warned != 1 {
					t.Fatalf("tally %+v, lines:\n%s", st, out.String())
				}
				var r record.Result
				if err := json.Unmarshal([]byte(lines[1]), &r); err != nil || r.Name != "b" || r.Verdict != record.Warn || len(r.Errors) != 1 {
					t.Errorf("result of b: %s (%v)", lines[1], err)
				}
				if !strings.Contains(lines[2], `"error":{"file":"in:2","message":"b: slow not judged whole: deadline exceeded"}`) {
					t.Errorf("error line %s", lines[2])
				}
				return
			}
			results, errs, err := s.collect(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 3 || results[1].Verdict != record.Warn || len(errs) != 1 || errs[0].File != "in:2" {
				t.Errorf("results %+v, errors %+v", results, errs)
			}
		})
	}
}

// A cancelled sweep stops: nothing is written after the cancellation.
func TestSweepCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &sweeper{eng: analysis.New(nil), eco: ecosystem.PyPI, file: "in", workers: 2}
	var out bytes.Buffer
	_, err := s.stream(ctx, strings.NewReader(strings.Repeat("a\n", 10_000)), &out, nil)
	if !errors.Is(err, context.Canceled) || out.Len() != 0 {
		t.Errorf("err %v, wrote %d bytes", err, out.Len())
	}
}
