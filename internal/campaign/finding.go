package campaign

import (
	"fmt"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// Summary describes the campaign's indicators in short phrases, strongest
// first, for messages and text output.
func (c *Campaign) Summary() []string {
	ind := &c.Indicators
	var out []string
	if len(ind.NameTemplates) > 0 {
		t := ind.NameTemplates[0]
		out = append(out, fmt.Sprintf("name template %s (%d of %d)", t.Value, t.Count, c.Size))
	}
	if ind.NameShape != "" {
		out = append(out, fmt.Sprintf("name shape %s (%.0f%% of members; random parts, no common word) with %s",
			ind.NameShape, ind.ShapeShare*100, strings.Join(ind.ShapeSignals, ", ")))
	}
	if ind.LureShare > 0 {
		terms := make([]string, 0, 5)
		for _, t := range ind.LureTerms {
			if len(terms) == 5 {
				break
			}
			terms = append(terms, t.Value)
		}
		out = append(out, fmt.Sprintf("lure terms %s (%.0f%% of members)", strings.Join(terms, ", "), ind.LureShare*100))
	}
	for _, u := range ind.URLs[:min(2, len(ind.URLs))] {
		s := fmt.Sprintf("shared link %s (%d)", u.Value, u.Count)
		if u.TrackingParams {
			s = fmt.Sprintf("shared link %s (%d, tracking parameters vary)", u.Value, u.Count)
		}
		out = append(out, s)
	}
	var short []string
	doms := 0
	for _, d := range ind.Domains {
		if d.Shortener {
			short = append(short, d.Value)
		} else if doms < 2 {
			out = append(out, fmt.Sprintf("shared domain %s (%d)", d.Value, d.Count))
			doms++
		}
	}
	if len(short) > 0 {
		out = append(out, "through shorteners "+strings.Join(short, ", "))
	}
	if len(ind.Authors) > 0 {
		out = append(out, fmt.Sprintf("shared author %s (%d)", ind.Authors[0].Value, ind.Authors[0].Count))
	}
	if ind.TextSimilarity >= DefaultOptions().Related {
		out = append(out, fmt.Sprintf("similar texts (mean similarity %.2f)", ind.TextSimilarity))
	}
	if bu := ind.Burst; bu != nil {
		out = append(out, fmt.Sprintf("published %s to %s (%d in %.2f h, peak %d in one hour)",
			bu.First.Format("2006-01-02 15:04"), bu.Last.Format("2006-01-02 15:04"), bu.Dated, bu.Hours, bu.PeakHour))
	}
	return out
}

// Finding is the campaign-member finding reported on each member: high
// severity from confidence 0.8, medium below. Evidence: campaign (id),
// size, indicators (Summary).
func (c *Campaign) Finding(m Member) record.Finding {
	sev := record.Medium
	if c.Confidence >= 0.8 {
		sev = record.High
	}
	sum := c.Summary()
	msg := fmt.Sprintf("%q is one of %d packages of campaign %s", m.Name, c.Size, c.ID)
	if len(sum) > 0 {
		msg += ": " + strings.Join(sum[:min(2, len(sum))], "; ")
	}
	return record.Finding{
		Rule:       RuleMember,
		Severity:   sev,
		Confidence: c.Confidence,
		Message:    msg,
		Evidence:   map[string]any{"campaign": c.ID, "size": c.Size, "indicators": sum},
	}
}
