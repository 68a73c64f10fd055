package domain

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MaxHostLen is the longest host name DNS allows, in ASCII (punycode) form.
const MaxHostLen = 253

// maxInput bounds a whole argument (a URL may be longer than its host).
const maxInput = 8192

// mapping applies the IDNA lookup mapping browsers apply (lower case,
// full-width and compatibility forms folded) and decodes punycode labels.
var mapping = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false))

// host is a parsed host name.
type host struct {
	uni      string // lower case, punycode decoded
	ascii    string // lower case, punycode encoded
	userinfo string // a URL's user-info (before "@"), if any
	ip       bool   // an IP address, not a domain name
}

// ParseHost extracts the host name of a host, URL ("https://user@host:443/x")
// or e-mail address ("someone@host") and normalizes it: lower case, the IDNA
// mapping browsers apply, punycode labels decoded to Unicode, without port,
// user-info, path or trailing dot. It fails on empty input, spaces or
// control characters, a host longer than MaxHostLen, an empty or over-long
// label, a character no host name may contain, and bad punycode.
func ParseHost(s string) (string, error) {
	h, err := parseHost(s)
	return h.uni, err
}

func parseHost(s string) (host, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return host{}, errors.New("empty host name")
	case len(s) > maxInput:
		return host{}, fmt.Errorf("longer than %d bytes", maxInput)
	case !utf8.ValidString(s):
		return host{}, errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return host{}, fmt.Errorf("%q contains a space or control character", s)
		}
	}
	rest := s
	if i := strings.Index(rest, "://"); i > 0 && isScheme(rest[:i]) {
		rest = rest[i+3:]
	} else if len(rest) > 7 && strings.EqualFold(rest[:7], "mailto:") {
		rest = rest[7:]
	}
	if i := strings.IndexAny(rest, "/?#\\"); i >= 0 {
		rest = rest[:i]
	}
	var h host
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		h.userinfo, rest = rest[:i], rest[i+1:]
	}
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return host{}, fmt.Errorf("%q: unterminated IPv6 address", s)
		}
		a, err := netip.ParseAddr(rest[1:end])
		if err != nil {
			return host{}, fmt.Errorf("%q: bad IPv6 address", s)
		}
		if after := rest[end+1:]; after != "" {
			if after[0] != ':' || !validPort(after[1:]) {
				return host{}, fmt.Errorf("%q: bad port %q", s, strings.TrimPrefix(after, ":"))
			}
		}
		h.uni, h.ascii, h.ip = a.String(), a.String(), true
		return h, nil
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		if !validPort(rest[i+1:]) {
			return host{}, fmt.Errorf("%q: bad port %q", s, rest[i+1:])
		}
		rest = rest[:i]
	}
	rest = strings.TrimSuffix(rest, ".")
	if rest == "" {
		return host{}, fmt.Errorf("%q has no host name", s)
	}
	uni, err := mapping.ToUnicode(rest)
	if err != nil {
		// Not a valid IDNA name (a leading hyphen, an underscore, a
		// disallowed character): judge it anyway, decoding what can be.
		if uni, err = idna.Punycode.ToUnicode(strings.ToLower(rest)); err != nil {
			return host{}, fmt.Errorf("%q: bad punycode label", s)
		}
		uni = strings.ToLower(uni)
	}
	uni = strings.TrimSuffix(uni, ".")
	ascii, err := idna.Punycode.ToASCII(uni)
	if err != nil {
		return host{}, fmt.Errorf("%q: cannot encode the host name", s)
	}
	if len(ascii) > MaxHostLen {
		return host{}, fmt.Errorf("host name longer than %d characters", MaxHostLen)
	}
	if err := checkLabels(ascii); err != nil {
		return host{}, fmt.Errorf("%q: %w", s, err)
	}
	h.uni, h.ascii = uni, ascii
	if isDigit(ascii[len(ascii)-1]) {
		if _, err := netip.ParseAddr(ascii); err == nil {
			h.ip = true
		}
	}
	return h, nil
}

// checkLabels checks the labels of an ASCII host name: not empty, at most
// 63 characters, made of letters, digits, "-" and "_" (used by some DNS
// names, though not by registrable ones).
func checkLabels(ascii string) error {
	for l := range strings.SplitSeq(ascii, ".") {
		switch {
		case l == "":
			return errors.New("empty label in host name")
		case len(l) > 63:
			return errors.New("label longer than 63 characters")
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || isDigit(c) || c == '-' || c == '_') {
				return fmt.Errorf("character %q not allowed in a host name", c)
			}
		}
	}
	return nil
}

// isScheme reports a URL scheme: a letter, then letters, digits, "+", "-"
// or ".".
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c|0x20 && c|0x20 <= 'z'
		if !letter && (i == 0 || !isDigit(c) && c != '+' && c != '-' && c != '.') {
			return false
		}
	}
	return s != ""
}

// validPort reports a URL port: empty (as in "host:", which URL parsers
// accept) or 1 to 5 decimal digits with a value of at most 65535.
func validPort(s string) bool {
	if len(s) > 5 || !allDigits(s) {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n <= 65535
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
