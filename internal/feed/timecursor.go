package feed

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// timeCursor is the cursor of a feed that only offers "the latest N"
// lists or a time-ordered index: the newest publication time read so far
// and the keys already read at exactly that time, so that an overlapping
// next read neither repeats nor skips them. Its text form is
// "RFC3339Nano|key,key" with each key query-escaped.
type timeCursor struct {
	T    time.Time
	Seen map[string]bool // keys (name@version) read at T
}

// maxSeen bounds the keys a cursor keeps (a burst at one instant).
const maxSeen = 4096

func parseTimeCursor(c Cursor) (timeCursor, error) {
	tc := timeCursor{Seen: map[string]bool{}}
	if c == "" {
		return tc, nil
	}
	ts, keys, _ := strings.Cut(string(c), "|")
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return tc, fmt.Errorf("bad cursor %.60q: want an RFC 3339 time", c)
	}
	tc.T = t.UTC()
	if keys != "" {
		for _, k := range strings.Split(keys, ",") {
			if len(tc.Seen) >= maxSeen {
				break
			}
			v, err := url.QueryUnescape(k)
			if err != nil {
				return tc, fmt.Errorf("bad cursor %.60q: %v", c, err)
			}
			tc.Seen[v] = true
		}
	}
	return tc, nil
}

func (tc timeCursor) cursor() Cursor {
	if tc.T.IsZero() {
		return ""
	}
	keys := make([]string, 0, len(tc.Seen))
	for k := range tc.Seen {
		keys = append(keys, url.QueryEscape(k))
	}
	sort.Strings(keys)
	return Cursor(tc.T.UTC().Format(time.RFC3339Nano) + "|" + strings.Join(keys, ","))
}

// isNew reports whether a publication at t with key is after the cursor.
func (tc timeCursor) isNew(t time.Time, key string) bool {
	if tc.T.IsZero() {
		return true
	}
	if t.After(tc.T) {
		return true
	}
	return t.Equal(tc.T) && !tc.Seen[key]
}

// advance moves the cursor past a publication at t with key.
func (tc *timeCursor) advance(t time.Time, key string) {
	t = t.UTC()
	switch {
	case t.After(tc.T):
		tc.T = t
		tc.Seen = map[string]bool{key: true}
	case t.Equal(tc.T) && len(tc.Seen) < maxSeen:
		tc.Seen[key] = true
	}
}

// nowCursor is a time cursor at now, for Head.
func nowCursor(now time.Time) Cursor {
	return timeCursor{T: now.UTC(), Seen: map[string]bool{}}.cursor()
}
