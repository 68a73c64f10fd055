// Command spamgen writes a synthetic spam campaign as JSON Lines package
// records (the input of `pkgward sweep --campaigns`): templated "free
// <item> generator <year>" names over NuGet, npm and PyPI, lure READMEs
// spun from synonyms with shuffled sentences and random numbers, shared
// shortener and phishing links with per-package tracking parameters, a
// few publisher accounts and one burst of publications. With -honest N it
// adds N honest-looking background records (interleaved, deterministic).
// -kind farm writes a token-farming flood instead (<words>-<random>
// names, no lure), -kind worm a worm wave (<given-name>-<food><digits>-
// <word>), -kind org honest organization families (@types/*,
// @babel/plugin-*, eslint-config-*, aws-sdk-*) that must never be
// reported.
//
//	go run ./tools/spamgen -n 2000 -seed 1 > spam.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func main() {
	n := flag.Int("n", 2000, "packages in the campaign")
	seed := flag.Uint64("seed", 1, "random seed")
	ecos := flag.String("ecosystems", "nuget,nuget,npm,npm,pypi", "ecosystems to draw from (repeat one to weight it)")
	authors := flag.Int("authors", 3, "publisher accounts")
	start := flag.String("start", "2024-03-01T02:00:00Z", "first publication (RFC 3339)")
	gap := flag.Duration("gap", 40*time.Second, "mean time between publications")
	honest := flag.Int("honest", 0, "also write this many honest-looking background records (npm)")
	kind := flag.String("kind", "lure", "what to generate: lure (the 2023 lure campaign), farm, worm or org")
	flag.Parse()
	if err := run(*kind, *n, *seed, *ecos, *authors, *start, *gap, *honest); err != nil {
		fmt.Fprintln(os.Stderr, "spamgen:", err)
		os.Exit(2)
	}
}

func run(kind string, n int, seed uint64, ecos string, authors int, start string, gap time.Duration, honest int) error {
	cfg := spamgen.Config{N: n, Seed: seed, Authors: authors, Gap: gap}
	for _, e := range strings.Split(ecos, ",") {
		eco, err := ecosystem.Parse(strings.TrimSpace(e))
		if err != nil {
			return err
		}
		cfg.Ecosystems = append(cfg.Ecosystems, eco)
	}
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	cfg.Start = t
	var recs []record.Package
	switch kind {
	case "lure":
		recs = spamgen.Campaign(cfg)
	case "farm":
		recs = spamgen.TokenFarm(cfg)
	case "worm":
		recs = spamgen.WormWave(cfg)
	case "org":
		recs = spamgen.OrgFamilies(n, seed)
	default:
		return fmt.Errorf("-kind %q: want lure, farm, worm or org", kind)
	}
	if honest > 0 {
		recs = Interleave(spamgen.Honest(spamgen.HonestConfig{N: honest, Seed: seed}), recs, seed)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range recs {
		recs[i].Source = ""
		if err := enc.Encode(&recs[i]); err != nil {
			return err
		}
	}
	return w.Flush()
}

// Interleave inserts the records of b at random positions of a, keeping
// each list's order.
func Interleave(a, b []record.Package, seed uint64) []record.Package {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]record.Package, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j < len(b) && (i == len(a) || r.IntN(len(a)+len(b)) < len(b)) {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	return out
}
