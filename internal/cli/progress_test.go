package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProgressOnlyOnATerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, w := range map[string]any{"a buffer": &bytes.Buffer{}, "a file (CI log)": f} {
		if p := newProgress(w.(interface{ Write([]byte) (int, error) })); p != nil {
			t.Errorf("%s: progress line enabled", name)
		}
	}
	var nilp *progress // no terminal: every call is a no-op
	nilp.add(5)
	nilp.done()
}

func TestProgressLine(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	p := startProgress(&out, clock, time.Second)
	p.add(1000) // not yet due
	if out.Len() != 0 {
		t.Fatalf("line written before the interval: %q", out.String())
	}
	now = now.Add(2 * time.Second)
	p.add(1_233_000)
	if got := out.String(); got != "\rpkgward: 1,234,000 records, 617,000/s\x1b[K" {
		t.Errorf("line %q", got)
	}
	now = now.Add(2 * time.Second)
	p.add(766_000)
	p.done()
	if got := out.String(); !strings.HasSuffix(got, "\rpkgward: 2,000,000 records, 500,000/s\x1b[K\n") {
		t.Errorf("final line %q", got)
	}
	// A sweep too short for one line writes nothing at all.
	out.Reset()
	q := startProgress(&out, clock, time.Second)
	q.add(10)
	q.done()
	if out.Len() != 0 {
		t.Errorf("short sweep wrote %q", out.String())
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 886323: "886,323", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestSweepProgressAsked: --progress draws sweep's line on standard error
// even when it is not a terminal (or CI is set); --quiet wins; without
// it nothing is drawn there. Standard output is the same either way.
func TestSweepProgressAsked(t *testing.T) {
	defer func(d time.Duration) { sweepProgressEvery = d }(sweepProgressEvery)
	sweepProgressEvery = 0
	var plain string
	for _, c := range []struct {
		name  string
		ci    string
		flags []string
		want  bool
	}{
		{"pipe", "", nil, false},
		{"pipe_asked", "", []string{"--progress"}, true},
		{"ci_asked", "true", []string{"--progress"}, true},
		{"asked_and_quiet", "", []string{"--progress", "--quiet"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("CI", c.ci)
			var out, errb strings.Builder
			args := append([]string{"sweep", "--ecosystem", "pypi", "--workers", "1"}, c.flags...)
			code := Run(t.Context(), args, IO{In: strings.NewReader("numpy\nreqeusts\nflask\n"), Out: &out, Err: &errb})
			if code != ExitFindings {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			e := errb.String()
			drawn := strings.Contains(e, "\rpkgward: 3 records, ") && strings.HasSuffix(e, "\n")
			if drawn != c.want || (!c.want && e != "") {
				t.Errorf("stderr %q, progress wanted: %v", e, c.want)
			}
			if plain == "" {
				plain = out.String()
			} else if out.String() != plain {
				t.Errorf("standard output changed with %v:\n%s", c.flags, out.String())
			}
		})
	}
}
