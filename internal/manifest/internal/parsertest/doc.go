// Package parsertest holds the test helpers that manifest parsers share:
// reading fixtures from the package's testdata directory, seeding a fuzz
// corpus with them, and checking the contract every manifest.Parser keeps
// on any input (an *record.InputError naming the file and no partial
// result, or dependencies of the parser's ecosystem, with a name, on lines
// that exist). It is imported by tests only.
package parsertest
