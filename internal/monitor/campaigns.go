package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

// Live campaigns: every CampaignEvery, the process that holds the
// campaigns lock clusters the package records stored in the last
// CampaignWindow (the gate's and the feeds' alike) with internal/campaign,
// and keeps what it finds in the store, where every process sees it:
//
//   - a campaign keeps the id of the stored campaign most of its members
//     already belong to, so it grows in place instead of reappearing
//     under a new id as members join;
//   - each member is added (idempotently) with the time it was first seen;
//   - a member whose stored check has no campaign-member finding gets
//     one, and its verdict is recomputed (so a member of a confident
//     campaign is blocked);
//   - a campaign stored for the first time is reported to OnCampaign.

// Defaults of the campaign job.
const (
	DefaultCampaignWindow  = 7 * 24 * time.Hour
	DefaultCampaignRecords = 200000
)

// campaignLock is the advisory-lock name of the campaign job.
const campaignLock = "campaigns"

func (m *Monitor) followCampaigns(ctx context.Context) {
	log := m.cfg.Logger.With("job", "campaigns")
	for ctx.Err() == nil {
		lead, err := m.lead(ctx, campaignLock)
		if err != nil || lead == nil {
			if err != nil {
				log.Warn("cannot take the campaigns lock", "err", err)
			}
			sleep(ctx, m.cfg.CampaignEvery)
			continue
		}
		for ctx.Err() == nil && lead.alive(ctx) {
			t0 := time.Now()
			n, took, err := m.clusterOnce(ctx)
			if err != nil {
				if ctx.Err() == nil {
					log.Warn("clustering failed", "err", err)
				}
			} else {
				log.Debug("clustered", "clustering", took, "took", time.Since(t0), "marked", n)
				if n > 0 {
					log.Info("campaign members marked", "members", n)
				}
			}
			sleep(ctx, campaignWait(m.cfg.CampaignEvery, took, m.cfg.CampaignShare))
		}
		lead.release()
	}
}

// campaignWait is the wait after a clustering that took took: the
// interval, or longer when the clustering itself was long, so that the
// job (one core while it runs) takes at most share of the time beside the
// gate's checks (0.05: it waits 19 times its own time). took counts the
// reading and clustering of the window, which is the same work every
// round, not the storing of new members, which is work a round does once
// per member: counting that would hold back the listing of a campaign
// exactly while it grows.
func campaignWait(every, took time.Duration, share float64) time.Duration {
	if share <= 0 || share >= 1 {
		return every
	}
	return max(every, time.Duration(float64(took)*(1/share-1)))
}

// ClusterOnce clusters the recent package records once and stores what it
// finds; it returns how many checks got a campaign-member finding.
func (m *Monitor) ClusterOnce(ctx context.Context) (int, error) {
	n, _, err := m.clusterOnce(ctx)
	return n, err
}

// clusterOnce is ClusterOnce that also tells how long reading and
// clustering the window took (without storing what was found).
func (m *Monitor) clusterOnce(ctx context.Context) (marked int, took time.Duration, err error) {
	st := m.cfg.Store
	now := time.Now()
	recs, err := st.RecentPackages(ctx, now.Add(-m.cfg.CampaignWindow), m.cfg.CampaignRecords)
	if err != nil {
		return 0, time.Since(now), err
	}
	b := campaign.NewBuilder(campaign.DefaultOptions())
	byKey := make(map[string]*store.RecentPackage, len(recs))
	sigs := make(map[string]campaign.CompactSig, len(recs))
	for i := range recs {
		r := &recs[i]
		var p record.Package
		if err := json.Unmarshal(r.Package, &p); err != nil {
			continue // not a record this job can read; the check stays as it is
		}
		// The check's key is authoritative, whatever the record says.
		p.Ecosystem, p.Name, p.Version = r.Ecosystem, r.Name, r.Version
		key := campaign.Member{Ecosystem: r.Ecosystem, Name: r.Name, Version: r.Version}.Key()
		if prev, ok := byKey[key]; ok && prev.FirstSeen.Before(r.FirstSeen) {
			continue // the same version from another source: keep the first seen
		}
		byKey[key] = r
		sig := campaign.Sign(&p)
		b.AddSignature(&sig)
		sigs[key] = sig.Compact()
	}
	res, err := b.Cluster(ctx)
	took = time.Since(now)
	if err != nil {
		return 0, took, err
	}
	for _, c := range res.Campaigns {
		n, err := m.storeCampaign(ctx, c, byKey, sigs, now)
		marked += n
		if err != nil {
			return marked, took, err
		}
	}
	return marked, took, nil
}

