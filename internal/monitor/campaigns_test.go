package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/feed"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

// mixed returns honest npm records with a generated spam campaign mixed
// in (every seventh publication), and the spam names.
func mixed(honest, spam int) ([]record.Package, map[string]bool) {
	h := spamgen.Honest(spamgen.HonestConfig{N: honest, Seed: 7})
	s := spamgen.Campaign(spamgen.Config{N: spam, Seed: 11, Ecosystems: []ecosystem.Ecosystem{ecosystem.NPM}})
	spamNames := map[string]bool{}
	var out []record.Package
	for len(h) > 0 || len(s) > 0 {
		if len(s) > 0 && (len(out)%7 == 6 || len(h) == 0) {
			spamNames[s[0].Name] = true
			out = append(out, s[0])
			s = s[1:]
			continue
		}
		out = append(out, h[0])
		h = h[1:]
	}
	return out, spamNames
}

// recordJudge judges an item as the record of that name, with no finding.
func recordJudge(recs map[string]record.Package) Judge {
	return func(_ context.Context, it feed.Item) ([]store.Check, error) {
		p, ok := recs[it.Name]
		if !ok {
			return nil, fmt.Errorf("unknown %s", it.Name)
		}
		b, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		return []store.Check{{Kind: store.KindPackage, Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Verdict: record.Allow, Package: b}}, nil
	}
}

