package campaign

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func pkg(name string) *record.Package {
	return &record.Package{Ecosystem: ecosystem.NPM, Name: name, Version: "1.0.0"}
}

func cluster(t testing.TB, recs []record.Package) *Result {
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

func words(r *rand.Rand, n int) string {
	vocab := strings.Fields("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega red green blue cyan magenta yellow black white parse render stream buffer cache queue socket server client plugin loader")
	w := make([]string, n)
	for i := range w {
		w[i] = vocab[r.IntN(len(vocab))]
	}
	return strings.Join(w, " ")
}

func TestSimilarity(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := words(r, 200)
	ws := strings.Fields(base)
	oneChanged := slices.Clone(ws)
	oneChanged[100] = "zzzz"
	half := slices.Clone(ws[:100])
	half = append(half, strings.Fields(words(r, 100))...)
	tests := []struct {
		name   string
		a, b   string
		lo, hi float64
	}{
		{"identical", base, base, 1, 1},
		{"one word changed", base, strings.Join(oneChanged, " "), 0.85, 1},
		{"half shared", base, strings.Join(half, " "), 0.2, 0.55},
		{"unrelated", base, words(r, 200), 0, 0.15},
		{"case and punctuation ignored", "Free Robux, now!", "free robux now", 1, 1},
		{"numbers ignored", "over 12345 users claimed 99 robux today", "over 777 users claimed 5 robux today", 1, 1},
		{"urls ignored", "click https://bit.ly/abc?x=1 here now", "click https://bit.ly/zzz here now", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Sign(&record.Package{Name: "a", Readme: tt.a})
			b := Sign(&record.Package{Name: "b", Readme: tt.b})
			if got := similarity(&a.minhash, &b.minhash); got < tt.lo || got > tt.hi {
				t.Errorf("similarity = %.2f, want in [%.2f, %.2f]", got, tt.lo, tt.hi)
			}
		})
	}
}

// TestSimilarityEstimate checks the MinHash estimate against the exact
// Jaccard similarity of shingle sets on random texts.
func TestSimilarityEstimate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var errSum float64
	const trials = 200
	for range trials {
		a := strings.Fields(words(r, 150))
		b := slices.Clone(a)
		for k := r.IntN(60); k > 0; k-- {
			b[r.IntN(len(b))] = fmt.Sprintf("w%d", r.IntN(1000))
		}
		exact := jaccard(shingles(a), shingles(b))
		sa := Sign(&record.Package{Name: "a", Readme: strings.Join(a, " ")})
		sb := Sign(&record.Package{Name: "b", Readme: strings.Join(b, " ")})
		errSum += math.Abs(similarity(&sa.minhash, &sb.minhash) - exact)
	}
	if mean := errSum / trials; mean > 0.08 {
		t.Errorf("mean absolute error of the estimate %.3f, want <= 0.08", mean)
	}
}

func shingles(w []string) map[string]bool {
	m := map[string]bool{}
	for i := 0; i+ShingleSize <= len(w); i++ {
		m[strings.Join(w[i:i+ShingleSize], " ")] = true
	}
	return m
}

func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func TestUnionFind(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		unions [][2]uint32
		sets   [][]uint32
	}{
		{"none", 3, nil, [][]uint32{{0}, {1}, {2}}},
		{"chain", 5, [][2]uint32{{0, 1}, {1, 2}, {3, 4}}, [][]uint32{{0, 1, 2}, {3, 4}}},
		{"repeated", 4, [][2]uint32{{0, 1}, {1, 0}, {0, 1}, {2, 3}, {3, 0}}, [][]uint32{{0, 1, 2, 3}}},
		{"star", 6, [][2]uint32{{5, 0}, {5, 1}, {5, 2}, {5, 3}, {5, 4}}, [][]uint32{{0, 1, 2, 3, 4, 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUnionFind(tt.n)
			for _, p := range tt.unions {
				u.union(p[0], p[1])
			}
			for _, set := range tt.sets {
				for _, x := range set {
					if u.find(x) != u.find(set[0]) {
						t.Errorf("%d and %d apart", x, set[0])
					}
				}
				if got := u.size[u.find(set[0])]; int(got) != len(set) {
					t.Errorf("size of %v = %d", set, got)
				}
			}
			for i, a := range tt.sets {
				for _, b := range tt.sets[i+1:] {
					if u.find(a[0]) == u.find(b[0]) {
						t.Errorf("%v and %v joined", a, b)
					}
				}
			}
		})
	}
}

