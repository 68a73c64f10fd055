package feed

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// goIndexFeed reads a Go module index:
//
//	GET {base}/index?since=RFC3339Nano&limit=N
//	→ one JSON object per line: {"Path","Version","Timestamp"}
//
// in timestamp order. since is inclusive, so the cursor keeps the keys
// read at its instant to skip them on the next page.
type goIndexFeed struct {
	base *url.URL
	o    Options
}

func newGoIndex(base *url.URL, o Options) Feed { return &goIndexFeed{base, o} }

func (f *goIndexFeed) Ecosystem() ecosystem.Ecosystem { return ecosystem.Go }

func (f *goIndexFeed) Head(context.Context) (Cursor, error) { return nowCursor(f.o.Now()), nil }

func (f *goIndexFeed) Latest(ctx context.Context, cur Cursor) (Batch, Cursor, error) {
	tc, err := parseTimeCursor(cur)
	if err != nil {
		return Batch{}, cur, err
	}
	u := join(f.base, "index")
	q := url.Values{"limit": {strconv.Itoa(f.o.PageSize)}}
	if !tc.T.IsZero() {
		q.Set("since", tc.T.Format(time.RFC3339Nano))
	}
	u.RawQuery = q.Encode()
	body, err := f.o.get(ctx, u, "application/json")
	if err != nil {
		return Batch{}, cur, err
	}
	from := tc.cursor()
	bd := newBuilder()
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		lines++
		var m struct {
			Path      string    `json:"Path"`
			Version   string    `json:"Version"`
			Timestamp time.Time `json:"Timestamp"`
		}
		if err := json.Unmarshal(line, &m); err != nil {
			bd.fail(fmt.Errorf("line %d: %v", lines, err))
			continue
		}
		key := m.Path + "@" + m.Version
		if !tc.isNew(m.Timestamp, key) {
			continue
		}
		bd.add(Item{Ecosystem: ecosystem.Go, Name: m.Path, Version: m.Version, Published: m.Timestamp.UTC()})
		tc.advance(m.Timestamp, key)
	}
	if err := sc.Err(); err != nil {
		return Batch{}, cur, badBody(u, err)
	}
	b := bd.batch()
	b.More = lines >= f.o.PageSize
	next := tc.cursor()
	if b.More && next == from {
		// A full page at one instant that was all read before: the
		// index cannot be paged past it. Step over the instant and say so.
		tc.T = tc.T.Add(time.Nanosecond)
		tc.Seen = map[string]bool{}
		next = tc.cursor()
		b.Gap = &Gap{From: from, To: next, Reason: "more index entries at one instant than a page holds"}
	}
	return b, next, nil
}
