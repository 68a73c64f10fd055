package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// goldenFormats maps a golden file's format suffix to its renderer.
var goldenFormats = []struct {
	name   string
	format string
	opt    Options
}{
	{"text", "text", Options{}},
	{"text-colour", "text", Options{Color: true}},
	{"text-verbose", "text", Options{Verbose: true}},
	{"json", "json", Options{}},
	{"jsonl", "jsonl", Options{}},
	{"sarif", "sarif", Options{}},
	{"markdown", "markdown", Options{}},
	{"html", "html", Options{}},
}

func loadReport(t *testing.T, path string) *Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r Report
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &r
}

func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no testdata inputs (%v)", err)
	}
	for _, in := range inputs {
		rep := loadReport(t, in)
		base := strings.TrimSuffix(in, ".json")
		for _, gf := range goldenFormats {
			t.Run(filepath.Base(base)+"/"+gf.name, func(t *testing.T) {
				r, err := New(gf.format, gf.opt)
				if err != nil {
					t.Fatal(err)
				}
				if gf.format == "sarif" {
					// Paths relative to a working directory outside any
					// repository, whatever directory the test runs in.
					r = sarifRenderer{cwd: t.TempDir()}
				}
				var out bytes.Buffer
				if err := r.Render(&out, rep); err != nil {
					t.Fatal(err)
				}
				golden := base + "." + gf.name + ".golden"
				if *update {
					if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if got := out.String(); got != string(want) {
					t.Errorf("%s differs (run go test -update to accept):\n%s", golden, lineDiff(string(want), got))
				}
			})
		}
	}
}

// lineDiff reports the first differing lines of want and got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < max(len(w), len(g)) && n < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			n++
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  -" + wl + "\n  +" + gl + "\n")
		}
	}
	return b.String()
}
