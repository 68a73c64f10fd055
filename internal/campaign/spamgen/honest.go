package spamgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

var techWords = strings.Fields(`
async await buffer cache client config cookie crypto date debug diff dom emitter env error event
express fetch file format fs glob graph hash http image json jwt lint list log map markdown math
middleware mock node object parse parser path plugin promise proxy query queue react redux regex
request router schema server socket sort stream string style table template test theme time token
tree type url util utils validate validator vue webpack worker yaml zip babel eslint rollup vite
loader transform compiler runtime polyfill color chart icon font button modal form input select
slider table grid layout animation canvas svg audio video storage session auth oauth graphql rest
api sdk cli shell terminal prompt spinner progress retry timeout rate limit throttle debounce
memo state store hook context signal observable stream pipe merge clone deep equal compare
`)

var fillerWords = strings.Fields(`
the a an and or of to in for with on by from this that it is are be as at your you can will
use uses using used provides simple small fast lightweight tiny easy way module package library
function functions returns value values option options default support supports based without
other also when which more all any each one two only into over new data support browser
`)

var descTemplates = []string{
	"{A|The} {simple|fast|tiny|lightweight|modern} {W} {W} for {Node.js|the browser|React|TypeScript|JavaScript}",
	"{W} {W} {utilities|helpers|tools} with {W} support",
	"{Parse|Format|Validate|Transform|Render} {W} {W} {easily|quickly|in the browser|from the command line}",
	"{W} plugin for {W}",
	"{Yet another|A} {W} {library|module|package} {written in TypeScript|with zero dependencies|for W W}",
	"{W} {W} {W} {implementation|wrapper|binding|client}",
}

// HonestConfig describes background records.
type HonestConfig struct {
	N    int
	Seed uint64
	// Eco is the ecosystem of the records (default npm).
	Eco ecosystem.Ecosystem
	// FamilyShare is the share of records in monorepo and series families
	// (default 0.15).
	FamilyShare float64
}

// Honest generates honest-looking background records: varied names and
// texts, a Zipf distribution of authors (a few publish hundreds of
// packages), monorepo families sharing a repository, a homepage domain, a
// name template and near-identical READMEs published in release bursts,
// and @types-like series.
func Honest(c HonestConfig) []record.Package {
	if c.Eco == "" {
		c.Eco = ecosystem.NPM
	}
	if c.FamilyShare == 0 {
		c.FamilyShare = 0.15
	}
	g := &gen{r: rand.New(rand.NewPCG(c.Seed, 0x40e57))}
	vocab := make([]string, 0, 3000)
	vocab = append(vocab, techWords...)
	for len(vocab) < 3000 {
		vocab = append(vocab, g.pseudo())
	}
	zipf := rand.NewZipf(g.r, 1.1, 4, uint64(len(vocab)-1))
	authors := make([]string, 20000)
	for i := range authors {
		authors[i] = g.pseudo() + g.pick([]string{"", "", "dev", "js", fmt.Sprint(g.r.IntN(100))})
	}
	azipf := rand.NewZipf(g.r, 1.2, 2, uint64(len(authors)-1))
	w := func() string {
		if g.r.IntN(3) == 0 {
			return g.pick(techWords)
		}
		return vocab[zipf.Uint64()]
	}
	t0 := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int64(11 * 365 * 24 * 3600)
	seen := map[string]bool{}
	out := make([]record.Package, 0, c.N)
	add := func(p record.Package) bool {
		if len(out) >= c.N || seen[p.Name] {
			return false
		}
		seen[p.Name] = true
		out = append(out, p)
		return true
	}
	for len(out) < c.N {
		if g.r.Float64() < c.FamilyShare {
			g.family(c.Eco, w, add, t0, span)
			continue
		}
		author := authors[azipf.Uint64()]
		var name string
		switch g.r.IntN(6) {
		case 0:
			name = w()
		case 1, 2:
			name = w() + "-" + w()
		case 3:
			name = w() + "-" + w() + "-" + w()
		case 4:
			name = "@" + author + "/" + w()
		default:
			name = w() + g.pick([]string{".js", "js", "-ts", "-cli", "-core"})
		}
		desc := g.spin(g.pick(descTemplates), nil)
		desc = fillW(desc, w)
		var rd strings.Builder
		fmt.Fprintf(&rd, "# %s\n\n%s.\n\n", name, desc)
		for range 1 + g.r.IntN(5) {
			n := 12 + g.r.IntN(40)
			for k := range n {
				if k > 0 {
					rd.WriteByte(' ')
				}
				if g.r.IntN(3) == 0 {
					rd.WriteString(g.pick(fillerWords))
				} else {
					rd.WriteString(w())
				}
			}
			rd.WriteString(".\n\n")
		}
		if g.r.IntN(2) == 0 {
			fmt.Fprintf(&rd, "## Install\n\n```\nnpm install %s\n```\n\n## Usage\n\n```js\nconst x = require('%s')\n```\n\n", name, name)
		}
		fmt.Fprintf(&rd, "## License\n\nMIT © %s\n", author)
		repo := "https://github.com/" + author + "/" + strings.TrimPrefix(strings.ReplaceAll(name, "@"+author+"/", ""), "@")
		add(record.Package{
			Ecosystem:   c.Eco,
			Name:        name,
			Version:     fmt.Sprintf("%d.%d.%d", g.r.IntN(5), g.r.IntN(20), g.r.IntN(10)),
			Description: desc,
			Readme:      rd.String(),
			Homepage:    repo + "#readme",
			Repository:  "git+" + repo + ".git",
			Keywords:    []string{w(), w()},
			Authors:     []record.Person{{Name: author, Email: author + "@example.org"}},
			Published:   t0.Add(time.Duration(g.r.Int64N(span)) * time.Second),
			Source:      "honest",
		})
	}
	return out
}

