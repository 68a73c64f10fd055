package typosquat

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// grade turns a match into a severity and a confidence, or rejects it.
// Edit matches are graded by one scoring model (editScore): the target's
// popularity, the kind of edit and the target's length add up to a score
// that decides between allow, warn and block. The other techniques have
// fixed grades, conditioned on popularity.
func (ix *Index) grade(q *query, m *match) (record.Severity, float64, bool) {
	o := ix.opt
	if m.id < 0 {
		if m.tech == TechOption {
			return record.High, 0.9, true
		}
		if m.tech != TechHost {
			return 0, 0, false
		}
		// The corrected module is not in the corpus: the host alone is the
		// evidence. A lookalike of a major host blocks; of another host
		// warns when its first label is long enough to be rarely hit by
		// chance (gitea.com and gitee.com, xorm.io and gorm.io are all
		// real).
		label, _, _ := strings.Cut(m.host, ".")
		switch {
		case majorHosts[m.host]:
			return record.High, 0.9, true
		case len(label) >= 6:
			return record.Medium, 0.6, true
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
		pts := popPoints(t) + lenPoints(l)
		if delimMoved(q.canon, t.canon) {
			// The same number of delimiters at other places ("d3n-ode" for
			// "d3-node"): a word cut in two, where honest variants only add
			// or drop a delimiter ("reactdom").
			pts++
		}
		if pts >= 2 {
			return record.Medium, 0.7, true
		}
	case base == TechOwner:
		return record.High, 0.92, true
	case base == TechSoundAlike:
		// Several letters changed at once, yet the name reads as a top
		// name: a warning, as a compound edit is.
		return record.Medium, 0.6, true
	case base == TechHost:
		return record.High, 0.9, true
	case base == TechRepoClone:
		// Another owner's repository of the same name is usually a fork or
		// a successor (github.com/go-viper/mapstructure continues
		// github.com/mitchellh/mapstructure): reported, never a warning.
		return record.Info, 0.3, true
	case base == TechWordOrder:
		if l >= o.MinLen && t.ranked(2*o.WeakRank) && !hasWord(q.canon, "to") {
			return record.Medium, 0.7, true
		}
	case base == TechVersionSuffix && m.version:
		// A release or platform written into the name ("discord.js12.5.3",
		// "bitcoinjs-lib-v6"): dotted or v-prefixed versions are how
		// squatters copy a popular name, rarely how honest packages are
		// numbered.
		if popPoints(t)+2+lenPoints(l) >= warnScore {
			return record.Medium, 0.55, true
		}
	case base == TechScope, base == TechVersionSuffix:
		if t.ranked(o.WeakRank) {
			return record.Medium, 0.55, true
		}
	case base == TechScopeDropped:
		return ix.gradeScopeDropped(q, t)
	case base == TechScopeLookalike:
		// Graded by the scope's length: "@jest" has many honest one-edit
		// neighbours ("@best", "@nest"), "@near-js" few.
		ts, bare := ecosystem.SplitScope(t.canon)
		sl := len(stripKey(ix.eco, ts))
		if m.dist == 1 && t.ranked(o.BlockRank) && sl >= o.MinBlockLen {
			return record.High, 0.85, true
		}
		if (m.dist == 1 && (sl >= 5 || (sl >= 4 && t.ranked(2*o.WeakRank)))) || (m.dist == 2 && !genericWords[bare] && !genericBare[bare]) {
			return record.Medium, 0.6, true
		}
		if m.dist == 2 && sl >= scope2MinLen {
			// A generic package name ("core") under a scope two edits from
			// a long scope that publishes it ("@desia/core" for
			// "@nestia/core"): the scope is the whole lure.
			cs, _ := ecosystem.SplitScope(q.canon)
			if len(stripKey(ix.eco, cs)) >= scope2MinLen-1 && !strings.Contains(cs, ts) && !strings.Contains(ts, cs) {
				return record.Medium, 0.5, true
			}
		}
	case base == TechAffix && m.twoWords:
		return ix.gradeTwoWords(t, m)
	case base == TechAffix:
		w, ok := ix.affixPoints(m.affix)
		if !ok || (w < 3 && !t.ranked(o.WeakRank)) {
			// Common words and module formats keep the old reach: targets
			// ranked 1–WeakRank ("left-pad-utils" is not left-pad's).
			return 0, 0, false
		}
		if m.dotted && t.ranked(10000) && l >= 2 {
			// "d3.js" for "d3": the library as it is written in prose,
			// published as a package name.
			return record.Medium, 0.6, true
		}
		if m.dist == 0 && l >= 3 && (t.ranked(20000) || jsSuffix(q.strip, t.strip)) && popPoints(t)+w+lenPoints(l) >= affixScore {
			if strings.Contains(m.affix, "+") {
				// Several affix words ("node-mongoose-js"): below one, as
				// the two-word matches are (gradeTwoWords).
				return record.Medium, 0.55, true
			}
			return record.Medium, 0.6, true
		}
		if m.dist == 1 && !m.digit && t.ranked(2*o.WeakRank) && l >= o.MinBlockLen {
			return record.Medium, 0.5, true
		}
	case m.dist == 1, m.dist == 2, m.compound != compoundNone:
		if ix.otherScope(q, t) {
			// Two scopes: the scope-lookalike technique judges those.
			return 0, 0, false
		}
		if wordAdded(q.canon, t.canon) {
			// A whole word added ("io-console" for "console") is an affix
			// game, judged by the affix technique and its word list.
			return 0, 0, false
		}
		sib := ix.siblings(q, t, m)
		if sib == siblingSame {
			return 0, 0, false
		}
		sev, conf, ok := ix.editScore(t, base, m)
		if ok && sib == siblingCap && sev > record.Medium {
			sev, conf = record.Medium, 0.5
		}
		return sev, conf, ok
	}
	return 0, 0, false
}

// otherScope reports an npm candidate and target in two different scopes.
func (ix *Index) otherScope(q *query, t *target) bool {
	if ix.eco != ecosystem.NPM {
		return false
	}
	cs, _ := ecosystem.SplitScope(q.canon)
	ts, _ := ecosystem.SplitScope(t.canon)
	return cs != "" && ts != "" && cs != ts
}

// Points of the edit scoring model (see docs/rules.md, "Grading policy").
func popPoints(t *target) int {
	switch {
	case t.ranked(shortTop): // protected names (rank 0) too
		return 4
	case t.ranked(1000):
		return 3
	case t.ranked(10000):
		return 1
	}
	return 0
}

func lenPoints(l int) int {
	switch {
	case l <= 3:
		return -2
	case l >= 7:
		return 2
	}
	return l - 5 // 4 → -1, 5 → 0, 6 → 1
}

// weakEdit: a plural or a changed number. They score like a common edit
// but never block, and count only next to targets ranked 1–10000 of at
// least MinLen characters.
func weakEdit(base string, m *match) bool { return base == TechPlural || m.digit }

// editPoints: how rare the kind of edit is among honest names. Two
// neighbouring letters swapped almost never tell two honest names apart; a
// doubled letter or a lookalike character seldom; a letter added, left out
// or changed often, and so does a plural or a number changed ("uuid5",
// "angular2", "chalks"), which is common enough never to block.
func editPoints(base string, m *match) int {
	switch {
	case weakEdit(base, m):
		return 1
	case base == TechTransposition:
		return 3
	case base == TechRepetition || base == TechHomoglyph:
		return 2
	}
	return 1
}

// Score thresholds of the edit scoring model.
const (
	blockScore = 4 // a rare edit (swap, doubled letter, lookalike) blocks from here; a common one from blockScore+1
	warnScore  = 3
)

// editScore grades a one- or two-edit match: score = popularity points +
// edit points + length points. One edit blocks (high) when the target is
// ranked 1–BlockRank (or protected), its key has at least MinBlockLen
// characters, the edit is not a plural or a number, and the score reaches
// blockScore (a rare edit) or blockScore+1 (a common one); it warns at
// warnScore. Two edits only warn, and only where they are rare
// among honest names (see dist2OK).
func (ix *Index) editScore(t *target, base string, m *match) (record.Severity, float64, bool) {
	l := len(t.strip)
	if m.compound != compoundNone {
		if score, ok := compoundScore(t, m); ok && score >= compoundWarn {
			return record.Medium, 0.5, true
		}
		return 0, 0, false
	}
	e := editPoints(base, m)
	score := popPoints(t) + e + lenPoints(l)
	warn := score
	if m.dist == 1 && m.interior && e <= 2 && l >= ix.opt.MinLen && !weakEdit(base, m) {
		// A letter added, left out, changed or doubled inside the name,
		// not at its first or last character: honest neighbours mostly
		// differ at an end (a prefix, a suffix, a plural, a number),
		// typos anywhere. It counts for a warning, never for a block.
		warn++
	}
	if l == 3 && base == TechInsertion && m.interior {
		// A letter added inside a three-letter name ("tiar" for "tar"):
		// honest neighbours of short names extend them at an end
		// ("tars", "star").
		warn++
	}
	if m.dist == 1 && fatFinger(base, m) && t.ranked(10000) && l >= ix.opt.MinLen {
		// A neighbouring key struck instead of the right one is the typo
		// people make; as evidence for a warning it counts like a swap,
		// for a block like any changed letter. Only next to targets
		// ranked 1–10000: further down, a neighbouring key is as often
		// another honest name.
		warn += 3 - e
	}
	if m.dist == 2 {
		if !ix.dist2OK(t, m) {
			return 0, 0, false
		}
		return record.Medium, 0.5, true
	}
	weak := weakEdit(base, m)
	switch {
	case weak && (score < warnScore || !t.ranked(2*ix.opt.WeakRank) || l < ix.opt.MinLen):
		return 0, 0, false
	case weak:
		return record.Medium, 0.55, true
	case score >= blockScore && e >= 2 && t.ranked(ix.opt.BlockRank) && l >= ix.opt.MinBlockLen:
		return record.High, 0.9, true
	case score >= blockScore+1 && e == 1 && !m.first && t.ranked(ix.opt.BlockRank) && l >= ix.opt.MinBlockLen:
		// A letter added, left out or changed separates many honest names
		// ("locks" and "socks"): it blocks only on one point more, and
		// never at the first character, which people rarely mistype and
		// honest names often change ("mocks", "ntypescript").
		return record.High, 0.85, true
	case warn >= warnScore:
		return record.Medium, 0.65, true
	}
	return 0, 0, false
}

// fatFinger: one letter replaced by its neighbour on the keyboard.
func fatFinger(base string, m *match) bool {
	return (base == TechSubstitution || base == TechVowelSwap) && m.keyboard && !m.digit
}

// dist2OK admits a two-edit match. Long targets (the index's distance-2
// targets: Dist2MinLen to Dist2MaxLen characters, ranked 1–Dist2Rank): any
// two edits, but two substitutions or an edit involving a digit only on a
// target of 9 or more characters. Short targets among the shortTop most
// popular (5–6 characters): only a moved letter (the same character left
// out and added elsewhere, "rceat" for "react"), two swaps, or two doubled
// letters ("colorsss"), which honest names rarely are.
func (ix *Index) dist2OK(t *target, m *match) bool {
	l := len(t.strip)
	if m.short {
		rare := m.moved || m.tech == TechTransposition+"+"+TechTransposition || m.tech == TechRepetition+"+"+TechRepetition
		return !m.digit && l >= 5 && rare && t.ranked(ix.opt.Dist2Rank)
	}
	if m.tech == TechSubstitution+"+"+TechSubstitution && l < 9 {
		return false
	}
	return !m.digit || l >= 9
}

// delimMoved reports two names with as many delimiters, not all at the
// same places of their keys.
func delimMoved(cand, target string) bool {
	cand, target = strings.TrimPrefix(cand, "@"), strings.TrimPrefix(target, "@")
	var cp, tp []int
	for i, k := 0, 0; i < len(cand); i++ {
		if isDelim(cand[i]) {
			cp = append(cp, k)
		} else {
			k++
		}
	}
	for i, k := 0, 0; i < len(target); i++ {
		if isDelim(target[i]) {
			tp = append(tp, k)
		} else {
			k++
		}
	}
	if len(cp) != len(tp) || len(cp) == 0 {
		return false
	}
	for i := range cp {
		if cp[i] != tp[i] {
			return true
		}
	}
	return false
}

// wordAdded reports a candidate that is the target with a whole word
// added at either end, delimited ("io-console" for "console").
func wordAdded(cand, target string) bool {
	if len(cand) <= len(target)+1 {
		return false
	}
	if strings.HasSuffix(cand, target) && isDelim(cand[len(cand)-len(target)-1]) {
		return true
	}
	return strings.HasPrefix(cand, target) && isDelim(cand[len(target)])
}

func isDelim(c byte) bool { return c == '-' || c == '_' || c == '.' || c == '/' }

// affixPoints grades the affix words removed from a candidate: the
// ecosystem's language and platform words ("js", "node", "python", "rs")
// and "official" are what squatters add to a popular name (3 points);
// module formats ("ts", "esm", "cjs") and the common words ("cli", "core", "utils", "http", …) are also how projects
// name their own parts (1 point), and in crates, RubyGems and Go, where
// "serde_core" or "aws-sdk-core" is the convention, no evidence at all.
func (ix *Index) affixPoints(affix string) (int, bool) {
	pts := 3
	for _, w := range strings.Split(affix, "+") {
		if formatWords[w] {
			pts = min(pts, 1)
		}
		if w == "official" || !genericWords[w] {
			continue
		}
		switch ix.eco {
		case ecosystem.Crates, ecosystem.RubyGems, ecosystem.Go:
			return 0, false
		}
		pts = 1
	}
	return pts, true
}

// jsSuffix reports a candidate key that is the target's key with "js"
// after it ("cesiumjs" for "cesium"): how a JavaScript library is named
// in prose, so the lure of a name far down the corpus (beyond rank
// 20000, where other affixes are not reported).
func jsSuffix(cand, target string) bool {
	return len(cand) == len(target)+2 && strings.HasSuffix(cand, "js") && strings.HasPrefix(cand, target)
}

// formatWords name a module format or dialect: "X-ts", "X-esm" are as
// often an honest port as a squat (1 point).
var formatWords = map[string]bool{"ts": true, "esm": true, "cjs": true}

// affixScore: an affix match warns from this score (popularity points +
// affix points + length points).
const affixScore = 4

// genericWords are the common affix words, and the extra ones pkgward
// matches as delimited words on its own (extraAffixes).
var genericWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range commonAffixes {
		m[w] = true
	}
	for _, w := range extraAffixes {
		m[w] = true
	}
	return m
}()

