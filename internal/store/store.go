// Package store persists what pkgward serve judges: every check with its
// findings, campaigns and their members, and the feeds' cursors. One
// interface, two implementations: SQLite (embedded default, pure Go) and
// PostgreSQL (scale-out; several serve processes may share one database).
// Both use the same schema, applied on Open by embedded goose migrations.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// Store is the persistence the server and the monitor build on. Every
// method is safe for concurrent use by many goroutines (and, on
// PostgreSQL, by several processes).
type Store interface {
	// SaveCheck stores one check and its findings and returns the check's
	// id. It is an idempotent upsert on (kind, ecosystem, name, version,
	// source): saving the same subject from the same source again replaces
	// verdict, findings, package and checked-at, keeps the id and the
	// earliest first-seen time. Calls from many goroutines are coalesced into one
	// transaction; SaveCheck returns only after its transaction committed,
	// so an acknowledged check survives a crash. A Check that is not valid
	// gives an error wrapping ErrInvalid.
	SaveCheck(ctx context.Context, c Check) (int64, error)

	// Package returns every stored check of one package (kind package),
	// one record per (version, source), newest first-seen first.
	// ErrNotFound when none is stored. Names are compared as stored: the
	// caller passes the ecosystem's canonical spelling.
	Package(ctx context.Context, eco ecosystem.Ecosystem, name string) ([]VersionRecord, error)

	// Findings returns one page of findings, newest check first, and the
	// cursor of the next page ("" on the last page). Pages are keyed on
	// (checked_at, id), so concurrent inserts never shift a page: a page
	// read with a cursor holds no row of an earlier page. A malformed
	// cursor gives ErrInvalidCursor.
	Findings(ctx context.Context, q FindingQuery) (page []FindingRow, next string, err error)

	// Campaigns returns one page of campaigns, most recently seen first
	// (a campaign without members last), without their members, and the
	// cursor of the next page ("" on the last page). Pages are keyed on
	// (last seen, id); a malformed cursor gives ErrInvalidCursor.
	Campaigns(ctx context.Context, q CampaignQuery) (page []Campaign, next string, err error)
	// Campaign returns one campaign with its members; ErrNotFound when
	// unknown.
	Campaign(ctx context.Context, id string) (Campaign, error)
	// UpsertCampaign creates a campaign or replaces its confidence and
	// indicators; members, size and first/last seen are kept.
	UpsertCampaign(ctx context.Context, c CampaignInfo) error
	// AddCampaignMember adds a member (idempotent on ecosystem, name,
	// version) and widens the campaign's first/last seen to its SeenAt.
	// ErrNotFound when the campaign is unknown.
	AddCampaignMember(ctx context.Context, campaignID string, m CampaignMember) error

	// FeedCursor returns a feed's stored state; ErrNotFound when the feed
	// has never stored a cursor.
	FeedCursor(ctx context.Context, eco ecosystem.Ecosystem) (FeedState, error)
	// SetFeedCursor stores a feed's cursor (in the feed's native form),
	// the time of its last poll and its error count.
	SetFeedCursor(ctx context.Context, eco ecosystem.Ecosystem, cursor string, lastPoll time.Time, errors int64) error

	// Stats counts what is stored.
	Stats(ctx context.Context) (Stats, error)
	// Series counts checks by verdict in consecutive buckets of time
	// (by their latest check time), for the dashboard's chart.
	Series(ctx context.Context, q SeriesQuery) ([]Bucket, error)

	// Ping reports whether the database is reachable and every embedded
	// migration is applied (what /readyz asks).
	Ping(ctx context.Context) error
	// Close waits for queued writes to commit, then closes the database.
	// SaveCheck after Close gives ErrClosed.
	Close() error
}

// Errors the store returns (wrapped; test with errors.Is).
var (
	ErrNotFound      = errors.New("store: not found")
	ErrInvalid       = errors.New("store: invalid record")
	ErrInvalidCursor = errors.New("store: invalid cursor")
	ErrClosed        = errors.New("store: closed")
)

// Kind is the kind of subject a check judged.
type Kind string

// The kinds of subject.
const (
	KindPackage  Kind = "package"
	KindDomain   Kind = "domain"
	KindEmail    Kind = "email"
	KindRegistry Kind = "registry"
)

