package cli

import (
	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/config"
	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/record"
)

func (g *globals) domainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "domain NAME|URL...",
		Short: "Check host names, URLs and e-mail addresses for lookalikes of registry and code-host domains",
		Long: `domain judges each argument — a host name, a URL or an e-mail address — and
reports hosts that imitate a package registry, its file host, a code host or
one of your domains (domains: in the configuration): npmjs.help, pypj.org,
pypi-mirror.org, npmjs.com.account-verify.io. The official domains and every
host under them are never reported. Nothing is looked up: no DNS, no WHOIS.`,
		Example: "  pkgward domain npmjs.help pypi.org\n" +
			"  pkgward domain 'https://npmjs.com.account-verify.io/login' support@pypi-mirror.org --format json",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			eng := g.domains()
			sup, notices := g.suppressor()
			results, errs := judgeDomains(eng, sup, args)
			return g.finish(eng.Rules(), results, errs, notices)
		},
	}
}

// brandsOf returns the configuration's brands for the domain engine.
func brandsOf(cfg *config.Config) []domain.Brand {
	if cfg == nil {
		return nil
	}
	out := make([]domain.Brand, len(cfg.Brands))
	for i, b := range cfg.Brands {
		out[i] = domain.Brand{Name: b.Name, Domains: b.Domains, Aliases: b.Aliases, Word: b.Word}
	}
	return out
}

// judgeDomains judges each argument: one result per valid argument, in
// order, and an input error (argv:POSITION) for each invalid one.
func judgeDomains(eng *domain.Engine, sup analysis.Suppressor, args []string) ([]record.Result, []record.InputError) {
	var results []record.Result
	var errs []record.InputError
	for i, arg := range args {
		m := eng.Judge(arg)
		if m.Err != nil {
			errs = append(errs, record.InputError{File: "argv", Line: i + 1, Msg: "not a host name, URL or e-mail address: " + m.Err.Error()})
			continue
		}
		r := record.Result{Kind: record.KindDomain, Name: arg, Source: "argv", Findings: []record.Finding{}}
		var fs []record.Finding
		if m.Lookalike() {
			fs = append(fs, eng.Finding(m))
		}
		analysis.Add(sup, &r, fs, m.Host)
		results = append(results, r)
	}
	return results, errs
}
