package typosquat

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/confusable"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// RuleTyposquat is the rule id of lookalike findings.
const RuleTyposquat = "typosquat"

// match is one candidate→target relation found by a technique.
type match struct {
	id         int32 // target id, -1 when the target is not in the corpus (host lookalike)
	targetName string
	tech       string
	dist       int
	phrase     string
	keyboard   bool
	digit      bool // an edit adds, removes or changes a digit (not a lookalike one)
	affix      string
	short      bool   // distance 2 against a popular short target (extra.short2)
	moved      bool   // the two edits leave a character out and add it elsewhere
	host       string // host-lookalike: the code host imitated
	first      bool   // an edit adds, removes or changes the first character
	version    bool   // version-suffix: a dotted or v-prefixed version ("12.5.3", "v6")
	compound   int    // compoundSwap, compoundCollapsed (compound.go)
	dotted     bool   // affix: the name written "NAME.js", as a library is named in prose
	interior   bool   // one edit, strictly inside the key (not at its first or last character)
	twoWords   bool   // affix: two words added beside a name the affix table does not strip (twoWordMatches)
}

// query is the per-check scratch state, pooled.
type query struct {
	ix      *Index
	name    string
	full    string // canonical name
	canon   string // canonical identity (Go: module root)
	strip   string
	h       hasher
	ids     []int32
	ops     []edit
	aff     []affixed
	matches []match
	x       *extra // the index's derived tables (extraOf)
}

var queryPool = sync.Pool{New: func() any { return new(query) }}

func (q *query) add(m match) { q.matches = append(q.matches, m) }

// Check returns the typosquat findings for a candidate name: at most
// Options.MaxFindings, strongest first. A name that is itself in the
// corpus is popular in its own right and gets none.
func (ix *Index) Check(name string) []record.Finding {
	canon := ix.canonRoot(name)
	if canon == "" {
		return nil
	}
	if _, ok := ix.lookup(canon); ok {
		return nil
	}
	if ix.debianSpelling(canon) {
		return nil
	}
	q := queryPool.Get().(*query)
	defer func() { q.x = nil; queryPool.Put(q) }()
	q.ix, q.name, q.canon, q.full = ix, name, canon, ix.eco.Canonical(name)
	q.strip = stripKey(ix.eco, canon)
	q.matches = q.matches[:0]
	q.x = ix.extraOf()
	ix.collect(q)
	if len(q.matches) == 0 {
		return nil
	}
	return ix.findings(q)
}

// collect runs every technique, appending matches to q.
func (ix *Index) collect(q *query) {
	if optionName(q.name) {
		q.add(match{id: -1, tech: TechOption, targetName: q.name, phrase: "spelled as a command-line option"})
	}
	s := q.strip
	// Same letters, other delimiters: "crossenv" for "cross-env".
	q.ids = ix.strip.get(hashString(s), q.ids[:0])
	for _, id := range q.ids {
		q.add(match{id: id, tech: TechDelimiter, phrase: "only the delimiters differ"})
	}
	// Same skeleton: lookalike characters.
	sk := confusable.Skeleton(s)
	q.ids = ix.skel.get(hashString(sk), q.ids[:0])
	for _, id := range q.ids {
		if ix.targets[id].strip != s {
			q.add(match{id: id, tech: TechHomoglyph, phrase: homoglyphPhrase(q.name)})
		}
	}
	// Edit distance 1 (and 2 for long names) on the delimiter-free key:
	// the candidate's variants with up to one deletion against del, and its
	// 2-deletion variants against del2. This meets every target within
	// distance 1, and every distance-2 target within 2.
	if n := len(s); n >= min(ix.opt.MinLen, ix.opt.ShortMinLen) && n <= maxEditLen {
		q.h.reset(s)
		q.ids = ix.del.get(q.h.whole(), q.ids[:0])
		for p := 0; p < n; p++ {
			q.ids = ix.del.get(q.h.del1(p), q.ids)
		}
		if n >= ix.opt.Dist2MinLen && n <= ix.opt.Dist2MaxLen+2 {
			for p := 0; p < n; p++ {
				for r := p + 1; r < n; r++ {
					q.ids = ix.del2.get(q.h.del2(p, r), q.ids)
				}
			}
		}
		ix.editMatches(q, s, "")
	}
	if n := len(s); n >= 5 && n <= shortMaxLen+2 {
		ix.shortMatches(q, s)
	}
	ix.swapMatches(q, s)
	ix.collapsedMatches(q, s)
	ix.soundMatches(q, s)
	// Affixes: "typescriptjs", "python-nmap"… and an affix plus one edit.
	q.aff = q.aff[:0]
	if ix.eco != ecosystem.Go {
		// Go paths are host/owner/repo: a word removed from their last
		// element leaves another owner's path, judged by checkGo.
		q.aff = ix.affix.stripped(q.canon, s, q.aff)
	}
	for _, a := range q.aff {
		q.ids = ix.strip.get(hashString(a.key), q.ids[:0])
		q.ids = ix.bare.get(hashString(a.key), q.ids)
		for _, id := range q.ids {
			if ix.targets[id].strip != s {
				q.add(match{id: id, tech: TechAffix, affix: a.affix, phrase: fmt.Sprintf("the word %q added", a.affix)})
			}
		}
		if len(a.key) >= ix.opt.MinBlockLen && len(a.key) <= maxEditLen {
			q.h.reset(a.key)
			q.ids = ix.del.get(q.h.whole(), q.ids[:0])
			for p := range a.key {
				q.ids = ix.del.get(q.h.del1(p), q.ids)
			}
			ix.editMatches(q, a.key, a.affix)
		}
	}
	ix.extraAffixMatches(q)
	ix.twoWordMatches(q)
	// Word order: "nmap-python" for "python-nmap".
	if k := sortedTokensKey(q.canon); k != "" {
		q.ids = ix.words.get(hashString(k), q.ids[:0])
		for _, id := range q.ids {
			// Same words in the same order is a delimiter or scope game,
			// judged by those techniques.
			if t := &ix.targets[id]; t.strip != s && !strings.HasPrefix(t.canon, "@") && !strings.HasPrefix(q.canon, "@") {
				q.add(match{id: id, tech: TechWordOrder, phrase: "the same words in another order"})
			}
		}
	}
	// Version or counter suffix: "detectron4" for "detectron2".
	if d := trimDigits(s); len(d) >= ix.opt.MinLen {
		q.ids = ix.digits.get(hashString(d), q.ids[:0])
		for _, id := range q.ids {
			if ix.targets[id].strip != s {
				q.add(match{id: id, tech: TechVersionSuffix, phrase: "another version number or counter at the end"})
			}
		}
	}
	switch ix.eco {
	case ecosystem.NPM:
		ix.checkScope(q)
	case ecosystem.Go:
		ix.checkGo(q)
		ix.dropForks(q)
	}
}

