// Package spamgen generates synthetic package records for tests,
// benchmarks and evaluation of campaign clustering: a spam campaign
// mimicking the automated 2023 NuGet/npm/PyPI campaign (templated "free
// <item> generator <year>" names, lure READMEs spun from synonyms with
// shuffled sentences and random numbers, shared shortener and phishing
// links with per-package tracking parameters, a few publisher accounts,
// one burst of publications), and honest-looking background records
// (varied texts, authors publishing many packages, monorepos sharing a
// repository). Output is deterministic for a seed.
package spamgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// Config describes a campaign.
type Config struct {
	N          int                   // packages
	Seed       uint64                // random seed
	Ecosystems []ecosystem.Ecosystem // default npm, nuget, pypi
	Start      time.Time             // first publication (default 2024-03-01T02:00Z)
	Authors    int                   // publisher accounts (default 3)
	// Gap is the mean time between two publications (default 40 s).
	Gap time.Duration
}

// game is a lure target: a brand and what is promised.
type game struct{ brand, item string }

var games = []game{
	{"roblox", "robux"}, {"fortnite", "vbucks"}, {"fortnite", "v-bucks"}, {"coin master", "free spins"},
	{"free fire", "diamonds"}, {"pubg", "uc"}, {"tiktok", "followers"}, {"instagram", "followers"},
	{"clash of clans", "gems"}, {"brawl stars", "gems"}, {"netflix", "premium account"},
	{"amazon", "gift card"}, {"psn", "gift card codes"}, {"xbox", "gift card"}, {"steam", "wallet codes"},
	{"cash app", "money"}, {"paypal", "money"}, {"minecraft", "account"}, {"monopoly go", "dice"},
	{"8 ball pool", "coins"}, {"genshin impact", "primogems"}, {"call of duty", "cod points"},
	{"discord", "nitro"}, {"spotify", "premium"}, {"google play", "gift card"}, {"pokemon go", "pokecoins"},
}

// nameTemplates produce package names; {b} brand, {i} item, {y} year,
// {r} random suffix, {n} number.
var nameTemplates = []string{
	"free {i} generator {y}",
	"{i} generator {y} {r}",
	"free {i} {y} no human verification",
	"{b} free {i} {r}",
	"get free {i} {y} {n}",
	"{b} {i} hack {y}",
	"{i} generator no verification {r}",
	"free {b} {i} generator {y} updated",
}

// Spintax: each {a|b|c} picks one alternative.
var titles = []string{
	"{Free|FREE|Get Free|Unlimited} {I} {Generator|Gen|Hack} {Y} {(No Human Verification)|- No Verification|- Working|- Updated|}",
}

var sentences = []string{
	"{Looking for|Want|Need|Searching for} free {i}? {Our|This} {generator|tool|online generator} {gives you|lets you get|delivers} {unlimited|free|thousands of} {i} {in minutes|instantly|right now}.",
	"{Over|More than|Already} {N} {players|users|gamers} {have already claimed|already got|received} their {free|} {i} {today|this week|this month}.",
	"{No|Zero} {human verification|survey|password} {required|needed}. {100%|Totally|Completely} {safe|secure|free}.",
	"{Works on|Compatible with|Available for} {Android, iOS and PC|all devices|PC, Xbox and PlayStation|mobile and desktop}.",
	"{Updated|Last updated} {today|this week|N minutes ago}: {N} {i} {left|remaining|still available}.",
	"{Hurry|Don't wait|Limited time offer}! {This|Our} {method|generator|glitch} {may be patched soon|won't last forever|works for a limited time}.",
	"{How to get|Get|Claim} free {i} in {B} {Y}: {step by step guide|easy method|fast and easy}.",
	"{Just|Simply} enter your {username|player ID|account name}, choose the amount of {i} and {click generate|press the button|wait a few seconds}.",
	"{This|The} {B} {i} generator is {the best|the only working|the most trusted} {tool|generator|method} {in Y|of Y|online}.",
	"{Thousands of|Many|Lots of} {B} {players|fans|users} {use|trust|love} {it|this tool|our generator} {every day|daily|already}.",
}

var linkLines = []string{
	"{Click here|Tap here|Get it here|Claim now|Start now}: {U}",
	"[{CLICK HERE|GET FREE I NOW|CLAIM YOUR I|GENERATE NOW}]({U})",
	"{👉|➡️|>>} {U}",
}

const letters = "abcdefghijklmnopqrstuvwxyz"
const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"

type gen struct {
	r *rand.Rand
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) word(chars string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(chars[g.r.IntN(len(chars))])
	}
	return b.String()
}

// randSuffix is a random alphanumeric suffix with letters and digits
// mixed (as generated names use to dodge collisions).
func (g *gen) randSuffix() string {
	for {
		s := g.word(alnum, 4+g.r.IntN(3))
		if strings.ContainsAny(s, "0123456789") && strings.ContainsAny(s, letters) {
			return s
		}
	}
}

