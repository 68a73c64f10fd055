// Package dashboard renders pkgward serve's web pages from the store:
// the overview (checks and verdicts over time, latest blocks, feed lag,
// recent campaigns), findings with filters, campaigns with their members
// and publication rate, and each package's stored checks with every
// finding's evidence.
//
// Pages are rendered on the server with html/template; charts are SVG
// drawn on the server; the one stylesheet is embedded. Nothing is loaded
// from another origin and no script runs, so the pages work offline and
// under a strict Content-Security-Policy. Package text shown on a page
// (names, messages, evidence) is untrusted and is escaped by the
// templates. The dashboard only reads the store.
package dashboard
