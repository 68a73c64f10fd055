package campaign_test

import (
	"context"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// benchKnown returns 100 known campaigns (40 lure campaigns, 30 token
// farms, 30 worm waves, each clustered on its own) and fresh members of
// them that clustering did not see.
func benchKnown(b testing.TB) ([]campaign.Known, []record.Package) {
	b.Helper()
	var known []campaign.Known
	var fresh []record.Package
	for i := range 100 {
		seed := uint64(100 + i)
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 72 * time.Hour)
		cfg := spamgen.Config{N: 90, Seed: seed, Start: start}
		var recs []record.Package
		switch {
		case i < 40:
			recs = spamgen.Campaign(cfg)
		case i < 70:
			recs = spamgen.TokenFarm(cfg)
		default:
			recs = spamgen.WormWave(cfg)
		}
		bl := campaign.NewBuilder(campaign.DefaultOptions())
		sigs := make([]campaign.CompactSig, 0, 60)
		for j := range recs[:60] {
			s := campaign.Sign(&recs[j])
			sigs = append(sigs, s.Compact())
			bl.AddSignature(&s)
		}
		res, err := bl.Cluster(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		for k := range res.Campaigns {
			known = append(known, campaign.KnownFrom(&res.Campaigns[k], sigs))
		}
		fresh = append(fresh, recs[60:]...)
	}
	if len(known) < 95 {
		b.Fatalf("%d known campaigns, want about 100", len(known))
	}
	return known, fresh
}

// BenchmarkMatch matches one package (signing included) against 100
// known campaigns: nine honest packages for one campaign member.
// Reported: ns/op per package, and the share of members matched.
func BenchmarkMatch(b *testing.B) {
	known, fresh := benchKnown(b)
	m := campaign.NewMatcher(known)
	honest := spamgen.Honest(spamgen.HonestConfig{N: 9 * len(fresh), Seed: 77})
	recs := make([]record.Package, 0, len(honest)+len(fresh))
	for i := range fresh {
		recs = append(recs, fresh[i])
		recs = append(recs, honest[9*i:9*i+9]...)
	}
	sigs := make([]campaign.Signature, len(recs))
	for i := range recs {
		sigs[i] = campaign.Sign(&recs[i])
	}
	b.Run("package", func(b *testing.B) {
		benchLoop(b, len(recs), func(i int) bool { _, ok := m.Match(&recs[i]); return ok })
	})
	// Without signing: the matching itself.
	b.Run("signature", func(b *testing.B) {
		benchLoop(b, len(recs), func(i int) bool { _, ok := m.MatchSignature(&sigs[i]); return ok })
	})
	b.ReportMetric(float64(len(known)), "campaigns")
}

// benchLoop calls match on records 0..n-1 in turn; every tenth is a
// campaign member.
func benchLoop(b *testing.B, n int, match func(int) bool) {
	i, hits, members := 0, 0, 0
	for b.Loop() {
		ok := match(i)
		if i%10 == 0 {
			members++
			if ok {
				hits++
			}
		}
		i = (i + 1) % n
	}
	if members > 0 {
		b.ReportMetric(float64(hits)/float64(members), "member-recall")
	}
}

// TestMatchManyCampaigns matches fresh members and honest records
// (ordinary, family-heavy, PyPI, organization families) against the 100
// campaigns of the benchmark.
func TestMatchManyCampaigns(t *testing.T) {
	known, fresh := benchKnown(t)
	m := campaign.NewMatcher(known)
	hits := 0
	for i := range fresh {
		if _, ok := m.Match(&fresh[i]); ok {
			hits++
		}
	}
	recall := float64(hits) / float64(len(fresh))
	t.Logf("recall %.3f of %d fresh members of %d campaigns", recall, len(fresh), len(known))
	if recall < 0.95 {
		t.Errorf("recall %.3f, want ≥ 0.95", recall)
	}
	honest := spamgen.Honest(spamgen.HonestConfig{N: 20000, Seed: 61})
	honest = append(honest, spamgen.Honest(spamgen.HonestConfig{N: 10000, Seed: 62, FamilyShare: 0.6})...)
	honest = append(honest, spamgen.Honest(spamgen.HonestConfig{N: 5000, Seed: 63, Eco: ecosystem.PyPI})...)
	honest = append(honest, spamgen.OrgFamilies(3000, 64)...)
	false_ := 0
	for i := range honest {
		if h, ok := m.Match(&honest[i]); ok {
			if false_++; false_ <= 5 {
				t.Errorf("honest %q matched %s: %q", honest[i].Name, h.ID, h.Matched)
			}
		}
	}
	t.Logf("false matches: %d of %d honest records", false_, len(honest))
}
