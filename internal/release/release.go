package release

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/record"
)

// Rule ids.
const (
	RuleScriptAdded      = "release-install-script"
	RuleNewEndpoint      = "release-new-endpoint"
	RuleNewFinding       = "release-new-code-finding"
	RuleNewDependency    = "release-new-dependency"
	RuleNewBinary        = "release-new-binary"
	RuleNewMinified      = "release-new-minified"
	RuleMaintainers      = "release-maintainers-changed"
	maxEndpointsReported = 20
	maxFileScan          = 4 << 20
)

// Rules is the catalog of the release comparison.
func Rules() []record.Rule {
	return []record.Rule{
		{ID: RuleScriptAdded, Severity: record.High, Title: "The release adds or changes an install-time script"},
		{ID: RuleNewEndpoint, Severity: record.Medium, Title: "The release's code contacts network hosts the previous release did not"},
		{ID: RuleNewFinding, Severity: record.Critical, Title: "A code rule fires on the release that did not fire on the previous one"},
		{ID: RuleNewDependency, Severity: record.Low, Title: "The release adds a dependency"},
		{ID: RuleNewBinary, Severity: record.Medium, Title: "The release adds a binary file"},
		{ID: RuleNewMinified, Severity: record.Low, Title: "The release adds a minified or generated-looking source file"},
		{ID: RuleMaintainers, Severity: record.Medium, Title: "The release's authors or maintainers differ from the previous release's"},
	}
}

// Side is one release: its tree and the code findings on it.
type Side struct {
	Tree     *artifact.Tree
	Findings []record.Finding
}

// Compare reports what newer adds over older.
func Compare(older, newer Side) []record.Finding {
	var out []record.Finding
	out = append(out, scripts(older.Tree, newer.Tree)...)
	out = append(out, newFindings(older.Findings, newer.Findings)...)
	out = append(out, newArchiveFindings(older.Tree.Findings, newer.Tree.Findings)...)
	out = append(out, endpoints(older.Tree, newer.Tree)...)
	out = append(out, dependencies(older.Tree, newer.Tree)...)
	out = append(out, files(older.Tree, newer.Tree)...)
	out = append(out, maintainers(older.Tree, newer.Tree)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Severity > out[j].Severity })
	return out
}

// installScripts are the script keys that run at install time.
var installScripts = map[string]bool{"preinstall": true, "install": true, "postinstall": true, "prepare": true,
	"preuninstall": true, "uninstall": true, "postuninstall": true, "setup.py": true, "build": true,
	"install.ps1": true, "init.ps1": true, "extensions": true}

func isInstallScript(k string) bool {
	if installScripts[k] || k == "proc-macro" || k == "build-backend" {
		return true
	}
	for _, ext := range []string{".targets", ".props", ".ps1", ".pth"} {
		if strings.HasSuffix(k, ext) {
			return true
		}
	}
	return false
}

func scripts(o, n *artifact.Tree) []record.Finding {
	var out []record.Finding
	keys := make([]string, 0, len(n.Package.Scripts))
	for k := range n.Package.Scripts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !isInstallScript(k) {
			continue
		}
		nv := n.Package.Scripts[k]
		ov, had := o.Package.Scripts[k]
		switch {
		case !had:
			out = append(out, record.Finding{Rule: RuleScriptAdded, Severity: record.High, Confidence: 0.8,
				Message:  fmt.Sprintf("install-time script %q added: %s", k, short(nv)),
				Evidence: map[string]any{"script": k, "new": short(nv)}})
		case ov != nv:
			out = append(out, record.Finding{Rule: RuleScriptAdded, Severity: record.High, Confidence: 0.7,
				Message:  fmt.Sprintf("install-time script %q changed from %s to %s", k, short(ov), short(nv)),
				Evidence: map[string]any{"script": k, "old": short(ov), "new": short(nv)}})
		}
	}
	return out
}

// findingKey identifies a code finding across releases: the rule, the file
// and the matched snippet (line numbers move when unrelated code changes).
func findingKey(f record.Finding) string {
	return f.Rule + "\x00" + fmt.Sprint(f.Evidence["file"]) + "\x00" + fmt.Sprint(f.Evidence["snippet"])
}

func newFindings(old, cur []record.Finding) []record.Finding {
	seen := map[string]bool{}
	for _, f := range old {
		seen[findingKey(f)] = true
	}
	var out []record.Finding
	for _, f := range cur {
		if seen[findingKey(f)] {
			continue
		}
		ev := map[string]any{"rule": f.Rule}
		for k, v := range f.Evidence {
			ev[k] = v
		}
		sev := f.Severity
		out = append(out, record.Finding{Rule: RuleNewFinding, Severity: sev, Confidence: f.Confidence,
			Message: "new in this release: " + f.Message, Evidence: ev})
	}
	return out
}

