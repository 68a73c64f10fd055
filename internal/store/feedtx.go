package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// Dialect names of a store's database.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// QueueStore is what the monitor needs beside Store: the database its
// job queue shares with the store, and a feed's cursor advanced in the
// same transaction as the jobs of the batch it read, so that a crash
// between the two can neither lose the batch nor enqueue it twice.
type QueueStore interface {
	Store
	// DB is the store's writing handle (on SQLite the single writer
	// connection; on PostgreSQL the pool).
	DB() *sql.DB
	// Dialect is DialectSQLite or DialectPostgres.
	Dialect() string
	// AdvanceFeed runs enqueue in a transaction on DB, then stores the
	// feed's cursor and, when gap is not nil, records the gap, and
	// commits; if enqueue fails nothing is written.
	AdvanceFeed(ctx context.Context, a FeedAdvance, enqueue func(tx *sql.Tx) error) error
	// FeedGaps lists a feed's recorded gaps, newest first ("" for every
	// feed), at most limit.
	FeedGaps(ctx context.Context, eco ecosystem.Ecosystem, limit int) ([]FeedGap, error)
	// RecentPackages returns the package checks with a stored record
	// checked at or after since, newest first, at most limit
	// (MaxRecent), each with its findings.
	RecentPackages(ctx context.Context, since time.Time, limit int) ([]RecentPackage, error)
	// MemberCampaigns returns the ids of the campaigns a package version
	// is a member of.
	MemberCampaigns(ctx context.Context, eco ecosystem.Ecosystem, name, version string) ([]string, error)
	// SetCampaignSigs keeps some members' compact signatures for a
	// campaign; KnownCampaigns reads them back with the campaign's
	// indicators and members, for the gate's campaign matcher.
	SetCampaignSigs(ctx context.Context, id string, sigs []campaign.CompactSig) error
	KnownCampaigns(ctx context.Context, limit int) ([]campaign.Known, error)
}

// FeedAdvance is one step of a feed.
type FeedAdvance struct {
	Ecosystem ecosystem.Ecosystem
	Cursor    string
	LastPoll  time.Time
	Errors    int64
	Gap       *FeedGap // nil: none
}

// FeedGap is a stretch of a feed that could no longer be read.
type FeedGap struct {
	Ecosystem ecosystem.Ecosystem
	From, To  string
	Reason    string
	FoundAt   time.Time
}

func (s *sqlStore) DB() *sql.DB { return s.w }

func (s *sqlStore) Dialect() string {
	if s.d == dialectPostgres {
		return DialectPostgres
	}
	return DialectSQLite
}

func (s *sqlStore) AdvanceFeed(ctx context.Context, a FeedAdvance, enqueue func(tx *sql.Tx) error) error {
	if a.Ecosystem == "" || !validText(string(a.Ecosystem)) || !validText(a.Cursor) {
		return fmt.Errorf("%w: feed %q cursor %q", ErrInvalid, a.Ecosystem, a.Cursor)
	}
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if enqueue != nil {
		if err := enqueue(tx); err != nil {
			return err
		}
	}
	now := time.Now()
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO feeds (ecosystem, cursor, last_poll, errors, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (ecosystem) DO UPDATE SET cursor = excluded.cursor, last_poll = excluded.last_poll, errors = excluded.errors, updated_at = excluded.updated_at`),
		string(a.Ecosystem), a.Cursor, us(a.LastPoll), a.Errors, us(now)); err != nil {
		return err
	}
	if g := a.Gap; g != nil {
		at := g.FoundAt
		if at.IsZero() {
			at = now
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO feed_gaps (ecosystem, from_cursor, to_cursor, reason, found_at) VALUES ($1, $2, $3, $4, $5)`),
			string(a.Ecosystem), cleanText(g.From), cleanText(g.To), cleanText(g.Reason), us(at)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *sqlStore) FeedGaps(ctx context.Context, eco ecosystem.Ecosystem, lim int) ([]FeedGap, error) {
	n, err := limit(lim)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT ecosystem, from_cursor, to_cursor, reason, found_at FROM feed_gaps
		WHERE $1 = '' OR ecosystem = $1 ORDER BY found_at DESC, id DESC LIMIT $2`), string(eco), n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FeedGap
	for rows.Next() {
		var g FeedGap
		var at int64
		if err := rows.Scan(&g.Ecosystem, &g.From, &g.To, &g.Reason, &at); err != nil {
			return nil, err
		}
		g.FoundAt = fromUS(at)
		out = append(out, g)
	}
	return out, rows.Err()
}
