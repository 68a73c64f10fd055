package campaign

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// Matching a package against known campaigns, at gate time.
//
// Clustering (Builder) finds campaigns among many records; the Matcher
// answers one question fast and without re-clustering: does this package
// join a campaign already known? It keeps, per campaign, what the store
// keeps: the indicators, the member names, and the compact signatures
// (CompactSig) of some members. A package matches a campaign only on the
// combined evidence that links two records in clustering (Builder.accept)
// against the campaign as a whole:
//
//   - its name fits one of the campaign's name templates and it shares a
//     link or an evidence domain (not a code host or shortener) with it;
//   - it shares a link or domain and either an author or, with a campaign
//     of lure texts, lure text of its own;
//   - its text is a near-duplicate (MinHash similarity ≥ 0.55) of a
//     member's text and it shares a template, link, author or lure, or a
//     related text (≥ 0.25) with a shared template or link;
//   - a generated name (year, random suffix) of the campaign's template by
//     one of its authors, with a campaign of generated names;
//   - a flood's name shape (a shape campaign) plus two of: one of its
//     authors, its identical description, its identical manifest (with
//     dependencies), a publication within 24 hours of its members';
//   - or it is a known member (same ecosystem and name, any version).
//
// A shared author, link, code-host domain, template or shape alone never
// matches: honest packages share github.com and "@types/<word>".

// Matcher bounds: what NewMatcher keeps of one campaign.
const (
	maxKnownSigs   = 4096 // compact signatures read per campaign
	maxExemplars   = 64   // MinHashes compared per campaign
	maxKnownTmpls  = 64   // distinct name templates per campaign
	maxKnownString = 512  // longer URLs, authors, tokens are ignored
	publishSlack   = 24 * 3600
)

// Known is what the store keeps of a campaign, the input of NewMatcher.
type Known struct {
	ID         string     `json:"id"`
	Size       int        `json:"size"` // members of the campaign; 0 means len(Members)
	Confidence float64    `json:"confidence"`
	Indicators Indicators `json:"indicators"`
	// Members are the known members; a package of the same ecosystem and
	// name (any version) matches.
	Members []Member `json:"members,omitempty"`
	// Sigs are the compact signatures of some or all members
	// (Signature.Compact): the more, the better the recall. At most
	// 4,096 are read, and the texts of 64 of them compared.
	Sigs []CompactSig `json:"sigs,omitempty"`
}

// Hit is the campaign a package matched.
type Hit struct {
	ID         string
	Size       int
	Confidence float64
	// Matched names the indicators the package matched, strongest first.
	Matched    []string
	Indicators Indicators
}

// Finding is the campaign-member finding for the matched package m, as
// Campaign.Finding (severity high from confidence 0.8, medium below),
// with the matched indicators as evidence ("matched").
func (h *Hit) Finding(m Member) record.Finding {
	c := Campaign{ID: h.ID, Size: h.Size, Confidence: h.Confidence, Indicators: h.Indicators}
	f := c.Finding(m)
	f.Message = fmt.Sprintf("%q matches campaign %s of %d packages: %s", m.Name, h.ID, h.Size, strings.Join(h.Matched, "; "))
	f.Evidence["matched"] = slices.Clone(h.Matched)
	return f
}

// known is a campaign as the matcher keeps it.
type known struct {
	id         string
	size       int
	conf       float64
	ind        Indicators
	patterns   [][]string // name templates; PlaceWord matches any token
	exemplars  [][NumHashes]uint32
	lure       bool // a campaign of lure texts
	generated  bool // a campaign of generated names
	flood      bool // a shape campaign
	first      int64
	last       int64
	descs      map[uint32]bool // shared by two sampled members
	manifests  map[uint32]bool
	patternStr []string
}

// Matcher matches packages against known campaigns. It is immutable once
// built and safe for concurrent use; swap it whole (MatcherRef) when the
// campaigns change.
type Matcher struct {
	camps   []known
	members map[string][]int32 // ecosystem "/" canonical name
	urls    map[string][]int32
	domains map[string][]int32
	authors map[string][]int32
	shapes  map[string][]int32
	bands   map[uint64][]int32
}