func TestLureScore(t *testing.T) {
	tests := []struct {
		name, text string
		lure       bool
	}{
		{"free-robux-generator-2024", "", true},
		{"roblox-tool", "Get free robux now, no human verification!", true},
		{"fortnite", "FREE V-Bucks generator", true},
		{"pwgen", "A free password generator", false},
		{"express", "Fast, unopinionated, minimalist web framework", false},
		{"coin-utils", "Unlimited precision coins arithmetic", false},
	}
	for _, tt := range tests {
		s := Sign(&record.Package{Name: tt.name, Description: tt.text})
		if got := lureScore(s.lure) >= lureThreshold; got != tt.lure {
			t.Errorf("%s %q: lure-like %v (score %d), want %v", tt.name, tt.text, got, lureScore(s.lure), tt.lure)
		}
	}
}

// honestFamilies builds families of honest packages that share what
// campaigns share: one prolific author (sindresorhus), a monorepo's
// repository, homepage, name template and templated README (babel), a
// template and one-line text (@types), near-identical generated texts
// published together (an SDK).
func honestFamilies() []record.Package {
	var out []record.Package
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	items := strings.Fields("stream plain-obj path-inside url-superb online docker wsl absolute array buffer binary-path ci color date email error fullwidth glob gzip hexadecimal ip json network number object port promise regexp root string svg unicode uppercase windows")
	for i, it := range items {
		out = append(out, record.Package{Ecosystem: ecosystem.NPM, Name: "is-" + it, Version: "3.0.0",
			Description: "Check if something is " + it,
			Readme:      fmt.Sprintf("# is-%s\n\n> Check if a value is %s\n\n## Install\n\n```sh\nnpm install is-%s\n```\n\n## Usage\n\n```js\nimport is from 'is-%s';\n```\n\n## Related\n\n- [is-stream](https://github.com/sindresorhus/is-stream)\n", it, it, it, it),
			Homepage:    "https://github.com/sindresorhus/is-" + it,
			Repository:  "git+https://github.com/sindresorhus/is-" + it + ".git",
			Authors:     []record.Person{{Name: "Sindre Sorhus", Email: "sindresorhus@gmail.com"}},
			Published:   t0.Add(time.Duration(i) * 24 * time.Hour)})
	}
	plugins := strings.Fields("arrow-functions block-scoping classes destructuring for-of parameters spread template-literals async-to-generator exponentiation-operator optional-chaining nullish-coalescing-operator class-properties private-methods numeric-separator logical-assignment-operators")
	for i, it := range plugins {
		out = append(out, record.Package{Ecosystem: ecosystem.NPM, Name: "@babel/plugin-transform-" + it, Version: "7.24." + fmt.Sprint(i),
			Description: "Compile ES2015 " + strings.ReplaceAll(it, "-", " ") + " to ES5",
			Readme: fmt.Sprintf("# @babel/plugin-transform-%s\n\n> Compile %s to ES5\n\nSee our website [@babel/plugin-transform-%s](https://babeljs.io/docs/babel-plugin-transform-%s) for more information.\n\n## Install\n\nUsing npm:\n\n```sh\nnpm install --save-dev @babel/plugin-transform-%s\n```\n\nor using yarn:\n\n```sh\nyarn add @babel/plugin-transform-%s --dev\n```\n",
				it, it, it, it, it, it),
			Homepage:   "https://babel.dev/docs/en/next/babel-plugin-transform-" + it,
			Repository: "https://github.com/babel/babel.git",
			Authors:    []record.Person{{Name: "The Babel Team", Email: "team@babel.dev"}},
			Published:  t0.Add(time.Duration(i) * time.Second)})
	}
	for _, it := range items {
		out = append(out, record.Package{Ecosystem: ecosystem.NPM, Name: "@types/" + it, Version: "1.0.0",
			Description: "TypeScript definitions for " + it,
			Homepage:    "https://github.com/DefinitelyTyped/DefinitelyTyped/tree/master/types/" + it,
			Repository:  "https://github.com/DefinitelyTyped/DefinitelyTyped.git"})
	}
	clients := strings.Fields("s3 ec2 lambda dynamodb sqs sns iam kms sts ecs eks rds route53 cloudwatch cloudfront athena glue kinesis")
	for i, c := range clients {
		out = append(out, record.Package{Ecosystem: ecosystem.NPM, Name: "@aws-sdk/client-" + c, Version: "3.600.0",
			Description: "AWS SDK for JavaScript " + strings.ToUpper(c) + " Client for Node.js, Browser and React Native",
			Readme:      "# @aws-sdk/client-" + c + "\n\n## Description\n\nAWS SDK for JavaScript " + c + " Client for Node.js, Browser and React Native.\n\n## Installing\n\nTo install this package, simply type add or install @aws-sdk/client-" + c + " using your favorite package manager.\n\n## Getting Started\n\nThe AWS SDK is modulized by clients and commands. To send a request, you only need to import the client and the commands you need.\n\n## Contributing\n\nThis client code is generated automatically. Any modifications will be overwritten the next time the package is generated.\n",
			Homepage:    "https://github.com/aws/aws-sdk-js-v3/tree/main/clients/client-" + c,
			Repository:  "https://github.com/aws/aws-sdk-js-v3.git",
			Authors:     []record.Person{{Name: "AWS SDK for JavaScript Team", Email: "aws-sdk-js@amazon.com"}},
			Published:   t0.Add(time.Duration(i) * 3 * time.Second)})
	}
	// A company's plugins sharing its own domain and a templated README,
	// released together, with years in their names.
	for i, it := range items[:12] {
		out = append(out, record.Package{Ecosystem: ecosystem.NPM, Name: "acme-" + it + "-2024", Version: "1.0.0",
			Description: "Acme " + it + " plugin, 2024 edition",
			Readme:      "# acme-" + it + "-2024\n\nThe Acme " + it + " plugin for the Acme 2024 platform. Documentation at https://docs.acme-corp.com/plugins/" + it + " and support at https://acme-corp.com/support.\n",
			Homepage:    "https://acme-corp.com/plugins/" + it + "?utm_source=npm",
			Authors:     []record.Person{{Name: "acme", Email: "dev@acme-corp.com"}},
			Published:   t0.Add(time.Duration(i) * time.Minute)})
	}
	return out
}

