// Command evalnpmtop measures the code rules' false alarms on real code:
// it fetches the newest release of the most downloaded npm packages from
// the npm registry configured on this machine (npm's own configuration:
// NPM_CONFIG_REGISTRY, .npmrc or `npm config get registry`), caches the
// tarballs in the user cache directory (never in the repository), reads
// each with the safe archive reader, runs every code rule and reports how
// many would be blocked, with the findings that would block them.
//
//	go run ./tools/evalnpmtop -n 200
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
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

func main() {
	n := flag.Int("n", 200, "how many of the most downloaded npm packages")
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
	var blocked, warned, checked, bytesRead int
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
		fs := append(t.Findings, codescan.Scan(t, rs)...)
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
		}
	}
	fmt.Printf("%d packages checked (%.1f MB unpacked, %s): %d blocked, %d warned\n",
		checked, float64(bytesRead)/1e6, time.Since(start).Round(time.Second), blocked, warned)
	var rules []string
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	for _, r := range rules {
		fmt.Printf("    blocking rule %s: %d\n", r, byRule[r])
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "evalnpmtop:", err)
	os.Exit(2)
}
