// Package list is the explicit registration table of pkgward's manifest
// parsers: adding a file format means adding its package to All (and a
// row to docs/commands/scan.md). No init() magic.
package list
