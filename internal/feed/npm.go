package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// npmFeed reads a CouchDB-style changes feed:
//
//	GET {base}/_changes?since=SEQ&limit=N
//	→ {"results":[{"seq":…,"id":NAME,"deleted":bool}],"last_seq":…}
//
// A sequence is a number or an opaque string (CouchDB 2 and later); the
// cursor keeps it as the feed wrote it. Items carry no version: the
// package document says what is new.
type npmFeed struct {
	base *url.URL
	o    Options
}

func newNPM(base *url.URL, o Options) Feed { return &npmFeed{base, o} }

func (f *npmFeed) Ecosystem() ecosystem.Ecosystem { return ecosystem.NPM }

type npmChanges struct {
	Results []struct {
		Seq     json.RawMessage `json:"seq"`
		ID      string          `json:"id"`
		Deleted bool            `json:"deleted"`
	} `json:"results"`
	LastSeq json.RawMessage `json:"last_seq"`
	Pending *int64          `json:"pending"`
}

func (f *npmFeed) changes(ctx context.Context, q url.Values) (*npmChanges, *url.URL, error) {
	u := join(f.base, "_changes")
	u.RawQuery = q.Encode()
	body, err := f.o.get(ctx, u, "application/json")
	if err != nil {
		return nil, u, err
	}
	var c npmChanges
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, u, badBody(u, err)
	}
	if len(bytes.TrimSpace(c.LastSeq)) == 0 || string(c.LastSeq) == "null" {
		return nil, u, badBody(u, fmt.Errorf("no last_seq"))
	}
	return &c, u, nil
}

// Head asks for the newest change only and returns its sequence.
func (f *npmFeed) Head(ctx context.Context) (Cursor, error) {
	c, u, err := f.changes(ctx, url.Values{"descending": {"true"}, "limit": {"1"}})
	if err != nil {
		return "", err
	}
	s, err := seqText(c.LastSeq)
	if err != nil {
		return "", badBody(u, err)
	}
	return Cursor(s), nil
}

func (f *npmFeed) Latest(ctx context.Context, cur Cursor) (Batch, Cursor, error) {
	since := string(cur)
	if since == "" {
		since = "0"
	}
	c, u, err := f.changes(ctx, url.Values{"since": {since}, "limit": {strconv.Itoa(f.o.PageSize)}})
	if err != nil {
		return Batch{}, cur, err
	}
	last, err := seqText(c.LastSeq)
	if err != nil {
		return Batch{}, cur, badBody(u, err)
	}
	bd := newBuilder()
	for _, r := range c.Results {
		if strings.HasPrefix(r.ID, "_design/") {
			continue
		}
		bd.add(Item{Ecosystem: ecosystem.NPM, Name: r.ID, Deleted: r.Deleted})
	}
	b := bd.batch()
	switch {
	case c.Pending != nil:
		b.More = *c.Pending > 0
	default:
		b.More = len(c.Results) >= f.o.PageSize
	}
	// A sequence that went backwards means the feed was reset (a new
	// database, a restored replica): what lies between is lost to us.
	if old, ok := seqNumber(string(cur)); ok && len(c.Results) == 0 {
		if now, ok := seqNumber(last); ok && now < old {
			b.Gap = &Gap{From: cur, To: Cursor(last), Reason: "the npm changes sequence went backwards (feed reset)"}
		}
	}
	if len(c.Results) == 0 && b.Gap == nil && cur != "" {
		// Nothing new: keep the cursor as it is, even if the feed
		// answers with a different spelling of the same position.
		return b, cur, nil
	}
	return b, Cursor(last), nil
}

// seqText returns a sequence as cursor text: a JSON number as written, a
// JSON string's value.
func seqText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		if s == "" || len(s) > 4096 {
			return "", fmt.Errorf("bad sequence %.40q", s)
		}
		return s, nil
	}
	if _, err := strconv.ParseUint(string(raw), 10, 64); err != nil {
		return "", fmt.Errorf("bad sequence %.40q", raw)
	}
	return string(raw), nil
}

// seqNumber returns the numeric part of a sequence: the whole of a
// numeric one, the "N" of CouchDB's "N-opaque".
func seqNumber(s string) (uint64, bool) {
	if i := strings.IndexByte(s, '-'); i > 0 {
		s = s[:i]
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}
