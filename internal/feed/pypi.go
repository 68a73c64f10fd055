package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// pypiFeed reads PyPI's changelog through its XML-RPC API:
//
//	POST {base}/pypi  changelog_last_serial()          → int
//	POST {base}/pypi  changelog_since_serial(serial)   → [[name, version, time, action, serial], …]
//
// The cursor is the last serial read. When the XML-RPC API refuses (PyPI
// rate-limits and has deprecated it) the feed falls back to the RSS
// updates feed ({base}/rss/updates.xml), which holds only the newest
// releases: its items are returned, the serial cursor stays where it was
// (so the changelog is read again once it answers) and Batch.Errs says so.
type pypiFeed struct {
	base *url.URL
	o    Options
}

func newPyPI(base *url.URL, o Options) Feed { return &pypiFeed{base, o} }

func (f *pypiFeed) Ecosystem() ecosystem.Ecosystem { return ecosystem.PyPI }

// pypiPageCap is the most entries PyPI returns for one changelog call; a
// full answer means there is more.
const pypiPageCap = 50000

func (f *pypiFeed) call(ctx context.Context, method string, params ...int64) (any, error) {
	u := join(f.base, "pypi")
	body, err := f.o.do(ctx, http.MethodPost, u, "text/xml", "text/xml", xmlrpcCall(method, params...))
	if err != nil {
		return nil, err
	}
	v, err := parseXMLRPCResponse(body)
	if err != nil {
		var fault *xmlrpcFault
		if errors.As(err, &fault) {
			return nil, &Error{URL: redact(u), Status: http.StatusOK, Kind: ErrBadResponse, Err: err}
		}
		return nil, badBody(u, err)
	}
	return v, nil
}

func (f *pypiFeed) Head(ctx context.Context) (Cursor, error) {
	v, err := f.call(ctx, "changelog_last_serial")
	if err != nil {
		return "", err
	}
	n, ok := v.(int64)
	if !ok || n < 0 {
		return "", badBody(join(f.base, "pypi"), fmt.Errorf("changelog_last_serial: not a serial: %v", v))
	}
	return Cursor(strconv.FormatInt(n, 10)), nil
}

func (f *pypiFeed) Latest(ctx context.Context, cur Cursor) (Batch, Cursor, error) {
	var serial int64
	if cur != "" {
		n, err := strconv.ParseInt(string(cur), 10, 64)
		if err != nil || n < 0 {
			return Batch{}, cur, fmt.Errorf("bad PyPI cursor %.40q: want a changelog serial", cur)
		}
		serial = n
	}
	v, err := f.call(ctx, "changelog_since_serial", serial)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, ErrTooLarge) {
			return Batch{}, cur, err
		}
		return f.fromRSS(ctx, cur, err)
	}
	rows, ok := v.([]any)
	if !ok {
		return Batch{}, cur, badBody(join(f.base, "pypi"), fmt.Errorf("changelog_since_serial: not an array"))
	}
	bd := newBuilder()
	last := serial
	for i, r := range rows {
		e, ok := r.([]any)
		if !ok || len(e) < 5 {
			bd.fail(fmt.Errorf("changelog entry %d: not [name, version, time, action, serial]", i))
			continue
		}
		name, _ := e[0].(string)
		version, _ := e[1].(string)
		ts, _ := e[2].(int64)
		action, _ := e[3].(string)
		s, ok := e[4].(int64)
		if !ok {
			bd.fail(fmt.Errorf("changelog entry %d (%s): no serial", i, name))
			continue
		}
		if s > last {
			last = s
		}
		it, ok := pypiItem(name, version, action)
		if !ok {
			continue
		}
		if ts > 0 {
			it.Published = time.Unix(ts, 0).UTC()
		}
		bd.add(it)
	}
	b := bd.batch()
	b.More = len(rows) >= pypiPageCap
	return b, Cursor(strconv.FormatInt(last, 10)), nil
}

// pypiItem maps a changelog action to an item: a new release or file is
// a publication, a removal a deletion; other actions (a role added, a
// project created before its first release) are not publications.
func pypiItem(name, version, action string) (Item, bool) {
	it := Item{Ecosystem: ecosystem.PyPI, Name: name, Version: version}
	a := strings.ToLower(action)
	switch {
	case strings.HasPrefix(a, "new release"), strings.HasPrefix(a, "add ") && strings.Contains(a, "file"):
		return it, version != ""
	case strings.HasPrefix(a, "remove release"), strings.HasPrefix(a, "remove project"):
		it.Deleted = true
		if strings.HasPrefix(a, "remove project") {
			it.Version = ""
		}
		return it, true
	}
	return it, false
}

// fromRSS is the fallback when the changelog cannot be read.
func (f *pypiFeed) fromRSS(ctx context.Context, cur Cursor, cause error) (Batch, Cursor, error) {
	u := join(f.base, "rss/updates.xml")
	body, err := f.o.get(ctx, u, "application/rss+xml, application/xml")
	if err != nil {
		return Batch{}, cur, fmt.Errorf("%w; the RSS fallback failed too: %v", cause, err)
	}
	items, err := parseRSS(body)
	if err != nil {
		return Batch{}, cur, fmt.Errorf("%w; the RSS fallback failed too: %v", cause, badBody(u, err))
	}
	bd := newBuilder()
	for _, it := range items {
		name, version := pypiOf(it)
		bd.add(Item{Ecosystem: ecosystem.PyPI, Name: name, Version: version, Published: it.Published})
	}
	b := bd.batch()
	b.Errs = errors.Join(fmt.Errorf("the changelog could not be read (%v): used the RSS updates feed, which holds only the newest releases", cause), b.Errs)
	return b, cur, nil
}

// pypiOf finds a release's name and version in an RSS item: the link
// (…/project/NAME/VERSION/), else the title ("NAME VERSION").
func pypiOf(it rssItem) (name, version string) {
	if u, err := url.Parse(it.Link); err == nil {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) == 3 && parts[0] == "project" {
			return parts[1], parts[2]
		}
	}
	if n, v, ok := strings.Cut(it.Title, " "); ok {
		return n, strings.TrimSpace(v)
	}
	return it.Title, ""
}
