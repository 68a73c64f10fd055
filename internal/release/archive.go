package release

import (
	"encoding/json"

	"github.com/pkgward/pkgward/internal/record"
)

// newArchiveFindings returns the structural findings of the reader
// (traversal, links, devices, bombs, limits, truncation) that newer has and
// older has not, under their own rule ids as inspect reports them: a new
// release is judged on everything in it, not only on what changed.
func newArchiveFindings(old, cur []record.Finding) []record.Finding { return Unseen(old, cur) }

// Unseen returns the findings of cur that old has not (same rule and
// evidence), in cur's order.
func Unseen(old, cur []record.Finding) []record.Finding {
	seen := map[string]bool{}
	for _, f := range old {
		seen[evidenceKey(f)] = true
	}
	var out []record.Finding
	for _, f := range cur {
		if !seen[evidenceKey(f)] {
			out = append(out, f)
		}
	}
	return out
}

// evidenceKey identifies a finding by its rule and evidence.
func evidenceKey(f record.Finding) string {
	ev, _ := json.Marshal(f.Evidence) // map keys are sorted
	return f.Rule + "\x00" + string(ev)
}
