package npmmeta

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// Rule ids (stable: suppressions and users' scripts depend on them).
const (
	RuleSecurityHolding    = "npm-security-holding"
	RuleNewPackage         = "npm-new-package"
	RuleNewVersion         = "npm-new-version"
	RuleSingleVersion      = "npm-single-version"
	RuleNoRepository       = "npm-no-repository"
	RuleMaintainersChanged = "npm-maintainers-changed"
	RuleInstallScriptAdded = "npm-install-script-added"
)

const (
	securityHoldingVersion  = "0.0.1-security"
	securityHoldingDesc     = "security holding package"
	maxScriptEvidenceLength = 200
)

// Windows of the age rules.
const (
	NewPackageAge = 30 * 24 * time.Hour
	NewVersionAge = 7 * 24 * time.Hour
)

// InstallScripts are the lifecycle scripts npm runs when a package is
// installed from the registry.
var InstallScripts = []string{"preinstall", "install", "postinstall"}

// Snapshot is what the rules need to know about a package, taken from its
// registry document (FromDocument) at one moment.
type Snapshot struct {
	Name        string
	Description string
	Repository  string
	Created     time.Time // when the package was first published
	Latest      string    // the version dist-tags.latest names, if any
	Releases    []Release // oldest first
}

// Release is one published version.
type Release struct {
	Version     string
	Published   time.Time // zero when unknown
	Description string
	Repository  string
	// Maintainers are the version's maintainers (npm user names, or
	// e-mail addresses when no name is given), sorted, lower case.
	Maintainers []string
	// Publisher is the account that published the version (lower case).
	Publisher string
	// Scripts are the install scripts the version runs, by name.
	Scripts map[string]string
}

// FromDocument takes a snapshot of a decoded registry document.
func FromDocument(d *npm.Document) *Snapshot {
	s := &Snapshot{
		Name:        d.Name,
		Description: d.Description,
		Repository:  d.Repository.URL,
		Created:     d.Created,
		Latest:      d.DistTags["latest"],
	}
	for _, v := range d.ByTime() {
		ver := d.Versions[v]
		r := Release{
			Version:     v,
			Published:   d.Time[v],
			Description: ver.Description,
			Repository:  ver.Repository.URL,
			Publisher:   identity(ver.Publisher),
		}
		for _, m := range ver.Maintainers {
			if id := identity(m); id != "" && !slices.Contains(r.Maintainers, id) {
				r.Maintainers = append(r.Maintainers, id)
			}
		}
		sort.Strings(r.Maintainers)
		for _, k := range InstallScripts {
			if cmd := strings.TrimSpace(ver.Scripts[k]); cmd != "" {
				if r.Scripts == nil {
					r.Scripts = map[string]string{}
				}
				r.Scripts[k] = cmd
			}
		}
		// npm runs "node-gyp rebuild" for a package with a binding.gyp
		// when it declares neither install nor preinstall.
		if ver.GypFile && r.Scripts["install"] == "" && r.Scripts["preinstall"] == "" {
			if r.Scripts == nil {
				r.Scripts = map[string]string{}
			}
			r.Scripts["install"] = "node-gyp rebuild"
		}
		s.Releases = append(s.Releases, r)
	}
	if s.Created.IsZero() {
		for _, r := range s.Releases {
			if !r.Published.IsZero() {
				s.Created = r.Published
				break
			}
		}
	}
	return s
}

func identity(p npm.Person) string {
	if p.Name != "" {
		return strings.ToLower(p.Name)
	}
	return strings.ToLower(p.Email)
}

// Rules is the static catalog of the rules Check may emit.
func Rules() []record.Rule {
	return []record.Rule{
		{ID: RuleSecurityHolding, Severity: record.Critical, Title: "The registry took the package down and replaced it with its security holding package",
			Description: `The package's only version is "0.0.1-security" ("security holding package"): npm removed it, almost always for malware, and holds the name so that nobody can publish under it again.`},
		{ID: RuleNewPackage, Severity: record.Medium, Title: "The package was first published less than 30 days ago",
			Description: "Most malicious packages are installed within days of their publication, before anyone reports them; a new package deserves a look at its author and source."},
		{ID: RuleNewVersion, Severity: record.Low, Title: "The version checked was published less than 7 days ago",
			Description: "Malicious releases of hijacked packages are usually found and removed within days; waiting a week before adopting a release avoids most of them."},
		{ID: RuleSingleVersion, Severity: record.Low, Title: "Only one version of the package was ever published",
			Description: "Throwaway malicious packages are typically published once; real projects usually have a release history."},
		{ID: RuleNoRepository, Severity: record.Low, Title: "The package names no source repository",
			Description: "Without a repository the published code cannot be compared with a public source."},
		{ID: RuleMaintainersChanged, Severity: record.Medium, Title: "The version checked was published by a new account, or its maintainers changed",
			Description: "Medium when the publisher was neither publisher nor maintainer of the version before (how hijacked releases look), low when only the maintainer list changed."},
		{ID: RuleInstallScriptAdded, Severity: record.Medium, Title: "The version checked adds an install script the version before did not have",
			Description: "A preinstall, install or postinstall script runs code on every machine that installs the package; one appearing in a new release is how most compromised packages deliver their payload."},
	}
}

