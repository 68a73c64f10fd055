package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

// versionJSON is one stored version in GET /v1/packages.
type versionJSON struct {
	Version   string           `json:"version"`
	Verdict   record.Verdict   `json:"verdict"`
	Findings  []record.Finding `json:"findings"`
	Source    string           `json:"source"`
	FirstSeen time.Time        `json:"first_seen"`
	CheckedAt time.Time        `json:"checked_at"`
}

func (s *server) pkg(w http.ResponseWriter, r *http.Request) {
	eco, err := ecosystem.Parse(r.PathValue("ecosystem"))
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	name := r.PathValue("name") // decoded: %40scope%2Fx is @scope/x
	vs, err := s.cfg.Store.Package(r.Context(), eco, name)
	if errors.Is(err, store.ErrNotFound) {
		fail(w, http.StatusNotFound, "%s %s: never checked", eco, name)
		return
	}
	if err != nil {
		s.readFailed(w, err)
		return
	}
	out := struct {
		Ecosystem ecosystem.Ecosystem `json:"ecosystem"`
		Name      string              `json:"name"`
		Versions  []versionJSON       `json:"versions"`
	}{eco, name, make([]versionJSON, 0, len(vs))}
	for _, v := range vs {
		fs := v.Findings
		if fs == nil {
			fs = []record.Finding{}
		}
		out.Versions = append(out.Versions, versionJSON{v.Version, v.Verdict, fs, v.Source, v.FirstSeen.UTC(), v.CheckedAt.UTC()})
	}
	writeJSON(w, http.StatusOK, out)
}

