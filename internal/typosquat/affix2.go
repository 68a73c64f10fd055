package typosquat

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// Two words added: a popular name with one of the ecosystem's affix words
// and one more word ("node-mongoose-orm" for "mongoose",
// "commander-args-node" for "commander"). Two affix words are the affix
// table's ("node-mongoose-js", affixSet.stripped); a single word that is
// no affix is how honest extensions are named ("requests-toolbelt") and is
// never reported. Beside an affix word, the other word is what makes the
// name look like a part of the project; it counts unless the corpus itself
// names extensions with it (extensionWords: "loader", "plugin", "django",
// "pytest", …).

// twoWordMatches adds the matches of a candidate that is a corpus name
// with two words added, in one of the layouts squatters use: the affix
// word first and the other word last ("node-mongoose-orm"), or both words
// after the name, in either order ("mongoose-orm-js", "mongoose-js-orm").
// The others are how honest names are built: a word before the affix word
// ("acme-py-openai", "acme-mongoose-utils") is a vendor's or an author's
// prefix, and two words before the name ("py-app-config", "node-async-loop")
// a compound whose last word, the head noun, happens to be a corpus name.
//
// The name left must be exactly a corpus name (its canonical form, not
// only its letters), and neither of the two names with one of the words
// removed may be one: the candidate then belongs to that other name
// ("node-sass-loader" is node-sass's loader, "react-native-cli"
// react-native's). With both words after it, a target that opens a family
// of corpus names ("django-", "flask-", "requests-") is being extended the
// way its family is ("django-api-utils").
func (ix *Index) twoWordMatches(q *query) {
	c := q.canon
	if ix.eco == ecosystem.Go || strings.HasPrefix(c, "@") {
		// Go paths are judged by checkGo; a scope is owned by its
		// organization ("@types/node-fetch").
		return
	}
	// The first and the last two word boundaries: first-…-penult-last.
	a := strings.IndexAny(c, "-_.")
	z := strings.LastIndexAny(c, "-_.")
	if a <= 0 || z <= a || z == len(c)-1 {
		return // fewer than three words
	}
	y := strings.LastIndexAny(c[:z], "-_.")
	first, last, penult := c[:a], c[z+1:], c[y+1:z]
	w := ix.affix.words
	// The affix word first, the other word last.
	switch {
	case w[first] && w[last]:
		// The affix table's.
	case generic(w, first) && generic(w, last):
		ix.twoWords(q, c[a+1:z], first+"+"+last, "", first, last, c[a+1:], c[:z], false)
	case w[first]:
		ix.twoWords(q, c[a+1:z], first, last, first, last, c[a+1:], c[:z], false)
	}
	// Both words after the name.
	switch {
	case w[penult] && w[last]:
	case generic(w, penult) && generic(w, last):
		ix.twoWords(q, c[:y], penult+"+"+last, "", penult, last, c[:z], c[:y]+c[z:], true)
	case w[penult]:
		ix.twoWords(q, c[:y], penult, last, penult, last, c[:z], c[:y]+c[z:], true)
	case w[last]:
		ix.twoWords(q, c[:y], last, penult, penult, last, c[:z], c[:y]+c[z:], true)
	}
}

// generic reports an affix word or one of the extra generic words
// (extraAffixes: "http"), which the affix table does not strip.
func generic(affix map[string]bool, s string) bool {
	return affix[s] || slices.Contains(extraAffixes, s)
}

// twoWords adds the match of rest, a corpus name, with the affix word aff
// and the word other added (w1 and w2 in the order of the name; one1 and
// one2 the names with only one of them removed).
func (ix *Index) twoWords(q *query, rest, aff, other, w1, w2, one1, one2 string, after bool) {
	if len(rest) < 3 || other != "" && (len(other) < 2 || !hasLetter(other)) {
		return
	}
	id, ok := ix.lookup(rest)
	if !ok {
		return
	}
	if _, ok := ix.lookup(one1); ok {
		return
	}
	if _, ok := ix.lookup(one2); ok {
		return
	}
	if after && q.x.families(ix)[rest] >= familyMin {
		return
	}
	if other != "" {
		if q.x.extensionWords(ix)[other] >= extensionMin {
			return
		}
		aff += "+" + other
	}
	q.add(match{id: id, tech: TechAffix, affix: aff, twoWords: true, phrase: fmt.Sprintf("the words %q and %q added", w1, w2)})
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// extensionMin: a word that names this many extensions of corpus names in
// the corpus itself is a family word ("-loader", "-plugin", "django-").
const extensionMin = 3

// extensionWords counts, per word, the corpus names that are another
// corpus name with that word added at either end ("sass-loader" for
// "sass", "django-redis" for "redis"): the words the ecosystem names
// honest extensions and plugins with. Built from the index's targets on
// first use, once per index.
func (x *extra) extensionWords(ix *Index) map[string]int32 {
	x.extensionOnce.Do(func() {
		m := map[string]int32{}
		for i := range ix.targets {
			c := ix.targets[i].canon
			if strings.HasPrefix(c, "@") {
				continue
			}
			if j := strings.IndexAny(c, "-_."); j > 0 && j < len(c)-1 {
				if _, ok := ix.lookup(c[j+1:]); ok {
					m[c[:j]]++
				}
			}
			if j := strings.LastIndexAny(c, "-_."); j > 0 && j < len(c)-1 {
				if _, ok := ix.lookup(c[:j]); ok {
					m[c[j+1:]]++
				}
			}
		}
		x.extension = m
	})
	return x.extension
}

// gradeTwoWords grades a two-word match (twoWordMatches) below a one-word
// affix: it warns when popularity points + the affix word's points +
// length points reach affixScore+1, the target ranked 1–WeakRank.
func (ix *Index) gradeTwoWords(t *target, m *match) (record.Severity, float64, bool) {
	w, ok := ix.affixPoints(m.affix) // the other word is no affix: it costs no point
	if !ok || !t.ranked(ix.opt.WeakRank) {
		return 0, 0, false
	}
	if l := len(t.strip); l >= 4 && popPoints(t)+w+lenPoints(l) >= affixScore+1 {
		return record.Medium, 0.5, true
	}
	return 0, 0, false
}
