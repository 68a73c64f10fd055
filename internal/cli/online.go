package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pkgward/pkgward/internal/npmmeta"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// onlineOptions adjust npmOnlineWith; the zero value is npmOnline.
type onlineOptions struct {
	// registry, when set (a --registry flag), is used for every name
	// instead of the configured registries.
	registry string
	// env is the environment the registry is looked up in (nil: the
	// process's).
	env map[string]string
	// client tunes the registry clients (cache directory, retries).
	client npm.Options
	// workers bounds concurrent fetches (0: npm.DefaultFetchWorkers).
	workers int
}

// fetcher is the registry fetcher of the live npm checks; dir is where
// the npm configuration (.npmrc) is looked up.
func (opts onlineOptions) fetcher(dir string) *npm.Fetcher {
	return &npm.Fetcher{Registry: opts.registry, Dir: dir, Env: opts.env, Client: opts.client, Workers: opts.workers}
}

func (g *globals) clock() time.Time {
	if g.now.IsZero() {
		return time.Now()
	}
	return g.now
}

// npmOnline runs pipeline.OnlineNPM on names with the registries
// configured in dir and reports the names that could not be checked as
// input errors (File "online").
func (g *globals) npmOnline(ctx context.Context, names []string, dir string) (map[string][]record.Finding, []record.InputError) {
	return g.npmOnlineWith(ctx, names, dir, onlineOptions{})
}

func (g *globals) npmOnlineWith(ctx context.Context, names []string, dir string, opts onlineOptions) (map[string][]record.Finding, []record.InputError) {
	found, errs := pipeline.OnlineNPM(ctx, opts.fetcher(dir), names, g.clock())
	return found, onlineErrors(errs)
}

// onlineErrors renders the names the live check could not judge: one
// input error per name, and an error shared by many names (no registry
// configured) once.
func onlineErrors(errs []pipeline.NameError) []record.InputError {
	var out []record.InputError
	seen := map[string]bool{}
	for _, e := range errs {
		msg := fmt.Sprintf("npm %s: %v", e.Name, e.Err)
		if errors.Is(e.Err, npm.ErrNoRegistry) {
			msg = e.Err.Error()
		}
		if !seen[msg] {
			seen[msg] = true
			out = append(out, record.InputError{File: "online", Msg: msg})
		}
	}
	return out
}

// addOnline runs the live npm checks (--online) on the npm results, adds
// their findings (suppressions applied) and recomputes the verdicts. dir
// is where the npm configuration (.npmrc) is looked up. It returns the
// names that could not be checked as input errors.
func (g *globals) addOnline(ctx context.Context, results []record.Result, dir string) []record.InputError {
	if !g.online {
		return nil
	}
	sup, _ := g.suppressor()
	errs := pipeline.AddOnlineNPM(ctx, onlineOptions{registry: g.registry}.fetcher(dir), sup, results, g.clock())
	return onlineErrors(errs)
}

// withOnlineRules adds the live npm rules to a catalog when --online.
func (g *globals) withOnlineRules(rules []record.Rule) []record.Rule {
	if !g.online {
		return rules
	}
	return append(rules, npmmeta.Rules()...)
}