// NewMatcher indexes the known campaigns.
func NewMatcher(known []Known) *Matcher {
	m := &Matcher{
		members: map[string][]int32{},
		urls:    map[string][]int32{},
		domains: map[string][]int32{},
		authors: map[string][]int32{},
		shapes:  map[string][]int32{},
		bands:   map[uint64][]int32{},
	}
	for i := range known {
		m.add(&known[i])
	}
	return m
}

// Len is the number of campaigns the matcher knows.
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	return len(m.camps)
}

func put[K comparable](idx map[K][]int32, k K, c int32) {
	if l := idx[k]; len(l) == 0 || l[len(l)-1] != c {
		idx[k] = append(l, c)
	}
}

func (m *Matcher) add(k *Known) {
	c := int32(len(m.camps))
	opts := DefaultOptions()
	ind := &k.Indicators
	kc := known{
		id: k.ID, size: k.Size, conf: k.Confidence, ind: *ind,
		lure:      ind.LureShare >= opts.MinLureShare,
		generated: ind.TemplatedShare >= opts.MinSpamShare,
		flood:     ind.NameShape != "",
		descs:     map[uint32]bool{},
		manifests: map[uint32]bool{},
	}
	if kc.size <= 0 {
		kc.size = len(k.Members)
	}
	for _, mem := range k.Members {
		put(m.members, memberKey(mem), c)
	}
	addTmpl := func(t []string) {
		if len(t) < 2 || len(t) > maxNameTokens || len(kc.patterns) >= maxKnownTmpls {
			return
		}
		for _, tok := range t {
			if tok == "" || len(tok) > maxKnownString {
				return
			}
		}
		s := FormatTemplate(t)
		if slices.Contains(kc.patternStr, s) {
			return
		}
		kc.patterns = append(kc.patterns, t)
		kc.patternStr = append(kc.patternStr, s)
	}
	for _, t := range ind.NameTemplates {
		addTmpl(strings.Split(t.Value, "-"))
	}
	for _, u := range ind.URLs {
		if evidenceURL(u.Value) {
			put(m.urls, u.Value, c)
		}
	}
	for _, d := range ind.Domains {
		if !d.Shortener && matchDomain(d.Value) {
			put(m.domains, d.Value, c)
		}
	}
	for _, a := range ind.Authors {
		put(m.authors, a.Value, c)
	}
	if kc.flood {
		for _, s := range strings.Split(ind.NameShape, ", ") {
			if s != "" {
				put(m.shapes, s, c)
			}
		}
	}
	if bu := ind.Burst; bu != nil && !bu.First.IsZero() {
		kc.first, kc.last = bu.First.Unix(), bu.Last.Unix()
	}
	descs, mans, shapes := map[uint32]int{}, map[uint32]int{}, map[string]int{}
	sigs := k.Sigs[:min(len(k.Sigs), maxKnownSigs)]
	step := max(1, len(sigs)/maxExemplars)
	for j := range sigs {
		s := &sigs[j]
		put(m.members, memberKey(s.Member), c)
		addTmpl(s.Template)
		for _, u := range s.URLs[:min(len(s.URLs), maxLinks)] {
			if len(u) <= maxKnownString && evidenceURL(u) {
				put(m.urls, u, c)
			}
		}
		for _, d := range s.Domains[:min(len(s.Domains), maxLinks)] {
			if len(d) <= maxKnownString && matchDomain(d) {
				put(m.domains, d, c)
			}
		}
		for _, a := range s.Authors[:min(len(s.Authors), maxAuthors)] {
			if len(a) <= maxKnownString && a != "" {
				put(m.authors, a, c)
			}
		}
		if s.Published != 0 {
			if kc.first == 0 || s.Published < kc.first {
				kc.first = s.Published
			}
			kc.last = max(kc.last, s.Published)
		}
		if kc.flood && s.Shape != "" && len(s.Shape) <= 2*maxShapeTokens {
			shapes[s.Shape]++
		}
		if s.Desc != 0 {
			descs[s.Desc]++
		}
		if s.Manifest != 0 {
			mans[s.Manifest]++
		}
		if mh, ok := s.minhash(); ok && j%step == 0 && len(kc.exemplars) < maxExemplars {
			kc.exemplars = append(kc.exemplars, mh)
			for band := range Bands {
				put(m.bands, bandKey(&mh, band), c)
			}
		}
	}
	for h, n := range descs {
		if n >= 2 {
			kc.descs[h] = true
		}
	}
	for h, n := range mans {
		if n >= 2 {
			kc.manifests[h] = true
		}
	}
	// The indicators name a shape campaign's five largest shapes; a shape
	// of as many sampled members as a flood needs counts too.
	for sh, n := range shapes {
		if n >= opts.MinShapeSize {
			put(m.shapes, sh, c)
		}
	}
	m.camps = append(m.camps, kc)
}

