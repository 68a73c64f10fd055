package campaign_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/record"
)

var (
	_ analysis.PureAnalyzer = (*campaign.MatchAnalyzer)(nil)
	_ analysis.PureAnalyzer = (*campaign.RefAnalyzer)(nil)
)

// knownCampaign clusters a generated lure campaign and returns it as
// Known (with the compact signatures of every member) and the records.
func knownCampaign(t testing.TB, seed uint64) (campaign.Known, []record.Package) {
	t.Helper()
	recs := spamgen.Campaign(spamgen.Config{N: 60, Seed: seed})
	b := campaign.NewBuilder(campaign.DefaultOptions())
	sigs := make([]campaign.CompactSig, len(recs))
	for i := range recs {
		s := campaign.Sign(&recs[i])
		sigs[i] = s.Compact()
		b.AddSignature(&s)
	}
	res, err := b.Cluster(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Campaigns) != 1 {
		t.Fatalf("got %d campaigns, want 1", len(res.Campaigns))
	}
	return campaign.KnownFrom(&res.Campaigns[0], sigs), recs
}

// fresh returns a new member of the campaign of seed: the generator's
// next record, which clustering did not see.
func fresh(t testing.TB, seed uint64) record.Package {
	recs := spamgen.Campaign(spamgen.Config{N: 61, Seed: seed})
	return recs[60]
}

func TestMatchAnalyzerFinding(t *testing.T) {
	k, _ := knownCampaign(t, 5)
	p := fresh(t, 5)
	for _, conf := range []float64{0.95, 0.6} {
		t.Run(fmt.Sprint(conf), func(t *testing.T) {
			k := k
			k.Confidence = conf
			a := campaign.NewMatchAnalyzer(campaign.NewMatcher([]campaign.Known{k}))
			if a.Name() != campaign.MatchAnalyzerName || len(a.Rules()) != 1 || a.Rules()[0].ID != campaign.RuleMember {
				t.Fatalf("analyzer %q rules %v", a.Name(), a.Rules())
			}
			fs := a.Analyze(&p)
			if len(fs) != 1 {
				t.Fatalf("findings = %v, want one", fs)
			}
			f := fs[0]
			want := record.Medium
			if conf >= 0.8 {
				want = record.High
			}
			if f.Rule != campaign.RuleMember || f.Severity != want || f.Confidence != conf {
				t.Errorf("finding %s %s %.2f, want %s %s %.2f", f.Rule, f.Severity, f.Confidence, campaign.RuleMember, want, conf)
			}
			if f.Evidence["campaign"] != k.ID || f.Evidence["size"] != k.Size {
				t.Errorf("evidence %v, want campaign %s size %d", f.Evidence, k.ID, k.Size)
			}
			if m, _ := f.Evidence["matched"].([]string); len(m) == 0 {
				t.Errorf("evidence has no matched indicators: %v", f.Evidence)
			}
		})
	}
	t.Run("honest", func(t *testing.T) {
		a := campaign.NewMatchAnalyzer(campaign.NewMatcher([]campaign.Known{k}))
		for _, p := range spamgen.Honest(spamgen.HonestConfig{N: 500, Seed: 3}) {
			if fs := a.Analyze(&p); len(fs) != 0 {
				t.Fatalf("honest %q: %v", p.Name, fs)
			}
		}
	})
	t.Run("nil matcher", func(t *testing.T) {
		if fs := campaign.NewMatchAnalyzer(nil).Analyze(&p); fs != nil {
			t.Errorf("nil matcher: %v", fs)
		}
	})
}

// TestGateBlocks runs the analyzer in an engine: a new member of a known
// campaign is blocked.
func TestGateBlocks(t *testing.T) {
	k, _ := knownCampaign(t, 6)
	k.Confidence = 0.9
	e := analysis.New(nil, analysis.Pure(campaign.NewMatchAnalyzer(campaign.NewMatcher([]campaign.Known{k}))))
	p := fresh(t, 6)
	if r := e.Judge(&p); r.Verdict != record.Block {
		t.Errorf("verdict %s, want block; findings %v", r.Verdict, r.Findings)
	}
}

// TestCompactJSON checks that the compact signatures survive the store's
// JSON: a matcher over signatures read back matches what one over the
// originals does.
func TestCompactJSON(t *testing.T) {
	k, recs := knownCampaign(t, 7)
	raw, err := json.Marshal(k.Sigs)
	if err != nil {
		t.Fatal(err)
	}
	if per := len(raw) / len(k.Sigs); per > 1200 {
		t.Errorf("%d bytes of JSON per signature, want at most 1200", per)
	}
	var back []campaign.CompactSig
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	// Only the signatures: no members, no indicators.
	m := campaign.NewMatcher([]campaign.Known{{ID: k.ID, Size: k.Size, Confidence: k.Confidence, Sigs: back[:30], Indicators: campaign.Indicators{LureShare: k.Indicators.LureShare}}})
	p := fresh(t, 7)
	h, ok := m.Match(&p)
	if !ok || h.ID != k.ID {
		t.Fatalf("fresh member not matched from JSON signatures: %v %+v", ok, h)
	}
	// A member whose signature was stored matches as a known member.
	h, ok = m.Match(&recs[slices.IndexFunc(recs, func(p record.Package) bool { return p.Name == back[0].Member.Name })])
	if !ok || !slices.Contains(h.Matched, "known member") {
		t.Errorf("stored member: %v %q", ok, h.Matched)
	}
}

func TestMatcherRef(t *testing.T) {
	k, _ := knownCampaign(t, 8)
	p := fresh(t, 8)
	var ref campaign.MatcherRef
	a := campaign.NewRefAnalyzer(&ref)
	if fs := a.Analyze(&p); fs != nil {
		t.Fatalf("empty ref: %v", fs)
	}
	ref.Store(campaign.NewMatcher([]campaign.Known{k}))
	if fs := a.Analyze(&p); len(fs) != 1 || fs[0].Rule != campaign.RuleMember {
		t.Fatalf("after Store: %v", fs)
	}
	ref.Store(campaign.NewMatcher(nil))
	if fs := a.Analyze(&p); fs != nil {
		t.Fatalf("after Store of an empty matcher: %v", fs)
	}
	// Checks read while the matcher is swapped (meaningful under -race).
	full := campaign.NewMatcher([]campaign.Known{k})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				if g == 0 && i%10 == 0 {
					if i%20 == 0 {
						ref.Store(full)
					} else {
						ref.Store(nil)
					}
				}
				if fs := a.Analyze(&p); len(fs) > 1 {
					t.Errorf("%d findings", len(fs))
				}
			}
		})
	}
	wg.Wait()
	if ref.Load() != nil {
		t.Errorf("Load after the last Store(nil) = %p", ref.Load())
	}
}
