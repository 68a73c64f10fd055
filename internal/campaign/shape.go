package campaign

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Name shapes: campaigns without lure text.
//
// Token-farming floods (<words>-<2–3 random characters>) and worm waves
// (<given-name>-<food><digits>-<word>) carry no lure and no link; each
// member alone is a harmless-looking name. What gives them away is the
// family: many names of one shape whose variable parts are random
// (nearly every member has its own suffix or number), with no fixed word
// (no namespace, no common prefix), published by the same accounts, in one
// burst, with identical descriptions or manifests.
//
// Each name gets a shape: per token (split at every character that is not
// a letter or digit) a class — a letters-only word, a word with digits
// glued ("pizza42"), digits, or mixed — and the raw tokens are kept (as
// ids) for the family statistics. Two records of one shape are linked when
// they share an author, an identical description of at least
// minDescWords words, or an identical manifest (script names and
// dependency names). A cluster is a shape campaign (shapeEvidence) when it
// has Options.MinShapeSize members, most of one shape, no token shared by
// half the members at any position, a position whose tokens are random
// (short or with digits, and distinct for most members), and at least two
// of these shared signals: an author of half the members, half the dated
// members within 24 hours, an identical description or an identical
// manifest of half the members. Honest families of one organization
// (@types/*, @babel/plugin-*, eslint-config-*, aws-sdk-*) share a scope or
// a prefix and are never shape campaigns.

// Shape token classes.
const (
	shapeWord  = 'a' // letters only
	shapeGlued = 'n' // letters then digits ("pizza42")
	shapeNum   = 'd' // digits only
	shapeMixed = 'r' // any other mix ("x7k", "4ever2")
)

const (
	maxShapeTokens = 6
	minDescWords   = 3
	shortToken     = 3 // letters-only tokens of at most this length are short
)

// nameShape returns the shape key of a name ("a-a-n") and its raw
// lower-case tokens (hashed: only their equality is used). Scoped names (@scope/name) have no shape: a scope is
// a namespace, the mark of an organization's family. Names of one token
// or more than maxShapeTokens tokens have none either.
func nameShape(name string) (string, []uint32) {
	if strings.HasPrefix(name, "@") {
		return "", nil
	}
	toks := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(toks) < 2 || len(toks) > maxShapeTokens {
		return "", nil
	}
	// Only a name with a token that could be random (short, or with
	// digits) can belong to a flood: the others get no shape, which keeps
	// their signatures and buckets small.
	candidate := false
	for _, t := range toks {
		if len(t) <= shortToken || tokenClass(t) != shapeWord {
			candidate = true
			break
		}
	}
	if !candidate {
		return "", nil
	}
	var b strings.Builder
	raw := make([]uint32, len(toks))
	for i, t := range toks {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteByte(tokenClass(t))
		raw[i] = uint32(hashString('w', t))
		if len(t) <= shortToken {
			raw[i] |= shortBit
		} else {
			raw[i] &^= shortBit
		}
	}
	return b.String(), raw
}

// shortBit marks the hash of a short token (at most shortToken
// characters) in a raw token.
const shortBit = 1 << 31

func tokenClass(t string) byte {
	letters, digits, transitions := 0, 0, 0
	last := false
	for i, r := range t {
		d := unicode.IsDigit(r)
		if d {
			digits++
		} else {
			letters++
		}
		if i > 0 && d != last {
			transitions++
		}
		last = d
	}
	switch {
	case digits == 0:
		return shapeWord
	case letters == 0:
		return shapeNum
	case transitions == 1 && last && letters >= 3:
		return shapeGlued
	}
	return shapeMixed
}

// randomPosition reports whether the tokens at one position of a shape
// family look generated: glued digits, digits or mixed tokens, or short
// letters-only tokens, distinct for at least half the members (or for
// 200 of them: a two-letter suffix has only 676 values).
func randomPosition(class byte, toks []uint32) bool {
	if len(toks) == 0 {
		return false
	}
	if class == shapeWord {
		short := 0
		for _, t := range toks {
			if t&shortBit != 0 {
				short++
			}
		}
		if short*5 < len(toks)*4 {
			return false
		}
	}
	distinct := map[uint32]struct{}{}
	for _, t := range toks {
		distinct[t] = struct{}{}
	}
	return len(distinct)*2 >= len(toks) || len(distinct) >= 200
}

// shapeStats is what describe learns of a cluster's name shapes.
type shapeStats struct {
	shapes  []string // the flood shapes, most members first
	flood   map[uint32]bool
	share   float64  // members with a flood shape
	signals []string // the shared signals found
	ok      bool     // a shape campaign
}

// floodShape reports whether the members ids (all of one shape) form a
// flood: no fixed token at any position, and a position of random
// tokens.
func (b *Builder) floodShape(shape string, ids []uint32) bool {
	k := (len(shape) + 1) / 2
	pos := make([][]uint32, k)
	for _, id := range ids {
		off := b.recs[id].rawOff
		for i, t := range b.raw[off : off+uint32(k)] {
			pos[i] = append(pos[i], t)
		}
	}
	random := false
	for i, toks := range pos {
		// A fixed word is a namespace or a prefix: an organization's
		// family (eslint-config-*, aws-sdk-*), not a flood.
		if topShare(toks)*2 >= len(toks) {
			return false
		}
		if randomPosition(shape[2*i], toks) {
			random = true
		}
	}
	return random
}

