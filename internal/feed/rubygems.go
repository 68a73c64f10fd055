package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// rubyGemsFeed reads the two activity lists of the RubyGems API:
//
//	GET {base}/api/v1/activity/just_updated.json  (new versions)
//	GET {base}/api/v1/activity/latest.json        (new gems)
//
// Both hold only the newest few dozen entries, so consecutive polls
// overlap; a time cursor with the keys already seen de-duplicates them,
// and a list whose oldest entry is still newer than the cursor may have
// overflowed between two polls, which is reported as a Gap.
type rubyGemsFeed struct {
	base *url.URL
	o    Options
}

func newRubyGems(base *url.URL, o Options) Feed { return &rubyGemsFeed{base, o} }

func (f *rubyGemsFeed) Ecosystem() ecosystem.Ecosystem { return ecosystem.RubyGems }

func (f *rubyGemsFeed) Head(context.Context) (Cursor, error) { return nowCursor(f.o.Now()), nil }

type entry struct {
	Name    string    `json:"name"`
	Version string    `json:"version"`
	Created time.Time `json:"version_created_at"`
}

func (f *rubyGemsFeed) list(ctx context.Context, p string) ([]entry, error) {
	u := join(f.base, p)
	body, err := f.o.get(ctx, u, "application/json")
	if err != nil {
		return nil, err
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, badBody(u, err)
	}
	out := make([]entry, 0, len(raw))
	for _, r := range raw {
		var g entry
		if err := json.Unmarshal(r, &g); err != nil {
			// One odd entry (a bad time, say) does not spoil the list.
			g = entry{}
			var loose struct{ Name, Version string }
			if json.Unmarshal(r, &loose) == nil {
				g.Name, g.Version = loose.Name, loose.Version
			}
		}
		out = append(out, g)
	}
	return out, nil
}

func (f *rubyGemsFeed) Latest(ctx context.Context, cur Cursor) (Batch, Cursor, error) {
	tc, err := parseTimeCursor(cur)
	if err != nil {
		return Batch{}, cur, err
	}
	var all []entry
	overflow := false
	for _, p := range []string{"api/v1/activity/just_updated.json", "api/v1/activity/latest.json"} {
		l, err := f.list(ctx, p)
		if err != nil {
			return Batch{}, cur, err
		}
		if len(l) > 0 && !tc.T.IsZero() && oldest(l).After(tc.T) {
			overflow = true
		}
		all = append(all, l...)
	}
	return timeBatch(ecosystem.RubyGems, tc, all, overflow, "RubyGems activity lists")
}

func oldest(l []entry) time.Time {
	t := l[0].Created
	for _, g := range l[1:] {
		if !g.Created.IsZero() && (t.IsZero() || g.Created.Before(t)) {
			t = g.Created
		}
	}
	return t
}

// timeBatch turns entries of a "latest" list into a batch after tc, oldest
// first, and the advanced cursor. overflow reports a list that may have
// dropped entries between two polls.
func timeBatch(eco ecosystem.Ecosystem, tc timeCursor, all []entry, overflow bool, what string) (Batch, Cursor, error) {
	sort.SliceStable(all, func(i, j int) bool { return all[i].Created.Before(all[j].Created) })
	from := tc.cursor()
	bd := newBuilder()
	for _, g := range all {
		if g.Created.IsZero() {
			bd.fail(fmt.Errorf("%s %s: no publication time", g.Name, g.Version))
			continue
		}
		key := g.Name + "@" + g.Version
		if !tc.isNew(g.Created, key) {
			continue
		}
		bd.add(Item{Ecosystem: eco, Name: g.Name, Version: g.Version, Published: g.Created.UTC()})
		tc.advance(g.Created, key)
	}
	b := bd.batch()
	if overflow {
		b.Gap = &Gap{From: from, To: tc.cursor(), Reason: "every entry of the " + what + " is newer than the last poll: publications in between may be missing (poll more often)"}
	}
	return b, tc.cursor(), nil
}
