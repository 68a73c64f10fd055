// Command evaldomains measures the lookalike-domain engine's false alarms
// on honest domains: every host name written in the summaries of the npm
// registry sample (overwhelmingly honest), plus the hand-assembled list of
// honest developer sites in honest.txt (or -honest FILE). It prints how
// many are flagged (any lookalike finding) and blocked (high), by
// technique, and every flagged host so that each can be reviewed: a
// flagged host may also be real phishing written in a spam summary. It
// then reports the recall on lures.txt, lookalikes written for the
// purpose.
//
//	go run ./tools/evaldomains -shared ../shared/data
package main

import (
	"bufio"
	"compress/gzip"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/record"
)

//go:embed honest.txt
var honestList string

//go:embed lures.txt
var lureList string

// hostRE finds host names in free text.
var hostRE = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b`)

func main() {
	shared := flag.String("shared", "../shared/data", "shared data directory")
	honest := flag.String("honest", "", "file of honest domains, one a line (default: the embedded honest.txt)")
	show := flag.Int("show", 200, "print at most this many flagged hosts")
	flag.Parse()

	list := honestList
	if *honest != "" {
		b, err := os.ReadFile(*honest)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		list = string(b)
	}
	summaries, err := summaryHosts(filepath.Join(*shared, "registry", "npm-packages.tsv.gz"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	eng := domain.New(nil)
	report(eng, "npm summaries", summaries, *show)
	report(eng, "honest.txt", lines(list), *show)
	lures := lines(lureList)
	var caught, high int
	for _, h := range lures {
		m := eng.Judge(h)
		if m.Lookalike() {
			caught++
			if m.Severity >= record.High {
				high++
			}
		} else {
			fmt.Printf("  missed %s\n", h)
		}
	}
	fmt.Printf("lures.txt: %d lookalikes: caught %d (%.0f%%), high %d (%.0f%%)\n",
		len(lures), caught, 100*float64(caught)/float64(max(1, len(lures))), high, 100*float64(high)/float64(max(1, len(lures))))
}

func report(eng *domain.Engine, label string, hosts []string, show int) {
	var flagged, blocked, official int
	byTech := map[string]int{}
	var shown []string
	for _, h := range hosts {
		m := eng.Judge(h)
		if m.Official {
			official++
		}
		if !m.Lookalike() {
			continue
		}
		flagged++
		if m.Severity >= record.High {
			blocked++
		}
		byTech[m.Technique+" "+m.Severity.String()]++
		if len(shown) < show {
			shown = append(shown, fmt.Sprintf("  %-6s %-40s %s", m.Severity, h, m.Detail))
		}
	}
	n := max(len(hosts), 1)
	fmt.Printf("%s: %d distinct hosts (%d official): flagged %d (%.2f%%), blocked %d (%.2f%%)\n",
		label, len(hosts), official, flagged, 100*float64(flagged)/float64(n), blocked, 100*float64(blocked)/float64(n))
	techs := make([]string, 0, len(byTech))
	for t := range byTech {
		techs = append(techs, t)
	}
	sort.Strings(techs)
	for _, t := range techs {
		fmt.Printf("  %-32s %d\n", t, byTech[t])
	}
	for _, s := range shown {
		fmt.Println(s)
	}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// summaryHosts returns the distinct host names written in the summaries
// whose suffix the public-suffix list knows (node.js and package.json are
// not hosts).
func summaryHosts(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(io.LimitReader(zr, 1<<30))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 4 {
			continue
		}
		for _, h := range hostRE.FindAllString(fields[3], -1) {
			h = strings.ToLower(h)
			if seen[h] {
				continue
			}
			if ps, icann := publicsuffix.PublicSuffix(h); !icann && !strings.Contains(ps, ".") {
				continue // an unknown suffix ("node.js", "package.json"): not a host
			}
			seen[h] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(seen))
	for h := range seen {
		out = append(out, h)
	}
	sort.Strings(out)
	return out, nil
}
