// Package yarnlock parses yarn.lock, both the classic yarn v1 format (read
// by a hand-written parser: `"a@^1", "a@^1.1":` header lines followed by an
// indented `version "1.2.0"`) and the YAML lockfile of Yarn Berry (v2+,
// recognised by its `__metadata` entry, read with gopkg.in/yaml.v3). Each
// entry is reported once, however many specs its header lists, with the
// locked version and the line of the header; the name is the package
// actually installed (the target of an "npm:" alias in v1, the
// "resolution" in Berry). Berry workspace entries and __metadata are
// skipped; file:, link:, git and patch: entries are reported by name.
package yarnlock
