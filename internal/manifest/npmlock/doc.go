// Package npmlock parses npm's package-lock.json and npm-shrinkwrap.json:
// lockfileVersion 1 (the nested "dependencies" tree) and 2 and 3 (the flat
// "packages" map keyed by install path, read in preference to the v1
// section a v2 file repeats). Each installed package is reported with the
// version locked and the line of its key; the name is the part of the path
// after the last "node_modules/", or the entry's "name" for aliases, or the
// target of a v1 "npm:" alias version. The root entry, workspace folders and
// workspace links ("link": true) are local packages and are skipped.
package npmlock
