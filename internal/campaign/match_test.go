package campaign

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// knownFromClusters clusters recs and returns the campaigns found as
// Known, with the compact signatures of their members.
func knownFromClusters(t testing.TB, recs []record.Package) []Known {
	t.Helper()
	res := cluster(t, recs)
	sigs := make([]CompactSig, len(recs))
	for i := range recs {
		s := Sign(&recs[i])
		sigs[i] = s.Compact()
	}
	var out []Known
	for i := range res.Campaigns {
		out = append(out, KnownFrom(&res.Campaigns[i], sigs))
	}
	return out
}

// split puts every third record into held and the others into train.
func split(recs []record.Package) (train, held []record.Package) {
	for i, p := range recs {
		if i%3 == 2 {
			held = append(held, p)
		} else {
			train = append(train, p)
		}
	}
	return train, held
}

// matchRate returns the share of recs m matches.
func matchRate(m *Matcher, recs []record.Package) (float64, []string) {
	n := 0
	var missed []string
	for i := range recs {
		if _, ok := m.Match(&recs[i]); ok {
			n++
		} else if len(missed) < 5 {
			missed = append(missed, recs[i].Name)
		}
	}
	return float64(n) / float64(len(recs)), missed
}

// TestMatchHeldOut builds campaigns from two thirds of each generated
// campaign's members mixed into honest records, then matches the third
// held out (recall ≥ 95%) and honest records the clustering never saw
// (no false match).
func TestMatchHeldOut(t *testing.T) {
	honestTrain := spamgen.Honest(spamgen.HonestConfig{N: 6000, Seed: 11})
	honestTrain = append(honestTrain, spamgen.OrgFamilies(400, 12)...)
	gens := []struct {
		name string
		recs []record.Package
	}{
		{"lure campaign", spamgen.Campaign(spamgen.Config{N: 450, Seed: 21})},
		{"lure campaign 2", spamgen.Campaign(spamgen.Config{N: 300, Seed: 22, Start: time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)})},
		{"token farm", spamgen.TokenFarm(spamgen.Config{N: 450, Seed: 23})},
		{"worm wave", spamgen.WormWave(spamgen.Config{N: 450, Seed: 24, Start: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)})},
	}
	recs := append([]record.Package(nil), honestTrain...)
	var helds, trains [][]record.Package
	for _, g := range gens {
		train, held := split(g.recs)
		recs = append(recs, train...)
		helds = append(helds, held)
		trains = append(trains, train)
	}
	known := knownFromClusters(t, recs)
	clustered := map[string]bool{}
	for _, k := range known {
		for _, mem := range k.Members {
			clustered[mem.Key()] = true
		}
	}
	m := NewMatcher(known)
	for i, g := range gens {
		t.Run(g.name, func(t *testing.T) {
			// The campaign must be known first: most of the members
			// clustering saw are in a campaign.
			in := 0
			for _, p := range trains[i] {
				if clustered[(Member{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version}).Key()] {
					in++
				}
			}
			if in*10 < len(trains[i])*9 {
				t.Fatalf("clustering put %d of %d members in campaigns", in, len(trains[i]))
			}
			rate, missed := matchRate(m, helds[i])
			t.Logf("recall %.3f of %d held-out members (missed e.g. %q)", rate, len(helds[i]), missed)
			if rate < 0.95 {
				t.Errorf("recall %.3f, want ≥ 0.95; missed e.g. %q", rate, missed)
			}
		})
	}
	t.Run("honest", func(t *testing.T) {
		honest := spamgen.Honest(spamgen.HonestConfig{N: 20000, Seed: 31})
		honest = append(honest, spamgen.Honest(spamgen.HonestConfig{N: 5000, Seed: 32, Eco: ecosystem.PyPI})...)
		honest = append(honest, spamgen.OrgFamilies(2000, 33)...)
		false_ := 0
		for i := range honest {
			if h, ok := m.Match(&honest[i]); ok {
				false_++
				if false_ <= 5 {
					t.Errorf("honest %q matched %s: %q", honest[i].Name, h.ID, h.Matched)
				}
			}
		}
		t.Logf("false matches: %d of %d honest records", false_, len(honest))
	})
}

func campaignRec(name string, mods ...func(*record.Package)) record.Package {
	p := record.Package{Ecosystem: ecosystem.NPM, Name: name, Version: "1.0.0"}
	for _, f := range mods {
		f(&p)
	}
	return p
}

func withHome(u string) func(*record.Package) { return func(p *record.Package) { p.Homepage = u } }
func withAuthor(a string) func(*record.Package) {
	return func(p *record.Package) { p.Authors = []record.Person{{Name: a, Email: a + "@example.net"}} }
}
func withReadme(s string) func(*record.Package) { return func(p *record.Package) { p.Readme = s } }
func withDesc(s string) func(*record.Package)   { return func(p *record.Package) { p.Description = s } }