func TestHonestFamiliesAreNotCampaigns(t *testing.T) {
	recs := honestFamilies()
	res := cluster(t, recs)
	for _, c := range res.Campaigns {
		t.Errorf("campaign of honest packages: %s %d members %v: %v", c.ID, c.Size, c.Members[:min(3, len(c.Members))], c.Summary())
	}
	if len(res.Families) < 4 {
		t.Errorf("families = %d, want the honest families linked (as families) too", len(res.Families))
	}
}

func TestSyntheticCampaignRecovered(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		seed   uint64
		honest int
	}{
		{"small", 12, 1, 500},
		{"medium", 150, 2, 3000},
		{"one ecosystem", 60, 3, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := spamgen.Config{N: tt.n, Seed: tt.seed}
			if tt.name == "one ecosystem" {
				cfg.Ecosystems = []ecosystem.Ecosystem{ecosystem.NuGet}
			}
			spam := spamgen.Campaign(cfg)
			recs := append(spamgen.Honest(spamgen.HonestConfig{N: tt.honest, Seed: tt.seed}), honestFamilies()...)
			// Spread the campaign through the honest records.
			r := rand.New(rand.NewPCG(tt.seed, 9))
			for i := range spam {
				k := r.IntN(len(recs) + 1)
				recs = slices.Insert(recs, k, spam[i])
			}
			res := cluster(t, recs)
			if len(res.Campaigns) != 1 {
				for _, c := range res.Campaigns {
					t.Logf("campaign %s %d: %v", c.ID, c.Size, c.Summary())
				}
				t.Fatalf("campaigns = %d, want 1", len(res.Campaigns))
			}
			c := res.Campaigns[0]
			var want []string
			for i := range spam {
				want = append(want, (Member{Ecosystem: spam[i].Ecosystem, Name: spam[i].Name, Version: spam[i].Version}).Key())
			}
			var got []string
			for _, m := range c.Members {
				got = append(got, m.Key())
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("members differ: got %d, want %d", len(got), len(want))
			}
			if c.Confidence < 0.8 {
				t.Errorf("confidence %.2f, want >= 0.8", c.Confidence)
			}
			if len(c.Indicators.URLs) == 0 || !c.Indicators.URLs[0].TrackingParams || len(c.Indicators.Authors) == 0 || c.Indicators.Burst == nil || len(c.Indicators.NameTemplates) == 0 {
				t.Errorf("indicators incomplete: %+v", c.Indicators)
			}
		})
	}
}