// extraAffixes are generic words matched as a whole delimited word at
// either end, besides the affix table's ("axios-http").
var extraAffixes = []string{"http", "https"}

type sibling int

const (
	siblingNone sibling = iota
	siblingCap          // a family member: at most a warning
	siblingSame         // a family member differing in a short last word: allowed
)

// familyMin is how many corpus names a family prefix needs before a new
// name in it is taken for a sibling.
const familyMin = 3

// siblings reports whether candidate and target are two members of one
// family of names that share all but their last word ("net-smtp" and
// "net-sftp", "aws-sdk-sns" and "aws-sdk-kms"), in a family with at least
// familyMin corpus names: members one letter apart are the rule in such
// families, so the match may only warn. When the two last words are short
// (at most 4 characters: acronyms such as sns, kms, smtp) and differ by
// substitutions (one or two, not a single neighbouring key), the match is
// dropped. A prefix that is an affix word
// ("js-", "node-", "py-") or shorter than 3 characters is not a family.
func (ix *Index) siblings(q *query, t *target, m *match) sibling {
	cp, tp := familyPrefix(q.canon), familyPrefix(t.canon)
	if cp == "" || cp != tp || len(cp) < 3 || ix.affix.words[cp] {
		return siblingNone
	}
	if q.x.families(ix)[cp] < familyMin {
		return siblingNone
	}
	if len(q.canon)-len(cp) <= 5 && len(t.canon)-len(tp) <= 5 && len(q.canon) == len(t.canon) && !strings.Contains(m.tech, TechTransposition) && !(m.dist == 1 && fatFinger(m.tech, m)) {
		// A neighbouring key struck in a family member ("path-typd" for
		// "path-type") is still a typo: it warns.
		return siblingSame
	}
	return siblingCap
}

