package monitor

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
)

// The monitor's metrics, on the server's registry (docs/server.md#metrics):
// the queue's jobs by state, read from the queue's table at each scrape,
// and the jobs this process finished by kind and outcome.
var queueJobsDesc = prometheus.NewDesc("pkgward_queue_jobs",
	"Jobs in the monitor's queue by state (available, running, retryable, scheduled, completed, cancelled, discarded), across every process.", []string{"state"}, nil)

type queueCollector struct{ m *Monitor }

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- queueJobsDesc }

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := c.m.cfg.Store.DB().QueryContext(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return // the scrape shows no queue rather than failing
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n float64
		if rows.Scan(&state, &n) == nil {
			ch <- prometheus.MustNewConstMetric(queueJobsDesc, prometheus.GaugeValue, n, state)
		}
	}
}

// registerMetrics puts the monitor's metrics on reg (nil: none).
func (m *Monitor) registerMetrics(reg prometheus.Registerer) error {
	if reg == nil {
		return nil
	}
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pkgward_jobs_total",
		Help: "Jobs this process finished, by kind (pkgward.check, pkgward.alert) and outcome (completed, failed: to be retried, cancelled: not retried, discarded: out of attempts).",
	}, []string{"kind", "outcome"})
	if err := reg.Register(m.jobs); err != nil {
		return err
	}
	return reg.Register(queueCollector{m})
}

// countJobs counts the jobs River reports finished until ctx ends.
func (m *Monitor) countJobs(ctx context.Context) {
	if m.jobs == nil {
		return
	}
	events, cancel := m.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			outcome := map[river.EventKind]string{
				river.EventKindJobCompleted: "completed", river.EventKindJobFailed: "failed", river.EventKindJobCancelled: "cancelled",
			}[ev.Kind]
			if ev.Kind == river.EventKindJobFailed && ev.Job != nil && ev.Job.Attempt >= ev.Job.MaxAttempts {
				outcome = "discarded"
			}
			kind := ""
			if ev.Job != nil {
				kind = ev.Job.Kind
			}
			m.jobs.WithLabelValues(kind, outcome).Inc()
		}
	}
}