func testLiveCampaign(t *testing.T, st store.QueueStore) {
	ctx := context.Background()
	recs, spam := mixed(500, 90)
	// The last ten spam records and ten honest ones are held out: the
	// gate's matcher must recognise the former from what the job stored.
	var heldSpam, heldHonest []record.Package
	for i := len(recs) - 1; i >= 0 && (len(heldSpam) < 10 || len(heldHonest) < 10); i-- {
		switch p := recs[i]; {
		case spam[p.Name] && len(heldSpam) < 10:
			heldSpam = append(heldSpam, p)
			delete(spam, p.Name)
		case !spam[p.Name] && len(heldHonest) < 10 && !isHeld(heldSpam, p.Name):
			heldHonest = append(heldHonest, p)
		default:
			continue
		}
		recs = append(recs[:i], recs[i+1:]...)
	}
	byName := map[string]record.Package{}
	var order []string
	for _, p := range recs {
		if _, dup := byName[p.Name]; dup {
			continue
		}
		byName[p.Name] = p
		order = append(order, p.Name)
	}
	cs := &changesServer{names: order}
	cs.release(len(order) / 2)
	srv := httptest.NewServer(cs)
	defer srv.Close()
	var announced []string
	var ref campaign.MatcherRef
	m, err := New(ctx, Config{
		Store: st, Sources: []Source{{Feed: npmFeed(t, srv, 100), Start: "0"}}, Judge: recordJudge(byName),
		PollInterval: 100 * time.Millisecond, Workers: 4, Campaigns: true, CampaignEvery: 200 * time.Millisecond, CampaignShare: 1,
		OnCampaign: func(_ context.Context, c campaign.Campaign) { announced = append(announced, c.ID) },
		Matcher:    &ref,
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := run(m)
	defer stop()
	waitStored(t, st, int64(len(order)/2), 60*time.Second)
	cs.release(len(order))
	waitStored(t, st, int64(len(order)), 60*time.Second)

	// Within a few clusterings of the last arrival the campaign holds
	// (nearly) every spam member and no honest one.
	var c store.Campaign
	deadline := time.Now().Add(90 * time.Second) // the race detector is slow
	for {
		page, err := listCampaigns(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 0 {
			if c, err = st.Campaign(ctx, page[0].ID); err != nil {
				t.Fatal(err)
			}
			if float64(c.Size) >= 0.95*float64(len(spam)) {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("campaigns %+v (largest %d of %d spam)", page, c.Size, len(spam))
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	page, _ := listCampaigns(ctx, st)
	if len(page) != 1 {
		t.Errorf("%d campaigns stored, want the one growing in place", len(page))
	}
	for _, mem := range c.Members {
		if !spam[mem.Name] {
			t.Errorf("honest %s in the campaign", mem.Name)
		}
	}
	if len(announced) != 1 {
		t.Errorf("announced %v, want one new campaign", announced)
	}
	// Each member's check now carries the finding and blocks.
	vs, err := st.Package(ctx, "npm", c.Members[0].Name)
	if err != nil || len(vs) != 1 || vs[0].Verdict != record.Block || vs[0].Findings[0].Rule != campaign.RuleMember {
		t.Errorf("member check %+v %v", vs, err)
	}
	// The gate's matcher, loaded from the store, knows the campaign.
	deadline = time.Now().Add(10 * time.Second)
	for ref.Load().Len() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	hits := 0
	for i := range heldSpam {
		if h, ok := ref.Load().Match(&heldSpam[i]); ok && h.ID == c.ID {
			hits++
		}
	}
	if hits < 9 {
		t.Errorf("the gate's matcher recognised %d of %d held-out members", hits, len(heldSpam))
	}
	for i := range heldHonest {
		if h, ok := ref.Load().Match(&heldHonest[i]); ok {
			t.Errorf("honest %s matched campaign %s", heldHonest[i].Name, h.ID)
		}
	}
	// Once every member is marked (the last run of the job may have
	// come before the last arrivals), clustering again changes nothing.
	if _, err := m.ClusterOnce(ctx); err != nil {
		t.Fatal(err)
	}
	counted := &countingStore{QueueStore: st}
	m.cfg.Store = counted
	if n, err := m.ClusterOnce(ctx); err != nil || n != 0 {
		t.Errorf("clustering again marked %d (%v)", n, err)
	}
	// ... and writes nothing: a round's writes follow what joined.
	if counted.adds != 0 || counted.saves != 0 {
		t.Errorf("clustering again added %d members and saved %d checks, want none", counted.adds, counted.saves)
	}
	if counted.memberOf > stableIDVoters {
		t.Errorf("clustering again asked for %d members' campaigns, want at most %d", counted.memberOf, stableIDVoters)
	}
}

// countingStore counts the campaign job's per-member store calls.
type countingStore struct {
	store.QueueStore
	adds, saves, memberOf int
}

func (c *countingStore) AddCampaignMember(ctx context.Context, id string, m store.CampaignMember) error {
	c.adds++
	return c.QueueStore.AddCampaignMember(ctx, id, m)
}

func (c *countingStore) SaveCheck(ctx context.Context, ch store.Check) (int64, error) {
	c.saves++
	return c.QueueStore.SaveCheck(ctx, ch)
}

func (c *countingStore) MemberCampaigns(ctx context.Context, eco ecosystem.Ecosystem, name, version string) ([]string, error) {
	c.memberOf++
	return c.QueueStore.MemberCampaigns(ctx, eco, name, version)
}

func TestVoters(t *testing.T) {
	mk := func(n int) []campaign.Member {
		out := make([]campaign.Member, n)
		for i := range out {
			out[i] = campaign.Member{Ecosystem: ecosystem.NPM, Name: fmt.Sprint(i)}
		}
		return out
	}
	for _, tc := range []struct {
		members, n int
		want       []string
	}{
		{0, 4, nil},
		{3, 4, []string{"0", "1", "2"}},
		{4, 4, []string{"0", "1", "2", "3"}},
		{8, 4, []string{"0", "2", "4", "6"}},
		{10, 3, []string{"0", "3", "6"}},
	} {
		var got []string
		for _, m := range voters(mk(tc.members), tc.n) {
			got = append(got, m.Name)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("voters(%d members, %d) = %v, want %v", tc.members, tc.n, got, tc.want)
		}
	}
}

func init() {
	suite = append(suite, struct {
		name string
		fn   func(*testing.T, store.QueueStore)
	}{"live_campaign", testLiveCampaign})
}

// listCampaigns is the first page of stored campaigns.
func listCampaigns(ctx context.Context, st store.Store) ([]store.Campaign, error) {
	page, _, err := st.Campaigns(ctx, store.CampaignQuery{})
	return page, err
}

func isHeld(ps []record.Package, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}

func TestCampaignWait(t *testing.T) {
	for _, tc := range []struct {
		every, took time.Duration
		share       float64
		want        time.Duration
	}{
		{time.Minute, time.Second, 0.05, time.Minute},
		{time.Minute, 10 * time.Second, 0.05, 190 * time.Second},
		{time.Minute, 30 * time.Second, 0.5, time.Minute},
		{time.Minute, 90 * time.Second, 0.5, 90 * time.Second},
		{time.Second, time.Hour, 1, time.Second},
	} {
		if got := campaignWait(tc.every, tc.took, tc.share); got != tc.want {
			t.Errorf("campaignWait(%s, %s, %v) = %s, want %s", tc.every, tc.took, tc.share, got, tc.want)
		}
	}
}
