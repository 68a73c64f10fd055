package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// summary counts a report's results by verdict, as the text, markdown and
// html renderers state it.
type summary struct {
	Checked, Blocked, Warned, Allowed, Errors int
}

func summarize(r *Report) summary {
	s := summary{Checked: len(r.Results), Errors: len(r.Errors)}
	for i := range r.Results {
		switch r.Results[i].Verdict {
		case record.Block:
			s.Blocked++
		case record.Warn:
			s.Warned++
		case record.Allow:
			s.Allowed++
		}
	}
	return s
}

// String is the summary line: "3 checked: 1 blocked, 1 warned, 1 allowed,
// 1 error".
func (s summary) String() string {
	line := fmt.Sprintf("%d checked: %d blocked, %d warned, %d allowed", s.Checked, s.Blocked, s.Warned, s.Allowed)
	switch s.Errors {
	case 0:
	case 1:
		line += ", 1 error"
	default:
		line += fmt.Sprintf(", %d errors", s.Errors)
	}
	return line
}

// item is one finding with the result it belongs to.
type item struct {
	Result  *record.Result
	Finding *record.Finding
}

// severityGroup is the findings of one severity, in input order.
type severityGroup struct {
	Severity record.Severity
	Items    []item
}

// bySeverity groups every unsuppressed finding by severity, highest
// first; within a group findings keep the order of the results.
func bySeverity(r *Report) []severityGroup {
	var groups []severityGroup
	for sev := record.Critical; sev >= record.Info; sev-- {
		g := severityGroup{Severity: sev}
		for i := range r.Results {
			res := &r.Results[i]
			for j := range res.Findings {
				if res.Findings[j].Severity == sev {
					g.Items = append(g.Items, item{res, &res.Findings[j]})
				}
			}
		}
		if len(g.Items) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// evidencePair is one evidence entry as the human renderers show it.
type evidencePair struct{ Key, Value string }

// shownEvidence is f's evidence for people, keys sorted, without what
// would only repeat: the rule's description (it is in the catalog, see
// pkgward rules) and a detail the message already states. Machine formats
// (json, jsonl, sarif) keep every key.
func shownEvidence(f *record.Finding) []evidencePair {
	keys := shownKeys(f)
	out := make([]evidencePair, len(keys))
	for i, k := range keys {
		out[i] = evidencePair{k, evidenceValue(f.Evidence[k])}
	}
	return out
}

// shownKeys are the keys of shownEvidence, sorted.
func shownKeys(f *record.Finding) []string {
	keys := make([]string, 0, len(f.Evidence))
	for k, v := range f.Evidence {
		switch k {
		case "description":
			continue
		case "detail":
			if s, ok := v.(string); ok && strings.Contains(f.Message, s) {
				continue
			}
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// evidenceValue formats one evidence value: lists joined by ", ", maps
// as "key: value" pairs in key order joined by ", ".
func evidenceValue(v any) string {
	if pairs, ok := mapPairs(v, ": "); ok {
		return strings.Join(pairs, ", ")
	}
	switch x := v.(type) {
	case []string:
		return strings.Join(x, ", ")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// mapPairs formats a map evidence value (decoded JSON gives
// map[string]any, analyzers may give map[string]string) as key SEP value
// pairs in key order; ok is false for other values.
func mapPairs(v any, sep string) ([]string, bool) {
	var pairs []string
	switch m := v.(type) {
	case map[string]string:
		for k, x := range m {
			pairs = append(pairs, k+sep+x)
		}
	case map[string]any:
		for k, x := range m {
			pairs = append(pairs, k+sep+fmt.Sprint(x))
		}
	default:
		return nil, false
	}
	slices.Sort(pairs)
	return pairs, true
}

// campaignGroup is one campaign's members, from the campaign-member
// findings of sweep --campaigns.
type campaignGroup struct {
	ID         string
	Size       string
	Indicators string
	Members    []*record.Result
}

// campaignRule is the rule id of campaign membership findings
// (campaign.RuleMember; not imported: report depends on record only).
const campaignRule = "campaign-member"

// campaigns collects the campaign members of r, campaigns in order of
// first appearance.
func campaigns(r *Report) []campaignGroup {
	var out []campaignGroup
	index := map[string]int{}
	for i := range r.Results {
		res := &r.Results[i]
		for j := range res.Findings {
			f := &res.Findings[j]
			if f.Rule != campaignRule {
				continue
			}
			id := fmt.Sprint(f.Evidence["campaign"])
			k, ok := index[id]
			if !ok {
				k = len(out)
				index[id] = k
				out = append(out, campaignGroup{ID: id})
				if v, ok := f.Evidence["size"]; ok {
					out[k].Size = evidenceValue(v)
				}
				if v, ok := f.Evidence["indicators"]; ok {
					out[k].Indicators = evidenceValue(v)
				}
			}
			out[k].Members = append(out[k].Members, res)
			break
		}
	}
	return out
}

// packageLabel is "ECOSYSTEM NAME[@VERSION]" ("NAME" for an e-mail or a
// domain, which have no ecosystem).
func packageLabel(r *record.Result) string {
	s := r.Name
	if r.Ecosystem != "" {
		s = string(r.Ecosystem) + " " + s
	}
	if r.Version != "" {
		s += "@" + r.Version
	}
	return s
}
