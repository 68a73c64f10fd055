// Package artifact reads package archives safely into memory: npm
// tarballs, PyPI wheels and sdists, NuGet packages, gems, Go module zips,
// crates and plain directories. It is a source: it returns a Tree (the
// regular files, the package metadata as a record.Package, structural
// findings) and never judges content.
//
// It owns:
//
//   - reading (read.go, tar.go, zip.go, dir.go): Open and Read detect the
//     container from magic bytes (gzip or bzip2 tar, tar, zip) and the
//     package flavour from the name and the files; directories are walked
//     through an os.Root without following links. Nothing is extracted to
//     disk, links and device files are never created or followed;
//   - limits (meter.go, Limits): total uncompressed bytes, bytes kept per
//     file, entries, and the compression ratio measured on the stream, so a
//     bomb is refused after about a megabyte of output;
//   - names (names.go): entry names are cleaned (backslashes are
//     separators) and those that escape the root are refused;
//   - classification (classify.go): the format, the top directory stripped
//     (any first component of an npm tarball, as npm strips it;
//     name-version/, module@version/), files sorted by path with
//     duplicates resolved as extraction would (the last copy wins);
//   - metadata (npm.go, pypi.go, nuget.go, gemspec.go, gomod.go, cargo.go):
//     package.json, METADATA/PKG-INFO/pyproject.toml, .nuspec, the gem's
//     YAML gemspec, go.mod and Cargo.toml into record.Package, with the
//     code that runs at install or build time in Scripts;
//   - the structural rule catalog (rules.go): archive-bomb,
//     archive-too-large, archive-too-many-files, archive-file-too-large,
//     archive-path-traversal, archive-symlink, archive-special-file,
//     archive-duplicate-path, archive-bad-name, archive-corrupt,
//     archive-format-mismatch, archive-bad-metadata, archive-multiple-roots.
//
// Formats, limits and rules are described in docs/artifact.md.
package artifact
