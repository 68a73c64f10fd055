package spamgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// Floods without lure text: token farming and worm waves. Their members
// look harmless one by one (plain words, no link, a bland or empty text);
// only the family — one name shape with random parts, a few accounts, a
// burst, identical descriptions and manifests — reveals them.

var farmWords = strings.Fields(`
alpha beta cool nice super mega quick smart simple easy basic happy lucky magic pixel cloud
data node web app tool util utils helper helpers core kit lib base fast tiny mini micro auto
react vue next nest express api json text color image file stream task queue event state
`)

var givenNames = strings.Fields(`
andi budi citra dewi eka fajar gilang hana indra joko kiki lina maya nanda oki putri rani sari
tono umar vina wati yuni zaki agus bayu dian fitri hadi iwan lestari rudi santi taufik
`)

var foods = strings.Fields(`
rendang sate bakso nasi soto tempe tahu gado rawon pecel lontong martabak siomay cilok
seblak klepon onde serabi pempek opor
`)

var wormWords = strings.Fields(`
kyuki breki zuma lopa tiva mork sendo pari gumo rexa vilo nuda kato hemi jilo fazo
`)

// TokenFarm generates a token-farming flood: <word>-<word>-<2–3 random
// characters> names (sometimes one word), published in a burst by
// c.Authors accounts (default 3), with one of two bland descriptions and
// identical manifests, no links, no lure.
func TokenFarm(c Config) []record.Package {
	c = c.defaults(ecosystem.NPM)
	g := &gen{r: rand.New(rand.NewPCG(c.Seed, 0x70ce4))}
	accounts := g.accounts(c.Authors, "dev")
	descs := []string{"A simple and useful package for developers", "This package provides useful utilities for your project"}
	deps := []string{"tea-protocol-util", "lodash"}
	seen := map[string]bool{}
	out := make([]record.Package, 0, c.N)
	t := c.Start
	for len(out) < c.N {
		n := 2 + g.r.IntN(2)
		parts := make([]string, 0, n)
		for range n - 1 {
			parts = append(parts, g.pick(farmWords))
		}
		parts = append(parts, g.word(letters+"0123456789", 2+g.r.IntN(2)))
		name := strings.Join(parts, "-")
		if seen[name] {
			continue
		}
		seen[name] = true
		a := accounts[g.r.IntN(len(accounts))]
		out = append(out, record.Package{
			Ecosystem:    c.Ecosystems[g.r.IntN(len(c.Ecosystems))],
			Name:         name,
			Version:      "1.0." + fmt.Sprint(g.r.IntN(3)),
			Description:  g.pick(descs),
			Readme:       "# " + name + "\n",
			Authors:      []record.Person{{Name: a.name, Email: a.email}},
			Scripts:      map[string]string{"test": "echo \"Error: no test specified\" && exit 1"},
			Dependencies: []record.Dependency{{Name: deps[0], Version: "^1.0.0"}, {Name: deps[1], Version: "^4.17.21"}},
			Published:    t,
			Source:       "spamgen-farm",
		})
		t = t.Add(time.Duration(g.r.ExpFloat64() * float64(c.Gap))).Truncate(time.Second)
	}
	return out
}

// WormWave generates a worm wave: <given-name>-<food><digits>-<word>
// names published within hours from many accounts (each publishes a few),
// with an identical README-less manifest and description, no lure.
func WormWave(c Config) []record.Package {
	c = c.defaults(ecosystem.NPM)
	if c.Authors <= 3 {
		c.Authors = max(3, c.N/20)
	}
	g := &gen{r: rand.New(rand.NewPCG(c.Seed, 0x3e4a))}
	accounts := g.accounts(c.Authors, "")
	seen := map[string]bool{}
	out := make([]record.Package, 0, c.N)
	t := c.Start
	for len(out) < c.N {
		name := g.pick(givenNames) + "-" + g.pick(foods) + fmt.Sprint(g.r.IntN(100)) + "-" + g.pick(wormWords)
		if seen[name] {
			continue
		}
		seen[name] = true
		a := accounts[g.r.IntN(len(accounts))]
		out = append(out, record.Package{
			Ecosystem:    ecosystem.NPM,
			Name:         name,
			Version:      "1.0.0",
			Description:  "",
			Authors:      []record.Person{{Name: a.name, Email: a.email}},
			Scripts:      map[string]string{"start": "node index.js"},
			Dependencies: []record.Dependency{{Name: "express"}, {Name: "axios"}},
			Published:    t,
			Source:       "spamgen-worm",
		})
		t = t.Add(time.Duration(g.r.ExpFloat64() * float64(c.Gap))).Truncate(time.Second)
	}
	return out
}

