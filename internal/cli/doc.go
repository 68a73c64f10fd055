// Package cli wires pkgward's commands: it parses flags (cobra), loads
// configuration and corpora, hands records to the analysis engine and
// results to a renderer, and maps the outcome to an exit code. It holds no
// detection logic of its own.
//
// Exit codes: 0 no finding at or above --fail-on; 1 findings at or above
// it; 2 usage or input error (bad flag, unreadable or malformed file, with
// the file and line named).
package cli
