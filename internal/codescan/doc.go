// Package codescan runs rules over the files of a package archive (an
// artifact.Tree) and reports malware, graded by when code runs (install
// time, import time, other): lifecycle scripts and
// build hooks that run code, credential and wallet theft, exfiltration
// endpoints, download-and-execute, reverse shells, obfuscation, browser
// wallet hijacking, worm behaviour and bundled executables.
//
// It owns:
//
//   - the rule model (rules.go): rules are data, embedded from rules.yaml
//     and extended by user files of the same format (LoadRules, Merge),
//     decoded strictly with line-numbered errors; docs/codescan.md
//     describes the format and every rule;
//   - the literal prefilter (literals.go): one Aho–Corasick automaton over
//     every literal of every rule, run once over each file; regular
//     expressions run only around literal hits, within a bounded window;
//   - tokenizers (tokenize.go) for JavaScript/TypeScript, Python,
//     PowerShell, Ruby, shell, batch, MSBuild XML, Rust and Go, one pass each,
//     so that a rule written for code does not fire on comments, and
//     string literals are known; Markdown, text, JSON and other files are
//     not code and no rule reads them;
//   - Go package initialization (goinit.go): init bodies, package-level
//     var initializers and what they call are a Go module's only
//     import-time code (an import-time twin of the file); a Go module has
//     no install-time file;
//   - languages and install-time files (lang.go, npm.go): npm lifecycle
//     scripts become pieces of shell (and inline node -e code) at their
//     package.json line, and the files they run are install-time, like
//     setup.py, NuGet install.ps1, MSBuild build/*.targets, gem extconf.rb
//     and build.rs;
//   - built-in detectors the rules name (detectors.go): base64, hex and
//     escape blobs, string entropy, executable magic numbers, lifecycle
//     commands;
//   - grading and findings (scan.go, redact.go): a rule fires at its
//     pattern's severity and is escalated by combinations (another rule in
//     the same file, the file running at install time); evidence carries
//     file, line, location, a short redacted snippet and the description.
//
// Scan is pure: no I/O, no printing, no global state beyond the compiled
// default rules; a RuleSet is safe for concurrent Scans.
package codescan
