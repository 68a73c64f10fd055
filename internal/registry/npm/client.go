package npm

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Default limits of a Client.
const (
	DefaultMaxDocumentSize = 64 << 20  // a packument (the largest are tens of MB)
	DefaultMaxTarballSize  = 256 << 20 // a tarball
	DefaultMaxCacheSize    = 1 << 30   // the whole on-disk cache
	DefaultTimeout         = 60 * time.Second
	DefaultTarballTimeout  = 5 * time.Minute
	DefaultMaxAttempts     = 4
	DefaultBaseDelay       = 500 * time.Millisecond
	DefaultMaxDelay        = 8 * time.Second
	DefaultMaxRetryAfter   = 30 * time.Second
	DefaultTTL             = 5 * time.Minute
	// MaxNameLength is npm's limit on a package name.
	MaxNameLength = 214
)

// Options tune a Client; the zero value gives the defaults above.
type Options struct {
	// HTTPClient sends the requests (default: a client with connection,
	// TLS-handshake and response-header timeouts).
	HTTPClient *http.Client
	// Timeout bounds one packument attempt, body included; TarballTimeout
	// one tarball attempt.
	Timeout, TarballTimeout time.Duration
	// MaxAttempts bounds the requests for one operation (1: no retry).
	MaxAttempts int
	// BaseDelay and MaxDelay shape the backoff: before retry n (1-based)
	// the client sleeps a random duration in [0, min(MaxDelay,
	// BaseDelay·2^(n-1))] ("full jitter").
	BaseDelay, MaxDelay time.Duration
	// MaxRetryAfter caps the wait a Retry-After header may ask for; a
	// server asking for longer ends the retries.
	MaxRetryAfter time.Duration
	// MaxDocumentSize and MaxTarballSize bound bodies (decompressed).
	MaxDocumentSize, MaxTarballSize int64
	// CacheDir holds cached packuments (default
	// os.UserCacheDir()/pkgward/npm); NoCache disables the cache.
	CacheDir string
	NoCache  bool
	// TTL is how long a cached packument is used without asking the
	// registry; after it the entry is revalidated (ETag / Last-Modified).
	// A negative TTL always revalidates.
	TTL time.Duration
	// MaxCacheSize bounds the cache directory; the least recently used
	// entries are removed beyond it.
	MaxCacheSize int64
	// UserAgent is sent with every request.
	UserAgent string
	// Sleep waits between attempts (tests replace it); it must return
	// ctx.Err() when ctx ends first.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock of the cache (default time.Now).
	Now func() time.Time
}

// Client fetches from one registry. It is safe for concurrent use.
type Client struct {
	base  *url.URL
	opts  Options
	http  *http.Client
	cache *cache
}

// New returns a client of the registry at baseURL (an http or https URL;
// RegistryFor finds it).
func New(baseURL string, opts Options) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("npm registry %q: not an http(s) URL", redact(baseURL))
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&opts.Timeout, DefaultTimeout)
	def(&opts.TarballTimeout, DefaultTarballTimeout)
	def(&opts.BaseDelay, DefaultBaseDelay)
	def(&opts.MaxDelay, DefaultMaxDelay)
	def(&opts.MaxRetryAfter, DefaultMaxRetryAfter)
	def(&opts.TTL, DefaultTTL)
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.MaxDocumentSize <= 0 {
		opts.MaxDocumentSize = DefaultMaxDocumentSize
	}
	if opts.MaxTarballSize <= 0 {
		opts.MaxTarballSize = DefaultMaxTarballSize
	}
	if opts.MaxCacheSize <= 0 {
		opts.MaxCacheSize = DefaultMaxCacheSize
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "pkgward (+https://github.com/pkgward/pkgward)"
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   16,
			ForceAttemptHTTP2:     true,
		}}
	}
	c := &Client{base: u, opts: opts, http: hc}
	if !opts.NoCache {
		dir := opts.CacheDir
		if dir == "" {
			if ucd, err := os.UserCacheDir(); err == nil {
				dir = filepath.Join(ucd, "pkgward", "npm")
			}
		}
		if dir != "" {
			c.cache = &cache{dir: dir, maxEntry: opts.MaxDocumentSize, maxTotal: opts.MaxCacheSize, now: opts.Now}
		}
	}
	return c, nil
}

// Base returns the registry's base URL.
func (c *Client) Base() string { return c.base.String() }

// ValidName checks that name can be an npm package name: at most 214
// bytes, no white space or control characters, no path tricks, and
// "@scope/name" as the only form with a slash.
func ValidName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrInvalidName, name, why) }
	switch {
	case name == "":
		return bad("empty")
	case len(name) > MaxNameLength:
		return bad(fmt.Sprintf("longer than %d bytes", MaxNameLength))
	case !utf8.ValidString(name):
		return bad("not UTF-8")
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '%' || r == '\\' || r == '?' || r == '#' {
			return bad("contains a character npm does not allow")
		}
	}
	local := name
	if strings.HasPrefix(name, "@") {
		scope, rest, ok := strings.Cut(name[1:], "/")
		if !ok || scope == "" || rest == "" || strings.Contains(rest, "/") {
			return bad(`a scoped name is "@scope/name"`)
		}
		if scope == "." || scope == ".." {
			return bad("invalid scope")
		}
		local = rest
	} else if strings.Contains(name, "/") {
		return bad(`only scoped names ("@scope/name") contain "/"`)
	}
	if local == "." || local == ".." || strings.HasPrefix(local, ".") || strings.HasPrefix(local, "_") {
		return bad(`a name cannot start with "." or "_"`)
	}
	return nil
}

