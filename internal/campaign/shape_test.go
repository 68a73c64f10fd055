package campaign

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/record"
)

func TestNameShape(t *testing.T) {
	tests := map[string]string{
		"cool-utils-x7k":         "a-a-r",
		"react-helper-qz":        "a-a-a",
		"andi-rendang42-kyuki":   "a-n-a",
		"express-session":        "", // no token that could be random
		"is-odd":                 "a-a",
		"base64-js":              "n-a",
		"lib-2024":               "a-d",
		"x1y2-z":                 "r-a",
		"@types/node":            "",
		"lodash":                 "",
		"a-b-c-d-e-f-g":          "",
		"Free.Robux.Generator.2": "a-a-a-d",
	}
	for name, want := range tests {
		if got, _ := nameShape(name); got != want {
			t.Errorf("nameShape(%q) = %q, want %q", name, got, want)
		}
	}
}

func clusterAll(t *testing.T, recs []record.Package) *Result {
	t.Helper()
	b := NewBuilder(DefaultOptions())
	for i := range recs {
		b.Add(&recs[i])
	}
	res, err := b.Cluster(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// members returns the keys of all campaign members whose source is src.
func campaignMembers(res *Result, src func(Member) bool) int {
	n := 0
	for _, c := range res.Campaigns {
		for _, m := range c.Members {
			if src(m) {
				n++
			}
		}
	}
	return n
}

// Floods without lure text are campaigns by their name shape and shared
// signals; honest organization families never are.
func TestShapeCampaigns(t *testing.T) {
	farm := spamgen.TokenFarm(spamgen.Config{N: 300, Seed: 7})
	worm := spamgen.WormWave(spamgen.Config{N: 200, Seed: 8})
	org := spamgen.OrgFamilies(400, 9)
	bg := spamgen.Honest(spamgen.HonestConfig{N: 3000, Seed: 10})
	// Each flood member alone carries no lure.
	for _, p := range append(slices.Clone(farm[:20]), worm[:20]...) {
		s := Sign(&p)
		if lureScore(s.lure) >= lureThreshold {
			t.Fatalf("%s: a lure on its own", p.Name)
		}
	}
	all := slices.Concat(bg, farm, worm, org)
	res := clusterAll(t, all)
	src := map[string]string{}
	for _, p := range all {
		src[(Member{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version}).Key()] = p.Source
	}
	count := func(s string) int {
		return campaignMembers(res, func(m Member) bool { return src[m.Key()] == s })
	}
	if got := count("spamgen-farm"); got*10 < len(farm)*9 {
		t.Errorf("token farm: %d of %d members in campaigns", got, len(farm))
	}
	if got := count("spamgen-worm"); got*10 < len(worm)*9 {
		t.Errorf("worm wave: %d of %d members in campaigns", got, len(worm))
	}
	for _, s := range []string{"honest-org", "honest", "honest-family"} {
		if got := count(s); got != 0 {
			t.Errorf("%s: %d honest members reported in campaigns", s, got)
		}
	}
	var shaped int
	for _, c := range res.Campaigns {
		if c.Indicators.NameShape != "" {
			shaped++
			if len(c.Indicators.ShapeSignals) < 2 || c.Confidence <= 0 {
				t.Errorf("campaign %s: signals %v confidence %v", c.ID, c.Indicators.ShapeSignals, c.Confidence)
			}
		}
	}
	if shaped == 0 {
		t.Errorf("no campaign has a name shape: %+v", res.Campaigns)
	}
}

// The honest families alone, even in one burst by one account with one
// description, are never campaigns; nor is a flood that only shares the
// shape (no author, burst, description or manifest in common).
func TestShapeHonest(t *testing.T) {
	if res := clusterAll(t, spamgen.OrgFamilies(500, 3)); len(res.Campaigns) != 0 {
		t.Errorf("organization families reported: %+v", res.Campaigns[0].Indicators)
	}
	farm := spamgen.TokenFarm(spamgen.Config{N: 100, Seed: 4, Authors: 100})
	for i := range farm {
		farm[i].Description = ""
		farm[i].Scripts, farm[i].Dependencies = nil, nil
		farm[i].Published = farm[i].Published.Add(time600(i))
	}
	if res := clusterAll(t, farm); len(res.Campaigns) != 0 {
		t.Errorf("a shape alone made a campaign: %+v", res.Campaigns[0].Indicators)
	}
}

// time600 spreads records 600 hours apart.
func time600(i int) (d time.Duration) { return time.Duration(i) * 600 * 3600 * 1e9 }

// A series of piracy SEO packages (e-books and films) is a lure campaign.
func TestPiracyCampaign(t *testing.T) {
	titles := []string{"silent patient", "fourth wing", "atomic habits", "the housemaid", "it ends with us",
		"verity", "iron flame", "lessons in chemistry", "the women", "onyx storm", "funny story", "happy place"}
	var recs []record.Package
	for i, title := range titles {
		recs = append(recs, record.Package{
			Ecosystem:   "npm",
			Name:        "download-" + slug(title) + "-epub-pdf-free",
			Version:     "1.0.0",
			Description: "Download " + title + " epub pdf free: read online the full book, free download.",
			Homepage:    "https://bookz-library.example/" + slug(title) + "?uid=" + string(rune('a'+i)),
		})
		recs = append(recs, record.Package{
			Ecosystem:   "npm",
			Name:        "watch-" + slug(title) + "-2025-full-movie",
			Version:     "1.0.0",
			Description: "Watch " + title + " 2025 full movie online free on 123movies.",
			Homepage:    "https://cine-hd.example/" + slug(title),
		})
	}
	res := clusterAll(t, recs)
	if res.Members() < len(recs)*8/10 {
		t.Errorf("piracy series: %d of %d members in campaigns: %+v", res.Members(), len(recs), res.Families)
	}
}

func slug(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c == ' ' {
			out[i] = '-'
		}
	}
	return string(out)
}
