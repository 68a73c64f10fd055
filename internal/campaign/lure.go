package campaign

import "strings"

// lureTerm is a word or two-word phrase of the lures used by spam
// campaigns in package registries: free game currency and gift cards,
// generators, hacks and cheats, "no human verification", pirated films
// and e-books.
type lureTerm struct {
	text   string
	weight int
}

// lureTerms is the lexicon; a term's index is its bit in a record's lure
// mask (at most 64 terms). Weight 2 terms almost never occur in honest
// package texts; weight 1 terms do, alone.
var lureTerms = []lureTerm{
	{"robux", 2}, {"vbucks", 2}, {"v bucks", 2}, {"gift card", 2}, {"giftcard", 2},
	{"gift cards", 2}, {"human verification", 2}, {"no verification", 2},
	{"no survey", 2}, {"without survey", 2}, {"free spins", 2}, {"coin master", 2},
	{"primogems", 2}, {"cod points", 2}, {"mod apk", 2}, {"keygen", 2},
	{"cheat", 2}, {"cheats", 2}, {"hack", 2}, {"hacks", 2}, {"hacked", 2},
	{"free followers", 2}, {"free likes", 2}, {"free diamonds", 2}, {"free gems", 2},
	{"free coins", 2}, {"free money", 2}, {"paypal money", 2}, {"cash app", 2},
	{"cashapp", 2}, {"discord nitro", 2}, {"free nitro", 2}, {"psn codes", 2},
	{"free fire", 2}, {"generator", 1}, {"free", 1}, {"unlimited", 1}, {"coins", 1},
	{"gems", 1}, {"diamonds", 1}, {"spins", 1}, {"followers", 1}, {"claim", 1},
	{"redeem", 1}, {"apk", 1}, {"crack", 1}, {"cracked", 1}, {"glitch", 1},
	{"legit", 1}, {"instantly", 1}, {"codes", 1}, {"survey", 1}, {"verification", 1},
	{"giveaway", 1}, {"working", 1},
	// Film and e-book piracy SEO.
	{"full movie", 2}, {"fullmovie", 2}, {"123movies", 2}, {"movie online", 2},
	{"watch online", 1}, {"read online", 1}, {"free download", 1}, {"epub", 1},
}

// lureThreshold is the lure score from which a record counts as lure-like.
const lureThreshold = 3

// lureIndex maps the hash of a term (for a phrase, the pair hash of its
// two words) to its index in lureTerms.
var lureIndex = func() map[uint64]uint8 {
	if len(lureTerms) > 64 {
		panic("campaign: more than 64 lure terms")
	}
	m := make(map[uint64]uint8, len(lureTerms))
	for i, t := range lureTerms {
		if a, b, ok := strings.Cut(t.text, " "); ok {
			m[pairHash(wordHash(a), wordHash(b))] = uint8(i)
		} else {
			m[wordHash(t.text)] = uint8(i)
		}
	}
	return m
}()

// lureScan accumulates the lure terms of a word stream.
type lureScan struct {
	mask uint64
	prev uint64 // hash of the previous word, 0 at a break
}

func (l *lureScan) word(h uint64) {
	if i, ok := lureIndex[h]; ok {
		l.mask |= 1 << i
	}
	if l.prev != 0 {
		if i, ok := lureIndex[pairHash(l.prev, h)]; ok {
			l.mask |= 1 << i
		}
	}
	l.prev = h
}

func (l *lureScan) brk() { l.prev = 0 }

// lureScore sums the weights of the terms in mask.
func lureScore(mask uint64) int {
	s := 0
	for i := range lureTerms {
		if mask&(1<<i) != 0 {
			s += lureTerms[i].weight
		}
	}
	return s
}
