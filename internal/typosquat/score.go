package typosquat

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// grade turns a match into a severity and a confidence, or rejects it.
// Strong evidence (lookalike characters, one edit away from a top name,
// delimiter games with a top name) is high; weaker techniques are medium,
// which warns but does not block.
func (ix *Index) grade(q *query, m *match) (record.Severity, float64, bool) {
	o := ix.opt
	if m.id < 0 {
		if m.tech == TechHost {
			return record.High, 0.9, true
		}
		return 0, 0, false
	}
	t := &ix.targets[m.id]
	if ix.sameOwner(q, t) {
		return 0, 0, false
	}
	l := len(t.strip)
	strong := l >= o.MinBlockLen && t.ranked(o.BlockRank)
	base, _, _ := strings.Cut(m.tech, "+")
	switch {
	case base == TechHomoglyph && m.dist == 0:
		if !isASCII(q.name) {
			return record.Critical, 0.97, true
		}
		if l >= o.MinLen {
			return record.High, 0.9, true
		}
	case base == TechDelimiter:
		if strong {
			return record.High, 0.85, true
		}
		if l >= ix.minLen(t) {
			return record.Medium, 0.7, true
		}
	case base == TechOwner:
		return record.High, 0.85, true
	case base == TechHost:
		return record.High, 0.9, true
	case base == TechRepoClone:
		return record.Medium, 0.45, true
	case base == TechWordOrder:
		if l >= o.MinLen && t.ranked(2*o.WeakRank) && !hasWord(q.canon, "to") {
			return record.Medium, 0.7, true
		}
	case base == TechScope, base == TechVersionSuffix:
		if t.ranked(o.WeakRank) {
			return record.Medium, 0.55, true
		}
	case base == TechAffix:
		if m.dist == 0 && t.ranked(o.WeakRank) && l >= o.MinLen {
			return record.Medium, 0.6, true
		}
		if m.dist == 1 && !m.digit && t.ranked(2*o.WeakRank) && l >= o.MinBlockLen {
			return record.Medium, 0.5, true
		}
	case m.dist == 1:
		if l < ix.minLen(t) {
			return ix.shortEdit(t, base, m)
		}
		if base == TechPlural || m.digit {
			// Singular/plural pairs and numbered variants ("uuid5",
			// "angular2") are common among honest names: warn only, and
			// only near popular names.
			if t.ranked(2 * o.WeakRank) {
				return record.Medium, 0.55, true
			}
			return 0, 0, false
		}
		if strong {
			c := 0.85
			if base == TechTransposition || base == TechRepetition || base == TechHomoglyph {
				c = 0.9
			}
			return record.High, c, true
		}
		return record.Medium, 0.65, true
	case m.dist == 2:
		// Two edits: only long names, and two substitutions only on longer
		// ones still (they change a name the most).
		if m.tech == TechSubstitution+"+"+TechSubstitution && l < 9 {
			return 0, 0, false
		}
		if m.digit && l < 9 {
			return 0, 0, false
		}
		return record.Medium, 0.5, true
	}
	return 0, 0, false
}

// shortEdit grades a one-edit match on a target shorter than minLen(t).
// Short names have many honest neighbours one substitution, insertion or
// omission away ("tap", "star" beside "tar"), so those stay allowed; a
// swapped or doubled letter is rarer among honest names and, next to one
// of the ShortRank most popular names, warns. The candidate is never in
// the corpus here (Check returns early for corpus names).
func (ix *Index) shortEdit(t *target, base string, m *match) (record.Severity, float64, bool) {
	if m.digit || !t.ranked(ix.opt.ShortRank) || len(t.strip) < ix.opt.ShortMinLen {
		return 0, 0, false
	}
	if base == TechTransposition || base == TechRepetition {
		return record.Medium, 0.6, true
	}
	return 0, 0, false
}

// minLen is the shortest target a weak (warning) edit match may concern:
// the less popular the target, the longer it must be, because short names
// far down the corpus have many honest neighbours.
func (ix *Index) minLen(t *target) int {
	switch {
	case t.ranked(ix.opt.BlockRank):
		return ix.opt.MinLen
	case t.ranked(2 * ix.opt.WeakRank):
		return ix.opt.MinLen + 2
	}
	return ix.opt.MinLen + 3
}

