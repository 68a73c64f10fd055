package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// encodeCursor makes the opaque cursor of a (checked_at, id) key.
func encodeCursor(at, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + strconv.FormatInt(at, 10) + ":" + strconv.FormatInt(id, 10)))
}

// decodeCursor reads a cursor; ErrInvalidCursor when it is not one.
func decodeCursor(c string) (at, id int64, err error) {
	if len(c) > 64 {
		return 0, 0, ErrInvalidCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, ErrInvalidCursor
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 3 || parts[0] != "v1" {
		return 0, 0, ErrInvalidCursor
	}
	at, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return 0, 0, ErrInvalidCursor
	}
	return at, id, nil
}

func limit(n int) (int, error) {
	switch {
	case n < 0:
		return 0, fmt.Errorf("%w: negative limit", ErrInvalid)
	case n == 0:
		return DefaultLimit, nil
	case n > MaxLimit:
		return MaxLimit, nil
	}
	return n, nil
}

func (s *sqlStore) Findings(ctx context.Context, q FindingQuery) ([]FindingRow, string, error) {
	n, err := limit(q.Limit)
	if err != nil {
		return nil, "", err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if q.Verdict != "" {
		where = append(where, "f.verdict = "+arg(string(q.Verdict)))
	}
	if q.Ecosystem != "" {
		where = append(where, "f.ecosystem = "+arg(string(q.Ecosystem)))
	}
	if q.Rule != "" {
		where = append(where, "f.rule = "+arg(q.Rule))
	}
	if !q.Since.IsZero() {
		where = append(where, "f.checked_at >= "+arg(us(q.Since)))
	}
	if q.Cursor != "" {
		at, id, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, "", err
		}
		a, i := arg(at), arg(id)
		where = append(where, "(f.checked_at < "+a+" OR (f.checked_at = "+a+" AND f.id < "+i+"))")
	}
	query := `SELECT f.id, f.check_id, c.kind, c.ecosystem, c.name, c.version, c.source, f.verdict, f.checked_at,
 f.rule, f.severity, f.confidence, f.message, f.evidence FROM findings f JOIN checks c ON c.id = f.check_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY f.checked_at DESC, f.id DESC LIMIT " + strconv.Itoa(n+1)
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []FindingRow
	var ats []int64
	for rows.Next() {
		var r FindingRow
		var at int64
		var sev string
		var ev sql.NullString
		if err := rows.Scan(&r.ID, &r.CheckID, &r.Kind, &r.Ecosystem, &r.Name, &r.Version, &r.Source, &r.Verdict, &at,
			&r.Finding.Rule, &sev, &r.Finding.Confidence, &r.Finding.Message, &ev); err != nil {
			return nil, "", err
		}
		r.CheckedAt = fromUS(at)
		r.Finding.Severity, _ = record.ParseSeverity(sev)
		if ev.Valid {
			_ = json.Unmarshal([]byte(ev.String), &r.Finding.Evidence)
		}
		out = append(out, r)
		ats = append(ats, at)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > n {
		out = out[:n]
		next = encodeCursor(ats[n-1], out[n-1].ID)
	}
	return out, next, nil
}

func (s *sqlStore) Campaigns(ctx context.Context, q CampaignQuery) ([]Campaign, string, error) {
	n, err := limit(q.Limit)
	if err != nil {
		return nil, "", err
	}
	query := `SELECT id, confidence, indicators, size, first_seen, last_seen FROM campaigns`
	var args []any
	if q.Cursor != "" {
		// After the previous page's last campaign in (last seen desc,
		// id asc) order.
		at, after, err := decodeCampaignCursor(q.Cursor)
		if err != nil {
			return nil, "", err
		}
		query += ` WHERE COALESCE(last_seen, 0) < $1 OR (COALESCE(last_seen, 0) = $1 AND id > $2)`
		args = append(args, at, after)
	}
	query += ` ORDER BY COALESCE(last_seen, 0) DESC, id LIMIT ` + strconv.Itoa(n+1)
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > n {
		out = out[:n]
		last := out[n-1]
		at := int64(0)
		if !last.LastSeen.IsZero() {
			at = us(last.LastSeen)
		}
		next = encodeCampaignCursor(at, last.ID)
	}
	return out, next, nil
}

// encodeCampaignCursor is the opaque cursor after the campaign (at, id).
func encodeCampaignCursor(at int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("c1:" + strconv.FormatInt(at, 10) + ":" + id))
}

// decodeCampaignCursor reads a campaign cursor; ErrInvalidCursor when it
// is not one.
func decodeCampaignCursor(c string) (at int64, id string, err error) {
	if len(c) > 512 {
		return 0, "", ErrInvalidCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, "", ErrInvalidCursor
	}
	parts := strings.SplitN(string(b), ":", 3)
	if len(parts) != 3 || parts[0] != "c1" || parts[2] == "" || !validText(parts[2]) {
		return 0, "", ErrInvalidCursor
	}
	at, err = strconv.ParseInt(parts[1], 10, 64)
	if err != nil || at < 0 {
		return 0, "", ErrInvalidCursor
	}
	return at, parts[2], nil
}

func scanCampaign(row interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	var ind string
	var first, last sql.NullInt64
	if err := row.Scan(&c.ID, &c.Confidence, &ind, &c.Size, &first, &last); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(ind), &c.Indicators); err != nil {
		return c, fmt.Errorf("store: indicators of %s: %w", c.ID, err)
	}
	if first.Valid {
		c.FirstSeen = fromUS(first.Int64)
	}
	if last.Valid {
		c.LastSeen = fromUS(last.Int64)
	}
	return c, nil
}

func (s *sqlStore) Campaign(ctx context.Context, id string) (Campaign, error) {
	c, err := scanCampaign(s.r.QueryRowContext(ctx, s.q(`SELECT id, confidence, indicators, size, first_seen, last_seen FROM campaigns WHERE id = $1`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, err
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT ecosystem, name, version, seen_at FROM campaign_members WHERE campaign_id = $1 ORDER BY ecosystem, name, version`), id)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var m CampaignMember
		var at int64
		if err := rows.Scan(&m.Ecosystem, &m.Name, &m.Version, &at); err != nil {
			return c, err
		}
		m.SeenAt = fromUS(at)
		c.Members = append(c.Members, m)
	}
	return c, rows.Err()
}

