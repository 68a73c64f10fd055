package campaign

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/record"
)

// Options tune clustering. Start from DefaultOptions.
type Options struct {
	// MinSize is the fewest members a campaign has.
	MinSize int
	// NearDuplicate is the estimated Jaccard similarity of word shingles
	// from which two texts are near-duplicates: enough on its own to link
	// two records.
	NearDuplicate float64
	// Related is the lower similarity that links two records that also
	// share a link, a registrable domain, an author or a name template.
	Related float64
	// MinShingles is the fewest word shingles a text needs to be compared
	// at all (shorter texts are too generic: "A React component").
	MinShingles int
	// Window is how many earlier members of a bucket each member is
	// checked against, and Compares how many of those are actually
	// compared (members already in the same cluster are skipped): they
	// bound the work on huge buckets (a shared license URL, a template
	// such as "@types/<word>") to linear.
	Window, Compares int
	// MinLureShare is the share of members with lure text or names from
	// which a cluster is a campaign; MinSpamShare the share of members
	// with spam links (shorteners, per-package tracking parameters) and,
	// separately, with generated names (years, random suffixes) from which
	// it is one without lures.
	MinLureShare, MinSpamShare float64
	// MinShapeSize is the fewest members of a campaign revealed by its
	// name shape and shared signals alone (no lure, no spam link): see
	// shape.go.
	MinShapeSize int
}

// DefaultOptions returns the options pkgward uses.
func DefaultOptions() Options {
	return Options{
		MinSize:       5,
		NearDuplicate: 0.55,
		Related:       0.25,
		MinShingles:   6,
		Window:        32,
		Compares:      8,
		MinLureShare:  0.5,
		MinSpamShare:  0.5,
		MinShapeSize:  8,
	}
}

// RuleMember is the rule id of the finding on each member of a campaign.
const RuleMember = "campaign-member"

// Rules is the rule catalog of campaign clustering.
func Rules() []record.Rule {
	return []record.Rule{{
		ID:       RuleMember,
		Severity: record.High,
		Title:    "Package is one of a campaign of generated packages",
		Description: "The package belongs to a cluster of packages that share generated names, near-duplicate " +
			"lure texts, links or publishers and was published as part of a series: the signature of automated " +
			"spam and phishing campaigns in registries.",
	}}
}

// Count is a value and how many members have it.
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// LinkCount is a shared link or domain.
type LinkCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	// Shortener: a URL-shortener service, which hides the destination.
	Shortener bool `json:"shortener,omitempty"`
	// TrackingParams: members link to it with differing query strings
	// (per-package tracking parameters).
	TrackingParams bool `json:"tracking_params,omitempty"`
}

// Burst describes the publication times of the members that have one.
type Burst struct {
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	Dated    int       `json:"dated"`     // members with a publication time
	Hours    float64   `json:"hours"`     // from first to last
	PerHour  float64   `json:"per_hour"`  // dated members per hour (the span counts as at least one minute)
	PeakHour int       `json:"peak_hour"` // most members published within one hour
}

// Indicators are what a campaign's members share.
type Indicators struct {
	NameTemplates  []Count     `json:"name_templates,omitempty"`
	URLs           []LinkCount `json:"urls,omitempty"`
	Domains        []LinkCount `json:"domains,omitempty"`
	Authors        []Count     `json:"authors,omitempty"`
	TextSimilarity float64     `json:"text_similarity"` // mean estimated Jaccard similarity of member texts
	LureTerms      []Count     `json:"lure_terms,omitempty"`
	LureShare      float64     `json:"lure_share"`      // members whose name and text score as lures
	TemplatedShare float64     `json:"templated_share"` // members whose name has a year or random suffix
	LinkShare      float64     `json:"link_share"`      // members linking through a shortener or with tracking parameters
	Burst          *Burst      `json:"burst,omitempty"`
	Ecosystems     []Count     `json:"ecosystems"`
	// NameShape is set for a campaign revealed by its name shape: the
	// shape of most members' names ("a-n-a": word, word with digits,
	// word), the share of members with it and the signals they share.
	NameShape    string   `json:"name_shape,omitempty"`
	ShapeShare   float64  `json:"shape_share,omitempty"`
	ShapeSignals []string `json:"shape_signals,omitempty"`
}

// Campaign is a cluster of package records judged to be one campaign.
type Campaign struct {
	// ID is "cmp-" and 16 hex digits of the SHA-256 of the sorted member
	// keys: the same members give the same id in every run.
	ID         string     `json:"id"`
	Size       int        `json:"size"`
	Confidence float64    `json:"confidence"`
	Indicators Indicators `json:"indicators"`
	Members    []Member   `json:"members"` // sorted by ecosystem, name, version
}

