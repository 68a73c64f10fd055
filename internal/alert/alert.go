// Package alert builds the webhook alerts of pkgward serve (a block
// verdict, a new campaign), renders them as Slack-compatible JSON and
// delivers them signed with HMAC-SHA256.
package alert

import (
	"fmt"
	"net/url"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

// Kind is what an alert is about; it is also the event a Target
// subscribes to.
type Kind string

// The alert kinds.
const (
	KindBlock    Kind = "block"    // a package was judged block
	KindCampaign Kind = "campaign" // a new campaign crossed its size threshold
)

// Bounds on what one alert carries: a webhook body stays small whatever
// the package holds.
const (
	MaxFindings   = 10  // findings listed in a block alert
	MaxIndicators = 6   // indicators listed in a campaign alert
	MaxText       = 300 // runes of one name, message or indicator
)

// Alert is one event to deliver. Exactly one of Package and Campaign is
// set, as Kind says.
type Alert struct {
	Kind     Kind      `json:"kind"`
	Package  *Package  `json:"package,omitempty"`
	Campaign *Campaign `json:"campaign,omitempty"`
	// Path is the event's page on the dashboard: /packages/{eco}/{name}
	// (the name path-escaped) or /campaigns/{id}.
	Path string `json:"path"`
	// At is when the event happened.
	At time.Time `json:"at,omitzero"`
}

// Package is a blocked package.
type Package struct {
	Ecosystem ecosystem.Ecosystem `json:"ecosystem"`
	Name      string              `json:"name"`
	Version   string              `json:"version,omitempty"`
	Source    string              `json:"source"` // "gate", "feed:npm", ...
	Verdict   record.Verdict      `json:"verdict"`
	Findings  []Finding           `json:"findings"`
	// MoreFindings counts the findings left out beyond MaxFindings.
	MoreFindings int `json:"more_findings,omitempty"`
}

// Finding is one finding of a blocked package.
type Finding struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Campaign is a new campaign.
type Campaign struct {
	ID         string   `json:"id"`
	Size       int      `json:"size"`
	Confidence float64  `json:"confidence"`
	Indicators []string `json:"indicators,omitempty"`
}

// FromCheck returns the alert of a stored check. Findings are listed in the
// check's order, at most MaxFindings of them.
func FromCheck(c store.Check) Alert {
	p := &Package{
		Ecosystem: c.Ecosystem,
		Name:      clip(c.Name),
		Version:   clip(c.Version),
		Source:    clip(c.Source),
		Verdict:   c.Verdict,
		Findings:  []Finding{},
	}
	for i, f := range c.Findings {
		if i == MaxFindings {
			p.MoreFindings = len(c.Findings) - i
			break
		}
		p.Findings = append(p.Findings, Finding{Rule: clip(f.Rule), Message: clip(f.Message)})
	}
	return Alert{
		Kind:    KindBlock,
		Package: p,
		Path:    "/packages/" + url.PathEscape(string(c.Ecosystem)) + "/" + url.PathEscape(c.Name),
		At:      c.CheckedAt,
	}
}

// FromCampaign returns the alert of a campaign: its id, size, confidence
// and its strongest indicators, at most MaxIndicators of them.
func FromCampaign(c campaign.Campaign, at time.Time) Alert {
	return Alert{
		Kind: KindCampaign,
		Campaign: &Campaign{
			ID:         clip(c.ID),
			Size:       c.Size,
			Confidence: c.Confidence,
			Indicators: indicators(c.Indicators),
		},
		Path: "/campaigns/" + url.PathEscape(c.ID),
		At:   at,
	}
}

// indicators lists a campaign's shared traits, most telling first: the
// name templates and shape, the links, the authors, the lure terms.
func indicators(in campaign.Indicators) []string {
	var out []string
	add := func(s string) {
		if len(out) < MaxIndicators {
			out = append(out, clip(s))
		}
	}
	for _, c := range first(in.NameTemplates, 2) {
		add(fmt.Sprintf("name template %s (%d)", c.Value, c.Count))
	}
	if in.NameShape != "" {
		add(fmt.Sprintf("name shape %s (%.0f%%)", in.NameShape, 100*in.ShapeShare))
	}
	for _, c := range first(in.Domains, 2) {
		s := fmt.Sprintf("domain %s (%d)", c.Value, c.Count)
		if c.Shortener {
			s += ", a URL shortener"
		}
		add(s)
	}
	for _, c := range first(in.Authors, 1) {
		add(fmt.Sprintf("author %s (%d)", c.Value, c.Count))
	}
	if len(in.LureTerms) > 0 {
		terms := make([]string, 0, 3)
		for _, c := range first(in.LureTerms, 3) {
			terms = append(terms, c.Value)
		}
		add(fmt.Sprintf("lure terms %q (%.0f%% of members)", terms, 100*in.LureShare))
	}
	if in.Burst != nil && in.Burst.PeakHour > 0 {
		add(fmt.Sprintf("up to %d members published within one hour", in.Burst.PeakHour))
	}
	return out
}

func first[T any](s []T, n int) []T { return s[:min(len(s), n)] }

// clip bounds one string to MaxText runes.
func clip(s string) string {
	n := 0
	for i := range s {
		if n == MaxText {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
