// Package poetrylock reads poetry.lock: one dependency per [[package]] entry,
// with its locked name and version, located at the entry's `name = "..."`
// line. Packages Poetry resolved from the local file system
// ([package.source] type "directory" or "file") are skipped: no registry
// serves them. The file is validated with go-toml and walked with its
// position-aware parser, so malformed TOML and malformed entries are errors.
package poetrylock