func TestCampaignIDStable(t *testing.T) {
	spam := spamgen.Campaign(spamgen.Config{N: 30, Seed: 7})
	a := cluster(t, spam)
	rev := slices.Clone(spam)
	slices.Reverse(rev)
	b := cluster(t, rev)
	if len(a.Campaigns) != 1 || len(b.Campaigns) != 1 {
		t.Fatalf("campaigns %d and %d, want 1", len(a.Campaigns), len(b.Campaigns))
	}
	if a.Campaigns[0].ID != b.Campaigns[0].ID || !strings.HasPrefix(a.Campaigns[0].ID, "cmp-") || len(a.Campaigns[0].ID) != 20 {
		t.Errorf("ids %q and %q", a.Campaigns[0].ID, b.Campaigns[0].ID)
	}
	// Duplicates are ignored, not clustered with themselves.
	dup := append(slices.Clone(spam[:3]), spam[:3]...)
	res := cluster(t, dup)
	if res.Records != 3 || res.Duplicates != 3 || len(res.Campaigns) != 0 {
		t.Errorf("duplicates: records %d, duplicates %d, campaigns %d", res.Records, res.Duplicates, len(res.Campaigns))
	}
}

func TestFinding(t *testing.T) {
	res := cluster(t, spamgen.Campaign(spamgen.Config{N: 40, Seed: 8}))
	if len(res.Campaigns) != 1 {
		t.Fatalf("campaigns = %d", len(res.Campaigns))
	}
	c := &res.Campaigns[0]
	f := c.Finding(c.Members[0])
	if f.Rule != RuleMember || f.Severity != record.High || f.Evidence["campaign"] != c.ID || f.Evidence["size"] != 40 {
		t.Errorf("finding = %+v", f)
	}
	if ind, ok := f.Evidence["indicators"].([]string); !ok || len(ind) < 3 {
		t.Errorf("indicators = %#v", f.Evidence["indicators"])
	}
	if !strings.Contains(f.Message, c.ID) || !strings.Contains(f.Message, c.Members[0].Name) {
		t.Errorf("message = %q", f.Message)
	}
	if r := Rules(); len(r) != 1 || r[0].ID != RuleMember {
		t.Errorf("Rules() = %+v", r)
	}
}

func TestClusterCancelled(t *testing.T) {
	b := NewBuilder(DefaultOptions())
	for _, p := range spamgen.Campaign(spamgen.Config{N: 20, Seed: 1}) {
		b.Add(&p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Cluster(ctx); err == nil {
		t.Error("no error from a cancelled context")
	}
}

// TestHugeBucketLinear: 20,000 packages sharing a link and a template
// cost a bounded number of comparisons per package, and an honest
// author's huge series is a family, not a campaign.
func TestHugeBucketLinear(t *testing.T) {
	const n = 20_000
	recs := make([]record.Package, n)
	r := rand.New(rand.NewPCG(5, 6))
	for i := range recs {
		recs[i] = record.Package{Ecosystem: ecosystem.NPM, Name: fmt.Sprintf("tool-%s-%d", words(r, 1), i), Version: "1.0.0",
			Description: words(r, 12),
			Homepage:    "https://opensource.org/licenses/MIT",
			Authors:     []record.Person{{Name: "prolific"}}}
	}
	res := cluster(t, recs)
	if per := float64(res.Comparisons) / n; per > 40 {
		t.Errorf("%.1f comparisons per package", per)
	}
	if len(res.Campaigns) != 0 {
		t.Errorf("campaigns = %d", len(res.Campaigns))
	}
	if len(res.Families) == 0 || res.Families[0].Size < n/2 {
		t.Errorf("families = %d", len(res.Families))
	}
}
