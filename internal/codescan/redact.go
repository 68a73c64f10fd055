package codescan

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Snippet bounds: bytes of context taken on each side of a hit, how far a
// cut may move to avoid splitting a token, and the longest snippet kept.
const (
	snippetSide    = 90
	snippetStretch = 64
	snippetMax     = 200
)

// secretRes find the secrets a snippet must not show; each keeps its first
// group (a prefix naming what it is) and replaces the rest by ***.
var secretRes = []*regexp.Regexp{
	regexp.MustCompile(`(?i)(discord(?:app)?\.com/api/webhooks/)[^\s"'` + "`" + `)<>]+`),
	regexp.MustCompile(`(?i)(api\.telegram\.org/bot)[^\s/"'` + "`" + `)<>]+`),
	regexp.MustCompile(`(?i)(hooks\.slack\.com/(?:services|workflows|triggers)/)[^\s"'` + "`" + `)<>]+`),
	regexp.MustCompile(`(?i)(_authToken\s*=\s*)[^\s"'` + "`" + `]+`),
	regexp.MustCompile(`(?i)((?:token|secret|passw(?:or)?d|api[_-]?key|auth)["']?\s*[:=]\s*["']?)[^\s"'` + "`" + `,;)]{6,}`),
	regexp.MustCompile(`()\b(?:npm_[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|glpat-[A-Za-z0-9_-]{20,}|pypi-[A-Za-z0-9_-]{20,})`),
	regexp.MustCompile(`(\d{6,}:)[A-Za-z0-9_-]{30,}`), // bot tokens
	// Long opaque runs (keys, encoded payloads): keep six characters.
	regexp.MustCompile(`([A-Za-z0-9+_-]{6})[A-Za-z0-9+=_-]{26,}`),
}

// redact replaces tokens, keys and webhook ids in s by ***.
func redact(s string) string {
	for i, re := range secretRes {
		if i == len(secretRes)-1 {
			s = re.ReplaceAllStringFunc(s, func(m string) string {
				if !opaque(m) {
					return m // a long identifier or number, not a secret
				}
				return m[:6] + "***"
			})
			continue
		}
		s = re.ReplaceAllString(s, "${1}***")
	}
	return s
}

// opaque tells a key or encoded value from a long identifier: letters and
// digits mixed (at least two digits, 5% of it) over many distinct bytes.
func opaque(s string) bool {
	var seen [256]bool
	distinct, letters, digits := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !seen[c] {
			seen[c] = true
			distinct++
		}
		switch {
		case '0' <= c && c <= '9':
			digits++
		case ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z'):
			letters++
		}
	}
	return distinct >= 10 && letters >= 3 && digits >= 2 && digits*20 >= len(s)
}

// snippet returns the line around [s, e) on one line: whitespace collapsed,
// secrets redacted, at most snippetMax characters, "…" where it was cut.
func snippet(d []byte, s, e int) string {
	if s < 0 || s > len(d) {
		return ""
	}
	e = min(max(e, s), len(d))
	ls := bytes.LastIndexByte(d[:s], '\n') + 1
	le := e + bytes.IndexByte(d[e:], '\n')
	if le < e {
		le = len(d)
	}
	a, b := max(ls, s-snippetSide), min(le, e+snippetSide)
	// Move the cuts outwards to a space, so no token is cut in two.
	for k := 0; a > ls && k < snippetStretch && !isSpace(d[a-1]); k++ {
		a--
	}
	for k := 0; b < le && k < snippetStretch && !isSpace(d[b]); k++ {
		b++
	}
	text := strings.ToValidUTF8(string(d[a:b]), "?")
	text = strings.Join(strings.Fields(text), " ")
	text = redact(text)
	if utf8.RuneCountInString(text) > snippetMax {
		r := []rune(text)
		text = string(r[:snippetMax])
		b = le // force the trailing mark
	}
	if a > ls {
		text = "…" + text
	}
	if b < le {
		text += "…"
	}
	return text
}
