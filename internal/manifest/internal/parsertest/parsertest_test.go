package parsertest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// recorder is a testing.TB that records a failure and stops the goroutine
// instead of the test, so CheckResult's own verdicts can be tested.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// check runs CheckResult on its own goroutine, as Fatalf ends it.
func (r *recorder) check(path string, data []byte, deps []manifest.Dependency, err error) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		CheckResult(r, ecosystem.PyPI, path, data, deps, err)
	}()
	<-done
}

func TestCheckResult(t *testing.T) {
	const path = "dir/file"
	data := []byte("line 1\nline 2\n")
	dep := func(name string, line int) manifest.Dependency {
		return manifest.Dependency{Ecosystem: ecosystem.PyPI, Name: name, File: path, Line: line}
	}
	tests := []struct {
		name string
		deps []manifest.Dependency
		err  error
		want string // part of the failure message; "" for none
	}{
		{"no_deps", nil, nil, ""},
		{"deps_on_existing_lines", []manifest.Dependency{dep("a", 1), dep("b", 3)}, nil, ""},
		{"input_error", nil, manifest.Errorf(path, 2, "bad"), ""},
		{"other_error", nil, errors.New("bad"), "is not a *record.InputError"},
		{"wrapped_input_error", nil, fmt.Errorf("x: %w", manifest.Errorf(path, 2, "bad")), ""},
		{"error_for_another_file", nil, manifest.Errorf("other", 2, "bad"), "names file"},
		{"partial_result", []manifest.Dependency{dep("a", 1)}, manifest.Errorf(path, 2, "bad"), "returned with 1 dependencies"},
		{"line_zero", []manifest.Dependency{dep("a", 0)}, nil, "line outside"},
		{"line_past_end", []manifest.Dependency{dep("a", 4)}, nil, "line outside"},
		{"no_name", []manifest.Dependency{dep("", 1)}, nil, "bad dependency"},
		{"wrong_file", []manifest.Dependency{{Ecosystem: ecosystem.PyPI, Name: "a", File: "x", Line: 1}}, nil, "bad dependency"},
		{"wrong_ecosystem", []manifest.Dependency{{Ecosystem: ecosystem.NPM, Name: "a", File: path, Line: 1}}, nil, "bad dependency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			r.check(path, data, tt.deps, tt.err)
			switch {
			case tt.want == "" && r.failed != "":
				t.Errorf("CheckResult failed: %s", r.failed)
			case tt.want != "" && !strings.Contains(r.failed, tt.want):
				t.Errorf("CheckResult failure %q, want one containing %q", r.failed, tt.want)
			}
		})
	}
}

func TestReadTestdata(t *testing.T) {
	if got := string(ReadTestdata(t, "seed.txt")); got != "seed\n" {
		t.Errorf("ReadTestdata = %q", got)
	}
}

// lineParser reports every non-empty line as a dependency.
type lineParser struct{}

func (lineParser) Name() string                   { return "test/lines" }
func (lineParser) Ecosystem() ecosystem.Ecosystem { return ecosystem.PyPI }
func (lineParser) Matches(string) bool            { return true }

func (lineParser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	var deps []manifest.Dependency
	for i, l := range strings.Split(string(in.Data), "\n") {
		if strings.TrimSpace(l) != "" {
			deps = append(deps, manifest.Dependency{Ecosystem: ecosystem.PyPI, Name: l, File: in.Path, Line: i + 1})
		}
	}
	return deps, nil
}

func FuzzLines(f *testing.F) {
	Fuzz(f, lineParser{}, ecosystem.PyPI, "fuzz/lines.txt")
}
