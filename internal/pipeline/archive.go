package pipeline

import (
	"context"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/record"
)

// JudgeArchive is the result of one package archive read into t, as
// inspect reports it and the gate answers: the package checks on its
// metadata plus the archive's structural findings and code, the code
// findings, suppressions applied; and one result per dependency whose
// name checks found something. source names the archive in the results.
// skipped reports an archive without package metadata: its name checks
// did not run.
func JudgeArchive(eng *analysis.Engine, sup analysis.Suppressor, source string, t *artifact.Tree, code []record.Finding) (r record.Result, deps []record.Result, skipped bool) {
	return CheckArchive(context.Background(), eng, sup, source, t, code)
}

// CheckArchive is JudgeArchive with ctx reaching every analyzer: once it
// is done, the results carry analyzer errors (and are never allow). A
// dependency result with an analyzer error is returned too.
func CheckArchive(ctx context.Context, eng *analysis.Engine, sup analysis.Suppressor, source string, t *artifact.Tree, code []record.Finding) (r record.Result, deps []record.Result, skipped bool) {
	p := t.Package
	p.Source = source
	if p.Ecosystem.Valid() && p.Name != "" {
		r = eng.Check(ctx, &p)
	} else {
		r = record.Result{Kind: record.KindPackage, Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Source: source, Findings: []record.Finding{}}
		skipped = true
	}
	analysis.Add(sup, &r, append(append([]record.Finding{}, t.Findings...), code...))
	if !p.Ecosystem.Valid() {
		return r, nil, skipped
	}
	for _, d := range p.Dependencies {
		if record.ValidName(d.Name) != nil {
			continue
		}
		dp := record.Package{Ecosystem: p.Ecosystem, Name: d.Name, Version: d.Version, Source: source}
		if dr := eng.Check(ctx, &dp); len(dr.Findings) > 0 || len(dr.Errors) > 0 {
			deps = append(deps, dr)
		}
	}
	return r, deps, skipped
}
