// Command evalgomods measures false alarms on real Go modules: for each
// module of a list of widely used ones (testdata/modules.txt, embedded;
// -list FILE for another), it runs `go mod download -json MOD@latest`
// (the machine's GOPROXY and module cache, never the repository), reads
// the module zip the JSON names and judges it as `pkgward inspect` does:
// the safe archive reader, the code rules, then pipeline.JudgeArchive
// with the name checks on the module path and on its requirements. It
// reports how many modules would be blocked or warned, with the findings
// behind each, and the dependency names that would be flagged.
//
// With -forks it checks names only, offline: every module of the Go corpus
// hosted on a forge (github.com, codeberg.org, gitlab.com, gitea.com,
// gitee.com, bitbucket.org, git.sr.ht), moved to each of the other forges
// with the same path — the shape of an honest fork or mirror.
//
//	go run ./tools/evalgomods
//	go run ./tools/evalgomods -top 1000   # the corpus's first 1000 modules instead
//	go run ./tools/evalgomods -forks
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/codescan"
	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/typosquat"
)

//go:embed testdata/modules.txt
var defaultList []byte

// download is the part of `go mod download -json` this tool reads.
type download struct {
	Path, Version, Zip, Error string
}

func main() {
	list := flag.String("list", "", "file of module paths, one a line (default: the embedded list)")
	verbose := flag.Bool("v", false, "also list the findings of warned modules")
	forks := flag.Bool("forks", false, "check the names of the corpus modules moved to other forges (offline), nothing else")
	top := flag.Int("top", 0, "check the N first modules of the embedded Go corpus instead of the list")
	flag.Parse()
	if *forks {
		if err := checkForks(); err != nil {
			fail(err)
		}
		return
	}
	data := defaultList
	if *list != "" {
		var err error
		if data, err = os.ReadFile(*list); err != nil {
			fail(err)
		}
	}
	mods := parseList(data)
	if *top > 0 {
		c, err := corpus.Embedded(ecosystem.Go)
		if err != nil {
			fail(err)
		}
		mods = nil
		for _, e := range c.Entries[:min(*top, len(c.Entries))] {
			mods = append(mods, e.Name)
		}
	}
	if len(mods) == 0 {
		fail(fmt.Errorf("no modules listed"))
	}
	ctx := context.Background()
	start := time.Now()
	dls, err := fetch(ctx, mods)
	if err != nil {
		fail(err)
	}
	eng, err := pipeline.Build(ctx, pipeline.Config{Ecosystems: []ecosystem.Ecosystem{ecosystem.Go}, Domains: domain.New(nil)})
	if err != nil {
		fail(err)
	}
	rs := codescan.DefaultRules()
	var checked, blocked, warned, depBlocked, depWarned, bytesRead int
	byRule := map[string]int{}
	for _, d := range dls {
		if d.Error != "" || d.Zip == "" {
			fmt.Fprintf(os.Stderr, "%s: %s\n", d.Path, d.Error)
			continue
		}
		t, err := artifact.Open(ctx, d.Zip, artifact.Limits{})
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s@%s: %v\n", d.Path, d.Version, err)
			continue
		}
		if err := t.Err(); err != nil {
			fmt.Fprintf(os.Stderr, "%s@%s: not read whole: %v\n", d.Path, d.Version, err)
		}
		for _, f := range t.Files {
			bytesRead += int(f.Size)
		}
		code := codescan.Scan(t, rs)
		t.Files = nil
		r, deps, skipped := pipeline.JudgeArchive(eng, nil, d.Zip, t, code)
		if skipped {
			fmt.Fprintf(os.Stderr, "%s@%s: no go.mod; name checks skipped\n", d.Path, d.Version)
		}
		checked++
		id := d.Path + "@" + d.Version
		switch r.Verdict {
		case record.Block:
			blocked++
			fmt.Printf("BLOCK %s\n", id)
			printFindings(r.Findings, record.High, byRule)
		case record.Warn:
			warned++
			fmt.Printf("WARN  %s\n", id)
			if *verbose {
				printFindings(r.Findings, record.Low, nil)
			}
		}
		for _, dr := range deps {
			switch dr.Verdict {
			case record.Block:
				depBlocked++
				fmt.Printf("BLOCK dependency %s of %s\n", dr.Name, id)
				printFindings(dr.Findings, record.High, byRule)
			case record.Warn:
				depWarned++
				if *verbose {
					fmt.Printf("WARN  dependency %s of %s\n", dr.Name, id)
					printFindings(dr.Findings, record.Low, nil)
				}
			}
		}
	}
	fmt.Printf("%d modules checked (%.1f MB unpacked, %s): %d blocked, %d warned; dependency names: %d blocked, %d warned\n",
		checked, float64(bytesRead)/1e6, time.Since(start).Round(time.Second), blocked, warned, depBlocked, depWarned)
	var rules []string
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	for _, r := range rules {
		fmt.Printf("    blocking rule %s: %d\n", r, byRule[r])
	}
}

