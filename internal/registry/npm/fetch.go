package npm

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// DefaultFetchWorkers bounds the documents a Fetcher fetches at a time.
const DefaultFetchWorkers = 8

// Fetcher fetches the registry documents of many packages, each from the
// registry configured for it (RegistryFor), a bounded number at a time.
// It never prints and never judges: it returns a snapshot or an error per
// package.
type Fetcher struct {
	// Registry, when set (a --registry flag), is used for every name
	// instead of the configured registries.
	Registry string
	// Dir is where the project's .npmrc is looked up (see RegistryFor).
	Dir string
	// Env is the environment registries are looked up in (nil: the
	// process's).
	Env map[string]string
	// Client tunes the registry clients (cache directory, retries).
	Client Options
	// Workers bounds concurrent fetches (0: DefaultFetchWorkers).
	Workers int
}

// Fetched is the document of one package as the registry served it, or
// why there is none.
type Fetched struct {
	Name string
	Doc  *Document
	// Err is why Doc is nil: an invalid name, no registry configured
	// (ErrNoRegistry, shared by every name of the scope), a registry
	// error (*Error), or the context's cause when ctx ended before the
	// fetch.
	Err error
}

// Fetch returns one Fetched per distinct name of names, in the order of
// their first appearance: one request per package, whatever the versions
// later asked for. Registries are looked up once per scope and one client
// is shared per registry.
func (f *Fetcher) Fetch(ctx context.Context, names []string) []Fetched {
	out := make([]Fetched, 0, len(names))
	seen := make(map[string]bool, len(names))
	registries := map[string]string{} // scope → base URL ("": unscoped)
	regErrs := map[string]error{}
	clients := map[string]*Client{}
	type job struct {
		i      int
		client *Client
	}
	var jobs []job
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, Fetched{Name: name})
		it := &out[len(out)-1]
		if err := ValidName(name); err != nil {
			it.Err = err
			continue
		}
		scope := ""
		if strings.HasPrefix(name, "@") {
			scope, _, _ = strings.Cut(name, "/")
		}
		base, ok := registries[scope]
		if !ok && regErrs[scope] == nil {
			var err error
			if f.Registry != "" {
				base = f.Registry
			} else {
				base, err = RegistryFor(name, f.Dir, f.Env)
			}
			if err != nil {
				regErrs[scope] = err
			} else {
				registries[scope] = base
			}
		}
		if err := regErrs[scope]; err != nil {
			it.Err = err
			continue
		}
		c := clients[base]
		if c == nil {
			var err error
			if c, err = New(base, f.Client); err != nil {
				it.Err = err
				continue
			}
			clients[base] = c
		}
		jobs = append(jobs, job{i: len(out) - 1, client: c})
	}

	workers := f.Workers
	if workers <= 0 {
		workers = DefaultFetchWorkers
	}
	work := make(chan job)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			for j := range work {
				it := &out[j.i]
				it.Doc, it.Err = j.client.Packument(ctx, it.Name)
			}
		})
	}
	fed := 0
feed:
	for _, j := range jobs {
		select {
		case work <- j:
			fed++
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	for _, j := range jobs[fed:] {
		out[j.i].Err = fmt.Errorf("not fetched: %w", context.Cause(ctx))
	}
	return out
}
