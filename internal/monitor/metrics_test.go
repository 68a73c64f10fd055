package monitor

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestMetrics: the jobs finished and the queue's states reach the
// registry.
func TestMetrics(t *testing.T) {
	st := openSQLite(t)
	cs := &changesServer{names: names(40)}
	cs.release(40)
	srv := httptest.NewServer(cs)
	defer srv.Close()
	reg := prometheus.NewRegistry()
	var c counter
	m, err := New(context.Background(), Config{
		Store: st, Sources: []Source{{Feed: npmFeed(t, srv, 50), Start: "0"}}, Judge: c.judge,
		PollInterval: 100 * time.Millisecond, Workers: 4, Registry: reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := run(m)
	waitStored(t, st, 40, 30*time.Second)
	// The completion events may trail the stored checks a little.
	deadline := time.Now().Add(10 * time.Second)
	for testutil.ToFloat64(m.jobs.WithLabelValues("pkgward.check", "completed")) < 40 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if n := testutil.ToFloat64(m.jobs.WithLabelValues("pkgward.check", "completed")); n != 40 {
		t.Errorf("completed check jobs %v, want 40", n)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, mf := range mfs {
		if mf.GetName() != "pkgward_queue_jobs" {
			continue
		}
		for _, s := range mf.GetMetric() {
			if s.GetLabel()[0].GetValue() == "completed" && s.GetGauge().GetValue() == 40 {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no pkgward_queue_jobs{state=completed} 40 in %v", mfs)
	}
}
