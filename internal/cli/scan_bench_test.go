package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// writeBenchLockfile writes dir/package-lock.json (lockfileVersion 3)
// locking n packages named after the most popular npm names (real names,
// as a real lockfile holds), every tenth one nested under another, and
// dir/package.json declaring the first 50 of them.
func writeBenchLockfile(tb testing.TB, dir string, n int) {
	tb.Helper()
	c, err := corpus.Embedded(ecosystem.NPM)
	if err != nil {
		tb.Fatal(err)
	}
	if len(c.Entries) < n {
		tb.Fatalf("npm corpus has %d names, want %d", len(c.Entries), n)
	}
	type entry struct {
		Version      string            `json:"version"`
		Resolved     string            `json:"resolved,omitempty"`
		Integrity    string            `json:"integrity,omitempty"`
		Dev          bool              `json:"dev,omitempty"`
		Dependencies map[string]string `json:"dependencies,omitempty"`
	}
	pkgs := map[string]any{"": map[string]any{"name": "bench", "version": "1.0.0"}}
	direct := map[string]string{}
	for i := range n {
		name := c.Entries[i].Name
		key := "node_modules/" + name
		if i%10 == 9 {
			key = "node_modules/" + c.Entries[i-1].Name + "/node_modules/" + name
		}
		v := fmt.Sprintf("%d.%d.%d", 1+i%7, i%13, i%5)
		pkgs[key] = entry{
			Version:      v,
			Resolved:     "https://registry.example/" + name + "/-/" + filepath.Base(name) + "-" + v + ".tgz",
			Integrity:    fmt.Sprintf("sha512-%064x", i),
			Dev:          i%3 == 0,
			Dependencies: map[string]string{c.Entries[(i+1)%n].Name: "^" + v},
		}
		if i < 50 {
			direct[name] = "^" + v
		}
	}
	lock, err := json.MarshalIndent(map[string]any{"name": "bench", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": pkgs}, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	manifest, err := json.MarshalIndent(map[string]any{"name": "bench", "version": "1.0.0", "dependencies": direct}, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	for name, data := range map[string][]byte{"package-lock.json": lock, "package.json": manifest} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkScanLockfile3000 measures scan end to end inside the process
// (walk, parse, index build, judging, JSON report) over a project with a
// 3,000-package package-lock.json. The whole process is measured with
// /usr/bin/time (docs/commands/scan.md, Performance).
func BenchmarkScanLockfile3000(b *testing.B) {
	dir := b.TempDir()
	writeBenchLockfile(b, dir, 3000)
	for b.Loop() {
		code := Run(context.Background(), []string{"scan", dir, "--format", "json"}, IO{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard})
		if code == ExitError {
			b.Fatalf("exit %d", code)
		}
	}
}

// TestBenchLockfileScans: the benchmark's project is read whole, every
// locked package judged once (3,000 locked + 50 declared).
func TestBenchLockfileScans(t *testing.T) {
	dir := t.TempDir()
	writeBenchLockfile(t, dir, 3000)
	code, out, errs := run(t, nil, "scan", dir, "--format", "json")
	if code == ExitError {
		t.Fatalf("exit %d: %s", code, clip(errs))
	}
	d := decodeDoc(t, out)
	if len(d.Results) != 3050 || len(d.Errors) != 0 {
		t.Fatalf("%d results, %d errors; want 3050, 0", len(d.Results), len(d.Errors))
	}
}
