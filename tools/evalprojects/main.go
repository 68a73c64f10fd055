// Command evalprojects measures the name rules' false alarms on the
// dependencies of real, well-known open-source projects, all of them
// honest: how many a CI user running `pkgward scan` would see blocked or
// warned. Its inputs are
//   - name lists (*.txt): "# ecosystem: ECO" then one dependency name a
//     line, as collected by testdata/collect.sh (npm and Go projects,
//     through `npm view` and `go mod download`) or by hand from a project's
//     lockfile (testdata/rails.txt, testdata/cargo.txt);
//   - directories or files of real manifests and lockfiles, read with the
//     parsers `pkgward scan` uses.
//
// It prints, per project and in total, the dependencies checked, blocked
// and warned by the name rules (typosquat, mixed-script), and each blocked
// or warned name with its first finding. It exits 1 when any dependency is
// blocked.
//
//	go run ./tools/evalprojects [-v] [PATH...]   (default: tools/evalprojects/testdata)
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest/list"
	"github.com/pkgward/pkgward/internal/project"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/typosquat"
)

// dep is one dependency of one project.
type dep struct {
	eco  ecosystem.Ecosystem
	name string
}

// proj is one project's dependencies.
type proj struct {
	name string
	deps []dep
}

func main() {
	verbose := flag.Bool("v", false, "print every warned name, not only the blocked ones")
	flag.Parse()
	paths := flag.Args()
	if len(paths) == 0 {
		paths = []string{filepath.Join("tools", "evalprojects", "testdata")}
	}
	projects, err := load(paths)
	if err != nil {
		fmt.Fprintln(os.Stderr, "evalprojects:", err)
		os.Exit(2)
	}
	a, err := analyzer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "evalprojects:", err)
		os.Exit(2)
	}
	s := evaluate(a, projects, os.Stdout, *verbose)
	if s.blocked > 0 {
		os.Exit(1)
	}
}

// load reads name lists and scans manifest directories.
func load(paths []string) ([]proj, error) {
	var out []proj
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			lists, _ := filepath.Glob(filepath.Join(p, "*.txt"))
			if len(lists) > 0 {
				sort.Strings(lists)
				for _, l := range lists {
					pr, err := readList(l)
					if err != nil {
						return nil, err
					}
					out = append(out, pr)
				}
				continue
			}
		} else if strings.HasSuffix(p, ".txt") {
			pr, err := readList(p)
			if err != nil {
				return nil, err
			}
			out = append(out, pr)
			continue
		}
		pr, err := scan(p)
		if err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, nil
}

// maxList bounds a name list file.
const maxList = 4 << 20

// readList reads a name list: "# ecosystem: ECO", comments, one name a line.
func readList(path string) (proj, error) {
	f, err := os.Open(path)
	if err != nil {
		return proj{}, err
	}
	defer f.Close()
	return parseList(strings.TrimSuffix(filepath.Base(path), ".txt"), io.LimitReader(f, maxList))
}

func parseList(name string, r io.Reader) (proj, error) {
	pr := proj{name: name}
	var eco ecosystem.Ecosystem
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if e, ok := strings.CutPrefix(t, "# ecosystem:"); ok {
			parsed, err := ecosystem.Parse(strings.TrimSpace(e))
			if err != nil {
				return proj{}, fmt.Errorf("%s:%d: %v", name, line, err)
			}
			eco = parsed
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if eco == "" {
			return proj{}, fmt.Errorf("%s:%d: a name before the \"# ecosystem:\" line", name, line)
		}
		pr.deps = append(pr.deps, dep{eco, t})
	}
	return pr, sc.Err()
}

// scan reads the manifests and lockfiles under root as `pkgward scan` does.
func scan(root string) (proj, error) {
	res, err := project.Scan(context.Background(), root, list.All())
	if err != nil {
		return proj{}, err
	}
	pr := proj{name: root}
	for _, d := range res.Dependencies {
		pr.deps = append(pr.deps, dep{d.Ecosystem, d.Name})
	}
	return pr, nil
}

// analyzer builds the name analyzer over every embedded corpus, with the
// default options, as `pkgward scan` does without user corpora.
func analyzer() (*typosquat.Analyzer, error) {
	ixs := map[ecosystem.Ecosystem]*typosquat.Index{}
	for _, eco := range ecosystem.All() {
		c, err := corpus.Embedded(eco)
		if err != nil {
			return nil, err
		}
		ixs[eco] = typosquat.Build(eco, c.Entries, typosquat.DefaultOptions())
	}
	return typosquat.NewAnalyzer(ixs, nil), nil
}

type stats struct {
	deps, blocked, warned int
}

// evaluate checks every distinct dependency of every project once per
// project and writes the report to w.
func evaluate(a *typosquat.Analyzer, projects []proj, w io.Writer, verbose bool) stats {
	var total stats
	byEco := map[ecosystem.Ecosystem]*stats{}
	for _, p := range projects {
		var s stats
		seen := map[dep]bool{}
		var notes []string
		for _, d := range p.deps {
			if seen[d] {
				continue
			}
			seen[d] = true
			es := byEco[d.eco]
			if es == nil {
				es = &stats{}
				byEco[d.eco] = es
			}
			s.deps++
			es.deps++
			fs := a.Analyze(&record.Package{Ecosystem: d.eco, Name: d.name})
			switch analysis.VerdictOf(fs) {
			case record.Block:
				s.blocked++
				es.blocked++
				notes = append(notes, "  BLOCK "+first(fs))
			case record.Warn:
				s.warned++
				es.warned++
				if verbose {
					notes = append(notes, "  warn  "+first(fs))
				}
			}
		}
		fmt.Fprintf(w, "%-50s %5d deps  %3d blocked  %3d warned\n", p.name, s.deps, s.blocked, s.warned)
		for _, n := range notes {
			fmt.Fprintln(w, n)
		}
		total.deps += s.deps
		total.blocked += s.blocked
		total.warned += s.warned
	}
	ecos := make([]string, 0, len(byEco))
	for e := range byEco {
		ecos = append(ecos, string(e))
	}
	sort.Strings(ecos)
	for _, e := range ecos {
		s := byEco[ecosystem.Ecosystem(e)]
		fmt.Fprintf(w, "%s: %d deps, blocked %s, warned %s\n", e, s.deps, pct(s.blocked, s.deps), pct(s.warned, s.deps))
	}
	fmt.Fprintf(w, "total: %d projects, %d deps, blocked %d (%s), warned %d (%s)\n", len(projects), total.deps,
		total.blocked, pct(total.blocked, total.deps), total.warned, pct(total.warned, total.deps))
	return total
}

// first renders the strongest name finding.
func first(fs []record.Finding) string {
	best := fs[0]
	for _, f := range fs[1:] {
		if f.Severity > best.Severity {
			best = f
		}
	}
	return fmt.Sprintf("%s %s: %s", best.Severity, best.Rule, best.Message)
}

func pct(n, d int) string {
	if d == 0 {
		return "0.00%"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(n)/float64(d))
}
