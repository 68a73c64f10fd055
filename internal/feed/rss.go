package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// rssItem is what the feeds use of an RSS 2.0 item.
type rssItem struct {
	Title, Link string
	Published   time.Time
	// Name and Version are the crates.io extension elements, when present.
	Name, Version string
}

// maxRSSItems bounds the items read from one feed document.
const maxRSSItems = 100000

// parseRSS reads the items of an RSS 2.0 document. It does not resolve
// external entities (encoding/xml never does) and bounds the items read.
func parseRSS(body []byte) ([]rssItem, error) {
	var doc struct {
		XMLName xml.Name `xml:"rss"`
		Items   []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
			Name    string `xml:"name"`
			Version string `xml:"version"`
		} `xml:"channel>item"`
	}
	if n := bytes.Count(body, []byte("<item")); n > maxRSSItems {
		return nil, fmt.Errorf("RSS feed with %d items (limit %d)", n, maxRSSItems)
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("RSS: %w", err)
	}
	out := make([]rssItem, 0, len(doc.Items))
	for _, it := range doc.Items {
		t, _ := parseRSSTime(it.PubDate)
		out = append(out, rssItem{
			Title: strings.TrimSpace(it.Title), Link: strings.TrimSpace(it.Link), Published: t,
			Name: strings.TrimSpace(it.Name), Version: strings.TrimSpace(it.Version),
		})
	}
	return out, nil
}

// parseRSSTime accepts RFC 1123 dates with a numeric zone or a zone name,
// as RSS feeds write them.
func parseRSSTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad RSS date %.40q", s)
}