// urlPattern finds http(s) URLs and the hosts of ws(s) URLs in source.
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?|wss?)://[a-z0-9.\-\[\]:]+`)

// hostsOf returns the hosts contacted by URLs in a tree's text files.
func hostsOf(t *artifact.Tree) map[string]string {
	hosts := map[string]string{}
	for _, f := range t.Files {
		if f.Binary || f.Data == nil {
			continue
		}
		data := f.Data
		if len(data) > maxFileScan {
			data = data[:maxFileScan]
		}
		for _, m := range urlPattern.FindAll(data, -1) {
			u, err := url.Parse(string(m))
			if err != nil || u.Hostname() == "" {
				continue
			}
			h := strings.ToLower(u.Hostname())
			if _, ok := hosts[h]; !ok {
				hosts[h] = f.Path
			}
		}
	}
	return hosts
}

func endpoints(o, n *artifact.Tree) []record.Finding {
	old, cur := hostsOf(o), hostsOf(n)
	var added []string
	for h := range cur {
		if _, ok := old[h]; !ok {
			added = append(added, h)
		}
	}
	sort.Strings(added)
	var out []record.Finding
	for i, h := range added {
		if i == maxEndpointsReported {
			break
		}
		out = append(out, record.Finding{Rule: RuleNewEndpoint, Severity: record.Medium, Confidence: 0.5,
			Message:  fmt.Sprintf("code now refers to %s (in %s), which the previous release did not", h, cur[h]),
			Evidence: map[string]any{"host": h, "file": cur[h]}})
	}
	return out
}

func dependencies(o, n *artifact.Tree) []record.Finding {
	had := map[string]bool{}
	for _, d := range o.Package.Dependencies {
		had[strings.ToLower(d.Name)] = true
	}
	var out []record.Finding
	for _, d := range n.Package.Dependencies {
		if !had[strings.ToLower(d.Name)] {
			out = append(out, record.Finding{Rule: RuleNewDependency, Severity: record.Low, Confidence: 0.5,
				Message:  fmt.Sprintf("dependency %s %s added", d.Name, d.Version),
				Evidence: map[string]any{"dependency": d.Name, "version": d.Version}})
		}
	}
	return out
}

func files(o, n *artifact.Tree) []record.Finding {
	old := map[string]artifact.File{}
	for _, f := range o.Files {
		old[f.Path] = f
	}
	var out []record.Finding
	for _, f := range n.Files {
		prev, existed := old[f.Path]
		if existed && prev.SHA256 == f.SHA256 {
			continue
		}
		switch {
		case f.Binary && (!existed || !prev.Binary):
			out = append(out, record.Finding{Rule: RuleNewBinary, Severity: record.Medium, Confidence: 0.6,
				Message:  fmt.Sprintf("binary file %s (%d bytes) added", f.Path, f.Size),
				Evidence: map[string]any{"file": f.Path, "size": f.Size}})
		case !existed && minified(f):
			out = append(out, record.Finding{Rule: RuleNewMinified, Severity: record.Low, Confidence: 0.4,
				Message:  fmt.Sprintf("minified or generated-looking source %s added", f.Path),
				Evidence: map[string]any{"file": f.Path, "size": f.Size}})
		}
	}
	return out
}

// minified reports source whose lines average over 500 bytes.
func minified(f artifact.File) bool {
	if f.Data == nil || f.Binary || len(f.Data) < 2048 {
		return false
	}
	ext := strings.ToLower(f.Path[strings.LastIndexByte(f.Path, '.')+1:])
	if !slices.Contains([]string{"js", "mjs", "cjs", "ts", "py", "rb", "ps1"}, ext) {
		return false
	}
	lines := 1 + strings.Count(string(f.Data), "\n")
	return len(f.Data)/lines > 500
}

func people(p record.Package) []string {
	var out []string
	for _, x := range append(append([]record.Person{}, p.Authors...), p.Maintainers...) {
		out = append(out, strings.ToLower(strings.TrimSpace(x.Name+" <"+x.Email+">")))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func maintainers(o, n *artifact.Tree) []record.Finding {
	a, b := people(o.Package), people(n.Package)
	if len(a) == 0 || len(b) == 0 || slices.Equal(a, b) {
		return nil
	}
	return []record.Finding{{Rule: RuleMaintainers, Severity: record.Medium, Confidence: 0.5,
		Message:  fmt.Sprintf("authors/maintainers changed from %s to %s", strings.Join(a, ", "), strings.Join(b, ", ")),
		Evidence: map[string]any{"old": a, "new": b}}}
}

func short(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}
