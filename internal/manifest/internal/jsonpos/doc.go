// Package jsonpos reads JSON project files while keeping the source line of
// every object member, for manifest parsers that must report where a
// dependency is declared (package.json, package-lock.json, and later
// packages.lock.json, Pipfile.lock and the like). Parse validates the whole
// document once with encoding/json, so a malformed file is rejected before
// any dependency is produced; Members then lists an object's keys in
// document order with the 1-based line of each key and the undecoded value,
// which can be walked further (Members, Lookup) or decoded (String,
// Decode). Members scans the validated bytes directly instead of going
// through json.Decoder, which is several times slower on large lockfiles;
// offsets map to lines through manifest.LineIndex, so a walk is
// O(n log n) however large the file, and large nested values are jumped
// over through an index built by Parse, so walking a deep tree does not
// rescan it at every level. Every error is a *record.InputError naming the
// document's path and the best line known, except ctx.Err() from a
// cancelled walk, returned as is.
package jsonpos