// PackumentURL returns the URL of name's document: the base URL followed
// by the name, a scope's slash encoded ("@scope%2fname") as npm does.
func (c *Client) PackumentURL(name string) (string, error) {
	if err := ValidName(name); err != nil {
		return "", err
	}
	esc := url.PathEscape(name)
	if strings.HasPrefix(name, "@") {
		// url.PathEscape keeps "@"; it escapes "/" as "%2F", npm writes "%2f".
		esc = strings.Replace(esc, "%2F", "%2f", 1)
	}
	return c.base.String() + esc, nil
}

// Packument fetches and decodes the full document of name.
func (c *Client) Packument(ctx context.Context, name string) (*Document, error) {
	u, err := c.PackumentURL(name)
	if err != nil {
		return nil, err
	}
	var cached *entry
	if c.cache != nil {
		cached = c.cache.get(u)
		if cached != nil && c.opts.TTL > 0 && c.opts.Now().Sub(cached.fetched) < c.opts.TTL {
			if doc, err := Decode(cached.body); err == nil {
				return doc, nil
			}
			cached = nil
		}
	}
	hdr := http.Header{"Accept": {"application/json"}}
	if cached != nil {
		if cached.ETag != "" {
			hdr.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			hdr.Set("If-Modified-Since", cached.LastModified)
		}
	}
	res, err := c.do(ctx, "packument", u, hdr, c.opts.Timeout, c.opts.MaxDocumentSize, cached != nil)
	if err != nil {
		return nil, err
	}
	body := res.body
	if res.status == http.StatusNotModified {
		body = cached.body
	}
	doc, err := Decode(body)
	if err != nil {
		return nil, &Error{Op: "packument", URL: redact(u), Status: res.status, Attempts: res.attempts, Kind: ErrBadResponse, Err: err}
	}
	if doc.Name != name && !strings.EqualFold(doc.Name, name) {
		return nil, &Error{Op: "packument", URL: redact(u), Status: res.status, Attempts: res.attempts, Kind: ErrBadResponse, Err: fmt.Errorf("document is for %q, not %q", doc.Name, name)}
	}
	switch {
	case res.status == http.StatusNotModified:
		c.cache.touch(u)
	case c.cache != nil:
		c.cache.put(u, &entry{ETag: res.header.Get("ETag"), LastModified: res.header.Get("Last-Modified"), body: res.body})
	}
	return doc, nil
}

// Tarball downloads the tarball d names and verifies it against
// d.Integrity (the strongest SRI hash it lists: sha512, sha384, sha256 or
// sha1) or, without one, d.Shasum. A tarball with neither is refused
// (ErrIntegrity). Tarballs are not cached.
func (c *Client) Tarball(ctx context.Context, d Dist) ([]byte, error) {
	u, err := url.Parse(d.Tarball)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &Error{Op: "tarball", URL: redact(d.Tarball), Kind: ErrBadResponse, Err: errors.New("tarball URL is not an http(s) URL")}
	}
	check, err := newVerifier(d)
	if err != nil {
		return nil, &Error{Op: "tarball", URL: redact(d.Tarball), Kind: ErrIntegrity, Err: err}
	}
	res, err := c.do(ctx, "tarball", d.Tarball, http.Header{"Accept": {"application/octet-stream"}}, c.opts.TarballTimeout, c.opts.MaxTarballSize, false)
	if err != nil {
		return nil, err
	}
	if err := check(res.body); err != nil {
		return nil, &Error{Op: "tarball", URL: redact(d.Tarball), Status: res.status, Attempts: res.attempts, Kind: ErrIntegrity, Err: err}
	}
	return res.body, nil
}

