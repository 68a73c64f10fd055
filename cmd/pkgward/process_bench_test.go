package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkCheckProcess runs the built binary as a separate process, as an
// install hook or an editor integration does: `pkgward check ECO NAME`,
// start to exit. Besides ns/op it reports the mean wall time, the mean CPU
// time (user and system: steadier than wall time on a busy machine) and
// the largest maximum resident set size of the runs (target: 50 ms and
// 50 MB for one name, whatever the ecosystem). The binary is built once, with the
// go command that runs the benchmark.
func BenchmarkCheckProcess(b *testing.B) {
	bin := buildBinary(b)
	for _, c := range []struct{ name, eco, pkg string }{
		{"npm-popular", "npm", "lodash"}, // in the corpus: no lookalike search
		{"npm-squat", "npm", "lodahs"},
		{"npm-new", "npm", "my-internal-widget-kit"},
		{"pypi-popular", "pypi", "requests"},
		{"pypi-squat", "pypi", "reqeusts"},
	} {
		b.Run(c.name, func(b *testing.B) {
			var wall, cpu time.Duration
			var rss int64
			for b.Loop() {
				cmd := exec.Command(bin, "check", c.eco, c.pkg)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				start := time.Now()
				err := cmd.Run()
				wall += time.Since(start)
				if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() > 1 {
					b.Fatalf("check %s %s: %v\n%s", c.eco, c.pkg, err, stderr.Bytes())
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					rss = max(rss, int64(ru.Maxrss)) // KiB on Linux
				}
			}
			b.ReportMetric(float64(wall.Microseconds())/1000/float64(b.N), "wall-ms/op")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(rss)/1024, "maxrss-MB")
		})
	}
}

func buildBinary(b *testing.B) string {
	b.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command to build the binary with")
	}
	bin := filepath.Join(b.TempDir(), "pkgward")
	cmd := exec.Command(gobin, "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("go build: %v", err)
	}
	return bin
}
