package content

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// Lure scoring (rule lure-text).
//
// The phrase matcher finds every phrase of the model in a field's
// normalized text. Masks hide the non-object hits they overlap ("cheat
// sheet" hides "cheat"), brands hide the hits inside them ("free fire"
// hides "free"). The remaining hits are chained into windows: consecutive
// hits at most lureGap words apart. A window is a lure when it holds an
// object (a phrase of an object category, or an item or tool next to a
// brand) and a hook (hook or tool category), in at least two categories,
// and scores at least lureMinScore: the sum over its categories of the
// highest weight in each. A counter phrase (scam, phishing, detect) within
// lureGap words halves the score and caps the window at medium.

const (
	lureGap        = 6   // words between consecutive hits of a window
	lureMinScore   = 3.5 // a window below this is no lure
	lureMedium     = 5.0 // score from which a window is medium
	lureHigh       = 7.0 // score from which a window with lureHighCats strong categories is high
	lureHighCats   = 3   // distinct object/hook/tool categories for high
	maxLureHits    = 1 << 16
	maxWindowHits  = 64
	maxQuoteBytes  = 80
	maxContextByte = 200
)

type lureHit struct {
	phrase     int
	cat        int
	start, end int // in normalized text
	w0, w1     int // first and last word
	weight     float64
}

// lureWindow is one qualifying window.
type lureWindow struct {
	field     Field
	score     float64
	strong    int  // distinct object, hook and tool categories (+1 for an item or tool made object by a brand)
	countered bool // defensive context nearby
	cats      []int
	quotes    []string
	context   string
}

// lureScratch is reused across the fields of one analysis.
type lureScratch struct {
	nt       normText
	hits     []lureHit
	kept     []lureHit
	masks    []lureHit
	negators []lureHit
	brands   []lureHit
	counters []int // word indexes
	splits   []int // normalized offsets where glued phrases split a word
}

// windows appends the lure windows of one field's text to out.
func (md *model) windows(field Field, src string, sc *lureScratch, out []lureWindow) []lureWindow {
	if src == "" {
		return out
	}
	nt := &sc.nt
	nt.normalize(src)
	if len(nt.b) == 0 {
		return out
	}
	if md.scan(nt, sc) {
		// A glued phrase splits the word it is glued into
		// ("#freerobux" reads "free robux"): scan again.
		nt.splitAt(sc.splits)
		md.scan(nt, sc)
	}
	if len(sc.hits) == 0 {
		return out
	}
	hits := sc.hidden(md)
	if len(hits) == 0 {
		return out
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].w0 != hits[j].w0 {
			return hits[i].w0 < hits[j].w0
		}
		return hits[i].start < hits[j].start
	})
	sort.Ints(sc.counters)
	for i := 0; i < len(hits); {
		j, last := i+1, hits[i].w1
		for j < len(hits) && j-i < maxWindowHits && hits[j].w0-last <= lureGap {
			last = max(last, hits[j].w1)
			j++
		}
		if w, ok := md.judgeWindow(field, src, nt, hits[i:j], sc.counters); ok {
			out = append(out, w)
		}
		i = j
	}
	return out
}

// scan collects the phrase hits of nt into sc. It reports whether a
// glued phrase hit sits inside a longer word, leaving the split points in
// sc.splits.
func (md *model) scan(nt *normText, sc *lureScratch) bool {
	sc.hits, sc.masks, sc.negators, sc.brands, sc.counters = sc.hits[:0], sc.masks[:0], sc.negators[:0], sc.brands[:0], sc.counters[:0]
	sc.splits = sc.splits[:0]
	text := nt.b
	md.m.scan(text, func(pat, start, end int) bool {
		leftOK := start == 0 || text[start-1] == ' ' || text[start-1] == '\n'
		rightOK := end == len(text) || text[end] == ' ' || text[end] == '\n'
		for _, pi := range md.byPat[pat] {
			ph := &md.phrases.List[pi]
			if (!leftOK && !ph.GlueLeft) || (!rightOK && !ph.GlueRight) {
				continue
			}
			if !leftOK && len(sc.splits) < maxLureHits {
				sc.splits = append(sc.splits, start)
			}
			if !rightOK && len(sc.splits) < maxLureHits {
				sc.splits = append(sc.splits, end)
			}
			ci := md.catIndex[pi]
			h := lureHit{phrase: pi, cat: ci, start: start, end: end, weight: ph.Weight}
			h.w0, h.w1 = nt.wordAt(start), nt.wordAt(end-1)
			roles := md.cats[ci].Roles
			switch {
			case roles&RoleMask != 0:
				if len(sc.masks) < maxLureHits {
					sc.masks = append(sc.masks, h)
				}
			case roles&RoleNegator != 0:
				if len(sc.negators) < maxLureHits {
					sc.negators = append(sc.negators, h)
				}
			case roles&RoleCounter != 0:
				if len(sc.counters) < maxLureHits {
					sc.counters = append(sc.counters, h.w0)
				}
			default:
				if roles&RoleBrand != 0 && len(sc.brands) < maxLureHits {
					sc.brands = append(sc.brands, h)
				}
				if len(sc.hits) < maxLureHits {
					sc.hits = append(sc.hits, h)
				}
			}
		}
		return true
	})
	return len(sc.splits) > 0
}