// OrgFamilies generates honest look-alike name families of one
// organization each, published in bursts by one account with templated
// descriptions and identical manifests: @types/<word>,
// @babel/plugin-<words>, eslint-config-<word>, aws-sdk-<word>. They share
// everything a flood shares except random name parts, and must never be
// reported.
func OrgFamilies(n int, seed uint64) []record.Package {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x0f6a))}
	start := time.Date(2024, 5, 2, 9, 0, 0, 0, time.UTC)
	fams := []struct {
		name func() string
		desc string
		auth string
	}{
		{func() string { return "@types/" + g.pick(techWords) + "-" + g.pick(techWords) }, "TypeScript definitions for %s", "types"},
		{func() string {
			return "@babel/plugin-" + g.pick([]string{"transform", "proposal", "syntax"}) + "-" + g.pick(techWords)
		}, "Babel plugin for %s", "nicolo-ribaudo"},
		{func() string {
			return "eslint-config-" + g.pick(techWords) + g.pick([]string{"", "-" + g.pick(techWords)})
		}, "ESLint shareable config for %s", "eslint-bot"},
		{func() string { return "aws-sdk-" + g.pick(techWords) + g.pick([]string{"", "-" + g.pick(techWords)}) }, "AWS SDK for JavaScript %s client", "aws-sdk-bot"},
		{func() string { return "aws-" + g.pick(techWords) + "-" + g.word("abcdefghijklmnopqrstuvwxyz", 3) }, "AWS %s construct library", "aws-cdk-bot"},
	}
	seen := map[string]bool{}
	var out []record.Package
	for k, f := range fams {
		t := start.Add(time.Duration(k) * 24 * time.Hour)
		for made, tries := 0, 0; made < n/len(fams) && tries < 50*n; tries++ {
			name := f.name()
			if seen[name] {
				continue
			}
			seen[name] = true
			made++
			out = append(out, record.Package{
				Ecosystem:    ecosystem.NPM,
				Name:         name,
				Version:      "7.24." + fmt.Sprint(g.r.IntN(10)),
				Description:  fmt.Sprintf(f.desc, name),
				Authors:      []record.Person{{Name: f.auth, Email: f.auth + "@example.org"}},
				Scripts:      map[string]string{"build": "tsc"},
				Dependencies: []record.Dependency{{Name: "tslib"}},
				Published:    t,
				Source:       "honest-org",
			})
			t = t.Add(time.Duration(1+g.r.IntN(20)) * time.Second)
		}
	}
	return out
}

type account struct{ name, email string }

func (g *gen) accounts(n int, prefix string) []account {
	out := make([]account, 0, n)
	for range n {
		a := prefix + g.pseudo() + g.word("0123456789", 2)
		out = append(out, account{a, a + "@" + g.pick([]string{"gmail.com", "outlook.com", "proton.me"})})
	}
	return out
}

// defaults fills the zero fields of a flood's configuration.
func (c Config) defaults(eco ecosystem.Ecosystem) Config {
	if len(c.Ecosystems) == 0 {
		c.Ecosystems = []ecosystem.Ecosystem{eco}
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	}
	if c.Authors <= 0 {
		c.Authors = 3
	}
	if c.Gap <= 0 {
		c.Gap = 20 * time.Second
	}
	return c
}
