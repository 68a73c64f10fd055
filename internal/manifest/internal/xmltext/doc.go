// Package xmltext prepares MSBuild and NuGet XML files (*.csproj,
// packages.config and the like) for encoding/xml, for manifest parsers
// that must report where a dependency is declared. NewDecoder transcodes
// files that Visual Studio saved as UTF-16 (with a byte order mark) to
// UTF-8, keeping every newline so lines of the text are lines of the file;
// it returns a Decoder in strict mode, which expands no entities beyond
// XML's five, that reads a declared UTF-16 or ASCII-compatible single-byte
// encoding (read as Latin-1) and refuses any other rather than misread it.
// Decoder.InputError turns encoding/xml's errors into a *record.InputError
// at the line the decoder located, clamped to the lines that exist.
// Decoder.Walk drives the token loop the parsers share: it hands each
// token to a callback with its line and depth, and refuses directives, a
// missing, misnamed or second root element, and nesting beyond a bound.
package xmltext