func memberKey(mem Member) string {
	return string(mem.Ecosystem) + "/" + mem.Ecosystem.Canonical(mem.Name)
}

// bandKey is the LSH bucket key of one band of a MinHash, as the
// Builder's.
func bandKey(mh *[NumHashes]uint32, band int) uint64 {
	h := uint64(kindBand)<<56 ^ uint64(band)
	for _, v := range mh[band*Rows : (band+1)*Rows] {
		h = pairHash(h, uint64(v))
	}
	return h
}

// evidence is what a package shares with one campaign.
type evidence struct {
	c      int32
	member bool
	url    string
	domain string
	author string
	shape  bool
	band   bool // shares an LSH band with an exemplar's text
}

// Match reports the known campaign p joins, the one of highest
// confidence when several match. A nil Matcher matches nothing.
func (m *Matcher) Match(p *record.Package) (Hit, bool) {
	if m == nil || len(m.camps) == 0 || p == nil {
		return Hit{}, false
	}
	s := Sign(p)
	return m.MatchSignature(&s)
}

// MatchSignature is Match on a computed signature.
func (m *Matcher) MatchSignature(s *Signature) (Hit, bool) {
	if m == nil || len(m.camps) == 0 {
		return Hit{}, false
	}
	// The candidates: a few for most packages, found by a scan; an
	// index once there are many (a common shape shared by many floods).
	var evs []evidence
	var index map[int32]int
	at := func(c int32) *evidence {
		if index != nil {
			if i, ok := index[c]; ok {
				return &evs[i]
			}
		} else {
			for i := range evs {
				if evs[i].c == c {
					return &evs[i]
				}
			}
		}
		evs = append(evs, evidence{c: c})
		if index == nil && len(evs) > 32 {
			index = make(map[int32]int, 2*len(evs))
			for i := range evs {
				index[evs[i].c] = i
			}
		} else if index != nil {
			index[c] = len(evs) - 1
		}
		return &evs[len(evs)-1]
	}
	for _, c := range m.members[memberKey(s.Member)] {
		at(c).member = true
	}
	for _, l := range s.links {
		if evidenceURL(l.URL) {
			for _, c := range m.urls[l.URL] {
				at(c).url = l.URL
			}
		}
		if evidenceDomain(l) && matchDomain(l.Domain) {
			for _, c := range m.domains[l.Domain] {
				at(c).domain = l.Domain
			}
		}
	}
	for _, a := range s.authors {
		for _, c := range m.authors[a] {
			at(c).author = a
		}
	}
	if s.shape != "" {
		for _, c := range m.shapes[s.shape] {
			at(c).shape = true
		}
	}
	text := s.shingles >= DefaultOptions().MinShingles
	if text {
		for band := range Bands {
			for _, c := range m.bands[bandKey(&s.minhash, band)] {
				at(c).band = true
			}
		}
	}
	var best Hit
	found := false
	for i := range evs {
		h, ok := m.judge(s, &evs[i], text)
		if !ok {
			continue
		}
		if !found || cmp.Or(cmp.Compare(h.Confidence, best.Confidence), cmp.Compare(h.Size, best.Size), cmp.Compare(best.ID, h.ID)) > 0 {
			best, found = h, true
		}
	}
	return best, found
}

