// Package pipfilelock reads Pipfile.lock (pipenv): one dependency per entry
// of its "default" and "develop" objects, with the locked version as written
// (e.g. "==2.31.0"; empty for VCS entries), located at the entry's key.
// Entries with a "path" (the project itself, local directories) are skipped:
// no registry serves them. The JSON is read token by token with
// encoding/json so each key's byte offset, hence its line, is known;
// malformed JSON and malformed entries are errors.
package pipfilelock
