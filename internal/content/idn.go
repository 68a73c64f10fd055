package content

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/confusable"
	"golang.org/x/net/idna"
)

// Internationalized hosts (rule punycode-link).
const (
	idnMixed     = "mixed-script"      // a label mixes Latin with lookalike letters of another script
	idnLookalike = "lookalike-letters" // a label is written wholly in letters imitating Latin ones
	idnInvalid   = "invalid-punycode"  // an xn-- label that does not decode
	idnPlain     = "idn"               // an honest-looking internationalized name
)

type idnReport struct {
	unicode   string // the host in Unicode
	ascii     string // the host in punycode
	class     string
	scripts   []string
	lookalike map[string]string // imitating character → what it imitates
	skeleton  string
}

// inspectIDN reports on a host that has non-ASCII characters or xn--
// labels; ok is false for plain ASCII hosts.
func inspectIDN(host string) (idnReport, bool) {
	isIDN := false
	for _, l := range strings.Split(host, ".") {
		if hasPrefixFold(l, "xn--") {
			isIDN = true
		}
	}
	for i := 0; i < len(host) && !isIDN; i++ {
		if host[i] >= utf8.RuneSelf {
			isIDN = true
		}
	}
	if !isIDN {
		return idnReport{}, false
	}
	r := idnReport{class: idnPlain}
	uni, err := idna.Punycode.ToUnicode(host)
	if err != nil {
		r.unicode, r.ascii, r.class = host, host, idnInvalid
		return r, true
	}
	r.unicode = strings.ToLower(uni)
	if a, err := idna.Punycode.ToASCII(r.unicode); err == nil {
		r.ascii = a
	} else {
		r.ascii = host
	}
	r.skeleton = confusable.Skeleton(r.unicode)
	seen := map[string]bool{}
	for _, label := range strings.Split(r.unicode, ".") {
		ascii := true
		for i := 0; i < len(label); i++ {
			if label[i] >= utf8.RuneSelf {
				ascii = false
				break
			}
		}
		if ascii {
			continue
		}
		scripts := confusable.Scripts(label)
		look := confusable.Lookalikes(label)
		hasLatin := false
		for _, s := range scripts {
			if !seen[string(s)] {
				seen[string(s)] = true
				r.scripts = append(r.scripts, string(s))
			}
			if s == confusable.Latin {
				hasLatin = true
			}
		}
		for k, v := range look {
			if r.lookalike == nil {
				r.lookalike = map[string]string{}
			}
			r.lookalike[k] = v
		}
		switch {
		case hasLatin && len(scripts) > 1 && len(look) > 0 && hasForeignLookalike(label, look):
			r.class = idnMixed
		case !hasLatin && r.class != idnMixed && allLettersLookalike(label, look):
			r.class = idnLookalike
		}
	}
	return r, true
}

// hasForeignLookalike reports whether a non-Latin letter of label imitates
// a Latin one (an accented Latin letter next to a Cyrillic one is not the
// attack; a Cyrillic "а" among Latin letters is).
func hasForeignLookalike(label string, look map[string]string) bool {
	for _, c := range label {
		if c >= utf8.RuneSelf && !unicode.Is(unicode.Latin, c) {
			if _, ok := look[string(c)]; ok {
				return true
			}
		}
	}
	return false
}

// allLettersLookalike reports whether label has at least two letters and
// every non-ASCII letter imitates a Latin one.
func allLettersLookalike(label string, look map[string]string) bool {
	letters := 0
	for _, c := range label {
		if !unicode.IsLetter(c) {
			continue
		}
		letters++
		if c >= utf8.RuneSelf {
			if _, ok := look[string(c)]; !ok {
				return false
			}
		}
	}
	return letters >= 2 && len(look) > 0
}