// sameOwner reports a candidate published by the target's own owner: an
// npm scope is owned by one organization and a Go owner/repo host path by
// one account, so a lookalike inside the same scope or owner is not an
// attack on it.
func (ix *Index) sameOwner(q *query, t *target) bool {
	switch ix.eco {
	case ecosystem.NPM:
		cs, _ := ecosystem.SplitScope(q.canon)
		ts, _ := ecosystem.SplitScope(t.canon)
		return cs != "" && cs == ts
	case ecosystem.Go:
		cp, tp := ecosystem.SplitGoPath(q.canon), ecosystem.SplitGoPath(t.canon)
		return ownerRepoHosts[cp.Host] && cp.Host == tp.Host && cp.Owner == tp.Owner && cp.Owner != ""
	}
	return false
}

func hasWord(canon, w string) bool {
	for _, t := range tokens(canon) {
		if t == w {
			return true
		}
	}
	return false
}

type graded struct {
	m    match
	sev  record.Severity
	conf float64
}

// findings grades the matches, keeps the best one per target and renders
// the strongest few as findings.
func (ix *Index) findings(q *query) []record.Finding {
	best := make([]graded, 0, 4)
	for i := range q.matches {
		m := &q.matches[i]
		sev, conf, ok := ix.grade(q, m)
		if !ok {
			continue
		}
		g := graded{*m, sev, conf}
		dup := false
		for j := range best {
			if sameTarget(&best[j].m, m) {
				dup = true
				if better(g, best[j]) {
					best[j] = g
				}
				break
			}
		}
		if !dup {
			best = append(best, g)
		}
	}
	sort.SliceStable(best, func(i, j int) bool {
		if best[i].sev != best[j].sev || best[i].conf != best[j].conf {
			return better(best[i], best[j])
		}
		return ix.rankOf(best[i].m.id) < ix.rankOf(best[j].m.id)
	})
	if len(best) > ix.opt.MaxFindings {
		best = best[:ix.opt.MaxFindings]
	}
	out := make([]record.Finding, 0, len(best))
	for _, g := range best {
		out = append(out, ix.finding(q, g))
	}
	return out
}

func sameTarget(a, b *match) bool {
	if a.id >= 0 || b.id >= 0 {
		return a.id == b.id
	}
	return a.targetName == b.targetName
}

func better(a, b graded) bool {
	if a.sev != b.sev {
		return a.sev > b.sev
	}
	return a.conf > b.conf
}

func (ix *Index) rankOf(id int32) int {
	if id < 0 {
		return 1 << 30
	}
	return ix.targets[id].rank
}

func (ix *Index) finding(q *query, g graded) record.Finding {
	m := g.m
	ev := map[string]any{"technique": m.tech, "detail": m.phrase}
	name, where := m.targetName, "a well-known name"
	if m.id >= 0 {
		t := &ix.targets[m.id]
		name = t.name
		if t.rank == 0 {
			ev["protected"] = true
			where = "a protected name"
		} else {
			ev["rank"] = t.rank
			where = fmt.Sprintf("rank %d on %s", t.rank, ix.eco)
		}
		if t.downloads > 0 {
			ev["downloads"] = t.downloads
		}
		if m.dist == 0 {
			m.dist, _ = osa(q.canon, t.canon, 3, nil)
		}
	}
	ev["target"] = name
	ev["distance"] = m.dist
	if m.id >= 0 {
		ev["length"] = len(ix.targets[m.id].strip)
	}
	if m.keyboard {
		ev["keyboard_adjacent"] = true
	}
	if m.affix != "" {
		ev["affix"] = m.affix
	}
	return record.Finding{
		Rule:       RuleTyposquat,
		Severity:   g.sev,
		Confidence: g.conf,
		Message:    fmt.Sprintf("%q looks like %q (%s): %s", q.name, name, where, m.phrase),
		Evidence:   ev,
	}
}
