package dashboard

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the dashboard shows.
type Config struct {
	Store store.Store
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

type dash struct {
	cfg   Config
	pages map[string]*template.Template
}

// pageFiles are the pages, each rendered inside templates/layout.html.
var pageFiles = []string{"overview.html", "findings.html", "campaigns.html", "campaign.html", "package.html", "error.html"}

// New returns the dashboard's handler. It serves /, /findings,
// /campaigns, /campaigns/{id}, /packages/{ecosystem}/{name} and
// /static/; mount it at the root of the server's mux.
func New(cfg Config) http.Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	d := &dash{cfg: cfg, pages: map[string]*template.Template{}}
	for _, p := range pageFiles {
		d.pages[p] = template.Must(template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p))
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", d.overview)
	mux.HandleFunc("GET /findings", d.findings)
	mux.HandleFunc("GET /campaigns", d.campaigns)
	mux.HandleFunc("GET /campaigns/{id}", d.campaign)
	mux.HandleFunc("GET /packages/{ecosystem}/{name}", d.pkg)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		d.fail(w, http.StatusNotFound, "No such page.")
	})
	return secure(mux)
}

// secure sets the headers of every page: nothing from another origin, no
// script, no framing.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

// render writes page with data, or an error page when rendering fails
// (the page is rendered into a buffer first, so no half page is sent).
func (d *dash) render(w http.ResponseWriter, status int, page, title string, data any) {
	var buf bytes.Buffer
	err := d.pages[page].ExecuteTemplate(&buf, "layout", struct {
		Title string
		Nav   string
		Data  any
	}{title, strings.TrimSuffix(page, ".html"), data})
	if err != nil {
		http.Error(w, "rendering failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

func (d *dash) fail(w http.ResponseWriter, status int, msg string) {
	d.render(w, status, "error.html", http.StatusText(status), struct {
		Status  int
		Message string
	}{status, msg})
}

func (d *dash) storeFail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		d.fail(w, http.StatusNotFound, "Not in the store.")
	case errors.Is(err, store.ErrInvalidCursor), errors.Is(err, store.ErrInvalid):
		d.fail(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, context.Canceled):
		// The client went away.
	default:
		d.fail(w, http.StatusServiceUnavailable, "The store could not be read: "+err.Error())
	}
}

// verdicts are the chart's classes, bottom to top.
var verdicts = []record.Verdict{record.Allow, record.Warn, record.Block}

type overviewData struct {
	Stats     store.Stats
	Gaps      []store.FeedGap // newest first; only with a store that records them
	Chart     chart
	Blocks    []store.FindingRow
	Campaigns []store.Campaign
	Now       time.Time
}

func (d *dash) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := d.cfg.Store.Stats(ctx)
	if err != nil {
		d.storeFail(w, err)
		return
	}
	now := d.cfg.Now().UTC()
	start := now.Truncate(time.Hour).Add(-23 * time.Hour)
	buckets, err := d.cfg.Store.Series(ctx, store.SeriesQuery{Since: start, Step: time.Hour, Buckets: 24})
	if err != nil {
		d.storeFail(w, err)
		return
	}
	cols := make([]series, len(buckets))
	for i, b := range buckets {
		cols[i] = series{Start: b.Start, Counts: []int64{b.ByVerdict[record.Allow], b.ByVerdict[record.Warn], b.ByVerdict[record.Block]}}
	}
	blocks, _, err := d.cfg.Store.Findings(ctx, store.FindingQuery{Verdict: record.Block, Limit: 20})
	if err != nil {
		d.storeFail(w, err)
		return
	}
	camps, _, err := d.cfg.Store.Campaigns(ctx, store.CampaignQuery{Limit: 10})
	if err != nil {
		d.storeFail(w, err)
		return
	}
	var gaps []store.FeedGap
	if qs, ok := d.cfg.Store.(store.QueueStore); ok {
		if gaps, err = qs.FeedGaps(ctx, "", 20); err != nil {
			d.storeFail(w, err)
			return
		}
	}
	d.render(w, http.StatusOK, "overview.html", "Overview", overviewData{
		Stats:     st,
		Chart:     newChart("Checks per hour, last 24 hours (UTC)", cols, verdictClasses(), "15:04", 3),
		Blocks:    blocks,
		Campaigns: camps,
		Gaps:      gaps,
		Now:       now,
	})
}

func verdictClasses() []string {
	out := make([]string, len(verdicts))
	for i, v := range verdicts {
		out[i] = string(v)
	}
	return out
}

type findingsData struct {
	Query store.FindingQuery
	Rows  []store.FindingRow
	Next  string // the next page's URL, "" on the last page
	Ecos  []ecosystem.Ecosystem
}