// Check judges the snapshot for version ("" for the latest) at time now.
// It returns nil for a snapshot without releases (an unpublished package).
func Check(s *Snapshot, version string, now time.Time) []record.Finding {
	if s == nil || len(s.Releases) == 0 {
		return nil
	}
	idx := s.pick(version)
	cur := s.Releases[idx]
	if f, ok := securityHolding(s, &cur); ok {
		return []record.Finding{f}
	}
	var out []record.Finding
	ev := func(kv ...any) map[string]any {
		m := map[string]any{"version": cur.Version}
		if version != "" && version != cur.Version {
			m["requested"] = version
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	if !s.Created.IsZero() {
		if age := now.Sub(s.Created); age < NewPackageAge {
			out = append(out, record.Finding{Rule: RuleNewPackage, Severity: record.Medium, Confidence: 0.5,
				Message:  fmt.Sprintf("%s was first published %s (%s)", s.Name, ago(age), day(s.Created)),
				Evidence: ev("created", stamp(s.Created), "age_days", days(age))})
		}
	}
	if idx > 0 && !cur.Published.IsZero() {
		if age := now.Sub(cur.Published); age < NewVersionAge {
			out = append(out, record.Finding{Rule: RuleNewVersion, Severity: record.Low, Confidence: 0.4,
				Message:  fmt.Sprintf("version %s was published %s (%s)", cur.Version, ago(age), day(cur.Published)),
				Evidence: ev("published", stamp(cur.Published), "age_days", days(age))})
		}
	}
	if len(s.Releases) == 1 {
		out = append(out, record.Finding{Rule: RuleSingleVersion, Severity: record.Low, Confidence: 0.3,
			Message:  fmt.Sprintf("%s has a single published version, %s", s.Name, cur.Version),
			Evidence: ev("versions", 1)})
	}
	if strings.TrimSpace(cur.Repository) == "" && strings.TrimSpace(s.Repository) == "" {
		out = append(out, record.Finding{Rule: RuleNoRepository, Severity: record.Low, Confidence: 0.3,
			Message:  fmt.Sprintf("%s@%s names no source repository", s.Name, cur.Version),
			Evidence: ev()})
	}
	if idx > 0 {
		prev := s.Releases[idx-1]
		if f, ok := maintainersChanged(&prev, &cur, ev); ok {
			out = append(out, f)
		}
		if added := addedScripts(&prev, &cur); len(added) > 0 {
			names := make([]string, 0, len(added))
			for k := range added {
				names = append(names, k)
			}
			sort.Strings(names)
			out = append(out, record.Finding{Rule: RuleInstallScriptAdded, Severity: record.Medium, Confidence: 0.6,
				Message:  fmt.Sprintf("version %s adds %s, which %s did not have: %s", cur.Version, plural(names, "install script"), prev.Version, clip(added[names[0]])),
				Evidence: ev("previous_version", prev.Version, "scripts", added)})
		}
	}
	return out
}

// pick returns the index of the release to judge.
func (s *Snapshot) pick(version string) int {
	for _, want := range []string{version, s.Latest} {
		if want == "" {
			continue
		}
		for i := range s.Releases {
			if s.Releases[i].Version == want {
				return i
			}
		}
	}
	return len(s.Releases) - 1
}

// securityHolding recognizes npm's security holding package.
func securityHolding(s *Snapshot, cur *Release) (record.Finding, bool) {
	// The holding version replaces every other one, so it is the latest
	// (and normally the only) release.
	latest := s.Releases[s.pick("")]
	holding := latest.Version == securityHoldingVersion ||
		strings.EqualFold(strings.TrimSpace(latest.Description), securityHoldingDesc) ||
		(len(s.Releases) == 1 && strings.EqualFold(strings.TrimSpace(s.Description), securityHoldingDesc))
	if !holding {
		return record.Finding{}, false
	}
	desc := latest.Description
	if desc == "" {
		desc = s.Description
	}
	ev := map[string]any{"version": latest.Version, "description": desc}
	if latest.Repository != "" {
		ev["repository"] = latest.Repository
	}
	if !latest.Published.IsZero() {
		ev["published"] = stamp(latest.Published)
	}
	return record.Finding{Rule: RuleSecurityHolding, Severity: record.Critical, Confidence: 0.99,
		Message:  fmt.Sprintf("%s was taken down by the registry and replaced by its security holding package (%s)", s.Name, latest.Version),
		Evidence: ev}, true
}

// maintainersChanged compares the publisher and maintainers of cur with
// those of prev.
func maintainersChanged(prev, cur *Release, ev func(...any) map[string]any) (record.Finding, bool) {
	known := append(slices.Clone(prev.Maintainers), prev.Publisher)
	if cur.Publisher != "" && (prev.Publisher != "" || len(prev.Maintainers) > 0) && !slices.Contains(known, cur.Publisher) {
		e := ev("previous_version", prev.Version, "publisher", cur.Publisher, "previous_maintainers", nonNil(prev.Maintainers))
		if prev.Publisher != "" {
			e["previous_publisher"] = prev.Publisher
		}
		return record.Finding{Rule: RuleMaintainersChanged, Severity: record.Medium, Confidence: 0.6,
			Message:  fmt.Sprintf("version %s was published by %q, who was neither publisher nor maintainer of %s", cur.Version, cur.Publisher, prev.Version),
			Evidence: e}, true
	}
	if len(prev.Maintainers) == 0 || len(cur.Maintainers) == 0 {
		return record.Finding{}, false
	}
	var added, removed []string
	for _, m := range cur.Maintainers {
		if !slices.Contains(prev.Maintainers, m) {
			added = append(added, m)
		}
	}
	for _, m := range prev.Maintainers {
		if !slices.Contains(cur.Maintainers, m) {
			removed = append(removed, m)
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return record.Finding{}, false
	}
	var parts []string
	if len(added) > 0 {
		parts = append(parts, "added "+strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		parts = append(parts, "removed "+strings.Join(removed, ", "))
	}
	return record.Finding{Rule: RuleMaintainersChanged, Severity: record.Low, Confidence: 0.4,
		Message: fmt.Sprintf("the maintainers changed between %s and %s: %s", prev.Version, cur.Version, strings.Join(parts, "; ")),
		Evidence: ev("previous_version", prev.Version, "maintainers", cur.Maintainers, "previous_maintainers", prev.Maintainers,
			"added", nonNil(added), "removed", nonNil(removed))}, true
}

// addedScripts returns cur's install scripts that prev did not run,
// commands clipped for the evidence.
func addedScripts(prev, cur *Release) map[string]string {
	var out map[string]string
	for k, cmd := range cur.Scripts {
		if prev.Scripts[k] != "" {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = clip(cmd)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func plural(names []string, what string) string {
	if len(names) == 1 {
		return what + " " + names[0]
	}
	return what + "s " + strings.Join(names, ", ")
}

// clip shortens a script command for a message or evidence.
func clip(s string) string {
	if len(s) <= maxScriptEvidenceLength {
		return s
	}
	cut := maxScriptEvidenceLength
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
func day(t time.Time) string   { return t.UTC().Format("2006-01-02") }

// days is a whole number of days, never negative (a clock behind the
// registry's counts as now).
func days(d time.Duration) int {
	if d < 0 {
		return 0
	}
	return int(d / (24 * time.Hour))
}

func ago(d time.Duration) string {
	switch {
	case d < time.Hour:
		return "less than an hour ago"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days ago", days(d))
}

// Analyzer applies Check to the npm packages of the snapshots it was given,
// as an analysis.Analyzer: Analyze(p) judges p.Version of the snapshot
// named p.Name (nothing when there is none).
type Analyzer struct {
	now   time.Time
	snaps map[string]*Snapshot
}

// New returns an analyzer over snapshots keyed by package name, judging
// ages relative to now.
func New(now time.Time, snaps map[string]*Snapshot) *Analyzer {
	return &Analyzer{now: now, snaps: snaps}
}

// Name identifies the analyzer.
func (a *Analyzer) Name() string { return "npmmeta" }

// Rules is the catalog of the analyzer's rules.
func (a *Analyzer) Rules() []record.Rule { return Rules() }

// Analyze judges p from its snapshot.
func (a *Analyzer) Analyze(p *record.Package) []record.Finding {
	if p.Ecosystem != ecosystem.NPM || a.snaps == nil {
		return nil
	}
	s := a.snaps[p.Name]
	if s == nil {
		return nil
	}
	return Check(s, p.Version, a.now)
}