// handKnown is a hand-made lure campaign on the phishing domain
// robux-claim.live and a GitHub repository, with a shared author.
func handKnown() Known {
	var sigs []CompactSig
	for i, n := range []string{"free-robux-generator-2024", "free-vbucks-generator-2024", "free-gems-generator-2024", "free-coins-generator-2024", "free-spins-generator-2024"} {
		p := campaignRec(n,
			withHome(fmt.Sprintf("https://robux-claim.live/%d?pkg=%s", i, n)),
			withAuthor("genbot"),
			withReadme("Get free robux now no human verification, claim your robux gift card instantly at the link below"))
		s := Sign(&p)
		sigs = append(sigs, s.Compact())
	}
	return Known{
		ID: "cmp-hand", Size: 5, Confidence: 0.9,
		Indicators: Indicators{
			NameTemplates: []Count{{"free-<word>-generator-<year>", 5}},
			Domains: []LinkCount{{Value: "robux-claim.live", Count: 5}, {Value: "github.com", Count: 5},
				{Value: "facebook.com", Count: 5}, {Value: "x.blogspot.com", Count: 5}},
			URLs: []LinkCount{{Value: "github.com", Count: 3}, {Value: "opensource.org/licenses/mit", Count: 3},
				{Value: "facebook.com", Count: 3}, {Value: "facebook.com/robuxclaim", Count: 3}},
			LureShare:      1,
			TemplatedShare: 1,
		},
		Sigs: sigs,
	}
}

// TestMatchEvidence checks that a package matches only on combined
// evidence, never on one shared signal, a code-host domain or a popular
// template.
func TestMatchEvidence(t *testing.T) {
	m := NewMatcher([]Known{handKnown()})
	tests := []struct {
		name string
		p    record.Package
		want bool
	}{
		{"template and domain", campaignRec("free-diamonds-generator-2025", withHome("https://robux-claim.live/x")), true},
		{"lure text and domain", campaignRec("roblox-helper", withHome("https://robux-claim.live/"), withDesc("free robux generator, unlimited")), true},
		{"author and domain", campaignRec("some-lib", withHome("https://robux-claim.live/"), withAuthor("genbot")), true},
		{"near-duplicate text and author", campaignRec("other-name", withAuthor("genbot"),
			withReadme("Get free robux now no human verification, claim your robux gift card instantly at the link below")), true},
		{"known member, new version", campaignRec("free-gems-generator-2024", func(p *record.Package) { p.Version = "9.9.9" }), true},
		{"template alone", campaignRec("free-diamonds-generator-2025"), false},
		{"domain alone", campaignRec("my-lib", withHome("https://robux-claim.live/")), false},
		{"author alone", campaignRec("my-lib", withAuthor("genbot")), false},
		{"near-duplicate lure text", campaignRec("other-name",
			withReadme("Get free robux now no human verification, claim your robux gift card instantly at the link below")), true},
		{"template and github.com", campaignRec("free-diamonds-generator-2025", withHome("https://github.com/")), false},
		{"template and license link", campaignRec("free-diamonds-generator-2025", withReadme("MIT, see https://opensource.org/licenses/MIT")), false},
		{"template and facebook.com", campaignRec("free-diamonds-generator-2025", withHome("https://www.facebook.com/")), false},
		{"template and a facebook page", campaignRec("free-diamonds-generator-2025", withHome("https://facebook.com/some-page")), false},
		{"lure text and the campaign's blog", campaignRec("free-unlimited-generator", withDesc("free unlimited generator"), withHome("https://x.blogspot.com/")), true},
		{"lure text and another blog", campaignRec("free-unlimited-generator", withDesc("free unlimited generator"), withHome("https://y.blogspot.com/")), false},
		{"template and the campaign's facebook page", campaignRec("free-diamonds-generator-2025", withHome("https://facebook.com/robuxclaim")), true},
		{"template on another domain", campaignRec("free-diamonds-generator-2025", withHome("https://example.org/")), false},
		{"honest @types", campaignRec("@types/node", withHome("https://github.com/DefinitelyTyped/DefinitelyTyped")), false},
		{"honest eslint-config", campaignRec("eslint-config-airbnb", withHome("https://github.com/airbnb/javascript"), withAuthor("airbnb")), false},
		{"empty", campaignRec(""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := m.Match(&tt.p)
			if ok != tt.want {
				t.Fatalf("Match(%q) = %v (%q), want %v", tt.p.Name, ok, h.Matched, tt.want)
			}
			if ok && (h.ID != "cmp-hand" || h.Size != 5 || len(h.Matched) == 0) {
				t.Errorf("hit = %+v", h)
			}
		})
	}
}

