// Package pnpmlock parses pnpm-lock.yaml with gopkg.in/yaml.v3's node API
// (for line numbers): the "packages" map of lockfileVersion 5.x (keys such
// as "/@scope/name/1.2.3_peerhash"), 6.x ("/name@1.2.3(peer@4.5.6)") and
// 9.x ("name@1.2.3"). Each entry is reported with the package's name and
// version, taken from its "name" and "version" fields when present
// (tarball and git entries) and from its key otherwise, at the line of the
// key. "importers", the top-level dependency maps and the 9.x "snapshots"
// are not reported: every registry package they reference has its own
// "packages" entry, and link: entries point at local workspace projects.
package pnpmlock
