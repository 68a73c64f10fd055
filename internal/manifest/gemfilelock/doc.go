// Package gemfilelock reads Bundler lockfiles (Gemfile.lock and
// gems.locked) for the RubyGems ecosystem: the specs of the GEM, GIT and
// PLUGIN SOURCE sections at their locked versions (platform suffix kept,
// as in "1.15.4-x86_64-linux"), and the DEPENDENCIES entries that no
// section locks, with their constraints. Specs of PATH sections are local
// gems, usually the project itself, and are not reported; their
// sub-dependencies (6-space lines) are never reported, being specs of
// their own. The format is line-oriented and read strictly: an indentation
// or spec line Bundler would not write is an error naming its line, while
// sections Bundler may add in the future (all-caps headers) are skipped.
package gemfilelock
