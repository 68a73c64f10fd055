package monitor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/pkgward/pkgward/internal/alert"
	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/feed"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

// Judge fetches and judges one published item and returns the checks to
// store (an npm item without version may give one check per new
// version; a deleted item may give none). An error retries the job with
// backoff.
type Judge func(ctx context.Context, it feed.Item) ([]store.Check, error)

// Source is one feed to follow.
type Source struct {
	Feed feed.Feed
	// Start is where a feed with no stored cursor begins: "" at the
	// feed's current end (its Head, "now"), "0" at its beginning, any
	// other value is a cursor in the feed's own form. A stored cursor
	// always wins.
	Start string
}

// Config is what a Monitor follows and how it works.
type Config struct {
	Store   store.QueueStore
	Sources []Source
	Judge   Judge
	// PollInterval is the wait between polls once a feed is caught up
	// (default 60s).
	PollInterval time.Duration
	// Workers is the number of jobs one process works at once (default 16:
	// a job mostly waits for a registry).
	Workers int
	// JobTimeout bounds one job (default 1m).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before it is taken
	// as abandoned (its worker died) and retried (default JobTimeout plus
	// 30 s).
	RescueAfter time.Duration
	// Logger receives the monitor's and River's logs (default: discard).
	Logger *slog.Logger

	// Campaigns turns on the live campaign job (campaigns.go).
	Campaigns bool
	// CampaignEvery is the wait between two clusterings (default half
	// of PollInterval); CampaignWindow how far back records are clustered
	// (default DefaultCampaignWindow); CampaignRecords the most records
	// clustered (default DefaultCampaignRecords).
	CampaignEvery   time.Duration
	CampaignWindow  time.Duration
	CampaignRecords int
	// CampaignShare bounds the share of time the job spends clustering
	// (default 0.05; 1 means no bound): after a long clustering it waits
	// longer than CampaignEvery.
	CampaignShare float64
	// Matcher, when set, is kept loaded with the stored campaigns (every
	// CampaignEvery), for the gate's campaign-member analyzer.
	Matcher *campaign.MatcherRef
	// OnCampaign is told of each campaign stored for the first time
	// (default: a log line at warning level).
	OnCampaign func(context.Context, campaign.Campaign)

	// Registry, when set, receives the monitor's metrics (the server's
	// registry, so /metrics shows them).
	Registry prometheus.Registerer

	// Webhooks receive the alerts given to Alert (see alert.go).
	Webhooks []alert.Target
	// AlertRetry, when set, is the wait before a failed delivery's next
	// attempt (attempt counts from 1); nil keeps River's backoff.
	AlertRetry func(attempt int) time.Duration
}

// Monitor polls feeds and works their jobs.
type Monitor struct {
	cfg    Config
	client *river.Client[*sql.Tx]
	jobs   *prometheus.CounterVec // nil without a Registry

	mu    sync.Mutex
	ready bool

	// starting is held while Run starts the queue's client: River's
	// inserts notify the client's producers, which Start is still
	// setting up (a data race under -race), so an insert from outside
	// the run (Alert, AlertTx) waits for the start to finish.
	starting sync.RWMutex
}

// CheckArgs is the job of one published item.
type CheckArgs struct {
	Ecosystem ecosystem.Ecosystem `json:"ecosystem"`
	Name      string              `json:"name"`
	Version   string              `json:"version,omitempty"`
	Deleted   bool                `json:"deleted,omitempty"`
	Published time.Time           `json:"published,omitzero"`
}

// Kind names the job kind in the queue's table.
func (CheckArgs) Kind() string { return "pkgward.check" }

func (a CheckArgs) item() feed.Item {
	return feed.Item{Ecosystem: a.Ecosystem, Name: a.Name, Version: a.Version, Deleted: a.Deleted, Published: a.Published}
}

type checkWorker struct {
	river.WorkerDefaults[CheckArgs]
	m *Monitor
}

func (w *checkWorker) Timeout(*river.Job[CheckArgs]) time.Duration { return w.m.cfg.JobTimeout }

func (w *checkWorker) Work(ctx context.Context, job *river.Job[CheckArgs]) error {
	checks, err := w.m.cfg.Judge(ctx, job.Args.item())
	if err != nil {
		return fmt.Errorf("judge %s %s %s: %w", job.Args.Ecosystem, job.Args.Name, job.Args.Version, err)
	}
	for _, c := range checks {
		if c.Source == "" {
			c.Source = "feed:" + string(job.Args.Ecosystem)
		}
		if _, err := w.m.cfg.Store.SaveCheck(ctx, c); err != nil {
			if errors.Is(err, store.ErrInvalid) {
				// Retrying cannot fix it.
				return river.JobCancel(err)
			}
			return err
		}
		if c.Verdict == record.Block && len(w.m.cfg.Webhooks) > 0 {
			if err := w.m.Alert(ctx, alert.FromCheck(c)); err != nil {
				// The check is stored; a lost alert is logged, not retried
				// with the whole job.
				w.m.cfg.Logger.Warn("cannot queue the block alert", "package", c.Name, "err", err)
			}
		}
	}
	return nil
}

