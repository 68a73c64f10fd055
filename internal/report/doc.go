// Package report renders a finished [Report] — results in input order, input
// errors, notices and the rule catalog — in one of the output formats of the
// CLI contract: human text, one JSON document, JSON Lines, SARIF 2.1.0,
// Markdown for pull-request comments and a self-contained HTML page. The
// formats are one table in report.go, one file per format.
//
// Renderers only read a report: they never judge, re-grade, filter by
// severity or reorder results. Verdicts and findings come from the analysis
// package; exit codes are decided by the caller. The one look at the file
// system is SARIF's: it finds the git work tree enclosing each reported file
// (a stat of .git per parent directory) and whether an inspected source is a
// directory, to give code scanning repository-relative paths; it reads no
// file.
//
// [AppendJSONL] is the allocation-light encoder that the sweep command uses
// to stream one result per line; the jsonl renderer is built on it so both
// produce identical bytes.
package report
