package monitor

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/codescan"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// Bounds of the archive inspection of one job (serve.inspect-archives).
const (
	DefaultMaxArchive = 64 << 20 // a tarball, compressed
	maxArchiveTotal   = 256 << 20
)

// archives inspects the tarballs of monitored npm versions: downloaded
// from the package's registry (integrity verified), read within bounds
// and judged like `pkgward inspect` (archive structure, code rules, the
// archive's own metadata).
type archives struct {
	fetcher *npm.Fetcher
	rules   *codescan.RuleSet
	max     int64

	mu      sync.Mutex
	clients map[string]*npm.Client // registry base → client
}

func (a *archives) client(name string) (*npm.Client, error) {
	base := a.fetcher.Registry
	if base == "" {
		var err error
		if base, err = npm.RegistryFor(name, a.fetcher.Dir, a.fetcher.Env); err != nil {
			return nil, err
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.clients[base]; ok {
		return c, nil
	}
	opts := a.fetcher.Client
	opts.MaxTarballSize = a.max
	c, err := npm.New(base, opts)
	if err != nil {
		return nil, err
	}
	a.clients[base] = c
	return c, nil
}

// inspect returns the findings of the tarball of p (judged as c's engine
// judges an inspected archive), to add to p's check. A tarball that
// cannot be downloaded or verified is an error (the job is retried); one
// that cannot be read whole is judged with its archive findings, which
// say so and never allow it.
func (c JudgeConfig) inspect(ctx context.Context, p *record.Package, d npm.Dist) ([]record.Finding, error) {
	cl, err := c.archives.client(p.Name)
	if err != nil {
		return nil, err
	}
	data, err := cl.Tarball(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("tarball of %s@%s: %w", p.Name, p.Version, err)
	}
	tree, err := artifact.Read(ctx, p.Name+"-"+p.Version+".tgz", bytes.NewReader(data), artifact.Limits{MaxTotal: maxArchiveTotal})
	if err != nil {
		return nil, fmt.Errorf("tarball of %s@%s: %w", p.Name, p.Version, err)
	}
	code := codescan.Scan(tree, c.archives.rules)
	judged := *tree
	judged.Package.Ecosystem, judged.Package.Name, judged.Package.Version = p.Ecosystem, p.Name, p.Version
	r, _, _ := pipeline.CheckArchive(ctx, c.Engine, nil, p.Source, &judged, code)
	if len(r.Errors) > 0 {
		return nil, fmt.Errorf("%s@%s: %s: %s", p.Name, p.Version, r.Errors[0].Analyzer, r.Errors[0].Message)
	}
	return r.Findings, nil
}
