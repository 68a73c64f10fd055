package artifact

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// Name limits: longer names cannot be extracted on common file systems.
const (
	maxPathLen = 4096
	maxCompLen = 255
)

// nameProblem says why an entry name was refused.
type nameProblem int

const (
	nameOK        nameProblem = iota
	nameEmpty                 // nothing left ("", ".", "./"): a directory entry at most
	nameAbsolute              // "/x", "C:x", "//server/share"
	nameTraversal             // a ".." component
	nameTooLong
)

// cleanName turns an archived entry name into a slash-separated path
// relative to the archive root. Backslashes count as separators (Windows
// tools extract them so); "." and empty components are dropped. Invalid
// UTF-8 bytes and control characters are escaped as %XX (escaped reports
// it). Absolute, drive-letter, UNC and ".." names are refused, never
// resolved: "a/../b" is as hostile as "../b" for a package archive.
func cleanName(raw string) (clean string, escaped bool, kind nameProblem, detail string) {
	s := raw
	if !printableUTF8(s) {
		s, escaped = escapeName(s), true
	}
	s = strings.ReplaceAll(s, `\`, "/")
	switch {
	case strings.HasPrefix(s, "//"):
		return "", escaped, nameAbsolute, "UNC path"
	case strings.HasPrefix(s, "/"):
		return "", escaped, nameAbsolute, "absolute path"
	case len(s) >= 2 && s[1] == ':' && isASCIILetter(s[0]):
		return "", escaped, nameAbsolute, "Windows drive path"
	}
	if len(s) > maxPathLen {
		return "", escaped, nameTooLong, fmt.Sprintf("%d bytes", len(s))
	}
	parts := strings.Split(s, "/")
	kept := parts[:0]
	for _, p := range parts {
		switch {
		case p == "" || p == ".":
			continue
		case p == "..":
			return "", escaped, nameTraversal, "'..' component"
		case len(p) > maxCompLen:
			return "", escaped, nameTooLong, fmt.Sprintf("a component of %d bytes", len(p))
		}
		kept = append(kept, p)
	}
	if len(kept) == 0 {
		return "", escaped, nameEmpty, ""
	}
	return strings.Join(kept, "/"), escaped, nameOK, ""
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// printableUTF8 reports whether s is valid UTF-8 without control characters.
func printableUTF8(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= utf8.RuneSelf {
			return utf8.ValidString(s) && !strings.ContainsFunc(s, isControl)
		}
	}
	return true
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// escapeName writes invalid UTF-8 bytes and control characters as %XX,
// so that distinct names stay distinct and every path is printable.
func escapeName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || isControl(r) {
			for _, c := range []byte(s[i : i+n]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// linkEscapes reports whether a link at linkPath (a cleaned path) pointing
// to target leaves the archive root.
func linkEscapes(linkPath, target string) bool {
	t := strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(t, "/") || (len(t) >= 2 && t[1] == ':' && isASCIILetter(t[0])) {
		return true
	}
	j := path.Join(path.Dir(linkPath), t)
	return j == ".." || strings.HasPrefix(j, "../")
}
