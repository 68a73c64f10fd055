// Package nugetlock reads NuGet lockfiles (packages.lock.json and the
// per-project packages.<project>.lock.json) for the NuGet ecosystem: every
// package of every target framework, direct, transitive or central
// transitive, at its resolved version. Entries of type "Project" are other
// projects of the solution and are skipped; a package locked at the same
// version for several frameworks is reported once, at its first line. The
// file is read as a stream of JSON tokens, lines coming from the decoder's
// input offsets.
package nugetlock
