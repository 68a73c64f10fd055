package malicious

import (
	"fmt"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/record"
)

// RuleID is the rule the analyzer emits. It is a class of its own: a
// known-malicious package is never reported as a vulnerability, nor a
// vulnerability as malicious.
const RuleID = "known-malicious"

// maxEvidenceVersions bounds the versions listed in a finding.
const maxEvidenceVersions = 20

// Rules is the catalog of the analyzer, for `pkgward rules` and SARIF
// (it needs no database).
func Rules() []record.Rule {
	return []record.Rule{{
		ID:       RuleID,
		Severity: record.Critical,
		Title:    "Package or version listed as malicious in the imported OSV malicious-packages data",
		Description: "The package (every version), or the exact version in use, is named by a " +
			"known-malicious record (OSV MAL- id) imported with `pkgward db import`. Critical, " +
			"confidence 1.0. When only some versions are malicious and the version in use is " +
			"unknown or a range, the finding is medium (confidence 0.5): check the resolved version.",
	}}
}

// Analyzer reports packages the database marks malicious. It is pure
// and safe for concurrent use.
type Analyzer struct{ db *DB }

// NewAnalyzer returns the analyzer over db (which may be nil: no
// findings).
func NewAnalyzer(db *DB) *Analyzer { return &Analyzer{db: db} }

// Name identifies the analyzer.
func (a *Analyzer) Name() string { return "malicious" }

// Rules is the static catalog.
func (a *Analyzer) Rules() []record.Rule { return Rules() }

// Analyze returns one known-malicious finding per record naming p:
//   - critical, confidence 1.0, when the record covers every version, or
//     p.Version is one exact version the record covers;
//   - medium, confidence 0.5, when the record covers some versions only
//     and p.Version is empty or a constraint ("^1.2.0"), so the version
//     that will be installed is unknown;
//   - nothing when p.Version is exact and not covered.
func (a *Analyzer) Analyze(p *record.Package) []record.Finding {
	if a.db == nil || !a.db.Known(p.Ecosystem, p.Name) {
		return nil
	}
	version, pinned := Pinned(p.Version)
	advs := a.db.Lookup(p.Ecosystem, p.Name, version)
	var out []record.Finding
	for i := range advs {
		out = append(out, finding(p, &advs[i], version, pinned))
	}
	return out
}

func finding(p *record.Package, adv *Advisory, version string, pinned bool) record.Finding {
	ev := map[string]any{
		"id":  adv.ID,
		"url": "https://osv.dev/vulnerability/" + adv.ID,
	}
	if len(adv.Aliases) > 0 {
		ev["aliases"] = adv.Aliases
	}
	if adv.Summary != "" {
		ev["summary"] = adv.Summary
	}
	if !adv.Published.IsZero() {
		ev["published"] = adv.Published.Format(time.RFC3339)
	}
	if !adv.Modified.IsZero() {
		ev["modified"] = adv.Modified.Format(time.RFC3339)
	}
	if adv.Basis != BasisMALID {
		ev["basis"] = adv.Basis
	}
	about := adv.ID
	if adv.Summary != "" {
		about += " (" + clip(adv.Summary, 160) + ")"
	}
	f := record.Finding{Rule: RuleID, Severity: record.Critical, Confidence: 1.0, Evidence: ev}
	switch {
	case adv.Package.All:
		ev["affected"] = "all versions"
		f.Message = fmt.Sprintf("%q is a known malicious package, every version: %s", p.Name, about)
	case pinned:
		ev["affected"] = []string{version}
		f.Message = fmt.Sprintf("%s %s is a known malicious version: %s", p.Name, version, about)
	default:
		desc := adv.Package.Describe()
		if len(desc) > maxEvidenceVersions {
			ev["affected_total"] = len(desc)
			desc = desc[:maxEvidenceVersions]
		}
		ev["affected"] = desc
		ev["version_unknown"] = true
		if p.Version != "" {
			ev["version"] = p.Version
		}
		f.Severity, f.Confidence = record.Medium, 0.5
		f.Message = fmt.Sprintf("some versions of %q are known malicious (%s): %s; the version in use is not pinned, check the one installed",
			p.Name, strings.Join(desc, "; "), about)
	}
	return f
}
