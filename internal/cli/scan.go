package cli

import (
	"context"
	"slices"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest/list"
	"github.com/pkgward/pkgward/internal/project"
	"github.com/pkgward/pkgward/internal/record"
)

func (g *globals) scanCmd(ctx context.Context) *cobra.Command {
	return &cobra.Command{
		Use:   "scan [DIR|FILE]",
		Short: "Find a project's manifests and lockfiles and check every dependency",
		Long: `scan walks DIR (default: the current directory), parses every manifest and
lockfile it recognizes (npm, PyPI, NuGet, RubyGems, Go, crates) and checks each
dependency, reporting it with its file:line. node_modules, vendor, .git and
build output directories are skipped; symlinks are never followed.`,
		Example: "  pkgward scan\n  pkgward scan ./service --format sarif > pkgward.sarif",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			res, err := project.Scan(ctx, root, list.All())
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
			if len(res.Files) == 0 && len(errs) == 0 {
				notices = append(notices, "no manifest or lockfile found under "+root)
			}
			return g.finish(eng, results, errs, notices)
		},
	}
}
