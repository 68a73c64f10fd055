package typosquat

import (
	"fmt"
	"strings"
)

// Compound edits: what the deletion indexes cannot reach within their
// distance, found by undoing one edit of the candidate and looking the
// result up at distance 1 against every target.
//
//   - A swap plus a letter left out ("mogobd" for "mongodb": 'b' and 'd'
//     swapped, 'n' left out): the candidate with each pair of neighbouring
//     letters swapped back is looked up at distance 1. Two neighbouring
//     letters swapped almost never tell two honest names apart, so this
//     reaches targets beyond the distance-2 index (Dist2Rank).
//   - Doubled letters plus at most one more edit ("eslintcconfigstahndard"
//     for "eslint-config-standard": delimiters removed, 'c' doubled, 'h'
//     added): the candidate's key with every run of a letter collapsed to
//     one is looked up at distance 1, and compared with the target's key
//     collapsed the same way.

// Bounds of the compound searches.
const (
	swap2MinLen = 5  // shortest candidate key searched for a swap plus an edit
	swap2MaxLen = 19 // longest: n-1 lookups each
	collapseMin = 10 // shortest target key matched by collapsed doubled letters
)

// swapMatches adds two-edit matches of a swap of neighbouring letters
// and a letter left out ("mogobd" for "mongodb"): the candidate with each
// pair swapped back is looked up among the targets' 1-deletion variants.
func (ix *Index) swapMatches(q *query, s string) {
	n := len(s)
	if n < swap2MinLen || n > swap2MaxLen {
		return
	}
	start := len(q.ids)
	q.h.reset(s)
	for i := 0; i+1 < n; i++ {
		if s[i] != s[i+1] {
			q.ids = ix.del.get(q.h.swap(i), q.ids)
		}
	}
	for i := start; i < len(q.ids); i++ {
		id := q.ids[i]
		if seen(q.ids[start:i], id) {
			continue
		}
		t := &ix.targets[id]
		if !ix.editable(t) {
			continue
		}
		d, ops := osa(s, t.strip, 2, q.ops[:0])
		q.ops = ops[:0]
		if d != 2 || touchesSlash(ops) {
			continue
		}
		// A swap plus a letter left out. (A swap plus a changed letter
		// is as often an unrelated name: "bitset", "vitest".)
		swap, omit := false, false
		for _, e := range ops {
			swap = swap || e.kind == opTranspose
			omit = omit || e.kind == opDelete
		}
		if !swap || !omit {
			continue
		}
		m := match{id: id, dist: 2, compound: compoundSwap}
		ix.describeOps(&m, ops, s)
		q.add(m)
	}
	q.ids = q.ids[:start]
}

// collapsedMatches adds matches of a candidate with doubled letters whose
// key, every run of a letter collapsed to one, is within one edit of a
// target's key collapsed the same way, when the plain distance is beyond
// what the index matched.
func (ix *Index) collapsedMatches(q *query, s string) {
	if len(s) > maxEditLen {
		return
	}
	if !hasRun(q.canon) {
		return
	}
	cs := collapsedKey(ix, q.canon)
	if len(cs) == len(s) || len(cs) < collapseMin-1 {
		return
	}
	start := len(q.ids)
	q.h.reset(cs)
	q.ids = ix.del.get(q.h.whole(), q.ids)
	for p := range len(cs) {
		q.ids = ix.del.get(q.h.del1(p), q.ids)
	}
	for i := start; i < len(q.ids); i++ {
		id := q.ids[i]
		if seen(q.ids[start:i], id) {
			continue
		}
		t := &ix.targets[id]
		if len(t.strip) < collapseMin || !ix.editable(t) || strings.Contains(t.strip, "/") {
			continue
		}
		tc := collapsedKey(ix, t.canon)
		d, ops := osa(cs, tc, 1, q.ops[:0])
		q.ops = ops[:0]
		if d > 1 || (d == 1 && ops[0].kind == opSubst) {
			// Doubled letters plus a changed one is as often another
			// honest name ("lodash.floor" beside "lodash.flow").
			continue
		}
		reps := (len(s) - len(cs)) - (len(t.strip) - len(tc))
		raw, _ := osa(s, t.strip, 3, nil)
		if reps < 1 || raw <= 1 || (raw == 2 && ix.dist2(t)) {
			continue // matched as one or two plain edits
		}
		m := match{id: id, dist: raw, compound: compoundCollapsed}
		techs := []string{TechRepetition}
		phrases := []string{fmt.Sprintf("letters doubled (%d)", reps)}
		for _, e := range ops {
			tech, phrase, kb := describe(e, cs)
			if isDigit(e.a) || isDigit(e.b) {
				m.digit = true
			}
			techs = append(techs, tech)
			phrases = append(phrases, phrase)
			m.keyboard = m.keyboard || kb
		}
		if len(techs) == 1 {
			techs = append(techs, TechRepetition)
		}
		m.tech = strings.Join(techs, "+")
		m.phrase = strings.Join(phrases, ", ")
		q.add(m)
	}
	q.ids = q.ids[:start]
}

// describeOps fills a match's technique, phrase and flags from its edits.
func (ix *Index) describeOps(m *match, ops []edit, key string) {
	var techs, phrases []string
	for _, e := range ops {
		tech, phrase, kb := describe(e, key)
		if tech != TechHomoglyph && e.kind != opTranspose && (isDigit(e.a) || isDigit(e.b)) {
			m.digit = true
		}
		techs = append(techs, tech)
		phrases = append(phrases, phrase)
		m.keyboard = m.keyboard || kb
	}
	m.tech = strings.Join(techs, "+")
	m.phrase = strings.Join(phrases, ", ")
}

// hasRun reports a letter written twice in a row inside a word.
func hasRun(canon string) bool {
	for i := 1; i < len(canon); i++ {
		if canon[i] == canon[i-1] && !isDelim(canon[i]) {
			return true
		}
	}
	return false
}

// collapsedKey is the key of a canonical name with every run of one
// letter inside a word written once: "eslintcconfig" → "eslintconfig".
// Letters that only meet once the delimiters are removed ("apr-reduce")
// are not a run.
func collapsedKey(ix *Index, canon string) string {
	var b strings.Builder
	b.Grow(len(canon))
	for i := 0; i < len(canon); i++ {
		if i > 0 && canon[i] == canon[i-1] && !isDelim(canon[i]) {
			continue
		}
		b.WriteByte(canon[i])
	}
	return stripKey(ix.eco, b.String())
}

// Kinds of compound match.
const (
	compoundNone      = iota
	compoundSwap      // a swap plus one edit
	compoundCollapsed // doubled letters plus at most one edit
)

// compoundScore grades a compound match with the edit model's points: the
// target's popularity and length, the rare edit's points (3 for a swap, 2
// for doubled letters), one point less for the other edit. It warns from
// compoundWarn and never blocks.
func compoundScore(t *target, m *match) (int, bool) {
	if m.digit {
		return 0, false
	}
	l := len(t.strip)
	switch m.compound {
	case compoundSwap:
		// One point more than the doubled letters below: the swap
		// search reaches short names.
		return popPoints(t) + 3 + lenPoints(l) - 1 - 1, l >= swap2MinLen
	case compoundCollapsed:
		return popPoints(t) + 2 + lenPoints(l) - 1, l >= collapseMin
	}
	return 0, false
}

// compoundWarn: a compound match warns from this score.
const compoundWarn = 4
