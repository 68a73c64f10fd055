package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func (g *globals) checkCmd(ctx context.Context) *cobra.Command {
	var namespace string
	cmd := &cobra.Command{
		Use:   "check ECOSYSTEM NAME[@VERSION]...",
		Short: "Check package names given on the command line",
		Long: `check judges each NAME of ECOSYSTEM (npm, pypi, nuget, rubygems, go, crates;
OSV spellings accepted) and reports lookalikes of popular or protected names.`,
		Example: "  pkgward check pypi requester reqeusts numpy\n  pkgward check npm crossenv @types/node --format json",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			eco, err := ecosystem.Parse(args[0])
			if err != nil {
				return usageError{err}
			}
			eng, notices, err := g.buildEngine(ctx, []ecosystem.Ecosystem{eco}, namespace)
			if err != nil {
				return err
			}
			var results []record.Result
			var errs []record.InputError
			for i, arg := range args[1:] {
				name, version := splitVersion(arg)
				if err := validName(name); err != nil {
					errs = append(errs, record.InputError{File: "argv", Line: i + 1, Msg: err.Error()})
					continue
				}
				p := record.Package{Ecosystem: eco, Name: name, Version: version, Source: "argv"}
				results = append(results, eng.Check(ctx, &p))
			}
			errs = append(errs, analysis.Incomplete(results)...)
			errs = append(errs, g.addOnline(ctx, results, ".")...)
			return g.finish(g.withOnlineRules(eng.Rules()), results, errs, notices)
		},
	}
	cmd.Flags().StringVar(&namespace, "namespace", "", "file of every existing name (one per line, .gz accepted): also report collisions with any of them")
	return cmd
}

// splitVersion splits "name@version"; an npm scope's leading "@" is part
// of the name.
func splitVersion(arg string) (name, version string) {
	i := strings.LastIndexByte(arg, '@')
	if i <= 0 {
		return arg, ""
	}
	return arg[:i], arg[i+1:]
}
