// Package config reads `.pkgward.yaml`: suppressions (`ignore:`), names
// the user wants protected (`corpus:`, `corpus-files:`) and defaults for
// global flags. Decoding is strict: an unknown key or a malformed entry is
// an error naming the file and line, never silently ignored.
package config
