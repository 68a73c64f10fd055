// Package csproj reads MSBuild project files for the NuGet ecosystem:
// C#, F# and Visual Basic projects (*.csproj, *.fsproj, *.vbproj) and the
// shared Directory.Packages.props and Directory.Build.props. It reports
// <PackageReference> items (Include= or Update=, version from the Version
// or VersionOverride attribute or a <Version> child element), and the
// central package management items <PackageVersion> and
// <GlobalPackageReference>. Names that are MSBuild expressions ($(Prop),
// @(Item)) cannot be known statically and are skipped; versions are
// reported as written, expressions included. Old-style <Reference> items
// with hint paths are not package declarations (packages.config is) and
// are ignored. The file is read with encoding/xml in strict mode, which
// expands no entities beyond XML's five; DOCTYPE and other directives are
// refused outright.
package csproj