// splitAt inserts a space at each of the normalized offsets (inside
// words); the pieces of a word keep the word's source span.
func (nt *normText) splitAt(points []int) {
	sort.Ints(points)
	b := make([]byte, 0, len(nt.b)+len(points))
	words := make([]wordSpan, 0, len(nt.words)+len(points))
	p := 0
	for _, w := range nt.words {
		if len(b) > 0 {
			b = append(b, nt.b[w.norm-1]) // the separator before the word
		}
		start := int(w.norm)
		for p < len(points) && points[p] <= start {
			p++
		}
		for p < len(points) && points[p] < int(w.normEnd) {
			if points[p] > start {
				ns := len(b)
				b = append(b, nt.b[start:points[p]]...)
				words = append(words, wordSpan{norm: int32(ns), normEnd: int32(len(b)), orig: w.orig, origEnd: w.origEnd})
				b = append(b, ' ')
				start = points[p]
			}
			p++
		}
		ns := len(b)
		b = append(b, nt.b[start:w.normEnd]...)
		words = append(words, wordSpan{norm: int32(ns), normEnd: int32(len(b)), orig: w.orig, origEnd: w.origEnd})
	}
	nt.b, nt.words = b, words
}

// hidden drops the hits hidden by masks and brands, and those contained
// in a longer hit of the same kind (a hook inside a hook: "human
// verification" inside "no human verification"; an object or item inside
// an object: "followers" inside "free followers"), and returns the rest.
func (sc *lureScratch) hidden(md *model) []lureHit {
	sort.Slice(sc.masks, func(i, j int) bool { return sc.masks[i].start < sc.masks[j].start })
	sort.Slice(sc.brands, func(i, j int) bool { return sc.brands[i].start < sc.brands[j].start })
	sort.Slice(sc.negators, func(i, j int) bool { return sc.negators[i].start < sc.negators[j].start })
	all := sc.hits
	sort.Slice(all, func(i, j int) bool { return all[i].start < all[j].start })
	// A negator inside a phrase ("not patched", "not a scam") negates
	// nothing.
	negs := sc.negators[:0]
	for _, n := range sc.negators {
		if !overlapsAny(all, n, false) && !overlapsAny(sc.masks, n, false) {
			negs = append(negs, n)
		}
	}
	sc.negators = negs
	kept := sc.kept[:0]
	for _, h := range all {
		roles := md.cats[h.cat].Roles
		if roles&RoleObject == 0 && overlapsAny(sc.masks, h, false) {
			continue
		}
		if roles&RoleBrand == 0 && overlapsAny(sc.brands, h, true) {
			continue
		}
		if roles&RoleBrand == 0 && md.containedInSameKind(all, h) {
			continue
		}
		if roles&RoleBrand == 0 && negated(sc.negators, h) {
			continue
		}
		kept = append(kept, h)
	}
	sc.kept = kept
	return kept
}

// negationScope is how many words after a negator ("not", "never",
// "cannot") a hit must start in to be negated: "it cannot give anyone free
// Robux" offers nothing.
const negationScope = 3

// negated reports whether a negator (sorted by start) ends in the
// negationScope words before h and does not overlap it ("no survey" is a
// phrase of its own, not a negated "survey").
func negated(negs []lureHit, h lureHit) bool {
	i := sort.Search(len(negs), func(i int) bool { return negs[i].w0 >= h.w0-negationScope-2 })
	for _, n := range negs[i:] {
		if n.start >= h.start {
			break
		}
		if n.end <= h.start && n.w1 < h.w0 && h.w0-n.w1 <= negationScope {
			return true
		}
	}
	return false
}

// containedInSameKind reports whether a longer hit of all (sorted by
// start) contains h and is of the same kind.
func (md *model) containedInSameKind(all []lureHit, h lureHit) bool {
	const hook, object = RoleHook | RoleTool, RoleObject | RoleItem
	rh := md.cats[h.cat].Roles
	i := sort.Search(len(all), func(i int) bool { return all[i].start > h.start-maxPhraseBytes-1 })
	for ; i < len(all) && all[i].start <= h.start; i++ {
		c := all[i]
		if c.end < h.end || c.end-c.start <= h.end-h.start {
			continue
		}
		rc := md.cats[c.cat].Roles
		if (rh&hook != 0 && rc&hook != 0) || (rh&object != 0 && rc&RoleObject != 0) {
			return true
		}
	}
	return false
}

