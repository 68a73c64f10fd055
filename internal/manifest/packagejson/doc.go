// Package packagejson parses npm's package.json manifest: the names and
// version specs under dependencies, devDependencies, optionalDependencies
// and peerDependencies, each with the line of its key. An "npm:" alias
// ("foo": "npm:bar@^1") is reported under the package actually installed
// (bar, ^1); file:, link:, git and URL specs are reported by name with the
// spec as written, since the name is what typosquat checks judge. Other
// fields (scripts, workspaces, overrides, bundleDependencies) are ignored.
package packagejson