// newVerifier returns a function checking a body against d's hashes.
func newVerifier(d Dist) (func([]byte) error, error) {
	type algo struct {
		name string
		h    func() hash.Hash
	}
	// Strongest first.
	algos := []algo{{"sha512", sha512.New}, {"sha384", sha512.New384}, {"sha256", sha256.New}, {"sha1", sha1.New}}
	fields := strings.Fields(d.Integrity)
	for _, a := range algos {
		var wants [][]byte
		for _, f := range fields {
			name, b64, ok := strings.Cut(f, "-")
			if !ok || name != a.name {
				continue
			}
			if i := strings.IndexByte(b64, '?'); i >= 0 { // SRI options
				b64 = b64[:i]
			}
			sum, err := base64.StdEncoding.DecodeString(b64)
			if err != nil || len(sum) != a.h().Size() {
				return nil, fmt.Errorf("malformed integrity %q", f)
			}
			wants = append(wants, sum)
		}
		if len(wants) == 0 {
			continue
		}
		return func(body []byte) error {
			h := a.h()
			h.Write(body)
			got := h.Sum(nil)
			for _, w := range wants {
				if bytes.Equal(got, w) {
					return nil
				}
			}
			return fmt.Errorf("%s is %s, want %s", a.name, base64.StdEncoding.EncodeToString(got), base64.StdEncoding.EncodeToString(wants[0]))
		}, nil
	}
	if d.Integrity != "" {
		return nil, fmt.Errorf("integrity %q names no supported hash", d.Integrity)
	}
	if d.Shasum != "" {
		want, err := hex.DecodeString(strings.ToLower(strings.TrimSpace(d.Shasum)))
		if err != nil || len(want) != sha1.Size {
			return nil, fmt.Errorf("malformed shasum %q", d.Shasum)
		}
		return func(body []byte) error {
			got := sha1.Sum(body)
			if !bytes.Equal(got[:], want) {
				return fmt.Errorf("sha1 is %x, want %x", got, want)
			}
			return nil
		}, nil
	}
	return nil, errors.New("the version lists neither dist.integrity nor dist.shasum")
}

// response is a completed request.
type response struct {
	status   int
	header   http.Header
	body     []byte
	attempts int
}

// do sends GET u, retrying network errors, 429 and 5xx. It returns 200
// responses (and 304 when notModifiedOK) with their body read up to max
// bytes; any other outcome is an *Error.
func (c *Client) do(ctx context.Context, op, u string, hdr http.Header, timeout time.Duration, max int64, notModifiedOK bool) (*response, error) {
	fail := func(kind error, status, attempts int, err error) error {
		return &Error{Op: op, URL: redact(u), Status: status, Attempts: attempts, Kind: kind, Err: err}
	}
	var lastErr error
	lastStatus := 0
	for attempt := 1; ; attempt++ {
		res, retryAfter, err := c.attempt(ctx, u, hdr, timeout, max)
		if ctx.Err() != nil {
			return nil, fail(ErrUnreachable, lastStatus, attempt, ctx.Err())
		}
		retry := false
		switch {
		case err != nil:
			var e *Error
			if errors.As(err, &e) { // too large: not worth retrying
				e.Op, e.URL, e.Attempts = op, redact(u), attempt
				return nil, e
			}
			lastErr, lastStatus, retry = err, 0, true
		case res.status == http.StatusOK, res.status == http.StatusNotModified && notModifiedOK:
			res.attempts = attempt
			return res, nil
		case res.status == http.StatusNotFound:
			return nil, fail(ErrNotFound, res.status, attempt, nil)
		case res.status == http.StatusTooManyRequests || res.status >= 500:
			lastErr, lastStatus, retry = nil, res.status, true
		default:
			return nil, fail(ErrBadResponse, res.status, attempt, statusHint(res.status))
		}
		if !retry || attempt >= c.opts.MaxAttempts {
			return nil, fail(ErrUnreachable, lastStatus, attempt, lastErr)
		}
		delay := c.backoff(attempt)
		if retryAfter > 0 {
			if retryAfter > c.opts.MaxRetryAfter {
				return nil, fail(ErrUnreachable, lastStatus, attempt, fmt.Errorf("server asks to retry after %s (more than %s)", retryAfter, c.opts.MaxRetryAfter))
			}
			delay = retryAfter
		}
		if err := c.opts.Sleep(ctx, delay); err != nil {
			return nil, fail(ErrUnreachable, lastStatus, attempt, err)
		}
	}
}

func statusHint(status int) error {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return errors.New("the registry refuses access (authentication is not supported)")
	}
	return nil
}

// backoff returns the delay before retry n (1-based): full jitter over an
// exponentially growing, capped window.
func (c *Client) backoff(n int) time.Duration {
	window := c.opts.BaseDelay
	for i := 1; i < n && window < c.opts.MaxDelay; i++ {
		window *= 2
	}
	window = min(window, c.opts.MaxDelay)
	if window <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(window) + 1))
}

// attempt sends one request. A nil error with a non-200 status carries no
// body; retryAfter is the Retry-After of a 429/503.
func (c *Client) attempt(ctx context.Context, u string, hdr http.Header, timeout time.Duration, max int64) (*response, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, &Error{Kind: ErrBadResponse, Err: err}
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	res := &response{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // reuse the connection
		return res, retryAfter(resp.Header.Get("Retry-After"), c.opts.Now()), nil
	}
	if resp.ContentLength > max {
		return nil, 0, &Error{Status: resp.StatusCode, Kind: ErrTooLarge, Err: fmt.Errorf("%d bytes announced, limit %d", resp.ContentLength, max)}
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	n, err := io.Copy(&buf, io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, 0, err
	}
	if n > max {
		return nil, 0, &Error{Status: resp.StatusCode, Kind: ErrTooLarge, Err: fmt.Errorf("more than %d bytes", max)}
	}
	res.body = buf.Bytes()
	return res, 0, nil
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		if s > int64(24*time.Hour/time.Second) {
			s = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
