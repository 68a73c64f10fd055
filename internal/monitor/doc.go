// Package monitor follows the registries' publication feeds and judges
// every new publication, on a job queue in the store's own database
// (River: riversqlite on SQLite, riverdatabasesql on PostgreSQL).
//
// Each feed is polled by one process at a time (on PostgreSQL, the holder
// of an advisory lock per feed; other processes wait and take over when
// it goes away). A poll reads pages until the feed is caught up, then
// waits the poll interval. For every page, the jobs of its items are
// inserted and the feed's cursor advanced in one transaction: a crash
// before the commit re-reads the page, a crash after it loses nothing,
// because the jobs are in the database. Every process works jobs; a
// worker that dies mid-job (kill -9) leaves its job running in the table
// until River's rescuer makes it available again, so a job is retried,
// never lost. A job judges its item through the caller's Judge and stores
// the checks with the store's idempotent upsert, so a retried job does no
// harm. A Gap a feed reports is recorded in the store (FeedGaps) and
// logged, never skipped silently.
package monitor