// Result is the outcome of clustering.
type Result struct {
	Records    int // distinct records clustered
	Duplicates int // records ignored because their ecosystem/name@version came before
	// Campaigns are the clusters with lure or spam evidence, largest first.
	Campaigns []Campaign
	// Families are clusters of at least MinSize members linked as strongly
	// but without lure or spam evidence: monorepos, one author's series,
	// generated SDKs. They are not campaigns; they are kept for inspection.
	Families []Campaign
	// Comparisons and Links count the candidate pairs compared and
	// accepted.
	Comparisons, Links int
}

// Members counts the members of all campaigns.
func (r *Result) Members() int {
	n := 0
	for _, c := range r.Campaigns {
		n += c.Size
	}
	return n
}

// interner maps strings to dense ids.
type interner struct {
	ids  map[string]uint32
	strs []string
}

func (in *interner) id(s string) uint32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	if in.ids == nil {
		in.ids = map[string]uint32{}
	}
	id := uint32(len(in.strs))
	in.ids[s] = id
	in.strs = append(in.strs, s)
	return id
}

// linkRef is a link of a record: interned URL and domain, and a hash of
// its query (0 when none).
type linkRef struct{ url, domain, query uint32 }

// rec is what the builder keeps of one record.
type rec struct {
	member    Member
	tmpl      []uint32
	links     []linkRef
	authors   []uint32
	published int64
	lure      uint64
	mh        int32  // index into Builder.minhash; -1 when the text is too short
	shape     uint32 // interned name shape; 0 for none
	rawOff    uint32 // the hashed raw name tokens (with a shape) start at Builder.raw[rawOff]
	desc      uint32 // hash of the description (see descHash), 0 for none
	manifest  uint32
}

// Domain flags.
const (
	domShortener = 1 << iota
	domEvidence  // neither a code host nor a shortener: sharing it is evidence
)

// Token kinds.
const (
	tokLiteral = iota
	tokYear
	tokNum
	tokRand
)

type posting struct {
	key uint64
	id  uint32
}

// Builder accumulates signatures, then clusters them. Memory is a few
// hundred bytes per record (a MinHash, interned name tokens, links and
// authors, bucket postings); no text is kept. A Builder is not safe for
// concurrent use; compute signatures concurrently with Sign and add them
// in order with AddSignature.
type Builder struct {
	opts     Options
	recs     []rec
	seen     map[string]struct{}
	dups     int
	tokens   interner
	tokKind  []uint8
	urls     interner
	domains  interner
	domFlags []uint8
	authors  interner
	shapes   interner // id 0 is "" (no shape)
	raw      []uint32 // hashed raw name tokens of all records with a shape
	minhash  [][NumHashes]uint32
	post     []posting
}

// NewBuilder returns an empty builder.
func NewBuilder(opts Options) *Builder {
	b := &Builder{opts: opts, seen: map[string]struct{}{}}
	b.shapes.id("")
	return b
}

// Add signs and adds a record.
func (b *Builder) Add(p *record.Package) {
	s := Sign(p)
	b.AddSignature(&s)
}

// Len is the number of distinct records added.
func (b *Builder) Len() int { return len(b.recs) }

// Posting kinds.
const (
	kindBand byte = 'b' + iota
	kindTemplate
	kindWildcard
	kindURL
	kindDomain
	kindAuthor
	kindShape
)

func idKey(kind byte, id uint32) uint64 { return mix64(uint64(kind)<<56 ^ uint64(id)) }

