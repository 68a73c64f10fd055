// Package packagesconfig reads NuGet packages.config files (and the
// per-project packages.<project>.config) for the NuGet ecosystem: every
// <package id="..." version="..."/> element under the <packages> root,
// which must carry both attributes. The file is read with encoding/xml in
// strict mode, which expands no entities beyond XML's five; DOCTYPE and
// other directives are refused outright.
package packagesconfig
