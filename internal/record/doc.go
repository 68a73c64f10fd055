// Package record holds the normalized records that flow through pkgward:
// a Package (what sources produce), a Finding (what analyzers emit), a
// Verdict and a Result (what renderers and stores consume). It has no
// behaviour beyond encoding and small helpers, so every other package can
// depend on it without cycles.
package record