// AddSignature adds a signed record. A record whose ecosystem, name and
// version were already added is counted as a duplicate and ignored.
func (b *Builder) AddSignature(s *Signature) {
	key := s.Member.Key()
	if _, ok := b.seen[key]; ok {
		b.dups++
		return
	}
	b.seen[key] = struct{}{}
	id := uint32(len(b.recs))
	r := rec{member: s.Member, published: s.published, lure: s.lure, mh: -1, desc: fold32(s.desc), manifest: fold32(s.manifest)}
	if s.shape != "" {
		r.shape = b.shapes.id(s.shape)
		r.rawOff = uint32(len(b.raw))
		b.raw = append(b.raw, s.raw...)
	}
	if len(s.template) > 0 {
		r.tmpl = make([]uint32, len(s.template))
		for i, t := range s.template {
			r.tmpl[i] = b.tokens.id(t)
			if int(r.tmpl[i]) == len(b.tokKind) {
				k := uint8(tokLiteral)
				switch t {
				case PlaceYear:
					k = tokYear
				case PlaceNum:
					k = tokNum
				case PlaceRand:
					k = tokRand
				}
				b.tokKind = append(b.tokKind, k)
			}
		}
	}
	if len(s.links) > 0 {
		r.links = make([]linkRef, len(s.links))
		for i, l := range s.links {
			d := b.domains.id(l.Domain)
			if int(d) == len(b.domFlags) {
				var f uint8
				if IsShortener(l.Host) {
					f |= domShortener
				} else if !isCodeHost(l.Domain) && !isCodeHost(l.Host) {
					f |= domEvidence
				}
				b.domFlags = append(b.domFlags, f)
			} else if IsShortener(l.Host) {
				b.domFlags[d] |= domShortener
				b.domFlags[d] &^= domEvidence
			}
			var q uint32
			if l.Query != "" {
				q = uint32(hashString('q', l.Query)) | 1
			}
			r.links[i] = linkRef{url: b.urls.id(l.URL), domain: d, query: q}
		}
	}
	for _, a := range s.authors {
		r.authors = append(r.authors, b.authors.id(a))
	}
	if s.shingles >= b.opts.MinShingles {
		r.mh = int32(len(b.minhash))
		b.minhash = append(b.minhash, s.minhash)
		for band := 0; band < Bands; band++ {
			h := uint64(kindBand)<<56 ^ uint64(band)
			for _, v := range s.minhash[band*Rows : (band+1)*Rows] {
				h = pairHash(h, uint64(v))
			}
			b.post = append(b.post, posting{h, id})
		}
	}
	if n := len(r.tmpl); n >= 2 && b.literals(r.tmpl, -1) > 0 {
		h := uint64(kindTemplate)<<56 ^ uint64(n)
		for _, t := range r.tmpl {
			h = pairHash(h, uint64(t))
		}
		b.post = append(b.post, posting{h, id})
		for w := range r.tmpl {
			if b.literals(r.tmpl, w) == 0 {
				continue
			}
			h := uint64(kindWildcard)<<56 ^ uint64(n)<<8 ^ uint64(w)
			for i, t := range r.tmpl {
				if i != w {
					h = pairHash(h, uint64(t))
				}
			}
			b.post = append(b.post, posting{h, id})
		}
	}
	for i, l := range r.links {
		if slices.ContainsFunc(r.links[:i], func(o linkRef) bool { return o.url == l.url }) {
			continue
		}
		b.post = append(b.post, posting{idKey(kindURL, l.url), id})
		if b.domFlags[l.domain]&domEvidence != 0 && !slices.ContainsFunc(r.links[:i], func(o linkRef) bool { return o.domain == l.domain }) {
			b.post = append(b.post, posting{idKey(kindDomain, l.domain), id})
		}
	}
	for _, a := range r.authors {
		b.post = append(b.post, posting{idKey(kindAuthor, a), id})
	}
	if r.shape != 0 {
		// Records of one shape by one author meet in the author's
		// bucket; descriptions and manifests need buckets of their own.
		sh := uint64(kindShape)<<56 ^ uint64(r.shape)<<8
		if r.desc != 0 {
			b.post = append(b.post, posting{pairHash(sh^'t', uint64(r.desc)), id})
		}
		if r.manifest != 0 {
			b.post = append(b.post, posting{pairHash(sh^'m', uint64(r.manifest)), id})
		}
	}
	b.recs = append(b.recs, r)
}

// literals counts the literal tokens of t, skipping position skip.
func (b *Builder) literals(t []uint32, skip int) int {
	n := 0
	for i, x := range t {
		if i != skip && b.tokKind[x] == tokLiteral {
			n++
		}
	}
	return n
}

// templatesSimilar reports two name templates of the same length that
// differ in at most one position (two for four tokens or more) and agree
// on at least one literal token: "free-robux-generator-<year>" and
// "free-vbucks-generator-<year>".
func (b *Builder) templatesSimilar(x, y []uint32) bool {
	n := len(x)
	if n < 2 || n != len(y) {
		return false
	}
	maxDiff := maxVary(n)
	diff, lit := 0, 0
	for i := range x {
		if x[i] != y[i] {
			if diff++; diff > maxDiff {
				return false
			}
		} else if b.tokKind[x[i]] == tokLiteral {
			lit++
		}
	}
	return lit > 0
}

func (b *Builder) lureLike(r *rec) bool { return lureScore(r.lure) >= lureThreshold }