// Check is one judgement to store.
type Check struct {
	Kind      Kind                // required
	Ecosystem ecosystem.Ecosystem // required for KindPackage, may be "" otherwise
	Name      string              // required: package name, domain, message id, setting
	Version   string              // may be ""
	// Source is where the check came from: "gate", "feed:npm", "cli".
	// Required.
	Source   string
	Verdict  record.Verdict // allow, warn or block
	Findings []record.Finding
	// Package is the checked record as JSON, stored as given; nil or
	// valid JSON.
	Package json.RawMessage
	// CheckedAt is when the check ran; the zero time means now. Stored
	// with microsecond precision.
	CheckedAt time.Time
}

// VersionRecord is one stored check of a package.
type VersionRecord struct {
	CheckID   int64
	Version   string
	Source    string
	Verdict   record.Verdict
	Findings  []record.Finding // in the order saved
	Package   json.RawMessage  // nil when none was saved
	FirstSeen time.Time        // the first save of this (version, source)
	CheckedAt time.Time        // the latest save
}

// FindingQuery selects findings; zero fields do not filter.
type FindingQuery struct {
	Verdict   record.Verdict      // the check's verdict
	Ecosystem ecosystem.Ecosystem // the check's ecosystem
	Rule      string              // the finding's rule id
	Since     time.Time           // checks at or after
	// Limit is the page size: 0 means DefaultLimit, at most MaxLimit.
	Limit int
	// Cursor is the next value of the previous page, "" for the first.
	Cursor string
}

// Page sizes of Findings.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// FindingRow is one finding with the check it belongs to.
type FindingRow struct {
	ID        int64 // the finding's id
	CheckID   int64
	Kind      Kind
	Ecosystem ecosystem.Ecosystem
	Name      string
	Version   string
	Source    string
	Verdict   record.Verdict // the check's verdict
	CheckedAt time.Time
	Finding   record.Finding
}

// CampaignQuery selects a page of campaigns.
type CampaignQuery struct {
	// Limit is the page size: 0 means DefaultLimit, at most MaxLimit.
	Limit int
	// Cursor is the next value of the previous page, "" for the first.
	Cursor string
}

// CampaignInfo is what UpsertCampaign writes.
type CampaignInfo struct {
	ID         string // required, e.g. campaign.Campaign.ID
	Confidence float64
	Indicators campaign.Indicators
}

// CampaignMember is one member of a campaign.
type CampaignMember struct {
	Ecosystem ecosystem.Ecosystem
	Name      string
	Version   string
	SeenAt    time.Time // zero means now
}

// Campaign is a stored campaign.
type Campaign struct {
	ID         string
	Confidence float64
	Indicators campaign.Indicators
	Size       int // members stored
	FirstSeen  time.Time
	LastSeen   time.Time
	// Members, sorted by ecosystem, name, version; only filled by
	// Store.Campaign.
	Members []CampaignMember
}

// FeedState is a feed's stored cursor.
type FeedState struct {
	Ecosystem ecosystem.Ecosystem
	Cursor    string
	LastPoll  time.Time
	Errors    int64
	UpdatedAt time.Time
}

// Stats counts what is stored.
type Stats struct {
	// Packages counts distinct (ecosystem, name, version) of package
	// checks, as /v1/stats reports it (issue 7).
	Packages int64
	// Names counts distinct (ecosystem, name) of package checks.
	Names int64
	// Checks counts stored checks of every kind.
	Checks int64
	// ByVerdict counts checks per verdict; verdicts with none are absent.
	ByVerdict map[record.Verdict]int64
	// Feeds, sorted by ecosystem.
	Feeds []FeedStat
}

// FeedStat is one feed in Stats.
type FeedStat struct {
	Ecosystem ecosystem.Ecosystem
	Cursor    string
	LastPoll  time.Time
	// LagSeconds is the time since LastPoll when Stats ran.
	LagSeconds float64
	Errors     int64
}

// Options tune Open; the zero value is the defaults.
type Options struct {
	// BatchWindow is how long the writer waits for more checks to join a
	// transaction once one is queued; 0 means DefaultBatchWindow, a
	// negative value means no wait (checks queued meanwhile still join).
	BatchWindow time.Duration
	// BatchSize caps the checks in one transaction; 0 means
	// DefaultBatchSize.
	BatchSize int
}

// Defaults of Options.
const (
	DefaultBatchWindow = time.Millisecond
	DefaultBatchSize   = 256
)