// gradeScopeDropped grades an unscoped name equal to the bare name of a
// popular scoped package ("arm-compute" for "@azure/arm-compute"): the
// classic dependency-confusion name. Generic bare names ("core", "utils",
// "cli"), single words and bare names published by several scopes are not
// reported: many honest unscoped packages carry them.
func (ix *Index) gradeScopeDropped(q *query, t *target) (record.Severity, float64, bool) {
	_, bare := ecosystem.SplitScope(t.canon)
	info, _ := ix.bareOf(bare)
	if genericWords[bare] || genericBare[bare] {
		return 0, 0, false
	}
	specific := info.count == 1 && strings.ContainsAny(bare, "-_.") && len(stripKey(ix.eco, bare)) >= 6
	switch {
	case t.rank == 0 && len(bare) >= 3:
		// The user's own scoped package: its bare name on the public
		// registry is the dependency-confusion attack itself.
		return record.High, 0.85, true
	case specific && t.ranked(scopeDroppedRank):
		// Public scoped packages: many honest unscoped packages share a
		// bare name with one (forks, the name before the package moved
		// into a scope), so this only warns.
		return record.Medium, 0.45, true
	}
	return 0, 0, false
}

// scopeDroppedRank bounds the public scoped packages whose bare name is
// reported when published unscoped.
const scopeDroppedRank = 25000

