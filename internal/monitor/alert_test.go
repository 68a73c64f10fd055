package monitor

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pkgward/pkgward/internal/alert"
	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

const hookSecret = "test-secret"

// hook is a webhook receiver answering the statuses in turn (the last
// one ever after) and verifying every delivery's signature.
type hook struct {
	mu       sync.Mutex
	statuses []int
	got      []delivery
}

type delivery struct {
	header http.Header
	body   []byte
	err    error // of alert.Verify
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, delivery{r.Header.Clone(), body, alert.Verify(hookSecret, r.Header, body, time.Now(), 5*time.Minute)})
	status := h.statuses[min(len(h.got), len(h.statuses))-1]
	w.WriteHeader(status)
}

func (h *hook) deliveries() []delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]delivery(nil), h.got...)
}

func blockAlert() alert.Alert {
	return alert.FromCheck(store.Check{
		Kind: store.KindPackage, Ecosystem: ecosystem.NPM, Name: "<!channel>-lodahs", Version: "1.0.0",
		Source: "feed:npm", Verdict: record.Block,
		Findings: []record.Finding{{Rule: "install-script-download", Message: "postinstall fetches a script"}},
	})
}

func campaignAlert() alert.Alert {
	return alert.FromCampaign(campaign.Campaign{ID: "cmp-0123456789abcdef", Size: 120, Confidence: 0.9}, time.Now())
}