// shapeEvidence judges the cluster ids as a shape campaign: each shape of
// at least MinShapeSize members is judged as a flood on its own; the
// cluster is a campaign when half its members have a flood shape and
// they share two signals.
func (b *Builder) shapeEvidence(ids []uint32) shapeStats {
	var st shapeStats
	n := len(ids)
	if n < b.opts.MinShapeSize {
		return st
	}
	groups := map[uint32][]uint32{}
	for _, id := range ids {
		if s := b.recs[id].shape; s != 0 {
			groups[s] = append(groups[s], id)
		}
	}
	type group struct {
		shape uint32
		ids   []uint32
	}
	var floods []group
	var members []uint32
	for s, g := range groups {
		if len(g) >= b.opts.MinShapeSize && b.floodShape(b.shapes.strs[s], g) {
			floods = append(floods, group{s, g})
			members = append(members, g...)
		}
	}
	if len(members)*2 < n {
		return st
	}
	slices.SortFunc(floods, func(x, y group) int {
		if len(x.ids) != len(y.ids) {
			return len(y.ids) - len(x.ids)
		}
		return strings.Compare(b.shapes.strs[x.shape], b.shapes.strs[y.shape])
	})
	st.flood = map[uint32]bool{}
	for _, f := range floods {
		st.flood[f.shape] = true
		if len(st.shapes) < topN {
			st.shapes = append(st.shapes, b.shapes.strs[f.shape])
		}
	}
	st.share = round2(float64(len(members)) / float64(n))
	m := len(members)
	authors := map[uint32]int{}
	var times []int64
	descs := make([]uint32, 0, m)
	mans := make([]uint32, 0, m)
	for _, id := range members {
		r := &b.recs[id]
		for _, a := range r.authors {
			authors[a]++
		}
		if r.published != 0 {
			times = append(times, r.published)
		}
		if r.desc != 0 {
			descs = append(descs, r.desc)
		}
		if r.manifest != 0 {
			mans = append(mans, r.manifest)
		}
	}
	// The accounts: the fewest authors covering half the members (a worm
	// publishes from many accounts, each a few packages).
	counts := make([]int, 0, len(authors))
	for _, c := range authors {
		counts = append(counts, c)
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	covered, used := 0, 0
	for _, c := range counts {
		if covered*2 >= m {
			break
		}
		covered += c
		used++
	}
	if covered*2 >= m && used*4 <= m {
		st.signals = append(st.signals, "few accounts")
	}
	slices.Sort(times)
	if len(times)*2 >= m && dayPeak(times)*2 >= len(times) {
		st.signals = append(st.signals, "published within 24 hours")
	}
	if topShareU(descs)*2 >= m {
		st.signals = append(st.signals, "identical description")
	}
	if topShareU(mans)*2 >= m {
		st.signals = append(st.signals, "identical manifest")
	}
	st.ok = len(st.signals) >= 2
	return st
}

// dayPeak is the most sorted times within 24 hours.
func dayPeak(times []int64) int {
	peak, lo := 0, 0
	for hi := range times {
		for times[hi]-times[lo] >= 24*3600 {
			lo++
		}
		peak = max(peak, hi-lo+1)
	}
	return peak
}

func topShare(xs []uint32) int {
	c := map[uint32]int{}
	best := 0
	for _, x := range xs {
		c[x]++
		best = max(best, c[x])
	}
	return best
}

func topShareU(xs []uint32) int {
	c := map[uint32]int{}
	best := 0
	for _, x := range xs {
		c[x]++
		best = max(best, c[x])
	}
	return best
}

// descHash hashes a description of at least minDescWords words, lower
// case with white space folded; 0 for shorter ones.
func descHash(s string) uint64 {
	f := strings.Fields(strings.ToLower(s))
	if len(f) < minDescWords {
		return 0
	}
	return hashString('t', strings.Join(f, " ")) | 1
}

// manifestHash hashes the script names and dependency names of a record;
// 0 when it has none.
func manifestHash(scripts map[string]string, deps []string) uint64 {
	if len(scripts) == 0 && len(deps) == 0 {
		return 0
	}
	keys := make([]string, 0, len(scripts)+len(deps)+1)
	for k, v := range scripts {
		keys = append(keys, "s:"+k+"="+v)
	}
	sort.Strings(keys)
	d := slices.Clone(deps)
	sort.Strings(d)
	keys = append(keys, "|")
	keys = append(keys, d...)
	return hashString('m', strings.Join(keys, "\n")) | 1
}

// fold32 folds a 64-bit hash to a non-zero 32-bit one (0 stays 0).
func fold32(h uint64) uint32 {
	if h == 0 {
		return 0
	}
	return uint32(h>>32^h) | 1
}

// shapeConfidence is the weight of shape evidence in confidence.
func shapeConfidence(share float64, signals int) float64 {
	return math.Min(0.8, 0.35+0.15*float64(signals)) * share
}