// FuzzMatch matches arbitrary records against known campaigns: Match
// never panics, is deterministic, and a hit names a known campaign and
// what matched.
func FuzzMatch(f *testing.F) {
	gen := spamgen.Campaign(spamgen.Config{N: 40, Seed: 41})
	known := append([]Known{handKnown()}, knownFromClusters(f, gen)...)
	m := NewMatcher(known)
	ids := map[string]bool{}
	for _, k := range known {
		ids[k.ID] = true
	}
	f.Add("free-diamonds-generator-2025", "free robux", "", "https://robux-claim.live/x", "genbot")
	f.Add(gen[0].Name, gen[0].Description, gen[0].Readme, gen[0].Homepage, gen[0].Authors[0].Email)
	f.Add("@types/node", "TypeScript definitions", "see https://github.com/DefinitelyTyped", "github:o/r", "")
	f.Add("a-b-c", "\xff\xfe", "www.", "git@x:y", "\x00")
	f.Fuzz(func(t *testing.T, name, desc, readme, home, author string) {
		p := record.Package{Ecosystem: ecosystem.NPM, Name: name, Version: "1.0.0", Description: desc, Readme: readme, Homepage: home,
			Authors: []record.Person{{Email: author}}}
		h, ok := m.Match(&p)
		h2, ok2 := m.Match(&p)
		if ok != ok2 || h.ID != h2.ID || len(h.Matched) != len(h2.Matched) {
			t.Fatalf("not deterministic: %v %+v, %v %+v", ok, h, ok2, h2)
		}
		if !ok {
			return
		}
		if !ids[h.ID] || len(h.Matched) == 0 {
			t.Fatalf("hit %+v", h)
		}
		if f := h.Finding(Member{Ecosystem: p.Ecosystem, Name: p.Name}); f.Rule != RuleMember || f.Evidence["campaign"] != h.ID {
			t.Fatalf("finding %+v", f)
		}
	})
}

// FuzzNewMatcher indexes arbitrary stored campaigns (the store's JSON is
// read back untrusted): NewMatcher and Match never panic.
func FuzzNewMatcher(f *testing.F) {
	k := handKnown()
	seed, err := json.Marshal([]Known{k})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`[{"id":"x","sigs":[{"member":{"ecosystem":"npm","name":"a"},"minhash":"AAAA","template":["",""],"urls":["/"]}],"indicators":{"name_shape":", ,","name_templates":[{"value":"-"}]}}]`))
	probe := []record.Package{
		campaignRec("free-diamonds-generator-2025", withHome("https://robux-claim.live/x")),
		campaignRec("a-b", withAuthor("genbot")),
		campaignRec(""),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var known []Known
		if json.Unmarshal(data, &known) != nil {
			return
		}
		m := NewMatcher(known)
		for i := range probe {
			if h, ok := m.Match(&probe[i]); ok && len(h.Matched) == 0 {
				t.Fatalf("hit without evidence: %+v", h)
			}
		}
	})
}

// TestMatchGenericManifest: a flood whose manifest is "npm init"'s (a
// test script, no dependency) still matches its new members through its
// accounts, descriptions and burst, but an honest package of the same
// name shape with that manifest, published during the flood, does not.
func TestMatchGenericManifest(t *testing.T) {
	farm := spamgen.TokenFarm(spamgen.Config{N: 150, Seed: 51})
	for i := range farm {
		farm[i].Dependencies = nil
	}
	train, held := split(farm)
	known := knownFromClusters(t, train)
	if len(known) != 1 || known[0].Indicators.NameShape == "" {
		t.Fatalf("want one shape campaign, got %d", len(known))
	}
	m := NewMatcher(known)
	if rate, missed := matchRate(m, held); rate < 0.95 {
		t.Errorf("recall %.3f, missed e.g. %q", rate, missed)
	}
	var honest []record.Package
	for i, n := range []string{"vue-kit-x9", "react-hooks-ab", "my-app-2k", "api-util-q7"} {
		honest = append(honest, record.Package{
			Ecosystem: ecosystem.NPM, Name: n, Version: "1.0.0",
			Description: fmt.Sprintf("Utilities number %d for the acme project", i),
			Authors:     []record.Person{{Name: "alice", Email: fmt.Sprintf("alice%d@example.org", i)}},
			Scripts:     farm[0].Scripts,
			Published:   farm[len(farm)/2].Published,
		})
	}
	for i := range honest {
		if s := Sign(&honest[i]); !slices.Contains(strings.Split(known[0].Indicators.NameShape, ", "), s.shape) {
			t.Fatalf("%q: shape %q is not one of the flood's %q", honest[i].Name, s.shape, known[0].Indicators.NameShape)
		}
		if h, ok := m.Match(&honest[i]); ok {
			t.Errorf("honest %q matched: %q", honest[i].Name, h.Matched)
		}
	}
}

// TestMatchBestOfMany: a package matching many campaigns gets the one of
// highest confidence, then the largest, then the first id.
func TestMatchBestOfMany(t *testing.T) {
	var known []Known
	for i := range 50 {
		k := handKnown()
		k.ID = fmt.Sprintf("cmp-%02d", i)
		k.Confidence = 0.5 + float64(i%7)/20 // highest 0.8 at i%7 == 6
		k.Size = 5 + i%3
		known = append(known, k)
	}
	m := NewMatcher(known)
	p := campaignRec("free-diamonds-generator-2025", withHome("https://robux-claim.live/x"))
	h, ok := m.Match(&p)
	// i%7 == 6 and largest i%3 == 2: i = 20 (first of 20, 41).
	if !ok || h.ID != "cmp-20" || h.Confidence != 0.8 || h.Size != 7 {
		t.Errorf("got %v %s conf %.2f size %d, want cmp-20 conf 0.80 size 7", ok, h.ID, h.Confidence, h.Size)
	}
}
