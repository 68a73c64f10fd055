// Package stream runs the judging of an ordered stream of items (the
// lines of a sweep, the records of a feed) in parallel workers and hands
// the outcomes on in input order, with a bounded number of items in
// flight, so that memory does not grow with the input however slow one
// item is. It also holds the streaming report handler that sweep writes
// JSON Lines with, and the tally of outcomes a command's exit code and
// summary come from.
//
// The runner does no I/O of its own: the caller's read function is the
// source, its work function judges, its emit function writes.
package stream