// spin expands {a|b} alternatives and the variables.
func (g *gen) spin(s string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c == '{' {
			j := strings.IndexByte(s[i:], '}')
			alts := strings.Split(s[i+1:i+j], "|")
			b.WriteString(g.spin(g.pick(alts), vars))
			i += j + 1
			continue
		}
		if v, ok := vars[string(c)]; ok && (i == 0 || !isLetter(s[i-1])) && (i+1 == len(s) || !isLetter(s[i+1])) {
			if c == 'N' {
				v = fmt.Sprint(100 + g.r.IntN(99900))
			}
			b.WriteString(v)
			i++
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func title(s string) string {
	w := strings.Fields(s)
	for i, x := range w {
		w[i] = strings.ToUpper(x[:1]) + x[1:]
	}
	return strings.Join(w, " ")
}

// Campaign generates a spam campaign.
func Campaign(c Config) []record.Package {
	if len(c.Ecosystems) == 0 {
		c.Ecosystems = []ecosystem.Ecosystem{ecosystem.NuGet, ecosystem.NuGet, ecosystem.NPM, ecosystem.NPM, ecosystem.PyPI}
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	}
	if c.Authors <= 0 {
		c.Authors = 3
	}
	if c.Gap <= 0 {
		c.Gap = 40 * time.Second
	}
	g := &gen{r: rand.New(rand.NewPCG(c.Seed, 0x5ca1ab1e))}
	// The campaign's infrastructure: three short links, two phishing
	// domains, a few accounts.
	short := []string{
		"https://bit.ly/" + g.word(alnum+"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 7),
		"https://tinyurl.com/" + g.word(alnum, 8),
		"https://cutt.ly/" + g.word(alnum+"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 6),
	}
	phish := []string{
		"https://" + g.pick([]string{"rewards", "gift", "claim", "promo"}) + "-" + g.word(letters, 5) + ".live",
		"https://" + g.pick([]string{"free", "get", "gen", "daily"}) + g.word(letters, 6) + ".online",
	}
	type account struct{ name, email string }
	var accounts []account
	for range c.Authors {
		n := g.pick([]string{"gen", "free", "hack", "gift", "promo"}) + g.word(alnum, 6)
		accounts = append(accounts, account{n, n + "@" + g.pick([]string{"gmail.com", "outlook.com", "proton.me"})})
	}
	year := fmt.Sprint(c.Start.Year())
	t := c.Start
	seen := map[string]bool{}
	out := make([]record.Package, 0, c.N)
	for len(out) < c.N {
		gm := games[g.r.IntN(len(games))]
		eco := c.Ecosystems[g.r.IntN(len(c.Ecosystems))]
		words := strings.Fields(g.pick(nameTemplates))
		var parts []string
		for _, w := range words {
			switch w {
			case "{b}":
				parts = append(parts, strings.Fields(gm.brand)...)
			case "{i}":
				parts = append(parts, strings.Fields(strings.ReplaceAll(gm.item, "-", ""))...)
			case "{y}":
				parts = append(parts, year)
			case "{r}":
				parts = append(parts, g.randSuffix())
			case "{n}":
				parts = append(parts, fmt.Sprint(g.r.IntN(10000)))
			default:
				parts = append(parts, w)
			}
		}
		name := spell(eco, parts, g)
		key := strings.ToLower(string(eco) + "/" + name)
		if seen[key] {
			continue
		}
		seen[key] = true
		vars := map[string]string{"i": gm.item, "I": title(gm.item), "b": gm.brand, "B": title(gm.brand), "Y": year, "N": ""}
		acct := accounts[g.r.IntN(len(accounts))]
		// Links: one shortener link and often the phishing page, with
		// per-package tracking parameters.
		slug := strings.ToLower(strings.Join(parts, "-"))
		s := g.pick(short)
		track := fmt.Sprintf("?utm_source=%s&ref=%s", eco, slug)
		links := []string{s + track}
		if g.r.IntN(3) > 0 {
			links = append(links, fmt.Sprintf("%s/%s?pkg=%s&uid=%d", g.pick(phish), strings.ReplaceAll(gm.item, " ", "-"), slug, g.r.IntN(1_000_000)))
		}
		vars["U"] = links[0]
		head := g.spin(g.pick(titles), vars)
		desc := g.spin(g.pick(sentences), vars)
		n := 4 + g.r.IntN(4)
		idx := g.r.Perm(len(sentences))[:n]
		var body []string
		for _, i := range idx {
			body = append(body, g.spin(sentences[i], vars))
		}
		for _, l := range links {
			v := map[string]string{"U": l, "I": strings.ToUpper(gm.item)}
			line := g.spin(g.pick(linkLines), v)
			body = append(body, line)
		}
		g.r.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
		readme := "# " + head + "\n\n" + strings.Join(body, "\n\n") + "\n"
		if g.r.IntN(2) == 0 {
			readme += "\n" + g.spin("{Tags|Keywords}: free "+gm.item+", "+gm.item+" generator, "+gm.brand+" "+gm.item+", free "+gm.item+" "+year+"\n", vars)
		}
		p := record.Package{
			Ecosystem:   eco,
			Name:        name,
			Version:     g.pick([]string{"1.0.0", "1.0.0", "0.0.1", "1.0.1", "2.0.0"}),
			Description: desc,
			Readme:      readme,
			Homepage:    links[0],
			Keywords:    []string{"free", gm.item, "generator"},
			Authors:     []record.Person{{Name: acct.name, Email: acct.email}},
			Published:   t,
			Source:      "spamgen",
		}
		if g.r.IntN(4) == 0 {
			p.Homepage = ""
		}
		out = append(out, p)
		t = t.Add(time.Duration(g.r.ExpFloat64() * float64(c.Gap))).Truncate(time.Second)
	}
	return out
}

// spell writes name parts the way the ecosystem's spammers did: NuGet
// dotted or PascalCase, PyPI and npm with hyphens or underscores.
func spell(eco ecosystem.Ecosystem, parts []string, g *gen) string {
	switch eco {
	case ecosystem.NuGet:
		tp := make([]string, len(parts))
		for i, p := range parts {
			tp[i] = strings.ToUpper(p[:1]) + p[1:]
		}
		if g.r.IntN(2) == 0 {
			return strings.Join(tp, ".")
		}
		return strings.Join(tp, "")
	case ecosystem.PyPI:
		if g.r.IntN(2) == 0 {
			return strings.Join(parts, "_")
		}
	}
	return strings.Join(parts, "-")
}
