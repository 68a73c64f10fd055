package cli

import (
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/report"
)

// finishIn is finish for results whose sources are relative to base (scan
// DIR labels files relative to DIR), so that SARIF can give paths relative
// to the repository root.
func (g *globals) finishIn(base string, rules []record.Rule, results []record.Result, errs []record.InputError, notices []string) error {
	r, err := g.renderer("text")
	if err != nil {
		return err
	}
	rep := &report.Report{
		Tool:    report.Tool{Name: "pkgward", Version: Version},
		Results: results, Errors: errs, Notices: notices, Rules: rules, Base: base,
	}
	if err := r.Render(g.io.Out, rep); err != nil {
		return err
	}
	g.setExit(results, len(errs) > 0)
	return nil
}
