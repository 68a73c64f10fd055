// Package feed follows the publication feeds of the package registries:
// one Feed per ecosystem behind one interface, each with a cursor in the
// feed's own native form (an npm changes sequence, a PyPI changelog
// serial, a NuGet catalog commit time, a timestamp plus the keys already
// seen at it for the feeds that only offer "latest" lists).
//
// It is a source in the sense of the architecture: a feed says what was
// published, never whether it is malicious. The monitor (pkgward serve
// --feed) keeps each feed's cursor in the store, enqueues the items of a
// batch and advances the cursor in one transaction.
//
// Every feed is read page by page: Latest returns at most one page of
// items after the cursor and the cursor to pass next; Batch.More says that
// the feed has more right now. Items may repeat across batches (delivery
// is at least once; the store's upsert on ecosystem, name and version
// makes that harmless) but are never skipped silently: where a feed can
// no longer give what lies between two cursors (a reset sequence, a
// "latest" list that overflowed between two polls), the batch carries a
// Gap that the monitor records and shows. Problems with single entries
// are joined into Batch.Errs and do not stop the batch.
//
// Base URLs come from the caller (a flag or config key); the table in
// feed.go documents each feed's default where one may be assumed. The npm
// changes feed defaults to the npm registry configured as npm does it,
// which the caller resolves; the Go module index has no default.
// Bodies are bounded, requests carry the caller's context, and a failed
// request returns an error without moving the cursor, so the caller
// retries it at the next poll.
package feed
