// Command evalnames measures the lookalike engine's false alarms on names
// it has never seen as popular, which `measure.py` cannot: the npm corpus
// contains ranks 20,001–50,000, so the engine knows those names are
// popular and never flags them. Here the index is built from the top
// -top names only, and the names ranked below are checked as unknown
// candidates; separately, npm registry names outside the corpus are
// checked; and PyPI names outside the PyPI corpus. It prints shares
// flagged and blocked, and the most common
// techniques among the blocked, so thresholds are tuned on the general
// case rather than on the dev list.
//
//	go run ./tools/evalnames -shared ../shared/data
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/typosquat"
)

func main() {
	shared := flag.String("shared", "../shared/data", "shared data directory")
	top := flag.Int("top", 20000, "index only the top N npm names; check the rest as unknown names")
	minDownloads := flag.Int64("min-downloads", 1000, "registry names: only those with at least this many monthly downloads")
	show := flag.Int("show", 15, "print this many blocked examples")
	flag.Parse()

	c, err := corpus.Embedded(ecosystem.NPM)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var known, unknown []corpus.Entry
	for _, e := range c.Entries {
		if e.Rank <= *top {
			known = append(known, e)
		} else {
			unknown = append(unknown, e)
		}
	}
	ix := typosquat.Build(ecosystem.NPM, known, typosquat.DefaultOptions())
	names := make([]string, len(unknown))
	for i, e := range unknown {
		names[i] = e.Name
	}
	report(fmt.Sprintf("npm ranks %d+ checked against the top %d", *top+1, *top), ix, names, *show)

	full := typosquat.Build(ecosystem.NPM, c.Entries, typosquat.DefaultOptions())
	reg, err := registryNames(filepath.Join(*shared, "registry", "npm-packages.tsv.gz"), *minDownloads)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var outside []string
	for _, n := range reg {
		if _, ok := full.Contains(n); !ok {
			outside = append(outside, n)
		}
	}
	report(fmt.Sprintf("npm registry names outside the corpus with >= %d downloads/month", *minDownloads), full, outside, *show)

	pc, err := corpus.Embedded(ecosystem.PyPI)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	py := typosquat.Build(ecosystem.PyPI, pc.Entries, typosquat.DefaultOptions())
	pnames, err := lines(filepath.Join(*shared, "registry", "pypi-names.txt.gz"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	outside = outside[:0]
	for _, n := range pnames {
		if _, ok := py.Contains(n); !ok {
			outside = append(outside, n)
		}
	}
	report("PyPI names outside the corpus (the whole namespace: mostly honest, some squats)", py, outside, *show)
}

// lines reads a gzip'd file of one name a line.
func lines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(zr)
	var out []string
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			out = append(out, t)
		}
	}
	return out, sc.Err()
}

func registryNames(path string, minDownloads int64) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var out []string
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 3 {
			continue
		}
		if d, _ := strconv.ParseInt(p[2], 10, 64); d >= minDownloads {
			out = append(out, p[0])
		}
	}
	return out, sc.Err()
}

func report(title string, ix *typosquat.Index, names []string, show int) {
	flagged, blocked := 0, 0
	techs := map[string]int{}
	flaggedTechs := map[string]int{}
	var examples []string
	for _, n := range names {
		fs := ix.Check(n)
		if len(fs) == 0 {
			continue
		}
		flagged++
		t0, _ := fs[0].Evidence["technique"].(string)
		flaggedTechs[t0]++
		if fs[0].Severity >= record.High {
			blocked++
			t, _ := fs[0].Evidence["technique"].(string)
			techs[t]++
			if len(examples) < show {
				examples = append(examples, fs[0].Message)
			}
		}
	}
	fmt.Printf("%s: %d names, flagged %.2f%%, blocked %.2f%%\n", title, len(names),
		100*float64(flagged)/float64(len(names)), 100*float64(blocked)/float64(len(names)))
	printCounts("flagged", flaggedTechs, 8)
	printCounts("blocked", techs, 100)
	for _, e := range examples {
		fmt.Println("    e.g.", e)
	}
}

func printCounts(what string, counts map[string]int, most int) {
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range counts {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v })
	for i, x := range kvs {
		if i == most {
			break
		}
		fmt.Printf("    %s via %-22s %d\n", what, x.k, x.v)
	}
}
