// Package tomlpos reads TOML project files while keeping the byte offset of
// every key and value, for manifest parsers that must report the line a
// dependency is declared on (pyproject.toml, poetry.lock, uv.lock,
// Cargo.toml, Cargo.lock).
//
// Every entry point first decodes the whole document with go-toml's
// decoder, which also rejects duplicate keys and redefined tables, so a
// malformed file is refused before any dependency is produced. The document
// is then read with go-toml's unstable AST parser, whose nodes carry byte
// ranges:
//
//   - Parse builds a small tree of Values (tables, arrays, strings, other
//     scalars) in which every Field knows where its key is written, for
//     parsers that look keys up;
//   - Walk hands each top-level expression to a callback, for parsers that
//     stream (Cargo), and KeyParts splits a dotted key into its parts with
//     their offsets.
//
// Offsets map to lines through manifest.LineIndex. Every error is a
// *record.InputError naming the file and the best line known; Error
// converts go-toml's own errors the same way for callers that drive go-toml
// themselves.
package tomlpos