// family adds a monorepo or series.
func (g *gen) family(eco ecosystem.Ecosystem, w func() string, add func(record.Package) bool, t0 time.Time, span int64) {
	org := g.pseudo()
	size := 5 + g.r.IntN(60)
	if g.r.IntN(10) == 0 {
		size = 100 + g.r.IntN(300)
	}
	release := t0.Add(time.Duration(g.r.Int64N(span)) * time.Second)
	kind := g.r.IntN(3)
	prefix := g.pick([]string{"plugin", "preset", "client", "icons", "theme", "adapter"})
	for range size {
		item := w()
		var p record.Package
		switch kind {
		case 0: // monorepo: shared repository, org homepage, templated text, one release burst
			p = record.Package{
				Name:        "@" + org + "/" + prefix + "-" + item,
				Description: fmt.Sprintf("%s %s for %s", title(org), prefix, item),
				Readme: fmt.Sprintf("# @%s/%s-%s\n\n%s %s for %s. This package is part of the %s monorepo.\n\n"+
					"See https://%s.dev/docs/%s for the documentation.\n\n## Install\n\n```\nnpm install @%s/%s-%s\n```\n\n## License\n\nMIT\n",
					org, prefix, item, title(org), prefix, item, org, org, item, org, prefix, item),
				Homepage:   "https://" + org + ".dev",
				Repository: "git+https://github.com/" + org + "/" + org + ".git",
				Authors:    []record.Person{{Name: org + "-bot", Email: "bot@" + org + ".dev"}},
				Published:  release.Add(time.Duration(g.r.IntN(600)) * time.Second),
			}
		case 1: // @types-like series: one template, one-line text, shared repository
			p = record.Package{
				Name:        "@" + org + "/" + item,
				Description: "TypeScript definitions for " + item,
				Homepage:    "https://github.com/" + org + "/" + org + "/tree/master/types/" + item,
				Repository:  "https://github.com/" + org + "/" + org + ".git",
				Published:   t0.Add(time.Duration(g.r.Int64N(span)) * time.Second),
			}
		default: // one prolific author's series: is-<word>, varied texts
			author := org + "sorhus"
			p = record.Package{
				Name:        g.pick([]string{"is-", "has-", "get-", "to-"}) + item + g.pick([]string{"", "", "-" + w()}),
				Description: fillW(g.spin(g.pick(descTemplates), nil), w),
				Homepage:    "https://github.com/" + author + "/" + item,
				Authors:     []record.Person{{Name: author, Email: author + "@gmail.com"}},
				Published:   t0.Add(time.Duration(g.r.Int64N(span)) * time.Second),
			}
		}
		p.Ecosystem = eco
		p.Version = fmt.Sprintf("%d.%d.%d", g.r.IntN(8), g.r.IntN(20), g.r.IntN(10))
		p.Source = "honest-family"
		add(p)
	}
}

// pseudo is a pronounceable pseudo-word.
func (g *gen) pseudo() string {
	const cons = "bcdfghjklmnprstvwz"
	const vow = "aeiou"
	var b strings.Builder
	for range 2 + g.r.IntN(2) {
		b.WriteByte(cons[g.r.IntN(len(cons))])
		b.WriteByte(vow[g.r.IntN(len(vow))])
	}
	if g.r.IntN(2) == 0 {
		b.WriteByte(cons[g.r.IntN(len(cons))])
	}
	return b.String()
}

// fillW replaces each standalone "W" with a fresh word.
func fillW(s string, w func() string) string {
	f := strings.Fields(s)
	for i, x := range f {
		if x == "W" {
			f[i] = w()
		}
	}
	return strings.Join(f, " ")
}
