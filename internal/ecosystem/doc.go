// Package ecosystem owns the package ecosystems pkgward knows: their
// identifiers (with the OSV spellings accepted as aliases), the rules that
// decide when two spellings name the same package (canonical form), and the
// stricter confusability keys a registry uses to refuse names that merely
// look like an existing one.
//
// Everything here is pure string work: no I/O, no global mutable state.
// Adding an ecosystem means adding one entry to the table in ecosystem.go.
package ecosystem
