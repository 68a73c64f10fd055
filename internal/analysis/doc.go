// Package analysis runs analyzers over package records and merges their
// findings into a verdict. It owns the Analyzer contract (pure functions
// over a record, with a static rule catalog), the explicit list of
// analyzers, suppressions applied to findings, and the mapping from
// findings to verdicts and to the CLI's exit status.
package analysis
