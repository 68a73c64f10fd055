package campaign

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Placeholders in name templates.
const (
	PlaceYear = "<year>" // four digits from 1990 to 2039
	PlaceNum  = "<num>"  // any other run of digits
	PlaceRand = "<rand>" // a random-looking token: letters and digits alternating, or letters without vowels
	PlaceWord = "<word>" // in a campaign's template: a position whose word varies between members
)

// maxNameTokens bounds the tokens kept of one name.
const maxNameTokens = 12

// NameTemplate splits a package name into lower-case tokens and replaces
// the tokens that vary mechanically between the names of a generated
// series by placeholders: years by <year>, other numbers by <num>,
// random-looking tokens by <rand>. Tokens are split at every character
// that is not a letter or digit (so "Free.Robux.Generator.2024",
// "free_robux-generator-2024" and "@scope/free-robux" tokenize alike), at
// camel-case humps ("FreeRobuxGenerator2024Xk3" → free, robux,
// generator2024, xk3) and at a glued year ("generator2024" → generator,
// <year>). A token mixing letters and digits otherwise becomes <rand>
// when it alternates more than once or is short letters with several
// digits ("x7k2p", "abc12"), else keeps its letters ("v2" → v<num>,
// "base64" → base<num>, "k8s"). At most 12 tokens are kept.
// An npm scope keeps its "@" ("@types/node" → @types, node).
func NameTemplate(name string) []string {
	var out []string
	emit := func(tok string) {
		if len(out) >= maxNameTokens || tok == "" {
			return
		}
		out = append(out, classify(tok)...)
		if len(out) > maxNameTokens {
			out = out[:maxNameTokens]
		}
	}
	scope := strings.HasPrefix(name, "@")
	start := -1 // start of the current token
	var prev rune
	flush := func(end int) {
		if start >= 0 {
			tok := strings.ToLower(name[start:end])
			if scope {
				tok = "@" + tok
				scope = false
			}
			emit(tok)
		}
		start = -1
	}
	for i, r := range name {
		if r == utf8.RuneError {
			flush(i)
			prev = 0
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			if r == '/' {
				scope = false
			}
			prev = r
			continue
		}
		if start >= 0 && unicode.IsUpper(r) {
			// camelCase hump: "robuxGen" → robux|Gen; "XMLParser" →
			// XML|Parser; "Generator2024Xyz" → Generator2024|Xyz.
			if unicode.IsLower(prev) || unicode.IsDigit(prev) {
				flush(i)
			} else if unicode.IsUpper(prev) {
				if next, _ := utf8.DecodeRuneInString(name[i+utf8.RuneLen(r):]); unicode.IsLower(next) {
					flush(i)
				}
			}
		}
		if start < 0 {
			start = i
		}
		prev = r
	}
	flush(len(name))
	return out
}

// classify maps one lower-case token to one or two template tokens.
func classify(tok string) []string {
	letters, digits, transitions := 0, 0, 0
	firstRun := 0 // length of the first run (letters or digits)
	lastDigit := false
	for i, r := range tok {
		d := unicode.IsDigit(r)
		if d {
			digits++
		} else {
			letters++
		}
		if i > 0 && d != lastDigit {
			transitions++
		}
		if transitions == 0 {
			firstRun++
		}
		lastDigit = d
	}
	switch {
	case letters == 0:
		return []string{numPlace(tok)}
	case digits == 0:
		if randomLetters(tok) {
			return []string{PlaceRand}
		}
		return []string{tok}
	case transitions == 1:
		i := strings.IndexFunc(tok, unicode.IsDigit)
		digitsFirst := i == 0
		if digitsFirst {
			i = strings.IndexFunc(tok, func(r rune) bool { return !unicode.IsDigit(r) })
		}
		a, b := tok[:i], tok[i:]
		l, d := a, b
		if digitsFirst {
			l, d = b, a
		}
		switch {
		case numPlace(d) == PlaceYear && len(l) >= 2:
			// a glued year: "robux2024" → robux, <year>.
			if digitsFirst {
				return []string{PlaceYear, l}
			}
			return []string{l, PlaceYear}
		case len(l) <= 3 && len(tok) >= 5, len(l) >= 3 && !hasVowel(l):
			return []string{PlaceRand} // "abc12", "ab123", "hwc5"
		}
		if digitsFirst {
			return []string{PlaceNum + l} // "2fa", "3d"
		}
		return []string{l + PlaceNum} // "v2", "es6", "base64"
	case transitions == 2 && !lastDigit && letters > 0 && firstRun == 1 && len(tok) <= 5 && !unicode.IsDigit(rune(tok[0])):
		return []string{tok} // "k8s", "i18n", "a11y", "e2e", "w3c"
	}
	return []string{PlaceRand}
}

func numPlace(d string) string {
	if len(d) == 4 && (d >= "1990" && d <= "2039") {
		return PlaceYear
	}
	return PlaceNum
}

// randomLetters reports a letters-only token that looks generated: four
// or more letters with no vowel, or a run of six consonants.
func randomLetters(tok string) bool {
	n, vowels, run, maxRun := 0, 0, 0, 0
	for _, r := range tok {
		n++
		switch r {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			vowels++
			run = 0
		default:
			if r >= utf8.RuneSelf {
				return false // no claim about other scripts
			}
			run++
			maxRun = max(maxRun, run)
		}
	}
	return n >= 4 && vowels == 0 || maxRun >= 6
}

func hasVowel(s string) bool { return strings.ContainsAny(s, "aeiouy") }

// isPlaceholder reports a template placeholder token.
func isPlaceholder(t string) bool { return len(t) > 2 && t[0] == '<' && t[len(t)-1] == '>' }

// FormatTemplate joins template tokens with "-".
func FormatTemplate(toks []string) string { return strings.Join(toks, "-") }