// judge applies the matching rules to a package's evidence against one
// campaign.
func (m *Matcher) judge(s *Signature, ev *evidence, text bool) (Hit, bool) {
	k := &m.camps[ev.c]
	opts := DefaultOptions()
	link := ev.url != "" || ev.domain != ""
	auth := ev.author != ""
	lure := k.lure && lureScore(s.lure) >= lureThreshold
	// The cheap evidence first: a candidate met only through its name
	// shape (most honest names of two short words are) costs no template
	// or text comparison.
	tmpl := ""
	if link || auth || ev.band {
		for i, pt := range k.patterns {
			if templateFits(pt, s.template) {
				tmpl = k.patternStr[i]
				break
			}
		}
	}
	sim := 0.0
	if text && (ev.band || link || auth) && (tmpl != "" || link || auth || lure) {
		for i := range k.exemplars {
			sim = max(sim, similarity(&s.minhash, &k.exemplars[i]))
		}
	}
	var shapeSignals []string
	if ev.shape && k.flood {
		if auth {
			shapeSignals = append(shapeSignals, "one of its accounts")
		}
		if d := fold32(s.desc); d != 0 && k.descs[d] {
			shapeSignals = append(shapeSignals, "identical description")
		}
		// A manifest without dependencies ("npm init"'s test script) is
		// shared by countless honest packages.
		if mf := fold32(s.manifest); mf != 0 && s.deps > 0 && k.manifests[mf] {
			shapeSignals = append(shapeSignals, "identical manifest")
		}
		if s.published != 0 && k.last != 0 && s.published >= k.first-publishSlack && s.published <= k.last+publishSlack {
			shapeSignals = append(shapeSignals, "published within 24 hours of its members")
		}
	}
	ok := ev.member ||
		tmpl != "" && link ||
		(auth || lure) && link ||
		sim >= opts.NearDuplicate && (tmpl != "" || link || auth || lure) ||
		sim >= opts.Related && (tmpl != "" || link) ||
		tmpl != "" && auth && k.generated && generatedTemplate(s.template) ||
		len(shapeSignals) >= 2
	if !ok {
		return Hit{}, false
	}
	h := Hit{ID: k.id, Size: k.size, Confidence: k.conf, Indicators: k.ind}
	if ev.member {
		h.Matched = append(h.Matched, "known member")
	}
	if tmpl != "" {
		h.Matched = append(h.Matched, "name template "+tmpl)
	}
	if sim >= opts.Related {
		h.Matched = append(h.Matched, fmt.Sprintf("similar text (similarity %.2f)", sim))
	}
	if ev.url != "" {
		h.Matched = append(h.Matched, "shared link "+ev.url)
	}
	if ev.domain != "" {
		h.Matched = append(h.Matched, "shared domain "+ev.domain)
	}
	if auth {
		h.Matched = append(h.Matched, "shared author "+ev.author)
	}
	if lure {
		h.Matched = append(h.Matched, "lure text")
	}
	if len(shapeSignals) >= 2 {
		h.Matched = append(h.Matched, fmt.Sprintf("name shape %s with %s", s.shape, strings.Join(shapeSignals, ", ")))
	}
	return h, true
}

// templateFits reports whether the name template t fits the campaign
// template pt: the same length, at most maxVary positions differing
// (PlaceWord positions of pt count as differing) and at least one literal
// token in common (as Builder.templatesSimilar).
func templateFits(pt, t []string) bool {
	n := len(t)
	if n < 2 || n != len(pt) {
		return false
	}
	diff, lit := 0, 0
	for i := range t {
		switch {
		case pt[i] == PlaceWord || pt[i] != t[i]:
			if diff++; diff > maxVary(n) {
				return false
			}
		case !isPlaceholder(t[i]):
			lit++
		}
	}
	return lit > 0
}

// generatedTemplate reports a template with a year or random token.
func generatedTemplate(t []string) bool {
	return slices.Contains(t, PlaceYear) || slices.Contains(t, PlaceRand)
}