// genericBare are bare names of scoped packages too generic to be a
// dependency-confusion target on their own (besides the affix words).
var genericBare = map[string]bool{
	"common": true, "config": true, "types": true, "shared": true, "server": true, "runtime": true,
	"plugin": true, "plugins": true, "helpers": true, "components": true, "icons": true, "theme": true,
	"cli-service": true, "eslint-config": true, "eslint-plugin": true, "tsconfig": true, "prettier-config": true,
	"test-utils": true, "testing": true, "build": true, "compiler": true, "parser": true, "react": true, "vue": true,
	"node": true, "browser": true, "web": true, "native": true, "ui": true, "app": true, "schema": true, "logger": true,
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
	near := false // a graded match of one edit at most
	for i := range q.matches {
		m := &q.matches[i]
		if m.compound == compoundNone && m.dist <= 1 && editTech(m) {
			if _, _, ok := ix.grade(q, m); ok {
				near = true
				break
			}
		}
	}
	for i := range q.matches {
		m := &q.matches[i]
		if near && m.compound != compoundNone {
			// The nearest explanation wins: "reqeusts" is one swap from
			// "requests", not a compound edit of "grequests".
			continue
		}
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

// editTech reports an edit-distance match (not an affix, scope or Go
// technique).
func editTech(m *match) bool {
	switch base, _, _ := strings.Cut(m.tech, "+"); base {
	case TechOmission, TechInsertion, TechRepetition, TechSubstitution, TechVowelSwap, TechBitFlip, TechTransposition, TechHomoglyph, TechPlural, TechDelimiter:
		return m.affix == ""
	}
	return false
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
	msg := fmt.Sprintf("%q looks like %q (%s): %s", q.name, name, where, m.phrase)
	if m.tech == TechOption {
		msg = fmt.Sprintf("%q is spelled as a command-line option, which no registry accepts as a new package name: an install command with a mistyped or misplaced option installs it", q.name)
	}
	return record.Finding{
		Rule:       RuleTyposquat,
		Severity:   g.sev,
		Confidence: g.conf,
		Message:    msg,
		Evidence:   ev,
	}
}
