// Command evaltexts measures the content analyzer's false alarms on real
// package summaries: it runs the analyzer over every summary of the npm
// registry sample (226,974 packages with at least some downloads, almost
// all honest) as a package description, and prints the share flagged (any
// finding) and blocked (any high or critical finding), the most frequent
// rules and severities, and sample flagged texts, so that the phrase model
// and thresholds are tuned on the general case.
//
//	go run ./tools/evaltexts -shared ../shared/data
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pkgward/pkgward/internal/content"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

type row struct {
	name, summary string
}

type outcome struct {
	row      row
	findings []record.Finding
}

func main() {
	shared := flag.String("shared", "../shared/data", "shared data directory")
	show := flag.Int("show", 20, "print this many sample flagged texts")
	seed := flag.Uint64("seed", 1, "seed of the sample")
	withName := flag.Bool("name", false, "also analyze the package name")
	flag.Parse()

	rows, err := readRows(filepath.Join(*shared, "registry", "npm-packages.tsv.gz"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	a := content.New(nil)
	start := time.Now()
	results := make([][]record.Finding, len(rows))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(rows); i += workers {
				p := record.Package{Ecosystem: ecosystem.NPM, Description: rows[i].summary}
				if *withName {
					p.Name = rows[i].name
				}
				results[i] = a.Analyze(&p)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)

	withSummary, flagged, blocked := 0, 0, 0
	rules := map[string]int{}
	var flaggedRows, blockedRows []outcome
	for i, fs := range results {
		if rows[i].summary != "" {
			withSummary++
		}
		if len(fs) == 0 {
			continue
		}
		flagged++
		high := false
		for _, f := range fs {
			rules[f.Rule+" "+f.Severity.String()]++
			if f.Severity >= record.High {
				high = true
			}
		}
		flaggedRows = append(flaggedRows, outcome{rows[i], fs})
		if high {
			blocked++
			blockedRows = append(blockedRows, outcome{rows[i], fs})
		}
	}
	n := len(rows)
	fmt.Printf("%d packages (%d with a summary), analyzed in %v (%.1f µs each)\n", n, withSummary, elapsed.Round(time.Millisecond), float64(elapsed.Microseconds())/float64(n))
	fmt.Printf("flagged (any finding):     %6d  %.4f%%\n", flagged, 100*float64(flagged)/float64(n))
	fmt.Printf("blocked (high or critical): %5d  %.4f%%\n", blocked, 100*float64(blocked)/float64(n))
	fmt.Println("\nfindings by rule and severity:")
	keys := make([]string, 0, len(rules))
	for k := range rules {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return rules[keys[i]] > rules[keys[j]] || rules[keys[i]] == rules[keys[j]] && keys[i] < keys[j]
	})
	for _, k := range keys {
		fmt.Printf("  %6d  %s\n", rules[k], k)
	}
	if len(blockedRows) > 0 {
		fmt.Println("\nblocked:")
		for _, o := range blockedRows {
			printOutcome(o)
		}
	}
	fmt.Printf("\n%d sample flagged texts:\n", min(*show, len(flaggedRows)))
	r := rand.New(rand.NewPCG(*seed, 0))
	r.Shuffle(len(flaggedRows), func(i, j int) { flaggedRows[i], flaggedRows[j] = flaggedRows[j], flaggedRows[i] })
	for _, o := range flaggedRows[:min(*show, len(flaggedRows))] {
		printOutcome(o)
	}
}

func printOutcome(o outcome) {
	s := o.row.summary
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	fmt.Printf("- %s: %q\n", o.row.name, s)
	for _, f := range o.findings {
		fmt.Printf("    %s %s: %s\n", f.Severity, f.Rule, f.Message)
	}
}

func readRows(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var rows []row
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue // header: name, version, downloads_a_month, summary
		}
		parts := strings.SplitN(sc.Text(), "\t", 4)
		if len(parts) < 4 {
			if len(parts) >= 1 && parts[0] != "" {
				rows = append(rows, row{name: parts[0]})
			}
			continue
		}
		rows = append(rows, row{name: parts[0], summary: parts[3]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path, line, err)
	}
	return rows, nil
}
