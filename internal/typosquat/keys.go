package typosquat

import (
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// stripKey removes the ecosystem's word delimiters ("-", "_", ".") from a
// canonical name. For npm scoped names the scope stays apart
// ("@types/node" → "types/node"), and Go module paths keep their "/".
func stripKey(eco ecosystem.Ecosystem, canon string) string {
	canon, clean := stripClean(eco, canon)
	if clean {
		return canon
	}
	return string(appendStrip(make([]byte, 0, len(canon)), canon))
}

// stripClean returns canon without an npm scope's "@", and whether that is
// already its strip key (no delimiters).
func stripClean(eco ecosystem.Ecosystem, canon string) (string, bool) {
	if eco == ecosystem.NPM {
		canon = strings.TrimPrefix(canon, "@")
	}
	for i := 0; i < len(canon); i++ {
		if c := canon[i]; c == '-' || c == '_' || c == '.' {
			return canon, false
		}
	}
	return canon, true
}

// appendStrip appends s without its delimiters to b.
func appendStrip(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '-' || c == '_' || c == '.' {
			b = append(b, s[start:i]...)
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}

// tokens splits a canonical name into its words.
func tokens(canon string) []string {
	return strings.FieldsFunc(canon, func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || r == '/' || r == '@'
	})
}

// sortedTokensKey is the word-order key: the words sorted and joined, or ""
// for a name of fewer than two words.
func sortedTokensKey(canon string) string {
	t := tokens(canon)
	if len(t) < 2 {
		return ""
	}
	sort.Strings(t)
	return strings.Join(t, "-")
}

// trimDigits removes a trailing version or counter ("detectron2",
// "underscore.string-2", "urllib3") from a strip key.
func trimDigits(s string) string {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	return s[:i]
}

// affixes are the words squatters add to a popular name to make it look
// official ("python-requests", "lodash-js", "node-mongoose"). Each
// ecosystem has its own; they match as whole words at either end, and the
// ones marked concat also match glued on ("typescriptjs", "pyyaml2").
type affixSet struct {
	words  map[string]bool
	concat []string // glued-on prefixes and suffixes, longest first
}

var commonAffixes = []string{"cli", "api", "sdk", "lib", "core", "utils", "util", "tool", "tools", "dev", "pkg", "package", "official", "client", "module", "lite", "pro", "plus"}

var ecosystemAffixes = map[ecosystem.Ecosystem]affixSet{
	ecosystem.NPM:      newAffixSet([]string{"js", "node", "nodejs", "npm", "ts", "esm", "cjs", "javascript"}, []string{"nodejs", "node", "npm", "js"}),
	ecosystem.PyPI:     newAffixSet([]string{"py", "python", "python3", "py3", "pip"}, []string{"python3", "python", "py3", "py"}),
	ecosystem.NuGet:    newAffixSet([]string{"net", "dotnet", "netcore", "csharp", "extensions"}, nil),
	ecosystem.RubyGems: newAffixSet([]string{"ruby", "rb", "gem", "rails"}, []string{"ruby", "rb"}),
	ecosystem.Crates:   newAffixSet([]string{"rs", "rust"}, []string{"rust", "rs"}),
	ecosystem.Go:       newAffixSet([]string{"go", "golang"}, nil),
}

func newAffixSet(words, concat []string) affixSet {
	s := affixSet{words: map[string]bool{}, concat: concat}
	for _, w := range commonAffixes {
		s.words[w] = true
	}
	for _, w := range words {
		s.words[w] = true
	}
	return s
}

// affixStripped returns the strip keys of canon with affix words removed
// from either end, and with glued-on affixes removed, each with the affix
// that was removed. Results shorter than 4 bytes are dropped.
func (a affixSet) stripped(canon, strip string, out []affixed) []affixed {
	t := tokens(canon)
	if len(t) >= 2 {
		lo, hi := 0, len(t)
		var removed []string
		for lo < hi-1 && a.words[t[lo]] {
			removed = append(removed, t[lo])
			lo++
		}
		for hi-1 > lo && a.words[t[hi-1]] {
			removed = append(removed, t[hi-1])
			hi--
		}
		if len(removed) > 0 {
			if k := strings.Join(t[lo:hi], ""); len(k) >= 4 {
				out = append(out, affixed{k, strings.Join(removed, "+")})
			}
		}
	}
	for _, c := range a.concat {
		if len(strip) >= len(c)+4 {
			if strings.HasSuffix(strip, c) {
				out = append(out, affixed{strip[:len(strip)-len(c)], c})
			}
			if strings.HasPrefix(strip, c) {
				out = append(out, affixed{strip[len(c):], c})
			}
		}
	}
	return out
}

type affixed struct {
	key, affix string
}