// maxVary is how many positions may differ between similar templates of
// n tokens.
func maxVary(n int) int {
	if n >= 4 {
		return 2
	}
	return 1
}

// generated reports a template with a year or random token.
func (b *Builder) generated(t []uint32) bool {
	for _, x := range t {
		if k := b.tokKind[x]; k == tokYear || k == tokRand {
			return true
		}
	}
	return false
}

// accept decides whether records i and j belong together. Evidence must
// be strong: near-duplicate texts; related texts plus a shared link,
// domain, author or name template; a shared link or domain plus a name
// template, an author, or lures on both sides; or generated names
// (years, random suffixes) of one template by one author. A shared author, a shared code-host link or a name pattern
// alone never links two records.
func (b *Builder) accept(i, j uint32) bool {
	x, y := &b.recs[i], &b.recs[j]
	sim := -1.0
	if x.mh >= 0 && y.mh >= 0 {
		sim = similarity(&b.minhash[x.mh], &b.minhash[y.mh])
		if sim >= b.opts.NearDuplicate {
			return true
		}
	}
	url, dom := false, false
	for _, l := range x.links {
		for _, m := range y.links {
			if l.url == m.url {
				url = true
			}
			if l.domain == m.domain && b.domFlags[l.domain]&domEvidence != 0 {
				dom = true
			}
		}
	}
	auth := false
	for _, a := range x.authors {
		if slices.Contains(y.authors, a) {
			auth = true
		}
	}
	tmpl := b.templatesSimilar(x.tmpl, y.tmpl)
	switch {
	case sim >= b.opts.Related && (url || dom || auth || tmpl):
		return true
	case tmpl && (url || dom):
		return true
	case (auth || b.lureLike(x) && b.lureLike(y)) && (url || dom):
		return true
	case tmpl && auth && b.generated(x.tmpl) && b.generated(y.tmpl):
		return true
	case x.shape != 0 && x.shape == y.shape && (auth || x.desc != 0 && x.desc == y.desc || x.manifest != 0 && x.manifest == y.manifest):
		// One name shape and a shared author, description or manifest:
		// a candidate shape family, a campaign only if describe finds
		// its evidence (shape.go).
		return true
	}
	return false
}

// Cluster links the records and returns the campaigns. It may be called
// once; the builder's postings are consumed.
func (b *Builder) Cluster(ctx context.Context) (*Result, error) {
	res := &Result{Records: len(b.recs), Duplicates: b.dups}
	post := radixSort(b.post)
	b.post = nil
	uf := newUnionFind(len(b.recs))
	for lo := 0; lo < len(post); {
		hi := lo + 1
		for hi < len(post) && post[hi].key == post[lo].key {
			hi++
		}
		if lo&0xfff == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for x := lo + 1; x < hi; x++ {
			i := post[x].id
			compared := 0
			for y := x - 1; y >= lo && y >= x-b.opts.Window && compared < b.opts.Compares; y-- {
				j := post[y].id
				if uf.find(i) == uf.find(j) {
					continue
				}
				compared++
				res.Comparisons++
				if b.accept(i, j) {
					uf.union(i, j)
					res.Links++
				}
			}
		}
		lo = hi
	}
	post = nil

	comps := map[uint32][]uint32{}
	for i := range b.recs {
		r := uf.find(uint32(i))
		if int(uf.size[r]) >= b.opts.MinSize {
			comps[r] = append(comps[r], uint32(i))
		}
	}
	for _, ids := range comps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st := b.describe(ids)
		if !b.isCampaign(st) {
			res.Families = append(res.Families, st.campaign(b))
			continue
		}
		if kept := b.prune(st); len(kept) < len(ids) {
			if len(kept) < b.opts.MinSize {
				continue
			}
			st = b.describe(kept)
			if !b.isCampaign(st) {
				continue
			}
		}
		res.Campaigns = append(res.Campaigns, st.campaign(b))
	}
	order := func(a, c Campaign) int {
		if a.Size != c.Size {
			return c.Size - a.Size
		}
		return cmp.Compare(a.ID, c.ID)
	}
	slices.SortFunc(res.Campaigns, order)
	slices.SortFunc(res.Families, order)
	return res, nil
}

// radixSort sorts postings by key, stably (ids stay in input order
// within a bucket), in four 16-bit passes.
func radixSort(a []posting) []posting {
	if len(a) < 2 {
		return a
	}
	tmp := make([]posting, len(a))
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for _, p := range a {
			count[(p.key>>shift)&0xffff]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, p := range a {
			d := (p.key >> shift) & 0xffff
			tmp[count[d]] = p
			count[d]++
		}
		a, tmp = tmp, a
	}
	return a
}

