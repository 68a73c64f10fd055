// Package npm is pkgward's client for an npm registry: it fetches package
// documents ("packuments") and tarballs over HTTP, for the --online checks.
// It is a source in the sense of the architecture: it fetches facts and
// never judges them (internal/npmmeta does).
//
// The registry is never hard-coded. RegistryFor finds the base URL the way
// npm does for a package name: the npm_config_registry environment
// variable, the project's .npmrc, the user's .npmrc, then `npm config get`
// (only when npm is on PATH, with a timeout); a scoped name ("@acme/x")
// first looks for "@acme:registry" at every level. When nothing is
// configured it fails with ErrNoRegistry.
//
// A Client (New) retries network errors, 429 and 5xx responses a bounded
// number of times with exponential backoff and full jitter, honouring
// Retry-After up to a limit; it keeps packuments in an on-disk cache
// (os.UserCacheDir()/pkgward/npm by default) keyed by URL, served without a
// request while younger than a TTL and revalidated with If-None-Match /
// If-Modified-Since after that; cache files are written atomically and the
// cache is pruned to a size bound. Bodies are bounded (64 MiB for a
// packument, 256 MiB for a tarball) and a tarball is returned only when its
// dist.integrity (or legacy dist.shasum) matches.
//
// A Fetcher fetches the documents of many packages at once, each from its
// own registry, a bounded number at a time, and returns one document or
// error per distinct name: the --online checks and the gate use it.
//
// Errors are *Error values that match, with errors.Is, one of ErrNotFound
// (404), ErrUnreachable (network errors and 429/5xx after the last retry),
// ErrBadResponse (any other status, undecodable JSON), ErrTooLarge,
// ErrIntegrity or ErrInvalidName.
package npm
