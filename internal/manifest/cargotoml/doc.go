// Package cargotoml reads Rust package manifests (Cargo.toml) for the crates
// ecosystem: the [dependencies], [dev-dependencies] and [build-dependencies]
// tables (and their legacy snake_case spellings), the same tables under
// [target.'cfg(...)'] and [workspace.dependencies], in every TOML form Cargo
// accepts (string, inline table, dotted keys, [dependencies.name] subtable).
// A dependency renamed with `package = "real"` is reported under the real
// crate name; `workspace = true` inheritors are skipped because the workspace
// root declares them. [patch] and [replace] overrides are not dependencies
// and are ignored. The file is first decoded whole with go-toml, so any TOML
// error is reported at go-toml's position; lines of declarations then come
// from the byte ranges of key nodes in go-toml's unstable AST parser, never
// from a text search, so a name mentioned elsewhere cannot be mislocated.
package cargotoml
