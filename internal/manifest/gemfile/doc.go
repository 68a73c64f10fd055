// Package gemfile reads Bundler Gemfiles (Gemfile and gems.rb) for the
// RubyGems ecosystem. A Gemfile is Ruby code, so it is read conservatively,
// line by line, without evaluating anything: a line whose first word is a
// call of gem (`gem "name", "~> 1.0", require: false`, `gem('name')`, inside
// group, platforms or any other block) declares the gem whose name is the
// string literal that follows, with the string literals after it, up to the
// first keyword argument or other expression, as its version constraints
// (joined with ", "); arguments may continue on the next lines after a comma
// or an open parenthesis. A gem call whose name is not a plain string
// literal (a variable, an interpolated or escaped string, %q()) is skipped,
// since its value cannot be known; any other line is skipped too. Lines
// inside =begin/=end comments and heredocs, and after __END__, are not
// code. A string left unterminated on its line in a gem call, an empty or
// whitespace-containing gem name, and an unterminated heredoc or =begin are
// errors.
package gemfile