func (s *sqlStore) UpsertCampaign(ctx context.Context, c CampaignInfo) error {
	if c.ID == "" || !validText(c.ID) {
		return fmt.Errorf("%w: campaign id %q", ErrInvalid, c.ID)
	}
	ind, err := json.Marshal(c.Indicators)
	if err != nil {
		return fmt.Errorf("%w: indicators: %v", ErrInvalid, err)
	}
	_, err = s.w.ExecContext(ctx, s.q(`INSERT INTO campaigns (id, confidence, indicators, size, updated_at) VALUES ($1, $2, $3, 0, $4)
ON CONFLICT (id) DO UPDATE SET confidence = excluded.confidence, indicators = excluded.indicators, updated_at = excluded.updated_at`),
		c.ID, c.Confidence, string(ind), us(time.Now()))
	return err
}

func (s *sqlStore) AddCampaignMember(ctx context.Context, campaignID string, m CampaignMember) error {
	for _, f := range []string{string(m.Ecosystem), m.Name, m.Version} {
		if !validText(f) {
			return fmt.Errorf("%w: invalid UTF-8 or NUL in %q", ErrInvalid, f)
		}
	}
	if m.SeenAt.IsZero() {
		m.SeenAt = time.Now()
	}
	at := us(m.SeenAt)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM campaigns WHERE id = $1`), campaignID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, s.q(`INSERT INTO campaign_members (campaign_id, ecosystem, name, version, seen_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (campaign_id, ecosystem, name, version) DO NOTHING`), campaignID, string(m.Ecosystem), m.Name, m.Version, at)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return tx.Commit() // already a member
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE campaigns SET size = size + 1,
 first_seen = CASE WHEN first_seen IS NULL OR $2 < first_seen THEN $2 ELSE first_seen END,
 last_seen = CASE WHEN last_seen IS NULL OR $2 > last_seen THEN $2 ELSE last_seen END WHERE id = $1`), campaignID, at); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *sqlStore) FeedCursor(ctx context.Context, eco ecosystem.Ecosystem) (FeedState, error) {
	f := FeedState{Ecosystem: eco}
	var poll, upd int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT cursor, last_poll, errors, updated_at FROM feeds WHERE ecosystem = $1`), string(eco)).Scan(&f.Cursor, &poll, &f.Errors, &upd)
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	f.LastPoll, f.UpdatedAt = fromUS(poll), fromUS(upd)
	return f, err
}

func (s *sqlStore) SetFeedCursor(ctx context.Context, eco ecosystem.Ecosystem, cursor string, lastPoll time.Time, errs int64) error {
	if eco == "" || !validText(string(eco)) || !validText(cursor) {
		return fmt.Errorf("%w: feed %q cursor %q", ErrInvalid, eco, cursor)
	}
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO feeds (ecosystem, cursor, last_poll, errors, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (ecosystem) DO UPDATE SET cursor = excluded.cursor, last_poll = excluded.last_poll, errors = excluded.errors, updated_at = excluded.updated_at`),
		string(eco), cursor, us(lastPoll), errs, us(time.Now()))
	return err
}

func (s *sqlStore) Stats(ctx context.Context) (Stats, error) {
	st := Stats{ByVerdict: map[record.Verdict]int64{}}
	for _, c := range []struct {
		dst   *int64
		query string
	}{
		{&st.Checks, `SELECT COUNT(*) FROM checks`},
		{&st.Packages, `SELECT COUNT(*) FROM (SELECT DISTINCT ecosystem, name, version FROM checks WHERE kind = 'package') t`},
		{&st.Names, `SELECT COUNT(*) FROM (SELECT DISTINCT ecosystem, name FROM checks WHERE kind = 'package') t`},
	} {
		if err := s.r.QueryRowContext(ctx, c.query).Scan(c.dst); err != nil {
			return st, err
		}
	}
	rows, err := s.r.QueryContext(ctx, `SELECT verdict, COUNT(*) FROM checks GROUP BY verdict`)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var v record.Verdict
		var n int64
		if err := rows.Scan(&v, &n); err != nil {
			rows.Close()
			return st, err
		}
		st.ByVerdict[v] = n
	}
	rows.Close()
	rows, err = s.r.QueryContext(ctx, `SELECT ecosystem, cursor, last_poll, errors FROM feeds ORDER BY ecosystem`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	now := time.Now()
	for rows.Next() {
		var f FeedStat
		var poll int64
		if err := rows.Scan(&f.Ecosystem, &f.Cursor, &poll, &f.Errors); err != nil {
			return st, err
		}
		f.LastPoll = fromUS(poll)
		f.LagSeconds = now.Sub(f.LastPoll).Seconds()
		st.Feeds = append(st.Feeds, f)
	}
	return st, rows.Err()
}

func (s *sqlStore) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return err
	}
	gd := goose.DialectSQLite3
	if s.d == dialectPostgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, s.r, migrationsFS(s.d))
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if pending {
		return errors.New("store: migrations pending")
	}
	return nil
}
