// Package depurl is the dependency-source analyzer: it reads the
// dependencies a package declares (package.json dependencies and
// optionalDependencies, as the archive reader records them) and reports
// those npm installs from somewhere other than the registry — a git
// repository, a tarball URL, a plain-HTTP or raw-IP host — because that
// fetch happens at install time, outside every check the registry does.
//
// Pure: no I/O, no printing; specs are parsed, never followed.
package depurl
