package content

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// findURLs calls fn(href, host) for each URL written as plain text in s,
// in order, until fn returns false. It reads http:// and https:// URLs
// anywhere in a word ("(see:https://x.example)"), words starting with
// "www.", and scheme-less "host/path" words whose host ends in an ICANN
// public suffix ("bit.ly/3xYz"; not "node.js/x", whose "js" is no public
// suffix). With bareDomains, a scheme-less host with no path counts too
// ("pypi.org"), unless its last label is also a common file extension
// ("README.md", "setup.py"); that mode reads link texts.
//
// Words are split at white space and at characters that cannot appear
// unescaped in a URL written in prose (<>"'`|{}^ and ASCII controls);
// trailing sentence punctuation and unbalanced closing brackets are not
// part of a URL.
func findURLs(s []byte, bareDomains bool, fn func(href, host string) bool) {
	for len(s) > 0 {
		// Skip separators.
		i := 0
		for i < len(s) {
			c, n := rune(s[i]), 1
			if c >= utf8.RuneSelf {
				c, n = utf8.DecodeRune(s[i:])
			}
			if !isURLBreak(c) {
				break
			}
			i += n
		}
		s = s[i:]
		// The word.
		j := 0
		for j < len(s) {
			c, n := rune(s[j]), 1
			if c >= utf8.RuneSelf {
				c, n = utf8.DecodeRune(s[j:])
			}
			if isURLBreak(c) {
				break
			}
			j += n
		}
		if j == 0 {
			return
		}
		word := s[:j]
		s = s[j:]
		if href, host, ok := urlInWord(word, bareDomains); ok {
			if !fn(href, host) {
				return
			}
		}
	}
}

func isURLBreak(c rune) bool {
	if c < utf8.RuneSelf {
		return c <= ' ' || c == 0x7f || strings.IndexByte("<>\"'`|{}^", byte(c)) >= 0
	}
	return unicode.IsSpace(c) || c == utf8.RuneError || c == '\u3002' || c == '\uFF0C'
}

var fileExtensionTLDs = map[string]bool{
	"md": true, "py": true, "sh": true, "rs": true, "pl": true, "pm": true, "zip": true, "mov": true,
	"ml": true, "in": true, "ai": true, "so": true, "ps": true, "cc": true, "mo": true, "sc": true,
	"am": true, "ac": true, "ms": true, "cs": true, "rb": true, "ts": true, "kt": true,
}

func urlInWord(w []byte, bareDomains bool) (string, string, bool) {
	if len(w) < 4 {
		return "", "", false
	}
	if len(w) > 2*MaxLinkBytes {
		w = w[:2*MaxLinkBytes] // cleanURL keeps MaxLinkBytes anyway
	}
	// An explicit scheme anywhere in the word.
	if k := indexScheme(w); k >= 0 {
		return cleanURL(trimURLTail(string(w[k:])))
	}
	// Leading punctuation that is not part of a host.
	w = bytes.TrimLeft(w, "([*_~:;,")
	if prefixFoldBytes(w, "www.") {
		return cleanURL(trimURLTail(string(w)))
	}
	if bytes.IndexByte(w, '.') < 0 || bytes.IndexByte(w, '@') >= 0 {
		return "", "", false
	}
	word := trimURLTail(string(w))
	host, rest, ok := bareHost(word)
	if !ok {
		return "", "", false
	}
	if rest == "" || rest == "/" {
		if !bareDomains || fileExtensionTLDs[host[strings.LastIndexByte(host, '.')+1:]] {
			return "", "", false
		}
	} else if rest[0] == ':' {
		return "", "", false // "host:port" or "a.b:c" in prose: too ambiguous
	}
	return cleanURL("http://" + word)
}

// indexScheme returns where "http://" or "https://" starts in w, or -1.
func indexScheme(w []byte) int {
	for k := 0; k+7 <= len(w); k++ {
		if w[k] != 'h' && w[k] != 'H' {
			continue
		}
		if prefixFoldBytes(w[k:], "http://") || prefixFoldBytes(w[k:], "https://") {
			return k
		}
	}
	return -1
}

// trimURLTail removes trailing sentence punctuation and closing brackets
// that have no opening one in the URL.
func trimURLTail(u string) string {
	for len(u) > 0 {
		c := u[len(u)-1]
		switch c {
		case '.', ',', ';', ':', '!', '?', '*', '_', '~':
			u = u[:len(u)-1]
			continue
		case ')', ']':
			open := byte('(')
			if c == ']' {
				open = '['
			}
			if strings.Count(u, string(open)) < strings.Count(u, string(c)) {
				u = u[:len(u)-1]
				continue
			}
		}
		break
	}
	return u
}

// prefixFoldBytes reports whether b starts with the lower-case ASCII
// prefix p, ignoring case.
func prefixFoldBytes(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}