// editMatches verifies the ids gathered from the deletion indexes against
// key (the candidate's strip key, or it without an affix) and adds the
// matches within distance.
func (ix *Index) editMatches(q *query, key, affix string) {
	for i, id := range q.ids {
		if seen(q.ids[:i], id) {
			continue
		}
		t := &ix.targets[id]
		limit := 1
		if affix == "" && ix.dist2(t) {
			limit = 2
		}
		if !ix.editable(t) {
			continue
		}
		d, ops := osa(key, t.strip, limit, q.ops[:0])
		q.ops = ops[:0]
		if d == 0 || d > limit {
			continue
		}
		m := match{id: id, dist: d, affix: affix}
		var techs, phrases []string
		if touchesSlash(ops) {
			continue // scope or path structure: judged by checkScope and checkGo
		}
		for _, e := range ops {
			tech, phrase, kb := describe(e, key)
			if d == 1 && (tech == TechInsertion || tech == TechOmission) && isPlural(e, key) {
				tech, phrase = TechPlural, "plural or singular of the name"
			}
			if tech != TechHomoglyph && e.kind != opTranspose && (isDigit(e.a) || isDigit(e.b)) {
				m.digit = true
			}
			m.first = m.first || (e.pos == 0 && e.kind != opTranspose && tech != TechHomoglyph)
			m.interior = d == 1 && e.pos > 0 && e.pos < len(key)-1
			techs = append(techs, tech)
			phrases = append(phrases, phrase)
			m.keyboard = m.keyboard || kb
		}
		m.tech = strings.Join(techs, "+")
		m.phrase = strings.Join(phrases, ", ")
		if affix != "" {
			m.tech = TechAffix + "+" + m.tech
			m.phrase = fmt.Sprintf("the word %q added and %s", affix, m.phrase)
		}
		q.add(m)
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// optionName reports a name spelled as a command-line option: one or two
// dashes, then a letter ("--no-audit", "-g"). No ecosystem lets a new
// package name start with a dash, and installers read such a word as an
// option, so a package of that name is there to be installed by a
// mistyped command line ("npm i - -no-audit", a copied "–-save-dev").
func optionName(name string) bool {
	rest := strings.TrimPrefix(name, "-")
	if rest == name {
		return false
	}
	rest = strings.TrimPrefix(rest, "-")
	return rest != "" && ('a' <= rest[0] && rest[0] <= 'z' || 'A' <= rest[0] && rest[0] <= 'Z')
}

func seen(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// touchesSlash reports edits that add, remove or replace a "/".
func touchesSlash(ops []edit) bool {
	for _, e := range ops {
		if e.a == '/' || e.b == '/' {
			return true
		}
	}
	return false
}

// isPlural reports an "s" added or removed at the end.
func isPlural(e edit, cand string) bool {
	switch e.kind {
	case opInsert:
		return e.a == 's' && e.pos == len(cand)-1
	case opDelete:
		return e.a == 's' && e.pos == len(cand)
	}
	return false
}

// checkScope adds npm scope confusions: "types-node" or "typesnode"
// flattening "@types/node". (A popular name republished under another
// scope, "@someone/lodash", is not reported: installing it takes typing the
// scope, and forks and internal mirrors do exactly this.)
func (ix *Index) checkScope(q *query) {
	if scope, bare := ecosystem.SplitScope(q.canon); scope != "" {
		ix.checkScopeLookalike(q, scope, bare)
		return
	}
	q.ids = ix.flat.get(hashString(q.strip), q.ids[:0])
	for _, id := range q.ids {
		q.add(match{id: id, tech: TechScope, phrase: "a scoped name with the scope turned into a prefix"})
	}
	// The bare name of a scoped package, without its scope: what a
	// dependency-confusion attack publishes ("arm-compute" for
	// "@azure/arm-compute").
	if b, ok := ix.bareOf(q.canon); ok {
		q.add(match{id: b.id, tech: TechScopeDropped, phrase: "the scoped package's name without its scope (dependency confusion)"})
	}
}

// checkScopeLookalike adds a scope one edit from a popular scope, with a
// package name published in that scope: "@meer-js/accounts" for
// "@near-js/accounts". A scope in the corpus belongs to its organization
// and is never a lookalike.
func (ix *Index) checkScopeLookalike(q *query, scope, bare string) {
	if ix.scopes[scope] || bare == "" || len(scope) < 3 || len(scope) > maxEditLen {
		return
	}
	st := q.x.scopeTable(ix)
	limit := 1
	if len(scope) >= scope2MinLen-2 {
		limit = 2
	}
	start := len(q.matches)
	cands := q.ids[:0]
	probe := func(k uint64) {
		for _, id := range st.del[k] {
			if !seen(cands, id) {
				cands = append(cands, id)
			}
		}
	}
	q.h.reset(scope)
	probe(q.h.whole())
	for p := range len(scope) {
		probe(q.h.del1(p))
		if limit == 2 {
			for r := p + 1; r < len(scope); r++ {
				probe(q.h.del2(p, r))
			}
		}
	}
	for _, sid := range cands {
		s := st.scopes[sid]
		d, _ := osa(scope, s, limit, nil)
		if d == 0 || d > limit || (d == 2 && len(s) < scope2MinLen) {
			continue
		}
		id, ok := ix.lookup("@" + s + "/" + bare)
		if !ok {
			continue
		}
		dup := false
		for _, m := range q.matches[start:] {
			dup = dup || m.id == id
		}
		if !dup {
			q.add(match{id: id, tech: TechScopeLookalike, dist: d, phrase: fmt.Sprintf("scope @%s imitates @%s", scope, s)})
		}
	}
	q.ids = cands[:0]
}

// extraAffixMatches adds what the affix table cannot express: a release
// or platform version written after a popular name ("discord.js12.5.3",
// "bitcoinjs-lib-v6", "react@18"), and the extra generic words
// (extraAffixes) as a delimited word at either end ("axios-http").
func (ix *Index) extraAffixMatches(q *query) {
	c := q.canon
	if ix.eco == ecosystem.Go {
		return
	}
	if rest, ver, ok := cutVersion(c); ok {
		if id, ok := ix.lookup(rest); ok {
			q.add(match{id: id, tech: TechVersionSuffix, affix: ver, version: true, phrase: fmt.Sprintf("the version %q added", ver)})
		} else {
			q.ids = ix.strip.get(hashString(stripKey(ix.eco, rest)), q.ids[:0])
			for _, id := range q.ids {
				q.add(match{id: id, tech: TechVersionSuffix, affix: ver, version: true, phrase: fmt.Sprintf("the version %q added", ver)})
			}
		}
	}
	if ix.eco == ecosystem.NPM && strings.HasSuffix(c, ".js") {
		// "d3.js": a popular name as it is written in prose.
		if id, ok := ix.lookup(c[:len(c)-3]); ok {
			q.add(match{id: id, tech: TechAffix, affix: "js", dotted: true, phrase: "the name written as \".js\""})
		}
	}
	for _, w := range extraAffixes {
		var rest string
		switch {
		case len(c) > len(w)+4 && strings.HasSuffix(c, w) && isDelim(c[len(c)-len(w)-1]):
			rest = c[:len(c)-len(w)-1]
		case len(c) > len(w)+4 && strings.HasPrefix(c, w) && isDelim(c[len(w)]):
			rest = c[len(w)+1:]
		default:
			continue
		}
		q.ids = ix.strip.get(hashString(stripKey(ix.eco, rest)), q.ids[:0])
		for _, id := range q.ids {
			q.add(match{id: id, tech: TechAffix, affix: w, phrase: fmt.Sprintf("the word %q added", w)})
		}
	}
}

// cutVersion splits a trailing version off a canonical name: digits with
// at least one "." or "_" ("12.5.3"), or "v" and digits after a delimiter
// ("-v6"), optionally after "@". It returns the name before it (without a
// trailing delimiter) and the version.
func cutVersion(c string) (rest, ver string, ok bool) {
	i := len(c)
	dots := 0
	for i > 0 {
		ch := c[i-1]
		switch {
		case isDigit(ch):
		case (ch == '.' || ch == '_') && i < len(c) && isDigit(c[i]) && i > 1 && isDigit(c[i-2]):
			dots++
		default:
			goto done
		}
		i--
	}
done:
	if i == len(c) || i == 0 {
		return "", "", false
	}
	v := c[i:]
	switch {
	case dots > 0:
	case c[i-1] == 'v' && i > 1 && isDelim(c[i-2]):
		i--
		v = c[i:]
	default:
		return "", "", false
	}
	rest = strings.TrimRight(c[:i], "-_.@")
	if len(rest) < 2 {
		return "", "", false
	}
	return rest, v, true
}

// debianSpelling reports a RubyGems name that is a corpus name with some
// "-" written "_": the RubyGems corpus comes from Debian, whose package
// names cannot hold "_" (the gem public_suffix is packaged as
// ruby-public-suffix), so such a name is the corpus name as the registry
// spells it, not a lookalike of it. Protected names (rank 0) are the
// user's exact spelling and do not count.
func (ix *Index) debianSpelling(canon string) bool {
	if ix.eco != ecosystem.RubyGems || !strings.Contains(canon, "_") {
		return false
	}
	id, ok := ix.lookup(strings.ReplaceAll(canon, "_", "-"))
	return ok && ix.targets[id].rank > 0
}

// shortMatches adds distance-2 matches against the most popular short
// names (extra.short2), which the index matches at distance 1 only:
// "rceat" for "react". s is the candidate's strip key, 5 to 8 bytes.
func (ix *Index) shortMatches(q *query, s string) {
	short2 := q.x.shortTable(ix)
	if len(short2) == 0 {
		return
	}
	start := len(q.ids)
	probe := func(k uint64) {
		for _, id := range short2[k] {
			if !seen(q.ids[start:], id) {
				q.ids = append(q.ids, id)
			}
		}
	}
	q.h.reset(s)
	probe(q.h.whole())
	n := len(s)
	for p := 0; p < n; p++ {
		probe(q.h.del1(p))
		for r := p + 1; r < n; r++ {
			probe(q.h.del2(p, r))
		}
	}
	for _, id := range q.ids[start:] {
		t := &ix.targets[id]
		d, ops := osa(s, t.strip, 2, q.ops[:0])
		q.ops = ops[:0]
		if d != 2 || len(s) < 5 || touchesSlash(ops) {
			continue
		}
		m := match{id: id, dist: 2, short: true}
		var techs, phrases []string
		for _, e := range ops {
			tech, phrase, kb := describe(e, s)
			if tech != TechHomoglyph && e.kind != opTranspose && (isDigit(e.a) || isDigit(e.b)) {
				m.digit = true
			}
			techs = append(techs, tech)
			phrases = append(phrases, phrase)
			m.keyboard = m.keyboard || kb
		}
		m.moved = len(ops) == 2 && ops[0].a == ops[1].a &&
			((ops[0].kind == opInsert && ops[1].kind == opDelete) || (ops[0].kind == opDelete && ops[1].kind == opInsert))
		m.tech = strings.Join(techs, "+")
		m.phrase = strings.Join(phrases, ", ")
		if m.moved {
			m.phrase = fmt.Sprintf("%q moved", ops[0].a)
		}
		q.add(m)
	}
	q.ids = q.ids[:start]
}

func homoglyphPhrase(name string) string {
	if l := confusable.Lookalikes(name); len(l) > 0 {
		parts := make([]string, 0, len(l))
		for k, v := range l {
			parts = append(parts, fmt.Sprintf("%q (%U) for %q", k, []rune(k)[0], v))
		}
		sort.Strings(parts)
		return "lookalike characters: " + strings.Join(parts, ", ")
	}
	return "lookalike characters (such as 1/l/I, 0/o, rn/m)"
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
