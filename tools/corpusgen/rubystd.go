package main

import (
	"sort"
)

// rubyStdGems are Ruby's default gems (shipped with every Ruby, updatable
// with `gem update`) and bundled gems (installed with Ruby, in Gemfiles
// like any gem), as listed by the Ruby 3.3 and 3.4 documentation of the
// standard library (docs.ruby-lang.org, "Ruby Standard Library": "Default
// gems" and "Bundled gems"). Debian ships them inside its ruby package, not
// as ruby-* packages, so they are missing from the Debian-derived corpus;
// yet they are in nearly every Gemfile.lock (racc, base64, net-smtp …).
var rubyStdGems = []string{
	// Default gems.
	"benchmark", "bundler", "cgi", "date", "delegate", "did_you_mean", "digest", "english",
	"erb", "error_highlight", "etc", "fcntl", "fiddle", "fileutils", "find", "forwardable",
	"io-console", "io-nonblock", "io-wait", "ipaddr", "irb", "json", "logger", "net-http",
	"net-protocol", "open-uri", "open3", "openssl", "optparse", "ostruct", "pp", "prettyprint",
	"prism", "pstore", "psych", "rdoc", "readline", "reline", "resolv", "ruby2_keywords",
	"securerandom", "set", "shellwords", "singleton", "stringio", "strscan", "syntax_suggest",
	"tempfile", "time", "timeout", "tmpdir", "tsort", "un", "uri", "weakref", "yaml", "zlib",
	"win32ole", "win32-registry",
	// Bundled gems.
	"minitest", "power_assert", "rake", "test-unit", "rexml", "rss", "net-ftp", "net-imap",
	"net-pop", "net-smtp", "matrix", "prime", "rbs", "typeprof", "debug", "racc", "mutex_m",
	"getoptlong", "base64", "bigdecimal", "observer", "abbrev", "resolv-replace", "rinda",
	"drb", "nkf", "syslog", "csv", "repl_type_completor",
}

// withRubyStdGems adds the default and bundled gems the Debian-derived
// rows lack, after every ranked row, in alphabetical order: known honest
// names (a candidate equal to one is never a squat), ranked low so that
// they do not make their short, common names strong targets.
func withRubyStdGems(rows []entry) []entry {
	have := map[string]bool{}
	last := 0
	for _, r := range rows {
		have[canonical("rubygems", r.Name)] = true
		last = max(last, r.Rank)
	}
	var add []string
	for _, g := range rubyStdGems {
		if c := canonical("rubygems", g); !have[c] {
			have[c] = true
			add = append(add, g)
		}
	}
	sort.Strings(add)
	for i, g := range add {
		rows = append(rows, entry{Name: g, Rank: last + 1 + i})
	}
	return rows
}