const topN = 5

// campaign renders the stats as a Campaign.
func (st *clusterStats) campaign(b *Builder) Campaign {
	n := len(st.ids)
	c := Campaign{Size: n, Members: make([]Member, n)}
	for k, id := range st.ids {
		c.Members[k] = b.recs[id].member
	}
	slices.SortFunc(c.Members, func(x, y Member) int {
		return cmp.Or(cmp.Compare(x.Ecosystem, y.Ecosystem), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Version, y.Version))
	})
	h := sha256.New()
	for _, m := range c.Members {
		h.Write([]byte(m.Key()))
		h.Write([]byte{'\n'})
	}
	c.ID = "cmp-" + hex.EncodeToString(h.Sum(nil))[:16]

	ind := &c.Indicators
	for _, p := range st.patterns {
		if p.count < 2 || len(ind.NameTemplates) == topN {
			break
		}
		ind.NameTemplates = append(ind.NameTemplates, Count{b.patternString(p), p.count})
	}
	ind.URLs = topLinks(st.urls, b.urls.strs, func(uint32) bool { return false }, true)
	ind.Domains = topLinks(st.domains, b.domains.strs, func(k uint32) bool { return b.domFlags[k]&domShortener != 0 }, false)
	for k, v := range st.authors {
		if v >= 2 {
			ind.Authors = append(ind.Authors, Count{b.authors.strs[k], v})
		}
	}
	ind.Authors = topCounts(ind.Authors)
	for t, v := range st.lureTerms {
		if v > 0 {
			ind.LureTerms = append(ind.LureTerms, Count{lureTerms[t].text, v})
		}
	}
	ind.LureTerms = topCounts(ind.LureTerms)
	ind.TextSimilarity = st.textSim
	ind.LureShare = round2(float64(st.lure) / float64(n))
	ind.TemplatedShare = round2(float64(st.templated) / float64(n))
	ind.LinkShare = round2(float64(st.links) / float64(n))
	ind.Burst = st.burst
	if st.shape.ok {
		ind.NameShape, ind.ShapeShare, ind.ShapeSignals = strings.Join(st.shape.shapes, ", "), st.shape.share, st.shape.signals
	}
	for e, v := range st.ecos {
		ind.Ecosystems = append(ind.Ecosystems, Count{string(e), v})
	}
	slices.SortFunc(ind.Ecosystems, func(x, y Count) int { return cmp.Or(y.Count-x.Count, cmp.Compare(x.Value, y.Value)) })
	c.Confidence = confidence(ind, n)
	return c
}

func topLinks(m map[uint32]*linkStat, strs []string, short func(uint32) bool, tracking bool) []LinkCount {
	var out []LinkCount
	for k, s := range m {
		if s.n >= 2 {
			out = append(out, LinkCount{Value: strs[k], Count: s.n, Shortener: short(k), TrackingParams: tracking && s.varies})
		}
	}
	slices.SortFunc(out, func(x, y LinkCount) int { return cmp.Or(y.Count-x.Count, cmp.Compare(x.Value, y.Value)) })
	if len(out) > topN {
		out = out[:topN]
	}
	return out
}

func topCounts(cs []Count) []Count {
	slices.SortFunc(cs, func(x, y Count) int { return cmp.Or(y.Count-x.Count, cmp.Compare(x.Value, y.Value)) })
	if len(cs) > 2*topN {
		cs = cs[:2*topN]
	}
	return cs
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// confidence combines the evidence as a noisy OR, each indicator
// weighted by its strength and the share of members showing it, then
// discounts small clusters (5 members: ×0.83; 16 or more: ×1).
func confidence(ind *Indicators, n int) float64 {
	miss := 1.0
	miss *= 1 - 0.7*ind.LureShare
	miss *= 1 - 0.5*ind.LinkShare
	miss *= 1 - 0.4*ind.TemplatedShare
	miss *= 1 - 0.4*min(1, ind.TextSimilarity/0.5)
	if len(ind.Authors) > 0 {
		miss *= 1 - 0.3*float64(ind.Authors[0].Count)/float64(n)
	}
	if bu := ind.Burst; bu != nil && bu.Dated*5 >= n*4 && bu.PeakHour >= 10 {
		miss *= 1 - 0.2
	}
	if ind.NameShape != "" {
		miss *= 1 - shapeConfidence(ind.ShapeShare, len(ind.ShapeSignals))
	}
	size := min(1, 0.6+0.1*math.Log2(float64(n)))
	return round2((1 - miss) * size)
}
