// Package pipeline builds pkgward's analysis engine from one table of
// analyzers, and the catalog of every rule from the same table, so that
// every front end (the CLI, the server) judges packages the same way.
//
// Building does no I/O beyond decoding the embedded corpora: the caller
// reads user files (corpora, namespaces, the known-malicious database) and
// hands over their contents.
package pipeline

import (
	"context"
	"sort"
	"sync"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/codescan"
	"github.com/pkgward/pkgward/internal/content"
	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/depurl"
	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/email"
	"github.com/pkgward/pkgward/internal/malicious"
	"github.com/pkgward/pkgward/internal/npmmeta"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/regcheck"
	"github.com/pkgward/pkgward/internal/release"
	"github.com/pkgward/pkgward/internal/typosquat"
)

// Config is what an engine protects and the data it judges with.
type Config struct {
	// Ecosystems whose popularity corpora are loaded and indexed.
	Ecosystems []ecosystem.Ecosystem
	// UserCorpora are extra names to protect per ecosystem; the entries
	// under "" apply to every ecosystem.
	UserCorpora map[ecosystem.Ecosystem][]corpus.Entry
	// Namespaces are every existing name of an ecosystem (namespace mode).
	Namespaces map[ecosystem.Ecosystem]*typosquat.Namespace
	// Domains is the lookalike-domain engine the content rules use (nil:
	// the official domains only).
	Domains *domain.Engine
	// Malicious is the imported known-malicious database (nil: none).
	Malicious *malicious.DB
	// Suppressor silences findings (nil: none).
	Suppressor analysis.Suppressor
	// Campaigns, when set, holds the known campaigns a package is matched
	// against (campaign-member; pkgward serve keeps it loaded).
	Campaigns *campaign.MatcherRef
}

// built is the state shared by the analyzer constructors of one Build.
type built struct {
	cfg     Config
	indexes map[ecosystem.Ecosystem]*typosquat.Index
}

// analyzers is the table of package analyzers, in the order they run: a
// row's rules are in the catalog, and Build includes its analyzer unless
// the constructor returns nil (nothing to judge with). Build and Catalog
// both read it: a new analyzer is one row here.
var analyzers = []struct {
	name  string
	rules func() []record.Rule
	new   func(b *built) analysis.Analyzer
}{
	// The rules are read through closures: a method value would build its
	// analyzer when the program starts, whatever command runs.
	{"typosquat", func() []record.Rule { return typosquat.NewAnalyzer(nil, nil).Rules() }, func(b *built) analysis.Analyzer {
		return analysis.Pure(typosquat.NewAnalyzer(b.indexes, b.cfg.Namespaces))
	}},
	{"content", func() []record.Rule { return content.New(nil).Rules() },
		func(b *built) analysis.Analyzer { return analysis.Pure(content.New(b.cfg.Domains)) }},
	{"depurl", depurl.Rules, func(*built) analysis.Analyzer { return analysis.Pure(depurl.New()) }},
	// campaign-member's rule is in otherRules (sweep --campaigns has it too).
	{"campaign-match", func() []record.Rule { return nil }, func(b *built) analysis.Analyzer {
		if b.cfg.Campaigns == nil {
			return nil
		}
		return analysis.Pure(campaign.NewRefAnalyzer(b.cfg.Campaigns))
	}},
	{"malicious", malicious.Rules, func(b *built) analysis.Analyzer {
		if b.cfg.Malicious == nil {
			return nil
		}
		return analysis.Pure(malicious.NewAnalyzer(b.cfg.Malicious))
	}},
}

// otherRules are the rules of the checks that are not package analyzers:
// registry settings, domains, e-mail, campaigns, the live npm document,
// archives, code and releases.
var otherRules = []func() []record.Rule{
	regcheck.Rules, domain.Rules, email.Rules, campaign.Rules, npmmeta.Rules,
	artifact.Rules, release.Rules,
}

// codeRules are the code rules' part of the catalog. Compiling them is
// most of what a short command such as `pkgward check` would spend on the
// catalog, so Known reads them only for an id the other parts lack.
func codeRules() []record.Rule { return codescan.DefaultRules().Rules() }

// Build loads and indexes the corpora of cfg.Ecosystems in parallel, and
// compiles the content analyzer's model beside them, and returns the
// engine over the analyzer table.
func Build(ctx context.Context, cfg Config) (*analysis.Engine, error) {
	b := &built{cfg: cfg, indexes: make(map[ecosystem.Ecosystem]*typosquat.Index, len(cfg.Ecosystems))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(cfg.Ecosystems))
	wg.Go(content.Prepare) // the content analyzer's model, beside the indexes
	for i, eco := range cfg.Ecosystems {
		wg.Go(func() {
			user := append(append([]corpus.Entry(nil), cfg.UserCorpora[eco]...), cfg.UserCorpora[""]...)
			ix, err := typosquat.BuildEmbedded(eco, user, typosquat.DefaultOptions())
			if err != nil {
				errs[i] = err
				return
			}
			mu.Lock()
			b.indexes[eco] = ix
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var as []analysis.Analyzer
	for _, row := range analyzers {
		if a := row.new(b); a != nil {
			as = append(as, a)
		}
	}
	return analysis.New(cfg.Suppressor, as...), nil
}

// Catalog is every rule pkgward can report, sorted by id: the package
// analyzers' (whether or not a Build includes them) and the other checks'.
func Catalog() []record.Rule {
	var rules []record.Rule
	for _, row := range analyzers {
		rules = append(rules, row.rules()...)
	}
	for _, r := range otherRules {
		rules = append(rules, r()...)
	}
	rules = append(rules, codeRules()...)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}

// Known returns a test of whether a rule id is in the Catalog. It reads
// the analyzers' and the other checks' rules first and the code rules only
// for an id those lack, so that a command whose analyzers did not include
// the code rules does not compile them to tell that its rules are known.
// The test is for one goroutine.
func Known() func(id string) bool {
	known := map[string]bool{}
	for _, row := range analyzers {
		for _, r := range row.rules() {
			known[r.ID] = true
		}
	}
	for _, rules := range otherRules {
		for _, r := range rules() {
			known[r.ID] = true
		}
	}
	withCode := false
	return func(id string) bool {
		if !known[id] && !withCode {
			withCode = true
			for _, r := range codeRules() {
				known[r.ID] = true
			}
		}
		return known[id]
	}
}
