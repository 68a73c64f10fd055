// Command evalcampaign measures campaign clustering on real data: it
// mixes a synthetic spam campaign (internal/campaign/spamgen) into the
// real npm records of ../shared/data/registry/npm-packages.tsv.gz (name,
// version and summary as description; publication times spread over
// 2012–2025; authors unknown), clusters everything, and reports the
// precision and recall of the recovered synthetic campaign, the real
// packages put in any campaign with synthetic members, and the campaigns
// (and honest families) found among the real packages alone. Then the
// floods without lure text (spamgen.TokenFarm, spamgen.WormWave) mixed
// with the real records and honest organization families
// (spamgen.OrgFamilies: @types/*, @babel/plugin-*, eslint-config-*,
// aws-sdk-*): the recall of each flood and the honest members reported;
// and, as a worst case for the publish-burst signal, the real records
// alone with every publication squeezed into one day.
//
//	go run ./tools/evalcampaign -shared ../shared/data -n 2000 -seed 1
package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func main() {
	shared := flag.String("shared", "../shared/data", "shared data directory")
	n := flag.Int("n", 2000, "synthetic campaign size")
	seed := flag.Uint64("seed", 1, "random seed")
	show := flag.Int("show", 8, "real clusters to list")
	flag.Parse()
	if err := run(*shared, *n, *seed, *show); err != nil {
		fmt.Fprintln(os.Stderr, "evalcampaign:", err)
		os.Exit(2)
	}
}

func run(shared string, n int, seed uint64, show int) error {
	real, err := readNPM(filepath.Join(shared, "registry", "npm-packages.tsv.gz"), seed)
	if err != nil {
		return err
	}
	spam := spamgen.Campaign(spamgen.Config{N: n, Seed: seed})
	synth := map[string]bool{}
	for i := range spam {
		synth[memberKey(&spam[i])] = true
	}
	fmt.Printf("real npm records: %d; synthetic campaign: %d (%s)\n", len(real), len(spam), ecoMix(spam))

	// 1. Mixed.
	mixed := interleave(real, spam, seed)
	res, dur, mem := cluster(mixed)
	fmt.Printf("\nmixed: %d records clustered in %v (heap %d MiB): %d campaigns, %d families, %d comparisons, %d links\n",
		res.Records, dur.Round(time.Millisecond), mem>>20, len(res.Campaigns), len(res.Families), res.Comparisons, res.Links)
	best, bestHits := -1, 0
	falseMembers := 0
	for i, c := range res.Campaigns {
		hits := 0
		for _, m := range c.Members {
			if synth[m.Key()] {
				hits++
			}
		}
		if hits > 0 {
			falseMembers += c.Size - hits
		}
		if hits > bestHits {
			best, bestHits = i, hits
		}
	}
	if best < 0 {
		fmt.Println("synthetic campaign NOT recovered: precision 0, recall 0")
	} else {
		c := res.Campaigns[best]
		fmt.Printf("recovered campaign %s: %d members, confidence %.2f\n", c.ID, c.Size, c.Confidence)
		fmt.Printf("  precision %.4f  recall %.4f  (synthetic in it %d of %d)\n",
			float64(bestHits)/float64(c.Size), float64(bestHits)/float64(len(spam)), bestHits, len(spam))
		for _, s := range c.Summary() {
			fmt.Println("   ", s)
		}
		for _, t := range c.Indicators.NameTemplates {
			fmt.Printf("    template %s (%d)\n", t.Value, t.Count)
		}
	}
	synthCampaigns := 0
	for _, c := range res.Campaigns {
		for _, m := range c.Members {
			if synth[m.Key()] {
				synthCampaigns++
				break
			}
		}
	}
	fmt.Printf("campaigns with synthetic members: %d; real npm packages in them: %d\n", synthCampaigns, falseMembers)
	for _, f := range res.Families {
		for _, m := range f.Members {
			if synth[m.Key()] {
				fmt.Printf("  synthetic member in a family (not a campaign): %s\n", m.Key())
				break
			}
		}
	}

	// 2. Real alone.
	res, dur, mem = cluster(real)
	fmt.Printf("\nreal npm alone: %d records in %v (heap %d MiB): %d campaigns (%d members), %d honest families\n",
		res.Records, dur.Round(time.Millisecond), mem>>20, len(res.Campaigns), res.Members(), len(res.Families))
	list := func(kind string, cs []campaign.Campaign) {
		for i, c := range cs {
			if i == show {
				fmt.Printf("  … %d more\n", len(cs)-show)
				break
			}
			var ex []string
			for _, m := range c.Members[:min(4, len(c.Members))] {
				ex = append(ex, m.Name)
			}
			tmpl := ""
			if len(c.Indicators.NameTemplates) > 0 {
				tmpl = c.Indicators.NameTemplates[0].Value
			}
			fmt.Printf("  %s %s size %d conf %.2f text %.2f lure %.2f template %q e.g. %s\n",
				kind, c.ID, c.Size, c.Confidence, c.Indicators.TextSimilarity, c.Indicators.LureShare, tmpl, strings.Join(ex, ", "))
		}
	}
	var near []campaign.Campaign
	for _, f := range res.Families {
		if f.Indicators.LureShare >= 0.2 || f.Indicators.LinkShare >= 0.2 && f.Indicators.TemplatedShare >= 0.2 {
			near = append(near, f)
		}
	}
	list("campaign", res.Campaigns)
	list("family", res.Families)
	fmt.Printf("families nearest to a campaign (lure share >= 0.2, or link and templated shares >= 0.2): %d\n", len(near))
	list("near", near)

	// 3. Floods without lures, and honest organization families.
	farm := spamgen.TokenFarm(spamgen.Config{N: n / 2, Seed: seed})
	worm := spamgen.WormWave(spamgen.Config{N: n / 2, Seed: seed + 1})
	org := spamgen.OrgFamilies(n, seed+2)
	kind := map[string]string{}
	for _, set := range [][]record.Package{farm, worm, org} {
		for i := range set {
			kind[memberKey(&set[i])] = set[i].Source
		}
	}
	mixed = interleave(real, interleave(interleave(farm, worm, seed), org, seed+1), seed+2)
	res, dur, mem = cluster(mixed)
	found := map[string]int{}
	for _, c := range res.Campaigns {
		for _, m := range c.Members {
			k := kind[m.Key()]
			if k == "" {
				k = "real"
			}
			found[k]++
		}
	}
	fmt.Printf("\nfloods: %d records in %v (heap %d MiB): %d campaigns\n", res.Records, dur.Round(time.Millisecond), mem>>20, len(res.Campaigns))
	fmt.Printf("  token farm recall %.4f (%d of %d); worm wave recall %.4f (%d of %d)\n",
		float64(found["spamgen-farm"])/float64(max(1, len(farm))), found["spamgen-farm"], len(farm),
		float64(found["spamgen-worm"])/float64(max(1, len(worm))), found["spamgen-worm"], len(worm))
	fmt.Printf("  honest organization families reported: %d of %d; real npm packages reported: %d\n", found["honest-org"], len(org), found["real"])
	for _, c := range res.Campaigns {
		if c.Indicators.NameShape != "" {
			fmt.Printf("  campaign %s size %d conf %.2f shape %s signals %v\n", c.ID, c.Size, c.Confidence, c.Indicators.NameShape, c.Indicators.ShapeSignals)
		}
	}

	// 4. Real alone, published within one day.
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC).Unix()
	r := rand.New(rand.NewPCG(seed, 5))
	squeezed := make([]record.Package, len(real))
	copy(squeezed, real)
	for i := range squeezed {
		squeezed[i].Published = time.Unix(day+r.Int64N(24*3600), 0).UTC()
	}
	res, dur, _ = cluster(squeezed)
	fmt.Printf("\nreal npm alone, all published within one day: %d records in %v: %d campaigns (%d members)\n",
		res.Records, dur.Round(time.Millisecond), len(res.Campaigns), res.Members())
	list("campaign", res.Campaigns)
	return nil
}

