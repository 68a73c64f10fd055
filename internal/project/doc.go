// Package project finds a project's manifests and lockfiles under a
// directory and parses each with the parser registered for it
// (internal/manifest/list), and its registry configuration files with the
// configuration parser for them (internal/manifest/registryconf). It is a
// source: it reads files safely (no symlinks followed, sizes bounded,
// includes confined to the scan root) and returns dependencies and
// registry settings with file:line, and errors naming file and line; it
// never judges.
package project