// alertMonitor is a monitor with no feed delivering to webhooks, with
// a short retry.
func alertMonitor(t *testing.T, st store.QueueStore, hooks ...alert.Target) *Monitor {
	t.Helper()
	m, err := New(context.Background(), Config{
		Store: st, Judge: (&counter{}).judge, Webhooks: hooks, JobTimeout: 10 * time.Second,
		AlertRetry: func(int) time.Duration { return 10 * time.Millisecond },
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// alertJobs waits until every alert job is in a final state and
// returns them.
func alertJobs(t *testing.T, m *Monitor, within time.Duration) []*rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		res, err := m.client.JobList(context.Background(), river.NewJobListParams().Kinds(AlertArgs{}.Kind()).States(
			rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled,
			rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded))
		if err != nil {
			t.Fatal(err)
		}
		final := true
		for _, j := range res.Jobs {
			switch j.State {
			case rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
			default:
				final = false
			}
		}
		if final {
			return res.Jobs
		}
		if time.Now().After(deadline) {
			t.Fatalf("alert jobs not done after %v", within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testAlertDelivered(t *testing.T, st store.QueueStore) {
	h := &hook{statuses: []int{http.StatusNoContent}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	m := alertMonitor(t, st, alert.Target{URL: srv.URL + "/hook", Secret: hookSecret, Events: []string{"block"}})
	a := blockAlert()
	if err := m.Alert(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	stop := run(m)
	jobs := alertJobs(t, m, 20*time.Second)
	stop()
	if len(jobs) != 1 || jobs[0].State != rivertype.JobStateCompleted || jobs[0].Attempt != 1 {
		t.Fatalf("jobs %+v", jobs)
	}
	// The job table holds no webhook URL (Slack's secret) and no secret.
	if args := string(jobs[0].EncodedArgs); strings.Contains(args, srv.Listener.Addr().String()) || strings.Contains(args, hookSecret) {
		t.Errorf("job args %s", args)
	}
	got := h.deliveries()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	d := got[0]
	if d.err != nil {
		t.Errorf("signature: %v", d.err)
	}
	if d.header.Get(alert.HeaderEvent) != "block" || d.header.Get(alert.HeaderDelivery) == "" {
		t.Errorf("headers %v", d.header)
	}
	if want, _ := alert.Body(a); string(d.body) != string(want) {
		t.Errorf("body\n%s\nwant\n%s", d.body, want)
	}
}

func testAlertRetried(t *testing.T, st store.QueueStore) {
	h := &hook{statuses: []int{503, 503, 200}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	m := alertMonitor(t, st, alert.Target{URL: srv.URL, Secret: hookSecret})
	stop := run(m)
	if err := m.Alert(context.Background(), campaignAlert()); err != nil {
		t.Fatal(err)
	}
	jobs := alertJobs(t, m, 20*time.Second)
	stop()
	if len(jobs) != 1 || jobs[0].State != rivertype.JobStateCompleted || jobs[0].Attempt != 3 || jobs[0].MaxAttempts != alertAttempts {
		t.Fatalf("job %+v", jobs[0])
	}
	got := h.deliveries()
	if len(got) != 3 {
		t.Fatalf("%d deliveries, want 3", len(got))
	}
	id := got[0].header.Get(alert.HeaderDelivery)
	for i, d := range got {
		if d.err != nil {
			t.Errorf("delivery %d: %v", i, d.err)
		}
		if d.header.Get(alert.HeaderDelivery) != id || d.header.Get(alert.HeaderEvent) != "campaign" {
			t.Errorf("delivery %d headers %v (first id %s)", i, d.header, id)
		}
	}
}

func testAlertNotRetried(t *testing.T, st store.QueueStore) {
	var hooks []alert.Target
	var recv []*hook
	for _, status := range []int{http.StatusBadRequest, http.StatusNotFound} {
		h := &hook{statuses: []int{status, 200}}
		srv := httptest.NewServer(h)
		defer srv.Close()
		hooks = append(hooks, alert.Target{URL: srv.URL, Secret: hookSecret})
		recv = append(recv, h)
	}
	m := alertMonitor(t, st, hooks...)
	stop := run(m)
	if err := m.Alert(context.Background(), blockAlert()); err != nil {
		t.Fatal(err)
	}
	jobs := alertJobs(t, m, 20*time.Second)
	stop()
	if len(jobs) != 2 {
		t.Fatalf("%d jobs, want 2", len(jobs))
	}
	for _, j := range jobs {
		if j.State != rivertype.JobStateCancelled || j.Attempt != 1 {
			t.Errorf("job %+v", j)
		}
	}
	for i, h := range recv {
		if n := len(h.deliveries()); n != 1 {
			t.Errorf("webhook %d: %d deliveries, want 1", i, n)
		}
	}
}

func testAlertEvents(t *testing.T, st store.QueueStore) {
	blocks := &hook{statuses: []int{200}}
	campaigns := &hook{statuses: []int{200}}
	all := &hook{statuses: []int{200}}
	var urls []string
	for _, h := range []*hook{blocks, campaigns, all} {
		srv := httptest.NewServer(h)
		defer srv.Close()
		urls = append(urls, srv.URL)
	}
	m := alertMonitor(t, st,
		alert.Target{URL: urls[0], Secret: hookSecret, Events: []string{"block"}},
		alert.Target{URL: urls[1], Secret: hookSecret, Events: []string{"campaign"}},
		alert.Target{URL: urls[2], Secret: hookSecret},
	)
	stop := run(m)
	for _, a := range []alert.Alert{blockAlert(), blockAlert(), campaignAlert()} {
		if err := m.Alert(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	jobs := alertJobs(t, m, 20*time.Second)
	stop()
	if len(jobs) != 6 {
		t.Errorf("%d jobs, want 6", len(jobs))
	}
	count := func(h *hook) map[string]int {
		n := map[string]int{}
		for _, d := range h.deliveries() {
			n[d.header.Get(alert.HeaderEvent)]++
		}
		return n
	}
	for _, tc := range []struct {
		name            string
		h               *hook
		block, campaign int
	}{
		{"blocks only", blocks, 2, 0},
		{"campaigns only", campaigns, 0, 1},
		{"every event", all, 2, 1},
	} {
		if n := count(tc.h); n["block"] != tc.block || n["campaign"] != tc.campaign || len(n) > 2 {
			t.Errorf("%s: got %v, want %d block %d campaign", tc.name, n, tc.block, tc.campaign)
		}
	}
}

func testAlertTx(t *testing.T, st store.QueueStore) {
	h := &hook{statuses: []int{200}}
	srv := httptest.NewServer(h)
	defer srv.Close()
	m := alertMonitor(t, st, alert.Target{URL: srv.URL, Secret: hookSecret})
	ctx := context.Background()
	for _, commit := range []bool{false, true} {
		tx, err := st.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.AlertTx(ctx, tx, blockAlert()); err != nil {
			t.Fatal(err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	stop := run(m)
	jobs := alertJobs(t, m, 20*time.Second)
	stop()
	if len(jobs) != 1 || len(h.deliveries()) != 1 {
		t.Errorf("%d jobs, %d deliveries: want the committed one only", len(jobs), len(h.deliveries()))
	}
}

// A job whose webhook left the configuration is cancelled; one whose
// webhook moved is delivered where it went.
func testAlertTargetChanged(t *testing.T, st store.QueueStore) {
	kept := &hook{statuses: []int{200}}
	gone := &hook{statuses: []int{200}}
	keptSrv, goneSrv := httptest.NewServer(kept), httptest.NewServer(gone)
	defer keptSrv.Close()
	defer goneSrv.Close()
	before := alertMonitor(t, st,
		alert.Target{URL: goneSrv.URL, Secret: hookSecret},
		alert.Target{URL: keptSrv.URL, Secret: hookSecret})
	if err := before.Alert(context.Background(), blockAlert()); err != nil {
		t.Fatal(err)
	}
	// Restarted with the first webhook removed: the second is now first.
	after := alertMonitor(t, st, alert.Target{URL: keptSrv.URL, Secret: hookSecret})
	stop := run(after)
	jobs := alertJobs(t, after, 20*time.Second)
	stop()
	states := map[rivertype.JobState]int{}
	for _, j := range jobs {
		states[j.State]++
	}
	if states[rivertype.JobStateCompleted] != 1 || states[rivertype.JobStateCancelled] != 1 {
		t.Errorf("states %v", states)
	}
	if len(kept.deliveries()) != 1 || len(gone.deliveries()) != 0 {
		t.Errorf("kept %d, gone %d deliveries", len(kept.deliveries()), len(gone.deliveries()))
	}
}

var alertSuite = []struct {
	name string
	fn   func(*testing.T, store.QueueStore)
}{
	{"delivered", testAlertDelivered},
	{"retried", testAlertRetried},
	{"not_retried", testAlertNotRetried},
	{"events", testAlertEvents},
	{"tx", testAlertTx},
	{"target_changed", testAlertTargetChanged},
}

func TestAlertSQLite(t *testing.T) {
	for _, tc := range alertSuite {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, openSQLite(t)) })
	}
}

func TestPostgresAlerts(t *testing.T) {
	for _, tc := range alertSuite {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := openPostgres(t)
			tc.fn(t, st)
		})
	}
}

func TestAlertConfig(t *testing.T) {
	st := openSQLite(t)
	for _, tc := range []struct {
		hook alert.Target
		want string
	}{
		{alert.Target{URL: "file:///etc/passwd"}, "http or https"},
		{alert.Target{URL: "https://hooks.example/x", Events: []string{"warn"}}, `unknown event "warn"`},
	} {
		_, err := New(context.Background(), Config{Store: st, Judge: (&counter{}).judge, Webhooks: []alert.Target{tc.hook}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.hook, err, tc.want)
		}
	}
	m := alertMonitor(t, st, alert.Target{URL: "http://127.0.0.1:1/"})
	for _, a := range []alert.Alert{
		{Kind: alert.KindBlock},
		{Kind: alert.KindCampaign, Package: blockAlert().Package},
		{Kind: "warn", Package: blockAlert().Package},
	} {
		if err := m.Alert(context.Background(), a); err == nil {
			t.Errorf("alert %+v queued", a)
		}
	}
	if n := len(alertJobs(t, m, time.Second)); n != 0 {
		t.Errorf("%d jobs queued", n)
	}
}
