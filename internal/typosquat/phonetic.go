package typosquat

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

// soundKey returns the folded key of a delimiter-free key, "" when the key
// holds anything but ASCII letters and digits (scoped and path names are
// judged by their own techniques). Only consonant respellings and the long
// "ee" are folded: "ph" as "f"; "ck", "c" and "q" as "k" ("qu" as "kw");
// "ee" and "ie" as "i"; "z" as "s"; and a letter written twice in a row as
// one. Folding vowels makes honest names collide ("voyage", "voyageai").
func soundKey(key string) string {
	b := make([]byte, 0, len(key)+2)
	push := func(c byte) {
		if n := len(b); n == 0 || b[n-1] != c {
			b = append(b, c)
		}
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		var next byte
		if i+1 < len(key) {
			next = key[i+1]
		}
		switch {
		case !('a' <= c && c <= 'z' || '0' <= c && c <= '9'):
			return ""
		case c == 'p' && next == 'h':
			push('f')
			i++
		case c == 'c' && next == 'k':
			push('k')
			i++
		case c == 'q' && next == 'u':
			push('k')
			push('w')
			i++
		case (c == 'e' || c == 'i') && next == 'e':
			push('i')
			i++
		case c == 'c' || c == 'q':
			push('k')
		case c == 'z':
			push('s')
		default:
			push(c)
		}
	}
	return string(b)
}

// foldable reports whether soundKey(key) may differ from key: it holds a
// spelling soundKey folds, a doubled letter, or a character that is not an
// ASCII letter or digit.
func foldable(key string) bool {
	for i := 0; i < len(key); i++ {
		switch c := key[i]; {
		case c == 'c' || c == 'q' || c == 'z':
			return true
		case !('a' <= c && c <= 'z' || '0' <= c && c <= '9'):
			return true
		case i > 0 && c == key[i-1]:
			return true
		case c == 'h' && i > 0 && key[i-1] == 'p':
			return true
		case c == 'e' && i > 0 && key[i-1] == 'i':
			return true
		}
	}
	return false
}

// undouble returns s with each run of one letter written once.
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
	if len(s) < soundMinLen {
		return
	}
	k := soundKey(s)
	if k == "" {
		return
	}
	// Targets whose key folds to k: those folded (the sound table) and
	// those already spelled k (the strip table, ranked and unfolded).
	start := len(q.ids)
	q.ids = append(q.ids, q.x.soundTable(ix)[k]...)
	mid := len(q.ids)
	q.ids = ix.strip.get(hashString(k), q.ids)
	kept := q.ids[:mid]
	for _, id := range q.ids[mid:] {
		if t := &ix.targets[id]; t.strip == k && t.ranked(soundRank) && len(t.strip) >= soundMinLen && !foldable(t.strip) {
			kept = append(kept, id)
		}
	}
	q.ids = kept
	defer func() { q.ids = q.ids[:start] }()
	for _, id := range q.ids[start:] {
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
