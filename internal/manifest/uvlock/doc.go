// Package uvlock reads uv.lock: one dependency per [[package]] entry, with
// its locked name and version (uv omits the version of some source trees;
// it is then empty), located at the entry's `name = "..."` line. Packages
// whose source is the local file system — the project itself and workspace
// members (source editable or virtual), and path or directory sources — are
// skipped: no registry serves them. The file is validated with go-toml and
// walked with its position-aware parser, so malformed TOML and malformed
// entries are errors.
package uvlock
