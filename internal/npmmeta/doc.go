// Package npmmeta judges an npm package by its registry metadata: the
// history of its versions, who published them, when, with which install
// scripts. It is an analyzer in the sense of the architecture: pure (no
// I/O, no clock, no global state), working on a Snapshot of the package
// document that the caller fetched beforehand (internal/registry/npm)
// and on the time "now" it is given.
//
// The rules are risk signals, not verdicts: most are low or medium, so
// they warn; only npm-security-holding, where the registry itself
// replaced the package, is critical.
//
//   - npm-security-holding (critical): the package was taken down by the
//     registry and replaced by its security holding package (version
//     "0.0.1-security", description "security holding package"); the
//     other rules are not evaluated then.
//   - npm-new-package (medium): first published less than NewPackageAge
//     (30 days) before now.
//   - npm-new-version (low): the version checked was published less than
//     NewVersionAge (7 days) before now, the window in which most
//     malicious releases of hijacked packages were found and removed; not
//     reported for a package's first version (npm-new-package covers it).
//   - npm-single-version (low): one version was ever published.
//   - npm-no-repository (low): neither the version checked nor the package
//     names a source repository.
//   - npm-maintainers-changed: medium when the version checked was
//     published by an account that was neither publisher nor maintainer of
//     the version before it (the hijacked-release signal); low when only
//     the maintainer list changed between the two versions.
//   - npm-install-script-added (medium): the version checked runs an
//     install script (preinstall, install, postinstall, or node-gyp for a
//     binding.gyp) that the version before it did not.
//
// "The version checked" is the version asked for when the document has
// it, else the one dist-tags.latest names (what an install would get),
// else the most recently published; "the version before it" is the one
// published just before it in time.
package npmmeta