func (m *Monitor) storeCampaign(ctx context.Context, c campaign.Campaign, byKey map[string]*store.RecentPackage, sigs map[string]campaign.CompactSig, now time.Time) (int, error) {
	st := m.cfg.Store
	id, isNew, err := m.stableID(ctx, c)
	if err != nil {
		return 0, err
	}
	c.ID = id
	if err := st.UpsertCampaign(ctx, store.CampaignInfo{ID: id, Confidence: c.Confidence, Indicators: c.Indicators}); err != nil {
		return 0, fmt.Errorf("campaign %s: %w", id, err)
	}
	// The members' signatures, for the gate's matcher (MatcherRef).
	kept := make([]campaign.CompactSig, 0, min(len(c.Members), store.MaxCampaignSigs))
	for _, mem := range c.Members {
		if sig, ok := sigs[mem.Key()]; ok && len(kept) < store.MaxCampaignSigs {
			kept = append(kept, sig)
		}
	}
	if err := st.SetCampaignSigs(ctx, id, kept); err != nil {
		return 0, fmt.Errorf("campaign %s: %w", id, err)
	}
	// The members stored already, read once: a round adds only the new
	// ones, so its writes follow what joined, not the campaign's size.
	known := map[string]bool{}
	if !isNew {
		sc, err := st.Campaign(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return 0, fmt.Errorf("campaign %s: %w", id, err)
		}
		for _, mem := range sc.Members {
			known[campaign.Member{Ecosystem: mem.Ecosystem, Name: mem.Name, Version: mem.Version}.Key()] = true
		}
	}
	marked := 0
	for _, mem := range c.Members {
		r := byKey[mem.Key()]
		if r == nil {
			continue
		}
		hasFinding := slices.ContainsFunc(r.Findings, func(f record.Finding) bool { return f.Rule == campaign.RuleMember })
		if known[mem.Key()] && hasFinding {
			continue
		}
		if err := st.AddCampaignMember(ctx, id, store.CampaignMember{Ecosystem: mem.Ecosystem, Name: mem.Name, Version: mem.Version, SeenAt: r.FirstSeen}); err != nil {
			return marked, fmt.Errorf("campaign %s: %w", id, err)
		}
		if hasFinding {
			continue
		}
		findings := append(slices.Clip(r.Findings), c.Finding(mem))
		if _, err := st.SaveCheck(ctx, store.Check{
			Kind: store.KindPackage, Ecosystem: r.Ecosystem, Name: r.Name, Version: r.Version, Source: r.Source,
			Verdict: analysis.VerdictOf(findings), Findings: findings, Package: r.Package, CheckedAt: now,
		}); err != nil {
			return marked, fmt.Errorf("campaign %s: member %s: %w", id, mem.Key(), err)
		}
		r.Findings = findings
		marked++
	}
	if isNew && m.cfg.OnCampaign != nil {
		m.cfg.OnCampaign(ctx, c)
	}
	return marked, nil
}

// stableIDVoters is how many members, spread evenly over the campaign,
// vote on its stored id: enough for a majority to be clear, few enough
// that a round costs the same queries however large the campaign grows.
const stableIDVoters = 64

// stableID returns the id of the stored campaign most of c's members
// belong to, or c's own id when none does (then isNew).
func (m *Monitor) stableID(ctx context.Context, c campaign.Campaign) (id string, isNew bool, err error) {
	votes := map[string]int{}
	for _, mem := range voters(c.Members, stableIDVoters) {
		ids, err := m.cfg.Store.MemberCampaigns(ctx, mem.Ecosystem, mem.Name, mem.Version)
		if err != nil {
			return "", false, err
		}
		for _, id := range ids {
			votes[id]++
		}
	}
	best, n := "", 0
	for id, v := range votes {
		if v > n || (v == n && id < best) {
			best, n = id, v
		}
	}
	if best != "" {
		return best, false, nil
	}
	if _, err := m.cfg.Store.Campaign(ctx, c.ID); err == nil {
		return c.ID, false, nil
	}
	return c.ID, true, nil
}

// voters returns at most n members spread evenly over members (all of
// them when there are no more than n).
func voters(members []campaign.Member, n int) []campaign.Member {
	if len(members) <= n {
		return members
	}
	out := make([]campaign.Member, 0, n)
	for i := range n {
		out = append(out, members[i*len(members)/n])
	}
	return out
}

// logCampaign is the default OnCampaign: a log line.
func logCampaign(log *slog.Logger) func(context.Context, campaign.Campaign) {
	return func(_ context.Context, c campaign.Campaign) {
		log.Warn("new campaign", "campaign", c.ID, "size", c.Size, "confidence", c.Confidence)
	}
}

// refreshMatcher loads the known campaigns into the gate's matcher every
// CampaignEvery, in every process (each serves checks).
func (m *Monitor) refreshMatcher(ctx context.Context) {
	for ctx.Err() == nil {
		known, err := m.cfg.Store.KnownCampaigns(ctx, store.MaxLimit)
		if err != nil {
			if ctx.Err() == nil {
				m.cfg.Logger.Warn("cannot load the known campaigns", "err", err)
			}
		} else {
			m.cfg.Matcher.Store(campaign.NewMatcher(known))
		}
		sleep(ctx, m.cfg.CampaignEvery)
	}
}