// driver returns the River driver of the store's database.
func driver(st store.QueueStore) (riverdriver.Driver[*sql.Tx], error) {
	switch st.Dialect() {
	case store.DialectSQLite:
		return riversqlite.New(st.DB()), nil
	case store.DialectPostgres:
		return riverdatabasesql.New(st.DB()), nil
	}
	return nil, fmt.Errorf("monitor: no job queue for a %q store", st.Dialect())
}

// New applies the job queue's migrations to the store's database and
// returns a Monitor; Run starts it.
func New(ctx context.Context, cfg Config) (*Monitor, error) {
	if cfg.Store == nil || cfg.Judge == nil {
		return nil, errors.New("monitor: a store and a judge are required")
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 60 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = time.Minute
	}
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = cfg.JobTimeout + 30*time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.CampaignEvery <= 0 {
		// Half the poll interval: a campaign whose members a poll
		// brings is listed before the next poll.
		cfg.CampaignEvery = cfg.PollInterval / 2
	}
	if cfg.CampaignWindow <= 0 {
		cfg.CampaignWindow = DefaultCampaignWindow
	}
	if cfg.CampaignRecords <= 0 {
		cfg.CampaignRecords = DefaultCampaignRecords
	}
	if cfg.CampaignShare <= 0 {
		cfg.CampaignShare = 0.05
	}
	if cfg.OnCampaign == nil {
		cfg.OnCampaign = logCampaign(cfg.Logger)
	}
	var m *Monitor // set below; the campaign alert needs it
	if len(cfg.Webhooks) > 0 {
		announce := cfg.OnCampaign
		cfg.OnCampaign = func(ctx context.Context, c campaign.Campaign) {
			announce(ctx, c)
			if err := m.Alert(ctx, alert.FromCampaign(c, time.Now())); err != nil {
				cfg.Logger.Warn("cannot queue the campaign alert", "campaign", c.ID, "err", err)
			}
		}
	}
	seen := map[ecosystem.Ecosystem]bool{}
	for _, s := range cfg.Sources {
		eco := s.Feed.Ecosystem()
		if seen[eco] {
			return nil, fmt.Errorf("monitor: two feeds for %s", eco)
		}
		seen[eco] = true
	}
	if err := checkWebhooks(cfg.Webhooks); err != nil {
		return nil, err
	}
	drv, err := driver(cfg.Store)
	if err != nil {
		return nil, err
	}
	mig, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("monitor: job queue migrations: %w", err)
	}
	if _, err := mig.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("monitor: job queue migrations: %w", err)
	}
	m = &Monitor{cfg: cfg}
	workers := river.NewWorkers()
	river.AddWorker(workers, &checkWorker{m: m})
	river.AddWorker(workers, &alertWorker{m: m})
	m.client, err = river.NewClient(drv, &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		Logger:               cfg.Logger,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		MaxAttempts:          10,
		// database/sql has no LISTEN: poll for new jobs.
		PollOnly:          true,
		FetchPollInterval: 250 * time.Millisecond,
		FetchCooldown:     10 * time.Millisecond,
	})
	if err != nil {
		return nil, fmt.Errorf("monitor: %w", err)
	}
	if err := m.registerMetrics(cfg.Registry); err != nil {
		return nil, fmt.Errorf("monitor: metrics: %w", err)
	}
	return m, nil
}

// Run works jobs and polls every source until ctx ends, then stops: jobs
// in progress get a grace period to finish, the rest stay in the queue.
func (m *Monitor) Run(ctx context.Context) error {
	m.starting.Lock()
	err := m.client.Start(context.WithoutCancel(ctx))
	m.starting.Unlock()
	if err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	m.setReady(true)
	var wg sync.WaitGroup
	wg.Go(func() { m.countJobs(ctx) })
	for _, s := range m.cfg.Sources {
		wg.Go(func() { m.follow(ctx, s) })
	}
	if m.cfg.Campaigns {
		wg.Go(func() { m.followCampaigns(ctx) })
	}
	if m.cfg.Matcher != nil {
		wg.Go(func() { m.refreshMatcher(ctx) })
	}
	<-ctx.Done()
	wg.Wait()
	m.setReady(false)
	stop, cancel := context.WithTimeout(context.Background(), m.cfg.JobTimeout)
	defer cancel()
	if err := m.client.Stop(stop); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("monitor: stop: %w", err)
	}
	return nil
}

func (m *Monitor) setReady(v bool) {
	m.mu.Lock()
	m.ready = v
	m.mu.Unlock()
}

// Ready reports whether the monitor is running.
func (m *Monitor) Ready() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ready
}

// lockKey is the advisory-lock key of a feed (or of the campaign job) on
// PostgreSQL.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("pkgward.feed." + name))
	return int64(h.Sum64() >> 1)
}
