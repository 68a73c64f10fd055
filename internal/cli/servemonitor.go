package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/alert"
	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/feed"
	"github.com/pkgward/pkgward/internal/monitor"
	"github.com/pkgward/pkgward/internal/registry/npm"
	"github.com/pkgward/pkgward/internal/store"
)

// defaultPollInterval is the wait between two polls of a caught-up feed.
const defaultPollInterval = 60 * time.Second

// monitorFlags are serve's monitor flags.
type monitorFlags struct {
	feeds, starts []string
	poll          time.Duration
	campaigns     bool
	archives      bool
}

func (mf *monitorFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&mf.feeds, "feed", nil, "follow a registry's publication feed: ECO or ECO=BASE_URL (repeatable; default serve.feeds; see docs/server.md#monitor)")
	f.StringArrayVar(&mf.starts, "feed-start", nil, "where a feed with no stored cursor starts: ECO=CURSOR, 0 for the beginning (repeatable; default: the feed's current end)")
	f.DurationVar(&mf.poll, "poll-interval", defaultPollInterval, "wait between two polls of a caught-up feed (default serve.poll-interval, then 60s)")
	f.BoolVar(&mf.archives, "inspect-archives", false, "also download and inspect the tarball of every npm version a feed brings, like inspect, at most 64 MiB each (default serve.inspect-archives, then off)")
	f.BoolVar(&mf.campaigns, "campaigns", true, "cluster what the gate and the feeds see into campaigns twice every poll interval (default serve.campaigns, then on)")
}

// monitorSetup is the monitor serve runs, and what its start-up line says.
type monitorSetup struct {
	m    *monitor.Monitor
	desc string
}

// buildMonitor makes the monitor of serve from the flags and the config's
// serve: section (flags win): the feeds to follow, where they start, the
// poll interval and the campaign job. The job queue lives in the store's
// database.
func (g *globals) buildMonitor(ctx context.Context, cmd *cobra.Command, st store.Store, eng *analysis.Engine, mf monitorFlags, reg prometheus.Registerer) (*monitorSetup, error) {
	sc := g.cfg.Serve
	changed := cmd.Flags().Changed
	if !changed("feed") {
		mf.feeds = sc.Feeds
	}
	starts := map[ecosystem.Ecosystem]string{}
	if changed("feed-start") {
		for _, s := range mf.starts {
			eco, cur, ok := strings.Cut(s, "=")
			e, err := ecosystem.Parse(eco)
			if !ok || err != nil || cur == "" {
				return nil, usageError{fmt.Errorf("--feed-start %q: want ECO=CURSOR (0 for the beginning)", s)}
			}
			starts[e] = cur
		}
	} else {
		for eco, cur := range sc.FeedStart {
			e, err := ecosystem.Parse(eco)
			if err != nil {
				return nil, usageError{fmt.Errorf("%s: serve.feed-start: %w", g.cfg.File, err)}
			}
			starts[e] = cur
		}
	}
	if !changed("poll-interval") && sc.PollInterval > 0 {
		mf.poll = time.Duration(sc.PollInterval)
	}
	if mf.poll < time.Second {
		return nil, usageError{fmt.Errorf("--poll-interval %s: want at least 1s", mf.poll)}
	}
	if !changed("campaigns") && sc.Campaigns != nil {
		mf.campaigns = *sc.Campaigns
	}
	if !changed("inspect-archives") && sc.InspectArchives != nil {
		mf.archives = *sc.InspectArchives
	}
	var sources []monitor.Source
	var descs []string
	for _, spec := range mf.feeds {
		ecoName, base, _ := strings.Cut(spec, "=")
		eco, err := ecosystem.Parse(ecoName)
		if err != nil {
			return nil, usageError{fmt.Errorf("--feed %q: %w", spec, err)}
		}
		if eco == ecosystem.NPM && base == "" {
			// The changes feed of the npm registry configured as npm
			// does it.
			if base, err = npm.RegistryFor("", ".", nil); err != nil {
				return nil, usageError{fmt.Errorf("--feed npm: %w: give --feed npm=BASE_URL, or configure a registry (npm config set registry, .npmrc, NPM_CONFIG_REGISTRY)", err)}
			}
		}
		f, err := feed.New(eco, base, feed.Options{})
		if err != nil {
			return nil, usageError{fmt.Errorf("--feed %q: %w", spec, err)}
		}
		sources = append(sources, monitor.Source{Feed: f, Start: starts[eco]})
		descs = append(descs, string(eco))
	}
	var hooks []alert.Target
	for i, w := range sc.Webhooks {
		t := alert.Target{URL: w.URL, Secret: w.Secret, Events: w.Events}
		if w.SecretEnv != "" {
			if t.Secret = os.Getenv(w.SecretEnv); t.Secret == "" {
				return nil, usageError{fmt.Errorf("%s: serve.webhooks[%d]: $%s is empty or not set", g.cfg.File, i, w.SecretEnv)}
			}
		}
		if err := t.Check(); err != nil {
			return nil, usageError{fmt.Errorf("%s: serve.webhooks[%d]: %w", g.cfg.File, i, err)}
		}
		hooks = append(hooks, t)
	}
	if len(sources) == 0 && !mf.campaigns {
		if len(hooks) > 0 {
			return nil, usageError{errors.New("serve.webhooks: alerts need the monitor: follow a feed or leave --campaigns on")}
		}
		return nil, nil
	}
	qs, ok := st.(store.QueueStore)
	if !ok {
		return nil, errors.New("serve: this store cannot hold the monitor's job queue")
	}
	logger := slog.New(slog.NewTextHandler(g.io.Err, &slog.HandlerOptions{Level: slog.LevelWarn}))
	m, err := monitor.New(ctx, monitor.Config{
		Store: qs, Sources: sources, PollInterval: mf.poll, Logger: logger, Campaigns: mf.campaigns, Matcher: g.campaigns, Webhooks: hooks, Registry: reg,
		Judge: monitor.NewJudge(monitor.JudgeConfig{
			Engine: eng,
			// Documents are fetched fresh: a package changed twice
			// within a cache lifetime would lose its second version.
			NPM:             &npm.Fetcher{Registry: g.registry, Dir: ".", Client: npm.Options{NoCache: true}},
			InspectArchives: mf.archives,
		}),
	})
	if err != nil {
		return nil, err
	}
	desc := "no feed"
	if len(descs) > 0 {
		desc = "feeds " + strings.Join(descs, ", ") + fmt.Sprintf(" every %s", mf.poll)
		if mf.archives {
			desc += ", npm archives inspected"
		}
	}
	if mf.campaigns {
		desc += "; live campaigns"
	}
	if len(hooks) > 0 {
		desc += fmt.Sprintf("; %d webhooks", len(hooks))
	}
	return &monitorSetup{m: m, desc: desc}, nil
}
