// Command evalnpmtop measures the code rules' false alarms on real code:
// it fetches the newest release of the most downloaded npm packages from
// the npm registry configured on this machine (npm's own configuration:
// NPM_CONFIG_REGISTRY, .npmrc or `npm config get registry`), caches the
// tarballs in the user cache directory (never in the repository), reads
// each with the safe archive reader, runs every code rule and reports how
// many would be blocked, with the findings that would block them. It also
// judges each tarball as `pkgward inspect` does (pipeline.JudgeArchive:
// the name, content and code checks on the package, the name checks on
// its dependencies) and reports those verdicts on a second line.
//
//	go run ./tools/evalnpmtop -n 200
//	go run ./tools/evalnpmtop -n 500 -v   # also list the warned packages
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/codescan"
	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

func main() {
	n := flag.Int("n", 200, "how many of the most downloaded npm packages")
	verbose := flag.Bool("v", false, "also list the warned packages and dependency names, with their findings")
	flag.Parse()
	ctx := context.Background()
	c, err := corpus.Embedded(ecosystem.NPM)
	if err != nil {
		fail(err)
	}
	base, err := npm.RegistryFor("lodash", ".", nil)
	if err != nil {
		fail(err)
	}
	client, err := npm.New(base, npm.Options{})
	if err != nil {
		fail(err)
	}
	rs := codescan.DefaultRules()
	eng, err := pipeline.Build(ctx, pipeline.Config{Ecosystems: []ecosystem.Ecosystem{ecosystem.NPM}, Domains: domain.New(nil)})
	if err != nil {
		fail(err)
	}
	var blocked, warned, checked, bytesRead int
	var iBlocked, iWarned, dBlocked, dWarned int
	var start = time.Now()
	byRule := map[string]int{}
	for _, e := range c.Entries[:min(*n, len(c.Entries))] {
		doc, err := client.Packument(ctx, e.Name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", e.Name, err)
			continue
		}
		v, ok := doc.Versions[doc.DistTags["latest"]]
		if !ok {
			fmt.Fprintf(os.Stderr, "%s: no latest version\n", e.Name)
			continue
		}
		tgz, err := client.Tarball(ctx, v.Dist)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", e.Name, err)
			continue
		}
		t, err := artifact.Read(ctx, e.Name+".tgz", bytes.NewReader(tgz), artifact.Limits{})
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", e.Name, err)
			continue
		}
		for _, f := range t.Files {
			bytesRead += int(f.Size)
		}
		code := codescan.Scan(t, rs)
		fs := append(append([]record.Finding{}, t.Findings...), code...)
		checked++
		switch analysis.VerdictOf(fs) {
		case record.Block:
			blocked++
			fmt.Printf("BLOCK %s@%s\n", e.Name, v.Version)
			for _, f := range fs {
				if f.Severity >= record.High {
					fmt.Printf("    %s %s: %s\n", f.Severity, f.Rule, f.Message)
					byRule[f.Rule]++
				}
			}
		case record.Warn:
			warned++
			if *verbose {
				fmt.Printf("WARN  %s@%s\n", e.Name, v.Version)
				printAbove(fs, record.Low)
			}
		}
		t.Files = nil
		r, deps, _ := pipeline.JudgeArchive(eng, nil, e.Name+".tgz", t, code)
		switch r.Verdict {
		case record.Block:
			iBlocked++
			if analysis.VerdictOf(fs) != record.Block {
				fmt.Printf("BLOCK (inspect) %s@%s\n", e.Name, v.Version)
				printAbove(r.Findings, record.High)
			}
		case record.Warn:
			iWarned++
			if *verbose && analysis.VerdictOf(fs) == record.Allow {
				fmt.Printf("WARN  (inspect) %s@%s\n", e.Name, v.Version)
				printAbove(r.Findings, record.Low)
			}
		}
		for _, d := range deps {
			switch d.Verdict {
			case record.Block:
				dBlocked++
				fmt.Printf("BLOCK dependency %s of %s@%s\n", d.Name, e.Name, v.Version)
				printAbove(d.Findings, record.High)
			case record.Warn:
				dWarned++
				if *verbose {
					fmt.Printf("WARN  dependency %s of %s@%s\n", d.Name, e.Name, v.Version)
					printAbove(d.Findings, record.Low)
				}
			}
		}
	}
	fmt.Printf("%d packages checked (%.1f MB unpacked, %s): %d blocked, %d warned\n",
		checked, float64(bytesRead)/1e6, time.Since(start).Round(time.Second), blocked, warned)
	fmt.Printf("as inspect judges them (name, content and code checks): %d blocked, %d warned; dependency names: %d blocked, %d warned\n",
		iBlocked, iWarned, dBlocked, dWarned)
	var rules []string
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	for _, r := range rules {
		fmt.Printf("    blocking rule %s: %d\n", r, byRule[r])
	}
}

// printAbove prints the findings at or above min.
func printAbove(fs []record.Finding, min record.Severity) {
	for _, f := range fs {
		if f.Severity >= min {
			fmt.Printf("    %s %s: %s\n", f.Severity, f.Rule, f.Message)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "evalnpmtop:", err)
	os.Exit(2)
}