// parseList returns the module paths of a list: one a line, blank lines
// and # comments skipped.
func parseList(data []byte) []string {
	var mods []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		mods = append(mods, line)
	}
	return mods
}

// fetch downloads the latest version of every module with one
// `go mod download -json` run outside any module (so the repository's
// go.mod is neither read nor changed) and returns one entry per module.
func fetch(ctx context.Context, mods []string) ([]download, error) {
	dir, err := os.MkdirTemp("", "evalgomods")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	args := []string{"mod", "download", "-json"}
	for _, m := range mods {
		args = append(args, m+"@latest")
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOWORK=off", "GOFLAGS=-mod=mod")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	// go mod download exits 1 when one module fails; the JSON still
	// names every module, with its error.
	if len(out) == 0 && err != nil {
		return nil, fmt.Errorf("go mod download: %w", err)
	}
	var dls []download
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var d download
		if err := dec.Decode(&d); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go mod download output: %w", err)
		}
		dls = append(dls, d)
	}
	return dls, nil
}

// printFindings prints the findings at or above min, counting their rules
// in byRule when it is not nil.
func printFindings(fs []record.Finding, min record.Severity, byRule map[string]int) {
	for _, f := range fs {
		if f.Severity < min {
			continue
		}
		where := ""
		if file, ok := f.Evidence["file"].(string); ok {
			where = " (" + file
			if line, ok := f.Evidence["line"].(int); ok {
				where += fmt.Sprintf(":%d", line)
			}
			where += ")"
		}
		fmt.Printf("    %s %s: %s%s\n", f.Severity, f.Rule, f.Message, where)
		if byRule != nil && f.Severity >= record.High {
			byRule[f.Rule]++
		}
	}
}

// forges are the code hosts an honest fork or mirror of a module lives on.
var forges = []string{"github.com", "codeberg.org", "gitlab.com", "gitea.com", "gitee.com", "bitbucket.org", "git.sr.ht"}

// checkForks checks every forge-hosted module of the Go corpus moved to
// each other forge, and prints the verdicts that are not allow.
func checkForks() error {
	c, err := corpus.Embedded(ecosystem.Go)
	if err != nil {
		return err
	}
	ix := typosquat.Build(ecosystem.Go, c.Entries, typosquat.DefaultOptions())
	counts := map[record.Verdict]int{}
	checked := 0
	for _, e := range c.Entries {
		host, rest, ok := strings.Cut(e.Name, "/")
		if !ok || !slices.Contains(forges, host) {
			continue
		}
		for _, h := range forges {
			if h == host {
				continue
			}
			name := h + "/" + rest
			fs := ix.Check(name)
			checked++
			v := analysis.VerdictOf(fs)
			counts[v]++
			if v != record.Allow {
				fmt.Printf("%s %s (of %s)\n", strings.ToUpper(string(v)), name, e.Name)
				printFindings(fs, record.Low, nil)
			}
		}
	}
	fmt.Printf("%d forks and mirrors checked: %d blocked, %d warned\n", checked, counts[record.Block], counts[record.Warn])
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "evalgomods:", err)
	os.Exit(2)
}
