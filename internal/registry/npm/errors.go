package npm

import (
	"errors"
	"fmt"
)

// Kinds of failure, matched with errors.Is on the errors the client returns.
var (
	// ErrNotFound: the registry answered 404 (no such package or file).
	ErrNotFound = errors.New("not found")
	// ErrUnreachable: no answer (network error, timeout) or 429/5xx after
	// the last attempt.
	ErrUnreachable = errors.New("registry unreachable")
	// ErrBadResponse: an unexpected status or a body that is not what was
	// asked for.
	ErrBadResponse = errors.New("bad response")
	// ErrTooLarge: the body exceeds the client's limit.
	ErrTooLarge = errors.New("response too large")
	// ErrIntegrity: a tarball does not match its dist.integrity or
	// dist.shasum, or has neither.
	ErrIntegrity = errors.New("integrity check failed")
	// ErrInvalidName: the name cannot be an npm package name.
	ErrInvalidName = errors.New("invalid package name")
	// ErrNoRegistry: no registry is configured for the name.
	ErrNoRegistry = errors.New("no npm registry configured")
)

// Error is a failed registry operation.
type Error struct {
	Op       string // "packument", "tarball"
	URL      string // the URL asked for, credentials removed
	Status   int    // the last HTTP status, 0 when none
	Attempts int    // how many requests were made
	Kind     error  // one of the Err* values above
	Err      error  // the underlying cause, may be nil
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("npm %s %s: %v", e.Op, e.URL, e.Kind)
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	return msg
}

// Unwrap lets errors.Is match both the kind and the cause.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}
