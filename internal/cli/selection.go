package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/config"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/typo"
)

// ruleSelection is --rules ID,... and --exclude-rules ID,...: the rules
// whose findings a run reports. A finding of an unselected rule is
// dropped before the verdict, as if the rule had not run; it is neither
// reported nor counted as suppressed.
type ruleSelection struct {
	only    map[string]bool // nil: every rule
	exclude map[string]bool
}

// active reports whether the selection drops anything.
func (s *ruleSelection) active() bool { return s != nil && (s.only != nil || len(s.exclude) > 0) }

// Drops reports whether findings of rule are left out of the run.
func (s *ruleSelection) Drops(rule string) bool {
	if s == nil {
		return false
	}
	if s.only != nil && !s.only[rule] {
		return true
	}
	return s.exclude[rule]
}

// filter drops the findings (and suppressed findings) of unselected rules
// from every result and recomputes its verdict.
func (s *ruleSelection) filter(results []record.Result) {
	if !s.active() {
		return
	}
	for i := range results {
		r := &results[i]
		r.Findings = slices.DeleteFunc(r.Findings, func(f record.Finding) bool { return s.Drops(f.Rule) })
		r.Suppressed = slices.DeleteFunc(r.Suppressed, func(x record.Suppressed) bool { return s.Drops(x.Finding.Rule) })
		if len(r.Suppressed) == 0 {
			r.Suppressed = nil
		}
		analysis.Finalize(r)
	}
}

// rulesFileAlias reports whether a --rules value is the old spelling of
// --rules-file: not a rule id, but an existing file or a YAML file name.
func rulesFileAlias(v string, known map[string]bool) bool {
	if known[v] {
		return false
	}
	if strings.HasSuffix(v, ".yaml") || strings.HasSuffix(v, ".yml") {
		return true
	}
	st, err := os.Stat(v)
	return err == nil && st.Mode().IsRegular()
}

// parseSelection checks every id of --rules and --exclude-rules against
// the catalog (known); an unknown id is a usage error suggesting the
// nearest ids.
func parseSelection(only, exclude []string, known map[string]bool) (*ruleSelection, error) {
	s := &ruleSelection{}
	set := func(flag string, ids []string) (map[string]bool, error) {
		m := map[string]bool{}
		for _, id := range ids {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if !known[id] {
				msg := fmt.Sprintf("%s: unknown rule %q", flag, id)
				if near := nearest(id, known); len(near) > 0 {
					msg += fmt.Sprintf(" (did you mean %s?)", quoteJoin(near))
				} else if flag == "--rules" && rulesFileAlias(id, nil) {
					msg += " (a file of code rules is read by inspect and diff with --rules-file)"
				}
				return nil, usageError{fmt.Errorf("%s; see pkgward rules", msg)}
			}
			m[id] = true
		}
		return m, nil
	}
	var err error
	if only != nil {
		if s.only, err = set("--rules", only); err != nil {
			return nil, err
		}
		if len(s.only) == 0 {
			return nil, usageError{fmt.Errorf("--rules: no rule id given")}
		}
	}
	if s.exclude, err = set("--exclude-rules", exclude); err != nil {
		return nil, err
	}
	return s, nil
}

// nearest returns the known ids within edit distance 2 of id (at most
// three, closest first), or those id is a prefix of.
func nearest(id string, known map[string]bool) []string {
	type cand struct {
		id string
		d  int
	}
	var cs []cand
	for k := range known {
		d := typo.Distance(id, k)
		if d <= 2 || (len(id) >= 3 && strings.HasPrefix(k, id)) {
			cs = append(cs, cand{k, d})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.id, b.id)
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].id)
	}
	return out
}

// selectingSuppressor is the config's suppressor together with the rule
// selection: analysis.Add asks Drops before it suppresses or reports a
// finding.
type selectingSuppressor struct {
	*config.Suppressor
	sel *ruleSelection
}

// Drops reports whether findings of rule are left out of the run.
func (s *selectingSuppressor) Drops(rule string) bool { return s.sel.Drops(rule) }
