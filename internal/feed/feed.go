package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// Cursor is a position in a feed, in the feed's native text form. The
// zero value means "no position": Latest then reads from the beginning
// where the feed has one. Head gives the feed's current end.
type Cursor string

// Item is one publication (or removal) a feed reports.
type Item struct {
	Ecosystem ecosystem.Ecosystem
	Name      string
	// Version is empty when the feed names only the package (npm's
	// changes feed): the package's document says which versions are new.
	Version string
	// Deleted: the package (or, with Version, the version) was removed.
	Deleted bool
	// Published is when the feed says the change happened; zero when it
	// does not say.
	Published time.Time
}

// Key is the item's identity for de-duplication: ecosystem, name and
// version.
func (it Item) Key() string {
	return string(it.Ecosystem) + "\x00" + it.Name + "\x00" + it.Version
}

// Gap is a stretch of a feed that can no longer be read.
type Gap struct {
	From, To Cursor
	Reason   string
}

func (g Gap) String() string {
	return fmt.Sprintf("%s (from %q to %q)", g.Reason, g.From, g.To)
}

// Batch is one page of a feed.
type Batch struct {
	Items []Item
	// More: the feed has more items after this page right now; read again
	// without waiting.
	More bool
	// Gap, when not nil, is a stretch before these items that was lost.
	Gap *Gap
	// Errs joins problems with single entries (skipped, the rest of the
	// batch is good) and notices such as a fallback to a less complete
	// source.
	Errs error
}

// Feed is one registry's publication feed.
type Feed interface {
	Ecosystem() ecosystem.Ecosystem
	// Head returns the cursor of the feed's current end, for a feed that
	// starts "now".
	Head(ctx context.Context) (Cursor, error)
	// Latest returns one page of what was published after cur and the
	// cursor to pass next. On error the cursor must not be advanced.
	Latest(ctx context.Context, cur Cursor) (Batch, Cursor, error)
}

// Options tune a feed; the zero value gives the defaults.
type Options struct {
	// HTTPClient sends the requests (default: a client with a 60 s
	// timeout).
	HTTPClient *http.Client
	// PageSize bounds the items asked for in one request where the feed
	// takes a limit (default 1000).
	PageSize int
	// MaxBody bounds one response body (default 64 MiB).
	MaxBody int64
	// UserAgent is sent with every request (default "pkgward").
	UserAgent string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

const (
	defaultPageSize = 1000
	defaultMaxBody  = 64 << 20
	maxPageSize     = 10000
)

func (o Options) withDefaults() Options {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultPageSize
	}
	if o.PageSize > maxPageSize {
		o.PageSize = maxPageSize
	}
	if o.MaxBody <= 0 {
		o.MaxBody = defaultMaxBody
	}
	if o.UserAgent == "" {
		o.UserAgent = "pkgward"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Kind is one row of the feed table.
type Kind struct {
	Ecosystem ecosystem.Ecosystem
	// Source names what the feed reads, for docs and messages.
	Source string
	// DefaultBase is the documented default base URL; empty where none
	// may be assumed (the caller must give one).
	DefaultBase string
	newFeed     func(base *url.URL, o Options) Feed
}

// table lists every feed; adding one is a row here and a file beside this.
var table = []Kind{
	{ecosystem.NPM, "the CouchDB-style changes feed of the configured npm registry ({base}/_changes)", "", newNPM},
	{ecosystem.PyPI, "the changelog serials of PyPI's XML-RPC API, with the RSS updates feed as fallback", "https://pypi.org", newPyPI},
	{ecosystem.NuGet, "the NuGet catalog (commitTimeStamp), found through the V3 service index", "https://api.nuget.org/v3/index.json", newNuGet},
	{ecosystem.RubyGems, "the just-updated and latest activity lists of the RubyGems API, overlapped and de-duplicated", "https://rubygems.org", newRubyGems},
	{ecosystem.Crates, "the crates.io updates RSS feed plus the new crates of its summary API", "https://crates.io", newCrates},
	{ecosystem.Go, "the Go module index ({base}/index?since=…) of the configured module proxy's index server", "", newGoIndex},
}

// Kinds returns the feed table, in a stable order.
func Kinds() []Kind { return append([]Kind(nil), table...) }

// ErrNoBase: the feed has no default base URL and none was given.
var ErrNoBase = errors.New("no base URL")

// New returns the feed of eco reading from base (the row's default when
// base is empty).
func New(eco ecosystem.Ecosystem, base string, o Options) (Feed, error) {
	for _, k := range table {
		if k.Ecosystem != eco {
			continue
		}
		if base == "" {
			base = k.DefaultBase
		}
		if base == "" {
			return nil, fmt.Errorf("feed %s: %w: give one as --feed %s=URL", eco, ErrNoBase, eco)
		}
		u, err := parseBase(base)
		if err != nil {
			return nil, fmt.Errorf("feed %s: %w", eco, err)
		}
		return k.newFeed(u, o.withDefaults()), nil
	}
	return nil, fmt.Errorf("feed %s: %w", eco, ecosystem.ErrUnsupported)
}

func parseBase(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("bad base URL %q: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("bad base URL %q: want http or https", s)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("bad base URL %q: no host", s)
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// join returns base with p appended to its path.
func join(base *url.URL, p string) *url.URL {
	u := *base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + strings.TrimLeft(p, "/")
	u.RawPath = ""
	return &u
}
