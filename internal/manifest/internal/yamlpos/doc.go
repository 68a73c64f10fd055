// Package yamlpos reads YAML project files with gopkg.in/yaml.v3's node
// API for manifest parsers that must report the line of a problem
// (pnpm-lock.yaml, Yarn Berry's yarn.lock, .yarnrc.yml, .gemrc).
//
// Decode parses a file into its top-level node, whose Line fields are
// 1-based; a syntax error becomes a *record.InputError naming the file at
// the line ErrorLine reads from yaml.v3's message, and a panic inside
// yaml.v3 on hostile input becomes an input error rather than a crash.
//
// ErrorLine exists because yaml.v3's messages ("yaml: line N: problem")
// are inconsistent: N is 1-based for scanner problems but 0-based for
// parser problems (its fail() adjusts only the former), and the line is
// omitted altogether when the 0-based mark is 0. ErrorLine tells the two
// apart by the problem text, as spelled by yaml.v3 v3.0.1 (the version
// go.mod requires); the tests pin both readings, so an upgrade that
// rewords a problem shows up there.
package yamlpos
