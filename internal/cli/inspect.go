package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/codescan"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/release"
)

// maxRulesFile bounds a --rules-file read from standard input.
const maxRulesFile = 16 << 20

// codeRulesFlag is --rules-file FILE: code rules added to the embedded
// ones.
type codeRulesFlag struct{ files []string }

// load reads the --rules-file files (and the old spelling --rules FILE),
// then checks the rule selection against the catalog and their rules.
func (f *codeRulesFlag) load(g *globals) (*codescan.RuleSet, error) {
	rs := codescan.DefaultRules()
	for _, file := range append(f.files, g.rulesFileAliases()...) {
		var data []byte
		var err error
		if file == "-" {
			file = "stdin"
			data, err = io.ReadAll(io.LimitReader(g.io.In, maxRulesFile+1))
			if err == nil && len(data) > maxRulesFile {
				err = fmt.Errorf("larger than %d bytes", maxRulesFile)
			}
		} else {
			data, err = os.ReadFile(file)
		}
		if err != nil {
			return nil, fileError(file, err)
		}
		extra, err := codescan.LoadRules(file, data)
		if err != nil {
			return nil, err
		}
		rs.Merge(extra)
	}
	if err := g.selectRules(rs.Rules()); err != nil {
		return nil, err
	}
	return rs, nil
}

// openTree reads an archive or directory ("-": an archive on standard
// input) and runs the code rules on it.
func (g *globals) openTree(ctx context.Context, path string, rs *codescan.RuleSet) (*artifact.Tree, []record.Finding, error) {
	var t *artifact.Tree
	var err error
	if path == "-" {
		t, err = artifact.Read(ctx, "stdin", g.io.In, artifact.Limits{})
	} else {
		t, err = artifact.Open(ctx, path, artifact.Limits{})
	}
	if err != nil {
		return nil, nil, fileError(sourceLabel(path), err)
	}
	return t, codescan.Scan(t, rs), nil
}

// sourceLabel is how an archive argument is named in results and errors:
// "stdin" for "-".
func sourceLabel(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// opened is one archive read and scanned: its metadata and findings, its
// file contents released.
type opened struct {
	path string
	tree *artifact.Tree
	code []record.Finding
}

// inspectArchive reads one archive, runs the code rules and releases the
// file contents, so that inspecting many archives holds one at a time.
func (g *globals) inspectArchive(ctx context.Context, path string, rs *codescan.RuleSet) (opened, error) {
	t, code, err := g.openTree(ctx, path, rs)
	if err != nil {
		return opened{}, err
	}
	t.Files = nil
	return opened{sourceLabel(path), t, code}, nil
}

func (g *globals) inspectCmd(ctx context.Context) *cobra.Command {
	var rules codeRulesFlag
	cmd := &cobra.Command{
		Use:   "inspect ARCHIVE|DIR|FILE...",
		Short: "Read package archives safely and report install-time malware, plus the name checks",
		Long: `inspect reads each package archive (npm .tgz, PyPI wheel/sdist, NuGet .nupkg,
RubyGems .gem, Go module .zip, .crate), directory or single source file (read as a
package of that one file) without executing anything,
refuses path traversal, links and bombs, and reports the code rules (install
scripts, credential theft, exfiltration, download-and-execute, obfuscation,
wallet hijacking, worm behaviour, bundled executables) at file:line, together
with the name, content and known-malicious checks on the package itself and the
name checks on its dependencies.`,
		Example: "  pkgward inspect left-pad-1.3.0.tgz\n  pkgward inspect ./unpacked-package --format sarif",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rs, err := rules.load(g)
			if err != nil {
				return err
			}
			var trees []opened
			var errs []record.InputError
			var ecos []ecosystem.Ecosystem
			for _, path := range args {
				o, err := g.inspectArchive(ctx, path, rs)
				if err != nil {
					errs = append(errs, *asInputError(err, sourceLabel(path)))
					continue
				}
				trees = append(trees, o)
				errs = append(errs, notReadWhole(o.tree, o.path)...)
				if eco := o.tree.Package.Ecosystem; eco.Valid() && !slices.Contains(ecos, eco) {
					ecos = append(ecos, eco)
				}
			}
			eng, notices, err := g.buildEngine(ctx, ecos, "")
			if err != nil {
				return err
			}
			sup, _ := g.suppressor()
			var results []record.Result
			for _, o := range trees {
				r, deps, skipped := pipeline.JudgeArchive(eng, sup, o.path, o.tree, o.code)
				if skipped {
					notices = append(notices, fmt.Sprintf("%s: no package metadata found; name checks skipped", o.path))
				}
				results = append(append(results, r), deps...)
			}
			errs = append(errs, g.addOnline(ctx, results, ".")...)
			catalog := append(eng.Rules(), artifact.Rules()...)
			catalog = append(catalog, rs.Rules()...)
			return g.finish(g.withOnlineRules(catalog), results, errs, notices)
		},
	}
	cmd.Flags().StringArrayVar(&rules.files, "rules-file", nil, "extra code rules file (YAML, the format of docs/codescan.md); repeatable")
	return cmd
}

