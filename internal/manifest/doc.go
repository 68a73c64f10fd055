// Package manifest turns project files (manifests and lockfiles) into
// dependency lists. Each file format lives in its own sub-package exporting
// a Parser; internal/manifest/list registers them in one explicit table.
//
// Parsers are sources: they read and normalize, they never judge. Every
// dependency carries the file and 1-based line it was declared on, and every
// error is a *record.InputError naming file and line, so a malformed file is
// reported, never silently skipped.
package manifest
