// Package cargolock reads Cargo lockfiles (Cargo.lock) for the crates
// ecosystem: every [[package]] entry with a source (a registry or a git
// repository), at its locked version. Entries without a source are the
// workspace's own crates, or path dependencies, and are skipped. The file is
// first decoded whole with go-toml, so any TOML error is reported at
// go-toml's position; the line of each entry (its `name` key) then comes
// from the byte ranges of key nodes in go-toml's unstable AST parser rather
// than from a text search.
package cargolock
