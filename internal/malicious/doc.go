// Package malicious is the known-malicious database: it imports OSV
// records, keeps those that mark packages as malicious, stores them in a
// local file and answers "is name@version (or name, any version) known
// malicious?" for the known-malicious analyzer.
//
// It owns:
//
//   - reading OSV records (osv.go): ParseOSV decodes one record (id,
//     modified, published, withdrawn, aliases, summary, affected packages
//     with versions and SEMVER/ECOSYSTEM ranges, database_specific) and
//     decides whether it is malicious. Malicious means: an id with the
//     "MAL-" prefix (OSV's malicious-packages database, fed by the
//     OpenSSF malicious-packages project), a database_specific block
//     naming "malicious-packages-origins" (that project's provenance
//     block, whatever the id), or database_specific.cwe_ids listing
//     CWE-506, Embedded Malicious Code (GitHub's malware advisories).
//     Summaries and details are never used to decide: they are free text,
//     and "malicious" or "malware" appears in ordinary vulnerabilities
//     ("malicious input", "malware scanner bypass"). Ecosystems are the
//     OSV spellings of the six pkgward supports (npm, PyPI, NuGet,
//     RubyGems, Go, crates.io, through ecosystem.Parse); entries of other
//     ecosystems are counted and dropped. A package given only as a purl
//     is read from it;
//   - versions (version.go): an entry covers every version when it lists
//     no versions and no ranges, or has a range introduced at "0" and
//     never closed; otherwise its listed versions and ranges, evaluated as
//     the OSV schema specifies, in the ecosystem's version order (SemVer
//     for npm, crates and Go; an approximation of PEP 440, NuGet and
//     RubyGems order for the others). Pinned tells an exact version from
//     a manifest constraint;
//   - importing (importer.go): an Importer reads directory trees of
//     .json files, the all.zip files OSV publishes per ecosystem (also
//     inside a directory), or single files, decoding documents in
//     parallel. Each document is bounded (Limits.MaxFileSize), as are
//     their number and total size; a malformed or non-OSV document stops
//     the import with an error naming the file (and line for JSON
//     errors); zip entries with absolute or climbing names are ignored and
//     counted. Of several copies of one id, the latest modified wins (at
//     equal times a withdrawal). A withdrawn record is never reported: it
//     becomes a tombstone, which also stops an older copy from coming back
//     in a later merge;
//   - the store (store.go): one file, by default DefaultPath
//     (<user cache dir>/pkgward/malicious.db), written atomically (a
//     temporary file in the same directory, synced, renamed over the old
//     one) so that a concurrent check sees the old or the new database,
//     never half of one;
//   - the database (db.go): an in-memory map from ecosystem and canonical
//     name (ecosystem.Canonical) to the records naming that package,
//     built once at load. Lookup costs one map probe and, on the rare hit,
//     the version checks; a miss allocates nothing;
//   - the Analyzer (analyzer.go), which implements analysis.Analyzer and
//     emits the rule known-malicious, a class of its own, never mixed with
//     vulnerabilities (docs/rules.md#known-malicious).
//
// # Store format
//
// The store is a small versioned binary file of our own (layout in
// store.go): a magic string, a JSON header (import time and sources),
// the records as length-prefixed strings and varints, the tombstones, and
// a CRC-32C of it all. Why not the alternatives:
//
//   - the whole file is needed for every check (a lookup must see every
//     record), so the job is "load everything fast", not "query on disk".
//     Load reads the file once, converts it to one string and slices every
//     decoded string out of it, allocating records in slabs: tens of
//     milliseconds for the full OSV data set, where encoding/gob decodes
//     field by field through reflection, allocating every string, and
//     JSON is slower still;
//   - SQLite (which DESIGN.md plans for the server's store) would add a
//     large dependency, and a query per lookup is far above the
//     sub-microsecond budget of a map probe; the server can import the
//     same records into its own store later;
//   - the format is ours to keep stable: a version number that refuses
//     files of another version ("import again"), a checksum that turns a
//     truncated or damaged file into an error instead of a silently
//     smaller database, and counts checked against the file's size before
//     anything is allocated.
//
// Record details (long Markdown) are not stored: findings carry the id,
// aliases, summary and dates, and the OSV page of the id.
package malicious
