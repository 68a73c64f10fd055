package typosquat

import "strings"

// Sound-alike names: "deezcord.js" for "discord.js". A squatter who
// respells a popular name as it sounds changes several letters at once
// ("ee" for "i", "z" for "s"), beyond the edit techniques' reach, while the
// name still reads as the original. soundKey folds the spellings English
// readers pronounce alike into one; a candidate whose folded key equals
// that of a target ranked 1–soundRank (and that is at least two edits
// from it: nearer ones are the edit techniques') is a sound-alike.

const (
	// soundRank: only the most popular names are respelled by sound
	// (a respelling needs the reader to know the original).
	soundRank = 20000
	// soundMinLen: keys shorter than this fold together too easily.
	soundMinLen = 6
)

// soundFolds are applied in order, longest spellings first. Only
// consonant respellings and the long "ee" sound: folding vowels makes
// honest names collide ("voyage" and "voyageai").
var soundFolds = strings.NewReplacer(
	"ph", "f", "ck", "k", "qu", "kw", "ee", "i", "ie", "i",
	"c", "k", "q", "k", "z", "s",
)

// soundKey returns the folded key of a delimiter-free key, "" when the key
// holds anything but ASCII letters and digits (scoped and path names are
// judged by their own techniques).
func soundKey(key string) string {
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return ""
		}
	}
	return undouble(soundFolds.Replace(key))
}

// undouble returns s with each run of one letter written once (doubled
// letters sound as one).
func undouble(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// soundMatches adds the sound-alike matches of the candidate's key s.
func (ix *Index) soundMatches(q *query, s string) {
	if len(s) < soundMinLen || len(q.x.sound) == 0 {
		return
	}
	k := soundKey(s)
	if k == "" {
		return
	}
	for _, id := range q.x.sound[k] {
		t := &ix.targets[id]
		if t.strip == s || undouble(t.strip) == undouble(s) {
			continue // the same letters, or only doubled: the repetition technique's
		}
		d, _ := osa(s, t.strip, 3, q.ops[:0])
		if d < 2 || d > 3 {
			continue // nearer: an edit technique's; farther: another name
		}
		q.add(match{id: id, tech: TechSoundAlike, dist: d, phrase: "respelled as it sounds"})
	}
}
