package campaign

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// maxURLLen bounds one extracted URL; a longer run of URL characters is
// cut there (a campaign's links are short; a data: blob is not a link).
const maxURLLen = 2048

// Link is a URL found in a package's text or metadata, normalized.
type Link struct {
	// URL is the host and path without scheme, "www.", port, query,
	// fragment or trailing slash: "bit.ly/3AbCdE". The host is lower
	// case; the path keeps its case (shortener codes are case-sensitive)
	// except on code hosts, whose paths are case-insensitive.
	URL string
	// Host is the lower-case host name without "www." and port.
	Host string
	// Domain is the registrable domain (eTLD+1, e.g. "example.co.uk"),
	// or Host when it has none.
	Domain string
	// Query is the raw query string, "" when none: per-package tracking
	// parameters on a shared link show up here.
	Query string
}

// ExtractURLs calls fn with the byte offsets [start, end) of every URL in
// text: runs starting with "http://", "https://" or "www." (any case) at
// a word boundary, ended by white space, a quote, '<', '>', '`', an
// unbalanced ')' or ']', or the end of text, with trailing punctuation
// (".,;:!?*'") trimmed. It finds links in plain text, Markdown
// ("[x](https://…)", "<https://…>") and HTML attributes alike; it never
// allocates.
func ExtractURLs(text string, fn func(start, end int)) {
	for i := 0; i < len(text); {
		n := urlPrefix(text, i)
		if n == 0 {
			i++
			continue
		}
		end := urlEnd(text, i, i+n)
		if end-i > n {
			fn(i, end)
			i = end
		} else {
			i += n
		}
	}
}

