package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Kinds of failure, matched with errors.Is.
var (
	// ErrUnreachable: no answer (network error, timeout) or a 429/5xx.
	ErrUnreachable = errors.New("feed unreachable")
	// ErrBadResponse: an unexpected status or a body that is not what was
	// asked for.
	ErrBadResponse = errors.New("bad response")
	// ErrTooLarge: the body exceeds Options.MaxBody.
	ErrTooLarge = errors.New("response too large")
)

// Error is a failed feed request.
type Error struct {
	URL    string // credentials removed
	Status int    // 0 when there was no answer
	Kind   error
	Err    error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %v", e.URL, e.Kind)
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// get fetches u and returns its body, at most o.MaxBody bytes.
func (o Options) get(ctx context.Context, u *url.URL, accept string) ([]byte, error) {
	return o.do(ctx, http.MethodGet, u, accept, "", nil)
}

func (o Options) do(ctx context.Context, method string, u *url.URL, accept, ctype string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, &Error{URL: redact(u), Kind: ErrBadResponse, Err: err}
	}
	req.Header.Set("User-Agent", o.UserAgent)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := o.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{URL: redact(u), Kind: ErrUnreachable, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		kind := ErrBadResponse
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			kind = ErrUnreachable
		}
		return nil, &Error{URL: redact(u), Status: resp.StatusCode, Kind: kind}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, o.MaxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{URL: redact(u), Status: resp.StatusCode, Kind: ErrUnreachable, Err: err}
	}
	if int64(len(b)) > o.MaxBody {
		return nil, &Error{URL: redact(u), Status: resp.StatusCode, Kind: ErrTooLarge, Err: fmt.Errorf("over %d bytes", o.MaxBody)}
	}
	return b, nil
}

// badBody wraps a decoding problem of u's body.
func badBody(u *url.URL, err error) error {
	return &Error{URL: redact(u), Status: http.StatusOK, Kind: ErrBadResponse, Err: err}
}
