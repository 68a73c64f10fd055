package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest/list"
	"github.com/pkgward/pkgward/internal/manifest/registryconf"
	"github.com/pkgward/pkgward/internal/project"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/regcheck"
)

func (g *globals) scanCmd(ctx context.Context) *cobra.Command {
	return &cobra.Command{
		Use:   "scan [DIR|FILE]",
		Short: "Find a project's manifests and lockfiles and check every dependency",
		Long: `scan walks DIR (default: the current directory), parses every manifest and
lockfile it recognizes (npm, PyPI, NuGet, RubyGems, Go, crates) and checks each
dependency, reporting it with its file:line. It also reads the registry
configuration files it finds (.npmrc, .yarnrc, .yarnrc.yml, pip.conf, index
options of requirements files, Pipfile, pyproject.toml and uv.toml sources,
nuget.config, Gemfile sources, .gemrc, .cargo/config.toml, go.env and .env)
and reports each setting that points at a lookalike, plain-http or extra
index, carries a credential, or switches verification off. node_modules,
vendor, .git and build output directories are skipped; symlinks are never
followed.`,
		Example: "  pkgward scan\n  pkgward scan ./service --format sarif > pkgward.sarif",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			res, err := project.Scan(ctx, root, list.All(), registryconf.All()...)
			if err != nil {
				return err
			}
			var ecos []ecosystem.Ecosystem
			for _, d := range res.Dependencies {
				if !slices.Contains(ecos, d.Ecosystem) {
					ecos = append(ecos, d.Ecosystem)
				}
			}
			eng, notices, err := g.buildEngine(ctx, ecos, "")
			if err != nil {
				return err
			}
			results := make([]record.Result, 0, len(res.Dependencies))
			errs := res.Errors
			for i, d := range res.Dependencies {
				if err := validName(d.Name); err != nil {
					errs = append(errs, record.InputError{File: d.File, Line: d.Line, Msg: err.Error()})
					continue
				}
				if i%1024 == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				p := record.Package{Ecosystem: d.Ecosystem, Name: d.Name, Version: d.Version, Source: d.Source()}
				results = append(results, eng.Judge(&p))
			}
			dir, base := root, root // sources are relative to a scanned DIR
			if st, err := os.Stat(root); err == nil && !st.IsDir() {
				dir, base = filepath.Dir(root), "" // a scanned FILE keeps its path as given
			}
			errs = append(errs, g.addOnline(ctx, results, dir)...)
			results = append(results, g.judgeSettings(res.Settings)...)
			if len(res.Files) == 0 && len(errs) == 0 {
				notices = append(notices, "no manifest or lockfile found under "+root)
			}
			return g.finishIn(base, g.withOnlineRules(append(eng.Rules(), regcheck.Rules()...)), results, errs, notices)
		},
	}
}

// judgeSettings judges registry settings and returns one result per
// setting with findings (settings without findings are not reported), in
// walk order, after the dependencies. A result is named by the setting's
// URL, credentials shown as ***, or by its key (key=value for checksum
// settings); its source is the setting's file:line; suppressions apply to
// that name.
func (g *globals) judgeSettings(settings []registryconf.Setting) []record.Result {
	if len(settings) == 0 {
		return nil
	}
	sup, _ := g.suppressor() // expired entries were already noticed by buildEngine
	var results []record.Result
	for _, fl := range regcheck.New(g.domains()).Check(settings) {
		s := fl.Setting
		r := record.Result{Ecosystem: s.Ecosystem, Name: regcheck.Name(s), Source: s.Source(), Findings: []record.Finding{}}
		analysis.Add(sup, &r, fl.Findings)
		results = append(results, r)
	}
	return results
}