// urlPrefix returns the length of a URL start at text[i:] (0 if none).
func urlPrefix(text string, i int) int {
	c := text[i] | 0x20
	if c != 'h' && c != 'w' {
		return 0
	}
	if i > 0 {
		p := text[i-1]
		if isASCIIAlnum(p) || p == '.' || p == '-' || p == '_' || p == '/' || p == '@' {
			return 0
		}
	}
	for _, p := range [...]string{"https://", "http://", "www."} {
		if len(text)-i >= len(p) && strings.EqualFold(text[i:i+len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// urlEnd returns the end of the URL that starts at start and whose body
// begins at body.
func urlEnd(text string, start, body int) int {
	paren, bracket := 0, 0
	end := body
	limit := min(len(text), start+maxURLLen)
loop:
	for end < limit {
		c := text[end]
		switch {
		case c <= ' ' || c == 0x7f:
			break loop
		case c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' || c == '|' || c == '\\' || c == '^':
			break loop
		case c == '(':
			paren++
		case c == ')':
			if paren == 0 {
				break loop
			}
			paren--
		case c == '[':
			bracket++
		case c == ']':
			if bracket == 0 {
				break loop
			}
			bracket--
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(text[end:])
			if r == utf8.RuneError || isSpaceRune(r) {
				break loop
			}
			end += size
			continue
		}
		end++
	}
	for end > body {
		switch text[end-1] {
		case '.', ',', ';', ':', '!', '?', '*', '_', '~':
			end--
			continue
		}
		break
	}
	return end
}

func isSpaceRune(r rune) bool {
	switch r {
	case 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200b
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// NormalizeURL normalizes a URL found in text or given as a homepage or
// repository ("git+https://…/x.git", "git@github.com:o/r.git",
// "github:o/r" and "www.…" accepted). ok is false for anything without a
// plausible public host name (a dotted name of letters, digits and
// hyphens, with a top-level label of letters).
func NormalizeURL(raw string) (Link, bool) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > maxURLLen {
		return Link{}, false
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "git+"):
		s, lower = s[4:], lower[4:]
	case strings.HasPrefix(lower, "github:"):
		s, lower = "https://github.com/"+s[7:], "https://github.com/"+lower[7:]
	case strings.HasPrefix(lower, "gitlab:"):
		s, lower = "https://gitlab.com/"+s[7:], "https://gitlab.com/"+lower[7:]
	case strings.HasPrefix(lower, "bitbucket:"):
		s, lower = "https://bitbucket.org/"+s[10:], "https://bitbucket.org/"+lower[10:]
	}
	if strings.HasPrefix(lower, "git@") {
		// scp-like: git@github.com:owner/repo.git
		if h, p, ok := strings.Cut(s[4:], ":"); ok && !strings.HasPrefix(p, "//") {
			s = "ssh://" + h + "/" + p
			lower = strings.ToLower(s)
		}
	}
	if strings.HasPrefix(lower, "www.") {
		s = "http://" + s
	} else if i := strings.Index(lower, "://"); i <= 0 {
		return Link{}, false
	} else {
		switch lower[:i] {
		case "http", "https", "git", "ssh", "git+ssh":
		default:
			return Link{}, false
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return Link{}, false
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimSuffix(host, ".")
	host = strings.TrimPrefix(host, "www.")
	if !validHost(host) {
		return Link{}, false
	}
	path := u.EscapedPath()
	code := isCodeHost(host)
	if code {
		path = strings.ToLower(path)
		path = strings.TrimSuffix(path, ".git")
	}
	path = strings.TrimRight(path, "/")
	if len(path) > 512 {
		path = path[:512]
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil || d == "" {
		d = host
	}
	return Link{URL: host + path, Host: host, Domain: d, Query: u.RawQuery}, true
}

// validHost accepts dotted ASCII names (IDNs arrive as punycode or are
// refused) whose last label is alphabetic or punycode.
func validHost(h string) bool {
	if len(h) < 4 || len(h) > 253 || strings.Count(h, ".") == 0 {
		return false
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(tld, "xn--") {
		return true
	}
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return true
}

// codeHosts are hosts of source code, registries and documentation that
// honest packages link to by the thousand; their registrable domain is
// no evidence of a common operator (their exact URLs still are).
var codeHosts = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true, "codeberg.org": true,
	"sr.ht": true, "sourceforge.net": true, "gitee.com": true, "dev.azure.com": true,
	"githubusercontent.com": true, "npmjs.com": true, "npmjs.org": true, "yarnpkg.com": true,
	"pypi.org": true, "python.org": true, "nuget.org": true, "rubygems.org": true,
	"crates.io": true, "docs.rs": true, "pkg.go.dev": true, "golang.org": true, "go.dev": true,
	"readthedocs.io": true, "readthedocs.org": true, "opensource.org": true, "shields.io": true,
	"badge.fury.io": true, "travis-ci.org": true, "travis-ci.com": true, "codecov.io": true,
	"coveralls.io": true, "circleci.com": true, "unpkg.com": true, "jsdelivr.net": true,
	"wikipedia.org": true, "mozilla.org": true, "w3.org": true, "microsoft.com": true,
	"apache.org": true, "gnu.org": true, "creativecommons.org": true, "spdx.org": true,
	"choosealicense.com": true, "semver.org": true, "keepachangelog.com": true,
	"conventionalcommits.org": true, "stackoverflow.com": true, "google.com": true,
	"youtube.com": true, "twitter.com": true, "x.com": true, "medium.com": true,
	"discord.gg": true, "discord.com": true, "nodejs.org": true, "typescriptlang.org": true,
	"reactjs.org": true, "react.dev": true, "vuejs.org": true, "angular.io": true,
	"example.com": true, "localhost.com": true, "gitter.im": true, "snyk.io": true,
	"david-dm.org": true, "greenkeeper.io": true, "opencollective.com": true,
	"patreon.com": true, "paypal.me": true, "ko-fi.com": true, "buymeacoffee.com": true,
	"img.shields.io": true, "raw.githubusercontent.com": true, "gist.github.com": true,
}

// isCodeHost reports a host of a code host or other generic site.
func isCodeHost(host string) bool {
	if codeHosts[host] {
		return true
	}
	if i := strings.IndexByte(host, '.'); i >= 0 && codeHosts[host[i+1:]] {
		return true
	}
	return strings.HasSuffix(host, ".github.io") || strings.HasSuffix(host, ".gitlab.io")
}

// shorteners are URL-shortener and link-in-bio services: a link through
// one hides where it goes.
var shorteners = map[string]bool{
	"bit.ly": true, "bitly.com": true, "tinyurl.com": true, "t.co": true, "goo.gl": true,
	"is.gd": true, "v.gd": true, "cutt.ly": true, "rebrand.ly": true, "ow.ly": true,
	"buff.ly": true, "shorturl.at": true, "rb.gy": true, "tiny.cc": true, "t.ly": true,
	"s.id": true, "linktr.ee": true, "shorte.st": true, "adf.ly": true, "bit.do": true,
	"soo.gd": true, "clck.ru": true, "qr.ae": true, "u.to": true, "urlz.fr": true,
	"gg.gg": true, "ouo.io": true, "exe.io": true, "shrtco.de": true, "tinyurl.is": true,
	"shorturl.asia": true, "lnk.bio": true, "bl.ink": true, "short.io": true, "rebrandly.com": true,
	"t.me": true, "tr.ee": true, "urlr.me": true, "y2u.be": true, "linkfly.to": true,
}

// IsShortener reports whether host (or its registrable domain) is a URL
// shortener.
func IsShortener(host string) bool {
	if shorteners[host] {
		return true
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	return err == nil && shorteners[d]
}
