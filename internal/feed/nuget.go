package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// nugetFeed reads the NuGet catalog, found through the V3 service index:
//
//	GET {service index}          → {"resources":[{"@id":URL,"@type":"Catalog/3.0.0"}]}
//	GET {catalog index}          → {"commitTimeStamp":T,"items":[{"@id":PAGE,"commitTimeStamp":T}]}
//	GET {page}                   → {"items":[{"@type":"nuget:PackageDetails"|"nuget:PackageDelete",
//	                                 "commitTimeStamp":T,"nuget:id":ID,"nuget:version":V}]}
//
// The cursor is the commit time of the last item read, with the keys read
// at that instant (a commit may span two pages). One call reads at most
// PageSize/500 pages (at least one; a catalog page holds about 550 items).
type nugetFeed struct {
	base *url.URL
	o    Options

	mu      sync.Mutex
	catalog *url.URL // resolved from the service index, once
}

func newNuGet(base *url.URL, o Options) Feed { return &nugetFeed{base: base, o: o} }

func (f *nugetFeed) Ecosystem() ecosystem.Ecosystem { return ecosystem.NuGet }

func (f *nugetFeed) catalogIndex(ctx context.Context) (*url.URL, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.catalog != nil {
		return f.catalog, nil
	}
	body, err := f.o.get(ctx, f.base, "application/json")
	if err != nil {
		return nil, err
	}
	var idx struct {
		Resources []struct {
			ID   string `json:"@id"`
			Type string `json:"@type"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(body, &idx); err != nil {
		return nil, badBody(f.base, err)
	}
	for _, r := range idx.Resources {
		if strings.HasPrefix(r.Type, "Catalog/3.0.0") {
			u, err := f.base.Parse(r.ID)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				return nil, badBody(f.base, fmt.Errorf("bad catalog URL %.80q", r.ID))
			}
			f.catalog = u
			return u, nil
		}
	}
	return nil, badBody(f.base, fmt.Errorf("the service index names no Catalog/3.0.0 resource"))
}

type nugetIndex struct {
	Commit string `json:"commitTimeStamp"`
	Items  []struct {
		ID     string `json:"@id"`
		Commit string `json:"commitTimeStamp"`
	} `json:"items"`
}

func (f *nugetFeed) index(ctx context.Context) (*url.URL, *nugetIndex, error) {
	cu, err := f.catalogIndex(ctx)
	if err != nil {
		return nil, nil, err
	}
	body, err := f.o.get(ctx, cu, "application/json")
	if err != nil {
		return nil, nil, err
	}
	var idx nugetIndex
	if err := json.Unmarshal(body, &idx); err != nil {
		return nil, nil, badBody(cu, err)
	}
	return cu, &idx, nil
}

func (f *nugetFeed) Head(ctx context.Context) (Cursor, error) {
	cu, idx, err := f.index(ctx)
	if err != nil {
		return "", err
	}
	t, err := nugetTime(idx.Commit)
	if err != nil {
		return "", badBody(cu, err)
	}
	return timeCursor{T: t, Seen: map[string]bool{}}.cursor(), nil
}

func (f *nugetFeed) Latest(ctx context.Context, cur Cursor) (Batch, Cursor, error) {
	tc, err := parseTimeCursor(cur)
	if err != nil {
		return Batch{}, cur, err
	}
	cu, idx, err := f.index(ctx)
	if err != nil {
		return Batch{}, cur, err
	}
	type page struct {
		u *url.URL
		t time.Time
	}
	bd := newBuilder()
	var pages []page
	for _, it := range idx.Items {
		t, err := nugetTime(it.Commit)
		if err != nil {
			bd.fail(fmt.Errorf("catalog page %.80q: %v", it.ID, err))
			continue
		}
		// A page whose newest commit is at or after the cursor may hold
		// items the cursor has not passed.
		if !tc.T.IsZero() && t.Before(tc.T) {
			continue
		}
		u, err := cu.Parse(it.ID)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			bd.fail(fmt.Errorf("bad catalog page URL %.80q", it.ID))
			continue
		}
		pages = append(pages, page{u, t})
	}
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].t.Before(pages[j].t) })
	// Pages at the cursor's instant may hold the rest of a commit that
	// spans pages; they are read besides up to maxPages newer ones.
	at := 0
	for at < len(pages) && !tc.T.IsZero() && pages[at].t.Equal(tc.T) {
		at++
	}
	maxPages := max(1, f.o.PageSize/500)
	more := len(pages)-at > maxPages
	if more {
		pages = pages[:at+maxPages]
	}
	type leaf struct {
		Type    string `json:"@type"`
		Commit  string `json:"commitTimeStamp"`
		ID      string `json:"nuget:id"`
		Version string `json:"nuget:version"`
	}
	var leaves []leaf
	var times []time.Time
	for _, p := range pages {
		body, err := f.o.get(ctx, p.u, "application/json")
		if err != nil {
			return Batch{}, cur, err
		}
		var pg struct {
			Items []leaf `json:"items"`
		}
		if err := json.Unmarshal(body, &pg); err != nil {
			return Batch{}, cur, badBody(p.u, err)
		}
		for _, l := range pg.Items {
			t, err := nugetTime(l.Commit)
			if err != nil {
				bd.fail(fmt.Errorf("%s %s: %v", l.ID, l.Version, err))
				continue
			}
			leaves = append(leaves, l)
			times = append(times, t)
		}
	}
	order := make([]int, len(leaves))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return times[order[a]].Before(times[order[b]]) })
	for _, i := range order {
		l, t := leaves[i], times[i]
		// NuGet ids are case-insensitive; versions are normalized by the
		// catalog. The key keeps the id as published.
		key := strings.ToLower(l.ID) + "@" + strings.ToLower(l.Version)
		if !tc.isNew(t, key) {
			continue
		}
		bd.add(Item{Ecosystem: ecosystem.NuGet, Name: l.ID, Version: l.Version, Deleted: strings.HasSuffix(l.Type, "PackageDelete"), Published: t})
		tc.advance(t, key)
	}
	b := bd.batch()
	b.More = more
	return b, tc.cursor(), nil
}

// nugetTime parses a catalog commit time (RFC 3339, seven fractional
// digits; a time without zone is UTC).
func nugetTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("bad commit time %.40q", s)
}