func (d *dash) findings(w http.ResponseWriter, r *http.Request) {
	q, err := findingQuery(r.URL.Query())
	if err != nil {
		d.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	rows, next, err := d.cfg.Store.Findings(r.Context(), q)
	if err != nil {
		d.storeFail(w, err)
		return
	}
	data := findingsData{Query: q, Rows: rows, Ecos: ecosystem.All()}
	if next != "" {
		v := r.URL.Query()
		v.Set("cursor", next)
		data.Next = "/findings?" + v.Encode()
	}
	d.render(w, http.StatusOK, "findings.html", "Findings", data)
}

// findingQuery reads the filters of /findings, as /v1/findings takes them.
func findingQuery(v url.Values) (store.FindingQuery, error) {
	q := store.FindingQuery{Rule: v.Get("rule"), Cursor: v.Get("cursor")}
	if s := v.Get("verdict"); s != "" {
		vd := record.Verdict(s)
		if vd != record.Allow && vd != record.Warn && vd != record.Block {
			return q, fmt.Errorf("unknown verdict %q (want allow, warn or block)", s)
		}
		q.Verdict = vd
	}
	if s := v.Get("ecosystem"); s != "" {
		e, err := ecosystem.Parse(s)
		if err != nil {
			return q, err
		}
		q.Ecosystem = e
	}
	if s := v.Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return q, fmt.Errorf("since: want an RFC 3339 time such as 2026-12-04T00:00:00Z")
		}
		q.Since = t
	}
	return q, nil
}

type campaignsData struct {
	Campaigns []store.Campaign
	Next      string // the next page's URL, "" on the last page
}

func (d *dash) campaigns(w http.ResponseWriter, r *http.Request) {
	camps, next, err := d.cfg.Store.Campaigns(r.Context(), store.CampaignQuery{Limit: 100, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		d.storeFail(w, err)
		return
	}
	data := campaignsData{Campaigns: camps}
	if next != "" {
		data.Next = "/campaigns?" + url.Values{"cursor": {next}}.Encode()
	}
	d.render(w, http.StatusOK, "campaigns.html", "Campaigns", data)
}

type campaignData struct {
	Campaign store.Campaign
	Chart    chart
}

func (d *dash) campaign(w http.ResponseWriter, r *http.Request) {
	c, err := d.cfg.Store.Campaign(r.Context(), r.PathValue("id"))
	if err != nil {
		d.storeFail(w, err)
		return
	}
	d.render(w, http.StatusOK, "campaign.html", "Campaign "+c.ID, campaignData{Campaign: c, Chart: rateChart(c.Members)})
}

// rateChart counts a campaign's members by the hour (or day, for a
// campaign longer than four days) they were seen.
func rateChart(members []store.CampaignMember) chart {
	if len(members) == 0 {
		return newChart("Members seen", nil, []string{"member"}, "", 0)
	}
	first, last := members[0].SeenAt, members[0].SeenAt
	for _, m := range members {
		if m.SeenAt.Before(first) {
			first = m.SeenAt
		}
		if m.SeenAt.After(last) {
			last = m.SeenAt
		}
	}
	step, unit, layout := time.Hour, "hour", "01-02 15h"
	if last.Sub(first) > 96*time.Hour {
		step, unit, layout = 24*time.Hour, "day", "01-02"
	}
	start := first.UTC().Truncate(step)
	n := int(last.Sub(start)/step) + 1
	n = min(n, store.MaxBuckets)
	cols := make([]series, n)
	for i := range cols {
		cols[i] = series{Start: start.Add(time.Duration(i) * step), Counts: []int64{0}}
	}
	for _, m := range members {
		if i := int(m.SeenAt.Sub(start) / step); i >= 0 && i < n {
			cols[i].Counts[0]++
		}
	}
	return newChart("Members seen per "+unit+" (UTC)", cols, []string{"member"}, layout, max(1, n/8))
}

type packageData struct {
	Ecosystem ecosystem.Ecosystem
	Name      string
	Versions  []store.VersionRecord
}

func (d *dash) pkg(w http.ResponseWriter, r *http.Request) {
	eco, err := ecosystem.Parse(r.PathValue("ecosystem"))
	if err != nil {
		d.fail(w, http.StatusNotFound, err.Error())
		return
	}
	name := r.PathValue("name")
	vs, err := d.cfg.Store.Package(r.Context(), eco, name)
	if err != nil {
		d.storeFail(w, err)
		return
	}
	d.render(w, http.StatusOK, "package.html", name, packageData{eco, name, vs})
}

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04:05Z")
	},
	"pkgURL": func(eco ecosystem.Ecosystem, name string) string {
		return "/packages/" + url.PathEscape(string(eco)) + "/" + url.PathEscape(name)
	},
	"campaignURL": func(id string) string { return "/campaigns/" + url.PathEscape(id) },
	"evidence": func(ev map[string]any) string {
		if len(ev) == 0 {
			return ""
		}
		b, err := json.MarshalIndent(ev, "", "  ")
		if err != nil {
			return fmt.Sprint(ev)
		}
		return string(b)
	},
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"lag": func(s float64) string {
		return (time.Duration(s) * time.Second).Round(time.Second).String()
	},
	"verdictCount": func(m map[record.Verdict]int64, v string) int64 { return m[record.Verdict(v)] },
	"sortedRules": func(vs []store.VersionRecord) []string {
		seen := map[string]bool{}
		for _, v := range vs {
			for _, f := range v.Findings {
				seen[f.Rule] = true
			}
		}
		out := make([]string, 0, len(seen))
		for r := range seen {
			out = append(out, r)
		}
		sort.Strings(out)
		return out
	},
}
