package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Target is one configured webhook.
type Target struct {
	URL string
	// Secret is the HMAC-SHA256 key of the X-Pkgward-Signature header;
	// "" sends no signature.
	Secret string
	// Events are the kinds delivered ("block", "campaign"); none means
	// every kind.
	Events []string
}

// Check reports a target that cannot be used: a URL that is not an
// absolute http(s) URL with a host, or an unknown event.
func (t Target) Check() error {
	if err := checkURL(t.URL); err != nil {
		return err
	}
	for _, e := range t.Events {
		if !validKind(Kind(e)) {
			return fmt.Errorf("alert: webhook %s: unknown event %q (want block or campaign)", redact(t.URL), e)
		}
	}
	return nil
}

func validKind(k Kind) bool { return k == KindBlock || k == KindCampaign }

// Wants reports whether a target subscribes to an alert's kind: it
// lists the kind, or lists no event at all.
func (t Target) Wants(k Kind) bool {
	return len(t.Events) == 0 || slices.Contains(t.Events, string(k))
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// Not the url.Error: it quotes the URL, secret and all.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("alert: webhook URL does not parse: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("alert: webhook URL %s: the scheme must be http or https, not %q", redact(raw), u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("alert: webhook URL %s has no host", redact(raw))
	}
	return nil
}

// redact shows a webhook URL without its path, query and user: Slack's
// URLs carry their secret in the path.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// The headers of a delivery.
const (
	HeaderEvent     = "X-Pkgward-Event"
	HeaderDelivery  = "X-Pkgward-Delivery"
	HeaderTimestamp = "X-Pkgward-Timestamp"
	HeaderSignature = "X-Pkgward-Signature"
)

// Defaults of a Sender.
const (
	DefaultTimeout = 10 * time.Second
	maxResponse    = 64 << 10 // bytes of a response read (and discarded)
)

// Sender delivers alerts. The zero value is ready to use.
type Sender struct {
	// Client sends the requests (default: a client that follows no
	// redirect). Its Timeout, if any, is kept; Timeout bounds every
	// request anyway.
	Client *http.Client
	// Timeout bounds one delivery (default DefaultTimeout).
	Timeout time.Duration
	// Now is the clock of the timestamp header (default time.Now).
	Now func() time.Time
}

// PermanentError is a delivery that retrying cannot fix: a refused URL,
// a 4xx answer other than 429, a redirect.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent reports whether err is a delivery that must not be retried.
func Permanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// NewDelivery returns a fresh delivery id: 16 random bytes in hex. A
// delivery keeps its id over its retries, so that a receiver can drop
// the duplicates of at-least-once delivery.
func NewDelivery() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

// Send POSTs an alert to a target once. It returns nil on a 2xx answer,
// a *PermanentError when retrying cannot help, and any other error
// (network, timeout, 429, 5xx) when a retry may succeed. delivery ""
// gets a fresh id.
func (s *Sender) Send(ctx context.Context, t Target, a Alert, delivery string) error {
	if err := checkURL(t.URL); err != nil {
		return &PermanentError{err}
	}
	body, err := Body(a)
	if err != nil {
		return &PermanentError{fmt.Errorf("alert: %w", err)}
	}
	if delivery == "" {
		delivery = NewDelivery()
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return &PermanentError{fmt.Errorf("alert: webhook %s: %w", redact(t.URL), err)}
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "pkgward-webhook")
	req.Header.Set(HeaderEvent, string(a.Kind))
	req.Header.Set(HeaderDelivery, delivery)
	req.Header.Set(HeaderTimestamp, ts)
	if t.Secret != "" {
		req.Header.Set(HeaderSignature, Sign(t.Secret, ts, body))
	}
	resp, err := s.client().Do(req)
	if err != nil {
		// The URL is the target's secret on Slack: keep it out of
		// errors that end in logs and the job table.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("alert: webhook %s: %w", redact(t.URL), err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	resp.Body.Close()
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c == http.StatusTooManyRequests || c >= 500:
		return fmt.Errorf("alert: webhook %s answered %s", redact(t.URL), resp.Status)
	default:
		return &PermanentError{fmt.Errorf("alert: webhook %s answered %s", redact(t.URL), resp.Status)}
	}
}

func (s *Sender) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return noRedirects
}

// noRedirects is the default client: a webhook that redirects is
// misconfigured, and a POST is not replayed elsewhere.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: DefaultTimeout,
		MaxIdleConns:          4,
		IdleConnTimeout:       90 * time.Second,
	},
}

// Sign returns the X-Pkgward-Signature value of a body sent at
// timestamp ts (unix seconds, as sent in X-Pkgward-Timestamp):
// "sha256=" and the hex HMAC-SHA256 of "ts.body" keyed with secret.
func Sign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Errors of Verify.
var (
	ErrNoSignature  = errors.New("alert: no signature or timestamp")
	ErrBadSignature = errors.New("alert: signature does not match")
	ErrStale        = errors.New("alert: timestamp outside the tolerance")
)

// Verify checks a received delivery, as a receiver does: the signature
// header must be the HMAC of the timestamp header and the body, in
// constant time, and the timestamp within tolerance of now (a replayed
// old delivery is refused; tolerance <= 0 skips that check).
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	ts, sig := h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if ts == "" || sig == "" {
		return ErrNoSignature
	}
	if !hmac.Equal([]byte(sig), []byte(Sign(secret, ts, body))) {
		return ErrBadSignature
	}
	if tolerance > 0 {
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			return ErrBadSignature
		}
		if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
			return ErrStale
		}
	}
	return nil
}
