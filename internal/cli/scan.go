package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

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
	var lockfiles []string
	var opts project.Options
	cmd := &cobra.Command{
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
vendor, testdata, .git and build output directories are skipped, and so is
what .gitignore files and --exclude GLOB patterns name (--no-ignore reads
what the defaults and .gitignore skip); a notice counts what was skipped
(-v lists it). Symlinks are never followed. A file named on the command
line is always read. --lockfile [TYPE:]PATH reads a file of any name with
the parser TYPE (see docs/commands/scan.md for the types).`,
		Example: "  pkgward scan\n  pkgward scan ./service --format sarif > pkgward.sarif\n  pkgward scan --lockfile pypi/requirements.txt:deps/prod.lst",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			parsers := list.All()
			var specs []lockfileSpec
			for _, v := range lockfiles {
				sp, err := parseLockfileSpec(v, parsers)
				if err != nil {
					return err
				}
				specs = append(specs, sp)
			}
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			if _, err := project.CompileExcludes(opts.Exclude); err != nil {
				return usageError{err}
			}
			prog := g.scanProgress()
			defer prog.done()
			res := &project.Result{}
			if len(args) == 1 || len(specs) == 0 {
				opts.Progress = prog.update
				var err error
				if res, err = project.ScanWith(ctx, root, opts, parsers, registryconf.All()...); err != nil {
					return err
				}
			}
			for _, sp := range specs {
				var r *project.Result
				if sp.path == "-" {
					r = project.ScanReader(ctx, "stdin", g.io.In, sp.parser)
				} else {
					var err error
					if r, err = project.ScanFile(ctx, sp.path, sp.parser, registryconf.All()...); err != nil {
						return err
					}
				}
				res.Files = append(res.Files, r.Files...)
				res.Dependencies = append(res.Dependencies, r.Dependencies...)
				res.Settings = append(res.Settings, r.Settings...)
				res.Errors = append(res.Errors, r.Errors...)
			}
			if len(res.Dependencies) > project.MaxDependencies {
				return &record.InputError{File: "--lockfile", Msg: fmt.Sprintf("more than %d dependencies in one scan", project.MaxDependencies)}
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
			notices = append(append(g.configNotices(), notices...), skipNotices(res.Skipped, g.verbose)...)
			results := make([]record.Result, 0, len(res.Dependencies))
			errs := res.Errors
			for i, d := range res.Dependencies {
				if err := validName(d.Name); err != nil {
					errs = append(errs, record.InputError{File: d.File, Line: d.Line, Msg: err.Error()})
					continue
				}
				if i%1024 == 0 {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					prog.judged(i, len(res.Dependencies))
				}
				p := record.Package{Ecosystem: d.Ecosystem, Name: d.Name, Version: d.Version, Source: d.Source()}
				results = append(results, eng.Judge(&p))
			}
			dir, base := root, root // sources are relative to a scanned DIR
			if len(args) == 0 && len(specs) > 0 {
				dir, base = filepath.Dir(specs[0].path), "" // only the named files, their paths as given
			}
			if st, err := os.Stat(dir); err == nil && !st.IsDir() {
				dir, base = filepath.Dir(dir), "" // a scanned FILE keeps its path as given
			}
			errs = append(errs, g.addOnline(ctx, results, dir)...)
			results = append(results, g.judgeSettings(res.Settings)...)
			if len(res.Files) == 0 && len(errs) == 0 {
				notices = append(notices, "no manifest or lockfile found under "+root)
			}
			prog.done()
			return g.finishIn(base, g.withOnlineRules(append(eng.Rules(), regcheck.Rules()...)), results, errs, notices)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Exclude, "exclude", nil, "do not read the files and directories matching this glob, relative to DIR (gitignore-style: a pattern without / matches a name at any depth; ** matches any number of directories; repeatable)")
	cmd.Flags().BoolVar(&opts.NoIgnore, "no-ignore", false, "also read what .gitignore files and the default skipped directories (node_modules, testdata, vendor, …) skip")
	cmd.Flags().StringArrayVarP(&lockfiles, "lockfile", "L", nil, "also read this file, of any name, with the parser TYPE (a name from the table of docs/commands/scan.md; default: from the file name): [TYPE:]PATH (repeatable; without DIR only these files are read)")
	return cmd
}

// maxSkipNotices bounds the skips -v lists one by one.
const maxSkipNotices = 200

// skipNotices says what the walk skipped, so that a skip is never silent:
// one notice counting directories and files by reason, and with verbose
// one per skip (at most maxSkipNotices).
func skipNotices(skipped []project.Skip, verbose bool) []string {
	if len(skipped) == 0 {
		return nil
	}
	dirs, files := 0, 0
	by := map[project.SkipKind]int{}
	ignorable := false
	for _, s := range skipped {
		if s.Dir {
			dirs++
		} else {
			files++
		}
		by[s.Kind]++
		ignorable = ignorable || s.Kind != project.SkipExclude
	}
	var what []string
	if dirs > 0 {
		what = append(what, countOf(dirs, "directory", "directories"))
	}
	if files > 0 {
		what = append(what, countOf(files, "project file", "project files"))
	}
	var why []string
	for _, k := range []project.SkipKind{project.SkipDefault, project.SkipGitignore, project.SkipExclude} {
		label := "by " + string(k)
		if k == project.SkipDefault {
			label = "on the default list"
		}
		if by[k] > 0 {
			why = append(why, fmt.Sprintf("%d %s", by[k], label))
		}
	}
	msg := fmt.Sprintf("skipped %s (%s); ", strings.Join(what, " and "), strings.Join(why, ", "))
	if !verbose {
		msg += "-v lists them"
	} else {
		msg += "listed below"
	}
	if ignorable {
		msg += "; --no-ignore reads what the defaults and .gitignore skip"
	}
	out := []string{msg}
	if verbose {
		for i, s := range skipped {
			if i == maxSkipNotices {
				out = append(out, fmt.Sprintf("and %d more skipped", len(skipped)-i))
				break
			}
			p := s.Path
			if s.Dir {
				p += "/"
			}
			why := string(s.Kind) + " " + s.Rule
			switch s.Kind {
			case project.SkipDefault:
				why = "on the default list"
			case project.SkipGitignore:
				why = s.Rule
			}
			out = append(out, fmt.Sprintf("skipped %s (%s)", p, why))
		}
	}
	return out
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
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
		r := record.Result{Kind: record.KindRegistrySetting, Ecosystem: s.Ecosystem, Name: regcheck.Name(s), Source: s.Source(), Findings: []record.Finding{}}
		analysis.Add(sup, &r, fl.Findings)
		results = append(results, r)
	}
	return results
}
