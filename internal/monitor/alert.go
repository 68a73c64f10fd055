package monitor

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/pkgward/pkgward/internal/alert"
)

// alertAttempts bounds the deliveries of one alert to one webhook: with
// River's default backoff (attempt⁴ seconds) the last is tried about an
// hour and a quarter after the first.
const alertAttempts = 8

// AlertArgs is the job of delivering one alert to one webhook.
type AlertArgs struct {
	Alert alert.Alert `json:"alert"`
	// Target is the webhook's index in Config.Webhooks, and TargetID a
	// digest of its URL: a job queued before the configuration changed
	// finds its webhook again, or none (the URL itself, which holds
	// Slack's secret, stays out of the job table).
	Target   int    `json:"target"`
	TargetID string `json:"target_id"`
	// Delivery is the X-Pkgward-Delivery id, the same over retries.
	Delivery string `json:"delivery"`
}

// Kind names the job kind in the queue's table.
func (AlertArgs) Kind() string { return "pkgward.alert" }

// InsertOpts bounds the attempts of a delivery.
func (AlertArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: alertAttempts} }

// targetID is the digest of a webhook's URL kept in its jobs.
func targetID(t alert.Target) string {
	sum := sha256.Sum256([]byte("pkgward.webhook\x00" + t.URL))
	return hex.EncodeToString(sum[:8])
}

// checkWebhooks refuses webhooks that cannot be delivered to.
func checkWebhooks(ts []alert.Target) error {
	for i, t := range ts {
		if err := t.Check(); err != nil {
			return fmt.Errorf("monitor: webhook %d: %w", i+1, err)
		}
	}
	return nil
}

// Alert queues one delivery of a to every webhook that wants its kind.
// Each is tried until delivered, refused for good (a 4xx answer other
// than 429) or out of attempts.
func (m *Monitor) Alert(ctx context.Context, a alert.Alert) error {
	jobs, err := m.alertJobs(a)
	if err != nil || len(jobs) == 0 {
		return err
	}
	m.starting.RLock()
	defer m.starting.RUnlock()
	if _, err := m.client.InsertMany(ctx, jobs); err != nil {
		return fmt.Errorf("monitor: queue alert: %w", err)
	}
	return nil
}

// AlertTx is Alert inside tx: the deliveries are queued if tx commits.
func (m *Monitor) AlertTx(ctx context.Context, tx *sql.Tx, a alert.Alert) error {
	jobs, err := m.alertJobs(a)
	if err != nil || len(jobs) == 0 {
		return err
	}
	m.starting.RLock()
	defer m.starting.RUnlock()
	if _, err := m.client.InsertManyTx(ctx, tx, jobs); err != nil {
		return fmt.Errorf("monitor: queue alert: %w", err)
	}
	return nil
}

func (m *Monitor) alertJobs(a alert.Alert) ([]river.InsertManyParams, error) {
	switch {
	case a.Kind == alert.KindBlock && a.Package == nil:
		return nil, errors.New("monitor: a block alert without its package")
	case a.Kind == alert.KindCampaign && a.Campaign == nil:
		return nil, errors.New("monitor: a campaign alert without its campaign")
	case a.Kind != alert.KindBlock && a.Kind != alert.KindCampaign:
		return nil, fmt.Errorf("monitor: unknown alert kind %q", a.Kind)
	}
	var jobs []river.InsertManyParams
	for i, t := range m.cfg.Webhooks {
		if !t.Wants(a.Kind) {
			continue
		}
		jobs = append(jobs, river.InsertManyParams{Args: AlertArgs{
			Alert: a, Target: i, TargetID: targetID(t), Delivery: alert.NewDelivery(),
		}})
	}
	return jobs, nil
}

// target returns a job's webhook: at its index if that is still the
// same URL, else wherever the URL went.
func (m *Monitor) target(args AlertArgs) (alert.Target, bool) {
	ts := m.cfg.Webhooks
	if args.Target >= 0 && args.Target < len(ts) && targetID(ts[args.Target]) == args.TargetID {
		return ts[args.Target], true
	}
	for _, t := range ts {
		if targetID(t) == args.TargetID {
			return t, true
		}
	}
	return alert.Target{}, false
}

type alertWorker struct {
	river.WorkerDefaults[AlertArgs]
	m *Monitor
}

func (w *alertWorker) Timeout(*river.Job[AlertArgs]) time.Duration {
	return alert.DefaultTimeout + 5*time.Second
}

// NextRetry is Config.AlertRetry's wait, or River's backoff.
func (w *alertWorker) NextRetry(job *river.Job[AlertArgs]) time.Time {
	if w.m.cfg.AlertRetry == nil {
		return time.Time{}
	}
	return time.Now().Add(w.m.cfg.AlertRetry(job.Attempt))
}

func (w *alertWorker) Work(ctx context.Context, job *river.Job[AlertArgs]) error {
	t, ok := w.m.target(job.Args)
	if !ok {
		return river.JobCancel(errors.New("its webhook is no longer configured"))
	}
	if !t.Wants(job.Args.Alert.Kind) {
		return river.JobCancel(fmt.Errorf("its webhook no longer wants %s alerts", job.Args.Alert.Kind))
	}
	var s alert.Sender
	if err := s.Send(ctx, t, job.Args.Alert, job.Args.Delivery); err != nil {
		if alert.Permanent(err) {
			return river.JobCancel(err)
		}
		return err
	}
	return nil
}