func cluster(recs []record.Package) (*campaign.Result, time.Duration, uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	b := campaign.NewBuilder(campaign.DefaultOptions())
	for i := range recs {
		b.Add(&recs[i])
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	res, err := b.Cluster(context.Background())
	if err != nil {
		panic(err)
	}
	return res, time.Since(start), after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
}

func memberKey(p *record.Package) string {
	return (campaign.Member{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version}).Key()
}

func ecoMix(recs []record.Package) string {
	m := map[ecosystem.Ecosystem]int{}
	for i := range recs {
		m[recs[i].Ecosystem]++
	}
	var s []string
	for _, e := range ecosystem.All() {
		if m[e] > 0 {
			s = append(s, fmt.Sprintf("%s %d", e, m[e]))
		}
	}
	return strings.Join(s, ", ")
}

// readNPM reads the registry TSV (name, version, downloads, summary).
func readNPM(path string, seed uint64) ([]record.Package, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r := rand.New(rand.NewPCG(seed, 99))
	t0 := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	span := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC).Unix() - t0
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []record.Package
	for line := 0; sc.Scan(); line++ {
		cols := strings.Split(sc.Text(), "\t")
		if line == 0 || len(cols) < 2 {
			continue
		}
		p := record.Package{Ecosystem: ecosystem.NPM, Name: cols[0], Version: cols[1],
			Published: time.Unix(t0+r.Int64N(span), 0).UTC()}
		if len(cols) >= 4 {
			p.Description = cols[3]
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// interleave inserts b's records at random positions of a.
func interleave(a, b []record.Package, seed uint64) []record.Package {
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