// findings lists stored findings, newest first, a page at a time:
// ?verdict=&ecosystem=&rule=&since=RFC3339&limit=&cursor=.
func (s *server) findings(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := store.FindingQuery{Rule: v.Get("rule"), Cursor: v.Get("cursor")}
	if x := v.Get("verdict"); x != "" {
		switch verdict := record.Verdict(x); verdict {
		case record.Allow, record.Warn, record.Block:
			q.Verdict = verdict
		default:
			fail(w, http.StatusBadRequest, "verdict %q: want allow, warn or block", x)
			return
		}
	}
	if x := v.Get("ecosystem"); x != "" {
		eco, err := ecosystem.Parse(x)
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		q.Ecosystem = eco
	}
	if x := v.Get("since"); x != "" {
		t, err := time.Parse(time.RFC3339, x)
		if err != nil {
			fail(w, http.StatusBadRequest, "since %q: want an RFC 3339 time (2026-12-01T00:00:00Z)", x)
			return
		}
		q.Since = t
	}
	n, _, ok := pageParams(w, r)
	if !ok {
		return
	}
	q.Limit = n
	rows, next, err := s.cfg.Store.Findings(r.Context(), q)
	switch {
	case errors.Is(err, store.ErrInvalidCursor), errors.Is(err, store.ErrInvalid):
		fail(w, http.StatusBadRequest, "%v", err)
		return
	case err != nil:
		s.readFailed(w, err)
		return
	}
	type row struct {
		Ecosystem ecosystem.Ecosystem `json:"ecosystem"`
		Name      string              `json:"name"`
		Version   string              `json:"version"`
		Source    string              `json:"source"`
		Verdict   record.Verdict      `json:"verdict"`
		CheckedAt time.Time           `json:"checked_at"`
		Finding   record.Finding      `json:"finding"`
	}
	out := struct {
		Findings []row  `json:"findings"`
		Next     string `json:"next,omitempty"`
	}{make([]row, 0, len(rows)), next}
	for _, f := range rows {
		out.Findings = append(out.Findings, row{f.Ecosystem, f.Name, f.Version, f.Source, f.Verdict, f.CheckedAt.UTC(), f.Finding})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) stats(w http.ResponseWriter, r *http.Request) {
	st, err := s.cfg.Store.Stats(r.Context())
	if err != nil {
		s.readFailed(w, err)
		return
	}
	type feed struct {
		Ecosystem  ecosystem.Ecosystem `json:"ecosystem"`
		Cursor     string              `json:"cursor"`
		LastPoll   time.Time           `json:"last_poll"`
		LagSeconds float64             `json:"lag_seconds"`
		Errors     int64               `json:"errors"`
	}
	out := struct {
		Packages  int64                    `json:"packages"`
		Checks    int64                    `json:"checks"`
		ByVerdict map[record.Verdict]int64 `json:"by_verdict"`
		Feeds     []feed                   `json:"feeds"`
	}{st.Packages, st.Checks, map[record.Verdict]int64{record.Allow: 0, record.Warn: 0, record.Block: 0}, []feed{}}
	for v, n := range st.ByVerdict {
		out.ByVerdict[v] = n
	}
	for _, f := range st.Feeds {
		out.Feeds = append(out.Feeds, feed{f.Ecosystem, f.Cursor, f.LastPoll.UTC(), f.LagSeconds, f.Errors})
	}
	writeJSON(w, http.StatusOK, out)
}

// ready is 200 when the store answers, 503 otherwise.
func (s *server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		s.m.storeErrors.WithLabelValues("ping").Inc()
		fail(w, http.StatusServiceUnavailable, "store: %v", err)
		return
	}
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(ctx); err != nil {
			fail(w, http.StatusServiceUnavailable, "%v", err)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ready": true})
}

// readFailed answers a failed store read with 503 and counts it.
func (s *server) readFailed(w http.ResponseWriter, err error) {
	s.m.storeErrors.WithLabelValues("read").Inc()
	fail(w, http.StatusServiceUnavailable, "reading the store: %v", err)
}

// pageParams reads ?limit= and ?cursor=; ok is false when the response
// (400) has been written.
func pageParams(w http.ResponseWriter, r *http.Request) (limit int, cursor string, ok bool) {
	v := r.URL.Query()
	if x := v.Get("limit"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 || n > store.MaxLimit {
			fail(w, http.StatusBadRequest, "limit %q: want 1 to %d", x, store.MaxLimit)
			return 0, "", false
		}
		limit = n
	}
	return limit, v.Get("cursor"), true
}

// campaignJSON is a campaign in GET /v1/campaigns and /v1/campaigns/{id}.
type campaignJSON struct {
	ID         string              `json:"id"`
	Confidence float64             `json:"confidence"`
	Size       int                 `json:"size"`
	Indicators campaign.Indicators `json:"indicators"`
	FirstSeen  *time.Time          `json:"first_seen"` // null before the first member
	LastSeen   *time.Time          `json:"last_seen"`
	Members    []memberJSON        `json:"members,omitempty"`
}

type memberJSON struct {
	Ecosystem ecosystem.Ecosystem `json:"ecosystem"`
	Name      string              `json:"name"`
	Version   string              `json:"version"`
	SeenAt    time.Time           `json:"seen_at"`
}

func utcOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func toCampaignJSON(c store.Campaign) campaignJSON {
	out := campaignJSON{ID: c.ID, Confidence: c.Confidence, Size: c.Size, Indicators: c.Indicators,
		FirstSeen: utcOrNil(c.FirstSeen), LastSeen: utcOrNil(c.LastSeen)}
	for _, m := range c.Members {
		out.Members = append(out.Members, memberJSON{m.Ecosystem, m.Name, m.Version, m.SeenAt.UTC()})
	}
	return out
}

// campaigns lists stored campaigns, most recently seen first, a page at
// a time: ?limit=&cursor=.
func (s *server) campaigns(w http.ResponseWriter, r *http.Request) {
	n, cursor, ok := pageParams(w, r)
	if !ok {
		return
	}
	page, next, err := s.cfg.Store.Campaigns(r.Context(), store.CampaignQuery{Limit: n, Cursor: cursor})
	switch {
	case errors.Is(err, store.ErrInvalidCursor), errors.Is(err, store.ErrInvalid):
		fail(w, http.StatusBadRequest, "%v", err)
		return
	case err != nil:
		s.readFailed(w, err)
		return
	}
	out := struct {
		Campaigns []campaignJSON `json:"campaigns"`
		Next      string         `json:"next,omitempty"`
	}{make([]campaignJSON, 0, len(page)), next}
	for _, c := range page {
		out.Campaigns = append(out.Campaigns, toCampaignJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
}

// campaign returns one campaign with its members.
func (s *server) campaign(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	c, err := s.cfg.Store.Campaign(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		fail(w, http.StatusNotFound, "campaign %q: unknown", id)
		return
	}
	if err != nil {
		s.readFailed(w, err)
		return
	}
	out := toCampaignJSON(c)
	if out.Members == nil {
		out.Members = []memberJSON{}
	}
	writeJSON(w, http.StatusOK, out)
}