// overlapsAny reports whether h overlaps one of spans (sorted by start) or,
// with inside, lies strictly inside one.
func overlapsAny(spans []lureHit, h lureHit, inside bool) bool {
	// Spans are at most maxPhraseBytes long: only those starting after
	// h.start-maxPhraseBytes can reach h.
	i := sort.Search(len(spans), func(i int) bool { return spans[i].start > h.start-maxPhraseBytes-1 })
	for ; i < len(spans) && spans[i].start < h.end; i++ {
		s := spans[i]
		if inside {
			if s.start <= h.start && h.end <= s.end && s.end-s.start > h.end-h.start {
				return true
			}
		} else if s.start < h.end && h.start < s.end {
			return true
		}
	}
	return false
}

func (md *model) judgeWindow(field Field, src string, nt *normText, hits []lureHit, counters []int) (lureWindow, bool) {
	var best [maxCategories]float64
	var roles Role
	var cats []int
	for _, h := range hits {
		if best[h.cat] == 0 {
			cats = append(cats, h.cat)
		}
		best[h.cat] = math.Max(best[h.cat], h.weight)
		roles |= md.cats[h.cat].Roles
	}
	if len(cats) < 2 {
		return lureWindow{}, false
	}
	brand := roles&RoleBrand != 0
	implicit := brand && roles&(RoleItem|RoleTool) != 0
	hasObject := roles&RoleObject != 0 || implicit
	hasHook := roles&(RoleHook|RoleTool) != 0
	if !hasObject || !hasHook {
		return lureWindow{}, false
	}
	w := lureWindow{field: field}
	for _, c := range cats {
		w.score += best[c]
		if md.cats[c].Roles&(RoleObject|RoleHook|RoleTool) != 0 {
			w.strong++
		}
	}
	if implicit && roles&RoleObject == 0 {
		w.strong++
	}
	first, last := hits[0].w0, hits[0].w1
	for _, h := range hits {
		last = max(last, h.w1)
	}
	i := sort.SearchInts(counters, first-lureGap)
	if i < len(counters) && counters[i] <= last+lureGap {
		w.countered = true
		w.score /= 2
	}
	if w.score < lureMinScore {
		return lureWindow{}, false
	}
	sort.Slice(cats, func(i, j int) bool {
		return best[cats[i]] > best[cats[j]] || best[cats[i]] == best[cats[j]] && cats[i] < cats[j]
	})
	w.cats = cats
	// Quotes: runs of adjacent or overlapping hits, as written.
	seen := map[string]bool{}
	for k := 0; k < len(hits) && len(w.quotes) < 8; {
		a, b := hits[k].w0, hits[k].w1
		k++
		for k < len(hits) && hits[k].w0 <= b+1 {
			b = max(b, hits[k].w1)
			k++
		}
		q := quote(src, nt.words[a].orig, nt.words[b].origEnd, maxQuoteBytes)
		if !seen[strings.ToLower(q)] {
			seen[strings.ToLower(q)] = true
			w.quotes = append(w.quotes, q)
		}
	}
	w.context = quote(src, nt.words[first].orig, nt.words[last].origEnd, maxContextByte)
	return w, true
}

// wordAt returns the index of the word containing normalized offset off.
func (nt *normText) wordAt(off int) int {
	i := sort.Search(len(nt.words), func(i int) bool { return int(nt.words[i].normEnd) > off })
	if i == len(nt.words) {
		i--
	}
	return i
}

// quote returns src[a:b] on one line, valid UTF-8, at most limit bytes
// (cut with "…").
func quote(src string, a, b int32, limit int) string {
	s := src[a:b]
	cut := false
	if len(s) > limit {
		n := limit
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, cut = s[:n], true
	}
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	if cut {
		s += "…"
	}
	return s
}

// lureTier grades a set of windows: 0 none, 1 low, 2 medium, 3 high. It
// returns the best window (highest tier, then score).
func lureTier(ws []lureWindow) (int, *lureWindow) {
	var best *lureWindow
	bestTier := 0
	plain := 0 // windows without defensive context
	for i := range ws {
		w := &ws[i]
		t := windowTier(w)
		if !w.countered {
			plain++
		}
		if t > bestTier || (t == bestTier && best != nil && w.score > best.score) {
			bestTier, best = t, w
		}
	}
	// Repeated lures (three windows or more) raise the grade by one.
	if best != nil && plain >= 3 && !best.countered && bestTier < 3 {
		bestTier++
	}
	return bestTier, best
}

func windowTier(w *lureWindow) int {
	switch {
	case w.countered:
		if w.score >= lureMedium {
			return 2
		}
		return 1
	case w.score >= lureHigh && w.strong >= lureHighCats:
		return 3
	case w.score >= lureMedium:
		return 2
	}
	return 1
}
