package content

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// cleanURL turns a link destination into an absolute http(s) URL and its
// host, or reports false for relative links, other schemes (mailto:,
// javascript:, data:) and destinations with no usable host. It removes what
// browsers ignore (surrounding spaces, tabs and line breaks inside, other
// control characters), reads "//host" as https and "www.host" as http,
// repairs stray '%' escapes and caps the length at MaxLinkBytes. The
// returned href always parses with url.Parse and its host is the returned
// host.
func cleanURL(raw string) (href, host string, ok bool) {
	raw = strings.TrimSpace(raw)
	if len(raw) > MaxLinkBytes {
		raw = raw[:MaxLinkBytes]
	}
	raw = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, raw)
	raw = strings.TrimSpace(raw)
	raw = strings.ReplaceAll(raw, "\\", "/") // browsers read "https:\\evil" as "https://evil"
	switch {
	case raw == "":
		return "", "", false
	case strings.HasPrefix(raw, "//"):
		raw = "https:" + raw
	case hasPrefixFold(raw, "www."):
		raw = "http://" + raw
	}
	if !hasPrefixFold(raw, "http://") && !hasPrefixFold(raw, "https://") {
		return "", "", false
	}
	raw = fixEscapes(raw)
	u, err := url.Parse(raw)
	if err != nil {
		// Keep the scheme and authority when the rest does not parse
		// (bad port, characters url.Parse refuses in the path).
		auth := raw[strings.Index(raw, "//")+2:]
		if i := strings.IndexAny(auth, "/?#"); i >= 0 {
			auth = auth[:i]
		}
		raw = raw[:strings.Index(raw, "//")+2] + auth + "/"
		if u, err = url.Parse(raw); err != nil {
			return "", "", false
		}
	}
	host = normHost(u.Hostname())
	if host == "" || strings.ContainsAny(host, " %") {
		return "", "", false
	}
	return raw, host, true
}

// hostOf returns the normalized host of an href produced by cleanURL.
func hostOf(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	return normHost(u.Hostname())
}

func normHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if !utf8.ValidString(h) {
		return ""
	}
	return h
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// fixEscapes escapes a '%' that does not start a valid %XX escape, and
// spaces, which url.Parse refuses but browsers follow.
func fixEscapes(s string) string {
	need := false
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || (s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]))) {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == ' ':
			b.WriteString("%20")
		case s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])):
			b.WriteString("%25")
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// cleanFieldURL reads a homepage or repository field: a URL, or the forms
// package managers accept for repositories ("git+https://…", "git://…",
// "git@host:owner/repo.git", "github:owner/repo", "owner/repo" is left
// out), or a bare domain ("example.com").
func cleanFieldURL(raw string) (href, host string, ok bool) {
	raw = strings.TrimSpace(raw)
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "git+"):
		raw = raw[4:]
		lower = lower[4:]
	}
	switch {
	case strings.HasPrefix(lower, "git://"), strings.HasPrefix(lower, "ssh://"):
		raw = "https://" + raw[6:]
	case strings.HasPrefix(lower, "github:"):
		raw = "https://github.com/" + raw[7:]
	case strings.HasPrefix(lower, "gitlab:"):
		raw = "https://gitlab.com/" + raw[7:]
	case strings.HasPrefix(lower, "bitbucket:"):
		raw = "https://bitbucket.org/" + raw[10:]
	case strings.HasPrefix(lower, "git@"):
		if i := strings.IndexByte(raw, ':'); i > 4 {
			raw = "https://" + raw[4:i] + "/" + raw[i+1:]
		}
	case !strings.Contains(lower, "://") && !strings.HasPrefix(lower, "//"):
		if _, _, ok := bareHost(raw); ok {
			raw = "http://" + raw
		}
	}
	if u, err := url.Parse(raw); err == nil && u.User != nil && (u.User.Username() == "git" || strings.HasPrefix(lower, "ssh://")) {
		u.User = nil
		raw = u.String()
	}
	return cleanURL(raw)
}

// asciiHost returns the host in ASCII (punycode) form for the public-suffix
// list, or the host itself when it does not convert.
func asciiHost(host string) string {
	for i := 0; i < len(host); i++ {
		if host[i] >= utf8.RuneSelf {
			if a, err := idna.Lookup.ToASCII(host); err == nil {
				return a
			}
			if a, err := idna.Punycode.ToASCII(host); err == nil {
				return a
			}
			return host
		}
	}
	return host
}

// registrable returns the registrable domain (eTLD+1) of a host in ASCII
// form, the host itself when none can be derived (single labels), and ""
// for IP addresses.
func registrable(host string) string {
	if _, _, isIP := parseIPHost(host); isIP {
		return ""
	}
	a := asciiHost(host)
	if d, err := publicsuffix.EffectiveTLDPlusOne(a); err == nil {
		return d
	}
	return a
}

// icannDomain reports whether host (ASCII) ends in an ICANN public suffix
// and has a label before it: a name that could be registered.
func icannDomain(host string) bool {
	suffix, icann := publicsuffix.PublicSuffix(host)
	return icann && suffix != host && len(host) > len(suffix)+1
}

// bareHost reads a scheme-less "host[/path]" token: the host must be
// dot-separated labels of ASCII letters, digits and '-', the last one
// alphabetic, ending in an ICANN public suffix. rest is what follows the
// host ("" or starting with '/', '?', '#' or ':').
func bareHost(tok string) (host, rest string, ok bool) {
	end := strings.IndexAny(tok, "/?#:")
	if end < 0 {
		end = len(tok)
	}
	host, rest = strings.ToLower(tok[:end]), tok[end:]
	if len(host) < 4 || len(host) > 253 || strings.Count(host, ".") == 0 {
		return "", "", false
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", "", false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return "", "", false
			}
		}
	}
	tld := labels[len(labels)-1]
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return "", "", false
		}
	}
	if !icannDomain(host) {
		return "", "", false
	}
	return host, rest, true
}
