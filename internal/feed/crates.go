package feed

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// cratesFeed reads the crates.io updates RSS feed (every new version) and
// the new crates of its summary API (brand-new crates, which a reader of
// the updates feed alone has been seen to miss):
//
//	GET {rss}/rss/updates.xml
//	GET {base}/api/v1/summary   → {"new_crates":[{"name","newest_version","created_at"}]}
//
// With the default base the RSS feed is read from crates.io's static
// host, as crates.io publishes it; with any other base (a mirror, a test
// server) from the same base. Both lists are short, so polls overlap and
// are de-duplicated with a time cursor, as for RubyGems.
type cratesFeed struct {
	base, rss *url.URL
	o         Options
}

// cratesStatic is where crates.io publishes its RSS feeds.
const cratesStatic = "https://static.crates.io"

func newCrates(base *url.URL, o Options) Feed {
	rss := base
	if strings.TrimRight(base.String(), "/") == "https://crates.io" {
		rss, _ = url.Parse(cratesStatic)
	}
	return &cratesFeed{base: base, rss: rss, o: o}
}

func (f *cratesFeed) Ecosystem() ecosystem.Ecosystem { return ecosystem.Crates }

func (f *cratesFeed) Head(context.Context) (Cursor, error) { return nowCursor(f.o.Now()), nil }

func (f *cratesFeed) Latest(ctx context.Context, cur Cursor) (Batch, Cursor, error) {
	tc, err := parseTimeCursor(cur)
	if err != nil {
		return Batch{}, cur, err
	}
	u := join(f.rss, "rss/updates.xml")
	body, err := f.o.get(ctx, u, "application/rss+xml, application/xml")
	if err != nil {
		return Batch{}, cur, err
	}
	items, err := parseRSS(body)
	if err != nil {
		return Batch{}, cur, badBody(u, err)
	}
	var all []entry
	for _, it := range items {
		name, version := crateOf(it)
		all = append(all, entry{Name: name, Version: version, Created: it.Published})
	}
	overflow := len(all) > 0 && !tc.T.IsZero() && oldest(all).After(tc.T)

	su := join(f.base, "api/v1/summary")
	body, err = f.o.get(ctx, su, "application/json")
	if err != nil {
		return Batch{}, cur, err
	}
	var sum struct {
		NewCrates []struct {
			Name          string    `json:"name"`
			NewestVersion string    `json:"newest_version"`
			MaxVersion    string    `json:"max_version"`
			Created       time.Time `json:"created_at"`
		} `json:"new_crates"`
	}
	if err := json.Unmarshal(body, &sum); err != nil {
		return Batch{}, cur, badBody(su, err)
	}
	for _, c := range sum.NewCrates {
		v := c.NewestVersion
		if v == "" {
			v = c.MaxVersion
		}
		all = append(all, entry{Name: c.Name, Version: v, Created: c.Created})
	}
	return timeBatch(ecosystem.Crates, tc, all, overflow, "crates.io updates feed")
}

// crateOf finds a crate's name and version in an RSS item: the
// crates:name / crates:version elements, else the link
// (…/crates/NAME/VERSION), else the title ("… NAME vVERSION").
func crateOf(it rssItem) (name, version string) {
	if it.Name != "" {
		return it.Name, it.Version
	}
	if u, err := url.Parse(it.Link); err == nil {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) == 3 && parts[0] == "crates" {
			return parts[1], parts[2]
		}
	}
	f := strings.Fields(it.Title)
	if n := len(f); n >= 2 && strings.HasPrefix(f[n-1], "v") {
		return f[n-2], strings.TrimPrefix(f[n-1], "v")
	}
	return it.Title, ""
}
