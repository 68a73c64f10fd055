package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/codescan"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/feed"
	"github.com/pkgward/pkgward/internal/npmmeta"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
	"github.com/pkgward/pkgward/internal/store"
)

// JudgeConfig is what the feeds' Judge works with.
type JudgeConfig struct {
	// Engine judges every record (the gate's engine).
	Engine *analysis.Engine
	// NPM fetches npm package documents (nil: npm items are judged on
	// their name only).
	NPM *npm.Fetcher
	// Recent is how far back, from the newest, the versions of an npm
	// package are judged besides its latest (default 24 h); at most
	// MaxVersions are.
	Recent      time.Duration
	MaxVersions int
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// InspectArchives downloads and inspects each judged npm version's
	// tarball too (serve.inspect-archives), at most MaxArchive bytes
	// (default DefaultMaxArchive) with the code rules Rules (nil: the
	// embedded ones).
	InspectArchives bool
	MaxArchive      int64
	Rules           *codescan.RuleSet

	archives *archives
}

// NewJudge returns the Judge of the feeds: an npm item (a changed
// package) is fetched from the configured npm registry and its latest
// version, and every version published within Recent of the newest, are
// judged with the engine and the npm document rules; an item of another
// ecosystem is judged as the record the feed gives (name and version). A
// deleted item, or an npm package that no longer exists, gives no check.
func NewJudge(c JudgeConfig) Judge {
	if c.Recent <= 0 {
		c.Recent = 24 * time.Hour
	}
	if c.MaxVersions <= 0 {
		c.MaxVersions = 10
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.InspectArchives && c.NPM != nil {
		if c.MaxArchive <= 0 {
			c.MaxArchive = DefaultMaxArchive
		}
		if c.Rules == nil {
			c.Rules = codescan.DefaultRules()
		}
		c.archives = &archives{fetcher: c.NPM, rules: c.Rules, max: c.MaxArchive, clients: map[string]*npm.Client{}}
	}
	return func(ctx context.Context, it feed.Item) ([]store.Check, error) {
		if it.Deleted {
			return nil, nil
		}
		source := "feed:" + string(it.Ecosystem)
		if it.Ecosystem == ecosystem.NPM && c.NPM != nil {
			return c.npm(ctx, it, source)
		}
		p := record.Package{Ecosystem: it.Ecosystem, Name: it.Name, Version: it.Version, Published: it.Published, Source: source}
		ch, err := c.check(ctx, &p, nil)
		if err != nil {
			return nil, err
		}
		return []store.Check{ch}, nil
	}
}

func (c JudgeConfig) npm(ctx context.Context, it feed.Item, source string) ([]store.Check, error) {
	got := c.NPM.Fetch(ctx, []string{it.Name})
	if len(got) != 1 {
		return nil, fmt.Errorf("npm %s: no answer", it.Name)
	}
	if err := got[0].Err; err != nil {
		if errors.Is(err, npm.ErrNotFound) || errors.Is(err, npm.ErrInvalidName) {
			return nil, nil // gone (unpublished) or never a package: nothing to judge
		}
		return nil, err
	}
	doc := got[0].Doc
	snap := npmmeta.FromDocument(doc)
	if len(snap.Releases) == 0 {
		return nil, nil // every version unpublished
	}
	meta := analysis.Pure(npmmeta.New(c.Now(), map[string]*npmmeta.Snapshot{doc.Name: snap}))
	var out []store.Check
	for _, v := range versionsToJudge(doc, c.Recent, c.MaxVersions) {
		p := npmRecord(doc, v, source)
		ch, err := c.check(ctx, &p, meta)
		if err != nil {
			return nil, err
		}
		if c.archives != nil {
			fs, err := c.inspect(ctx, &p, doc.Versions[v].Dist)
			if err != nil {
				return nil, err
			}
			// The archive's findings beside the record's: the name
			// rules ran on both, so drop the archive's copies.
			have := map[string]bool{}
			for _, f := range ch.Findings {
				have[f.Rule+"\x00"+f.Message] = true
			}
			for _, f := range fs {
				if !have[f.Rule+"\x00"+f.Message] {
					ch.Findings = append(ch.Findings, f)
				}
			}
			r := record.Result{Findings: ch.Findings}
			analysis.Finalize(&r)
			ch.Findings, ch.Verdict = r.Findings, r.Verdict
		}
		out = append(out, ch)
	}
	return out, nil
}

// check judges p with the engine (and extra, when not nil) into a store
// check keeping the record.
func (c JudgeConfig) check(ctx context.Context, p *record.Package, extra analysis.Analyzer) (store.Check, error) {
	r := c.Engine.Check(ctx, p)
	if len(r.Errors) > 0 {
		return store.Check{}, fmt.Errorf("%s %s: %s: %s", p.Name, p.Version, r.Errors[0].Analyzer, r.Errors[0].Message)
	}
	if extra != nil {
		fs, err := extra.Analyze(ctx, p)
		if err != nil {
			return store.Check{}, err
		}
		analysis.Add(nil, &r, fs)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return store.Check{}, err
	}
	return store.Check{Kind: store.KindPackage, Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Source: p.Source,
		Verdict: r.Verdict, Findings: r.Findings, Package: b}, nil
}

// versionsToJudge is the latest version and the versions published
// within recent of the newest one, newest first, at most max.
func versionsToJudge(doc *npm.Document, recent time.Duration, max int) []string {
	latest := doc.Latest()
	out := []string{}
	if latest != "" {
		out = append(out, latest)
	}
	byTime := doc.ByTime()
	if len(byTime) == 0 {
		return out
	}
	newest := doc.Time[byTime[len(byTime)-1]]
	for i := len(byTime) - 1; i >= 0 && len(out) < max; i-- {
		v := byTime[i]
		t, ok := doc.Time[v]
		if !ok || newest.Sub(t) > recent {
			break
		}
		if v != latest {
			out = append(out, v)
		}
	}
	return out
}

// npmRecord is the record of one version of an npm document.
func npmRecord(doc *npm.Document, version, source string) record.Package {
	v := doc.Versions[version]
	p := record.Package{
		Ecosystem: ecosystem.NPM, Name: doc.Name, Version: version, Source: source,
		Description: v.Description, Readme: doc.Readme, Homepage: v.Homepage, Repository: v.Repository.URL,
		Published: doc.Time[version], Scripts: v.Scripts,
	}
	if p.Description == "" {
		p.Description = doc.Description
	}
	if p.Homepage == "" {
		p.Homepage = doc.Homepage
	}
	if p.Repository == "" {
		p.Repository = doc.Repository.URL
	}
	if v.Publisher.Name != "" || v.Publisher.Email != "" {
		p.Authors = []record.Person{{Name: v.Publisher.Name, Email: v.Publisher.Email}}
	}
	ms := v.Maintainers
	if len(ms) == 0 {
		ms = doc.Maintainers
	}
	for _, m := range ms {
		p.Maintainers = append(p.Maintainers, record.Person{Name: m.Name, Email: m.Email})
	}
	return p
}
