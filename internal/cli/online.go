package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/npmmeta"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// onlineWorkers bounds the packuments fetched at the same time.
const onlineWorkers = 8

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
	// workers bounds concurrent fetches (0: onlineWorkers).
	workers int
}

// npmOnline fetches the registry document of each npm package of names
// ("name" or "name@version"; the version, when given, is the one judged)
// from the registry configured for it in dir (see npm.RegistryFor) and
// returns the npmmeta findings per entry of names, keyed by the entry as
// given. Findings are raw: suppressions are not applied. A name that
// cannot be checked (invalid, not on the registry, registry unreachable or
// not configured) yields an InputError (File "online") instead; an error
// shared by many names (no registry configured) is reported once.
func (g *globals) npmOnline(ctx context.Context, names []string, dir string) (map[string][]record.Finding, []record.InputError) {
	return g.npmOnlineWith(ctx, names, dir, onlineOptions{})
}

func (g *globals) npmOnlineWith(ctx context.Context, names []string, dir string, opts onlineOptions) (map[string][]record.Finding, []record.InputError) {
	now := g.now
	if now.IsZero() {
		now = time.Now()
	}
	workers := opts.workers
	if workers <= 0 {
		workers = onlineWorkers
	}
	failed := map[string]error{} // by name
	fail := func(name string, err error) {
		if failed[name] == nil {
			failed[name] = err
		}
	}

	// One fetch per distinct name, whatever the versions asked for.
	type job struct {
		name   string
		client *npm.Client
		doc    *npmmeta.Snapshot
		err    error
	}
	var jobs []*job
	byName := map[string]*job{}
	registries := map[string]string{} // scope → base URL ("" key: unscoped)
	regErrs := map[string]error{}
	clients := map[string]*npm.Client{}
	for _, entry := range names {
		name, _ := splitVersion(entry)
		if _, ok := byName[name]; ok {
			continue
		}
		if err := npm.ValidName(name); err != nil {
			byName[name] = nil
			fail(name, err)
			continue
		}
		scope := ""
		if strings.HasPrefix(name, "@") {
			scope, _, _ = strings.Cut(name, "/")
		}
		base, ok := registries[scope]
		if !ok && regErrs[scope] == nil {
			var err error
			if opts.registry != "" {
				base = opts.registry
			} else {
				base, err = npm.RegistryFor(name, dir, opts.env)
			}
			if err != nil {
				regErrs[scope] = err
			} else {
				registries[scope] = base
			}
		}
		if err := regErrs[scope]; err != nil {
			byName[name] = nil
			fail(name, err)
			continue
		}
		c := clients[base]
		if c == nil {
			var err error
			if c, err = npm.New(base, opts.client); err != nil {
				byName[name] = nil
				fail(name, err)
				continue
			}
			clients[base] = c
		}
		j := &job{name: name, client: c}
		byName[name] = j
		jobs = append(jobs, j)
	}

	work := make(chan *job)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			for j := range work {
				doc, err := j.client.Packument(ctx, j.name)
				if err != nil {
					j.err = err
					continue
				}
				j.doc = npmmeta.FromDocument(doc)
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case work <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()

	out := make(map[string][]record.Finding, len(names))
	for _, j := range jobs {
		switch {
		case j.err != nil:
			fail(j.name, j.err)
		case j.doc == nil:
			fail(j.name, fmt.Errorf("not fetched: %w", context.Cause(ctx)))
		case len(j.doc.Releases) == 0:
			fail(j.name, errors.New("the package has no published version (unpublished)"))
			j.doc = nil
		}
	}
	for _, entry := range names {
		name, version := splitVersion(entry)
		j := byName[name]
		if j == nil || j.doc == nil {
			continue
		}
		fs := npmmeta.Check(j.doc, version, now)
		if fs == nil {
			fs = []record.Finding{}
		}
		out[entry] = fs
	}
	// Errors in input order, one per name; a registry error shared by
	// several names (none configured) once.
	var errs []record.InputError
	seen := map[string]bool{}
	for _, entry := range names {
		name, _ := splitVersion(entry)
		err := failed[name]
		if err == nil {
			continue
		}
		msg := fmt.Sprintf("npm %s: %v", name, err)
		if errors.Is(err, npm.ErrNoRegistry) {
			msg = err.Error()
		}
		if !seen[msg] {
			seen[msg] = true
			errs = append(errs, record.InputError{File: "online", Msg: msg})
		}
	}
	return out, errs
}

// addOnline runs the live npm checks (--online) on the npm results, adds
// their findings (suppressions applied) and recomputes the verdicts. dir
// is where the npm configuration (.npmrc) is looked up. It returns the
// names that could not be checked as input errors.
func (g *globals) addOnline(ctx context.Context, results []record.Result, dir string) []record.InputError {
	if !g.online {
		return nil
	}
	var names []string
	entry := make([]string, len(results))
	for i, r := range results {
		if r.Ecosystem != ecosystem.NPM || r.Name == "" {
			continue
		}
		e := r.Name
		if exactVersion(r.Version) {
			e += "@" + r.Version
		}
		entry[i] = e
		names = append(names, e)
	}
	if len(names) == 0 {
		return nil
	}
	found, errs := g.npmOnlineWith(ctx, uniqueStrings(names), dir, onlineOptions{registry: g.registry})
	sup, _ := g.suppressor()
	for i := range results {
		r := &results[i]
		analysis.Add(sup, r, found[entry[i]])
	}
	return errs
}

// exactVersion reports a plain version ("1.2.3", "1.0.0-beta.1"), not a
// range or tag, which the registry can be asked about.
func exactVersion(v string) bool {
	if v == "" || (v[0] < '0' || v[0] > '9') {
		return false
	}
	return !strings.ContainsAny(v, " ^~<>=*|xX")
}

func uniqueStrings(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// withOnlineRules adds the live npm rules to a catalog when --online.
func (g *globals) withOnlineRules(rules []record.Rule) []record.Rule {
	if !g.online {
		return rules
	}
	return append(rules, npmmeta.Rules()...)
}