func (g *globals) diffCmd(ctx context.Context) *cobra.Command {
	var rules codeRulesFlag
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Report what a release added over the previous one (the signal of a hijacked release)",
		Long: `diff reads two releases of a package (archives or directories) and reports
what NEW adds over OLD: new or changed install scripts, code rules that fire on
NEW but not on OLD (obfuscation, wallet hooks, exfiltration…), network hosts the
code did not refer to before, new dependencies, new binary or minified files,
and changed authors or maintainers. Unchanged code is not reported again.`,
		Example: "  pkgward diff chalk-5.6.0.tgz chalk-5.6.1.tgz",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			rs, err := rules.load(g)
			if err != nil {
				return err
			}
			ot, oc, err := g.openTree(ctx, args[0], rs)
			if err != nil {
				return err
			}
			nt, nc, err := g.openTree(ctx, args[1], rs)
			if err != nil {
				return err
			}
			oldSrc, newSrc := sourceLabel(args[0]), sourceLabel(args[1])
			name := nt.Package.Name
			if name == "" {
				name = newSrc
			}
			r := record.Result{Kind: record.KindPackage, Ecosystem: nt.Package.Ecosystem, Name: name, Version: nt.Package.Version, Source: newSrc, Findings: []record.Finding{}}
			sup, notices := g.suppressor()
			analysis.Add(sup, &r, release.Compare(release.Side{Tree: ot, Findings: oc}, release.Side{Tree: nt, Findings: nc}))
			// The package checks inspect runs (name, content, known-malicious;
			// the dependencies' names): what NEW gets and OLD did not.
			var ecos []ecosystem.Ecosystem
			for _, t := range []*artifact.Tree{ot, nt} {
				if eco := t.Package.Ecosystem; eco.Valid() && !slices.Contains(ecos, eco) {
					ecos = append(ecos, eco)
				}
			}
			eng, _, err := g.buildEngine(ctx, ecos, "")
			if err != nil {
				return err
			}
			packageChecks := func(t *artifact.Tree, path string) (record.Result, []record.Result) {
				meta := *t
				meta.Findings = nil // the archive's own findings are compared above
				pr, deps, _ := pipeline.JudgeArchive(eng, sup, path, &meta, nil)
				return pr, deps
			}
			opr, odeps := packageChecks(ot, oldSrc)
			npr, ndeps := packageChecks(nt, newSrc)
			r.Findings = append(r.Findings, release.Unseen(opr.Findings, npr.Findings)...)
			r.Suppressed = append(r.Suppressed, npr.Suppressed...)
			analysis.Finalize(&r)
			results := []record.Result{r}
			oldDeps := map[string][]record.Finding{}
			for _, d := range odeps {
				oldDeps[d.Name] = d.Findings
			}
			for _, d := range ndeps {
				if d.Findings = release.Unseen(oldDeps[d.Name], d.Findings); len(d.Findings) > 0 {
					analysis.Finalize(&d)
					results = append(results, d)
				}
			}
			errs := append(notReadWhole(ot, oldSrc), notReadWhole(nt, newSrc)...)
			catalog := append(eng.Rules(), release.Rules()...)
			catalog = append(catalog, artifact.Rules()...)
			return g.finish(append(catalog, rs.Rules()...), results, errs, notices)
		},
	}
	cmd.Flags().StringArrayVar(&rules.files, "rules-file", nil, "extra code rules file (YAML, the format of docs/codescan.md); repeatable")
	return cmd
}

// asInputError returns err as an InputError, naming file when it has none.
func asInputError(err error, file string) *record.InputError {
	if ie, ok := err.(*record.InputError); ok {
		return ie
	}
	return &record.InputError{File: file, Msg: err.Error()}
}

// notReadWhole is the input error of an archive that is truncated or
// corrupt (artifact.ErrTruncated): its findings are still reported, but
// what was never read cannot pass, so the run exits 2.
func notReadWhole(t *artifact.Tree, path string) []record.InputError {
	if err := t.Err(); err != nil {
		return []record.InputError{{File: path, Msg: err.Error()}}
	}
	return nil
}
