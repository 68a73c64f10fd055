// Package gomod reads Go module files (go.mod) for the Go ecosystem: every
// require directive, direct or "// indirect", and every replace directive
// whose target is another module (a replacement by a local directory names
// no module and is skipped). Parsing is delegated to golang.org/x/mod/modfile
// in strict mode, so a file the go command would reject is an error naming
// the offending line; dependency lines come from modfile's syntax positions.
package gomod
