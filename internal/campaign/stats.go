package campaign

import (
	"math"
	"slices"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// clusterStats is what describe learns of a cluster.
type clusterStats struct {
	ids       []uint32
	lureLike  []bool
	templated int
	spamLink  []bool
	urls      map[uint32]*linkStat
	domains   map[uint32]*linkStat
	authors   map[uint32]int
	lureTerms [64]int
	patterns  []pattern
	textSim   float64
	burst     *Burst
	ecos      map[ecosystem.Ecosystem]int
	lure      int
	links     int
	shape     shapeStats
}

type linkStat struct {
	n       int
	query   uint32
	varies  bool
	lastRec uint32
}

// pattern is a group of similar name templates: base tokens, the
// positions that vary, and how many members follow it.
type pattern struct {
	base  []uint32
	vary  []bool
	count int
}

const maxPatterns = 32

// describe computes the shared indicators of the records ids.
func (b *Builder) describe(ids []uint32) *clusterStats {
	st := &clusterStats{
		ids:      ids,
		lureLike: make([]bool, len(ids)),
		spamLink: make([]bool, len(ids)),
		urls:     map[uint32]*linkStat{},
		domains:  map[uint32]*linkStat{},
		authors:  map[uint32]int{},
		ecos:     map[ecosystem.Ecosystem]int{},
	}
	count := func(m map[uint32]*linkStat, k, q, id uint32) {
		s := m[k]
		if s == nil {
			s = &linkStat{query: q, lastRec: math.MaxUint32}
			m[k] = s
		}
		if s.lastRec == id {
			return
		}
		s.lastRec = id
		s.n++
		if q != s.query {
			s.varies = true
		}
	}
	var times []int64
	for _, id := range ids {
		r := &b.recs[id]
		st.ecos[r.member.Ecosystem]++
		for _, l := range r.links {
			count(st.urls, l.url, l.query, id)
			count(st.domains, l.domain, l.query, id)
		}
		for _, a := range r.authors {
			st.authors[a]++
		}
		if b.generated(r.tmpl) {
			st.templated++
		}
		for t := range lureTerms {
			if r.lure&(1<<t) != 0 {
				st.lureTerms[t]++
			}
		}
		if r.published != 0 {
			times = append(times, r.published)
		}
	}
	for k, id := range ids {
		r := &b.recs[id]
		st.lureLike[k] = b.lureLike(r)
		if st.lureLike[k] {
			st.lure++
		}
		for _, l := range r.links {
			if b.domFlags[l.domain]&domShortener != 0 || l.query != 0 && st.urls[l.url].varies {
				st.spamLink[k] = true
			}
		}
		if st.spamLink[k] {
			st.links++
		}
	}
	st.patterns = b.patterns(ids)
	// Mean similarity of consecutive members' texts (a sample of 1000).
	var sum float64
	n := 0
	prev := int32(-1)
	for _, id := range ids {
		mh := b.recs[id].mh
		if mh < 0 {
			continue
		}
		if prev >= 0 {
			sum += similarity(&b.minhash[prev], &b.minhash[mh])
			if n++; n >= 1000 {
				break
			}
		}
		prev = mh
	}
	if n > 0 {
		st.textSim = math.Round(sum/float64(n)*100) / 100
	}
	if len(times) >= 2 {
		slices.Sort(times)
		bu := &Burst{First: time.Unix(times[0], 0).UTC(), Last: time.Unix(times[len(times)-1], 0).UTC(), Dated: len(times)}
		secs := float64(times[len(times)-1] - times[0])
		bu.Hours = round2(secs / 3600)
		bu.PerHour = math.Round(float64(len(times))/(max(secs, 60)/3600)*10) / 10
		lo := 0
		for hi := range times {
			for times[hi]-times[lo] >= 3600 {
				lo++
			}
			bu.PeakHour = max(bu.PeakHour, hi-lo+1)
		}
		st.burst = bu
	}
	st.shape = b.shapeEvidence(ids)
	return st
}

// patterns groups the name templates of ids greedily: a template joins
// the first pattern of its length it is similar to (see
// templatesSimilar) if the pattern then has at most maxVary variable
// positions; the positions where it differs become variable.
func (b *Builder) patterns(ids []uint32) []pattern {
	var ps []pattern
	for _, id := range ids {
		t := b.recs[id].tmpl
		if len(t) < 2 {
			continue
		}
		found := false
		for k := range ps {
			p := &ps[k]
			if len(p.base) != len(t) || !b.templatesSimilar(p.base, t) {
				continue
			}
			// At most maxVary variable positions in all.
			vary := 0
			for i := range t {
				if t[i] != p.base[i] || p.vary[i] {
					vary++
				}
			}
			if vary > maxVary(len(t)) {
				continue
			}
			for i := range t {
				if t[i] != p.base[i] {
					p.vary[i] = true
				}
			}
			p.count++
			found = true
			break
		}
		if !found && len(ps) < maxPatterns {
			ps = append(ps, pattern{base: t, vary: make([]bool, len(t)), count: 1})
		}
	}
	slices.SortStableFunc(ps, func(a, c pattern) int { return c.count - a.count })
	return ps
}

func (b *Builder) patternString(p pattern) string {
	toks := make([]string, len(p.base))
	for i, t := range p.base {
		if p.vary[i] {
			toks[i] = PlaceWord
		} else {
			toks[i] = b.tokens.strs[t]
		}
	}
	return FormatTemplate(toks)
}

// isCampaign: large enough, and lure-like, or spam links with generated
// names.
func (b *Builder) isCampaign(st *clusterStats) bool {
	n := float64(len(st.ids))
	if len(st.ids) < b.opts.MinSize {
		return false
	}
	if float64(st.lure)/n >= b.opts.MinLureShare || st.shape.ok {
		return true
	}
	return float64(st.links)/n >= b.opts.MinSpamShare && float64(st.templated)/n >= b.opts.MinSpamShare
}

// prune keeps the members that carry the campaign's evidence themselves:
// a lure-like name or text, or a link, evidence domain, author or name
// pattern that at least a tenth of the members share. A record that only
// chained in through a neighbour is dropped.
func (b *Builder) prune(st *clusterStats) []uint32 {
	thr := max(2, int(math.Ceil(0.1*float64(len(st.ids)))))
	var domPat []pattern
	for _, p := range st.patterns {
		if p.count >= thr {
			domPat = append(domPat, p)
		}
	}
	kept := make([]uint32, 0, len(st.ids))
	for k, id := range st.ids {
		r := &b.recs[id]
		keep := st.lureLike[k] || st.shape.ok && st.shape.flood[r.shape]
		for _, l := range r.links {
			if st.urls[l.url].n >= thr || b.domFlags[l.domain]&domEvidence != 0 && st.domains[l.domain].n >= thr {
				keep = true
			}
		}
		for _, a := range r.authors {
			if st.authors[a] >= thr {
				keep = true
			}
		}
		for _, p := range domPat {
			if len(p.base) != len(r.tmpl) {
				continue
			}
			match := true
			for i := range r.tmpl {
				if !p.vary[i] && r.tmpl[i] != p.base[i] {
					match = false
					break
				}
			}
			if match {
				keep = true
				break
			}
		}
		if keep {
			kept = append(kept, id)
		}
	}
	return kept
}
