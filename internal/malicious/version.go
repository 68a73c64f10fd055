package malicious

import (
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// Version comparison. OSV ranges are ordered by the ecosystem's own
// version scheme. npm, crates and Go use Semantic Versioning 2.0 (Go with
// a leading "v", which OSV drops); PyPI (PEP 440), NuGet and RubyGems have
// their own schemes, approximated here by one token order (versionTokens)
// that agrees with them on the versions malicious packages publish:
// numeric release segments compared as numbers, missing trailing segments
// equal to zero (1.0 == 1.0.0), pre-releases (dev < a/alpha < b/beta <
// c/rc/pre/preview) before the release, post-releases after it and before
// the next release segment. Epochs ("1!2.0") and PEP 440 local versions
// ("+local") are compared as plain tokens and ignored respectively.

// semverEcosystem reports whether e orders versions by SemVer.
func semverEcosystem(e ecosystem.Ecosystem) bool {
	return e == ecosystem.NPM || e == ecosystem.Crates || e == ecosystem.Go
}

// compareVersions orders a and b in ecosystem e: -1, 0 or +1. "0" (the
// OSV introduction before every version) is below everything else.
func compareVersions(e ecosystem.Ecosystem, a, b string) int {
	if a == b {
		return 0
	}
	switch {
	case a == "0":
		return -1
	case b == "0":
		return 1
	}
	if semverEcosystem(e) {
		sa, oka := parseSemver(a)
		sb, okb := parseSemver(b)
		if oka && okb {
			return compareSemver(a, sa, b, sb)
		}
	}
	return compareTokens(a, b)
}

// sameVersion reports whether a and b name the same version of e.
func sameVersion(e ecosystem.Ecosystem, a, b string) bool {
	return a == b || compareVersions(e, a, b) == 0
}

// sortEvents sorts range events in version order; at one version an
// introduction comes before the events that end a range, as in the OSV
// evaluation algorithm.
func sortEvents(e ecosystem.Ecosystem, evs []Event) {
	sort.SliceStable(evs, func(i, j int) bool {
		if c := compareVersions(e, evs[i].Version, evs[j].Version); c != 0 {
			return c < 0
		}
		return evs[i].Kind < evs[j].Kind
	})
}

// inRange evaluates sorted events on v as the OSV schema specifies: v is
// affected after the last introduction at or below it, unless a fix or
// limit at or below it, or a last_affected below it, came later.
func inRange(e ecosystem.Ecosystem, evs []Event, v string) bool {
	affected := false
	for _, ev := range evs {
		c := compareVersions(e, v, ev.Version)
		switch ev.Kind {
		case Introduced:
			if c >= 0 {
				affected = true
			}
		case Fixed, Limit:
			if c >= 0 {
				affected = false
			}
		case LastAffected:
			if c > 0 {
				affected = false
			}
		}
	}
	return affected
}

// Covers reports whether version v of the package is affected. An empty
// v is "some version": true when any version is.
func (a *Affected) Covers(v string) bool {
	if a.All || v == "" {
		return true
	}
	for _, x := range a.Versions {
		if sameVersion(a.Ecosystem, x, v) {
			return true
		}
	}
	for i := range a.Ranges {
		if inRange(a.Ecosystem, a.Ranges[i].Events, v) {
			return true
		}
	}
	return false
}

// Describe renders the affected versions for people: "all versions", or
// the listed versions and ranges (">= 1.0.0, < 1.2.0").
func (a *Affected) Describe() []string {
	if a.All {
		return []string{"all versions"}
	}
	out := append([]string(nil), a.Versions...)
	for _, r := range a.Ranges {
		out = append(out, describeRange(r.Events)...)
	}
	return out
}

func describeRange(evs []Event) []string {
	var out []string
	var cur string
	open := false
	for _, ev := range evs {
		switch ev.Kind {
		case Introduced:
			if open {
				continue
			}
			open = true
			if ev.Version == "0" {
				cur = "all versions"
			} else {
				cur = ">= " + ev.Version
			}
		case Fixed, Limit, LastAffected:
			if !open {
				continue
			}
			op := "< "
			if ev.Kind == LastAffected {
				op = "<= "
			}
			if cur == "all versions" {
				cur = op + ev.Version
			} else {
				cur += ", " + op + ev.Version
			}
			out = append(out, cur)
			open = false
		}
	}
	if open {
		out = append(out, cur)
	}
	return out
}

// Pinned returns the single version a manifest's version string names
// ("1.2.3", "==1.2.3", "= 1.2.3", "[1.2.3]", "v1.2.3"), and false for an
// empty string or a constraint ("^1.2.0", ">=1.0,<2", "1.x", "*",
// "latest", "[1.0,2.0)").
func Pinned(v string) (string, bool) {
	v = strings.TrimSpace(v)
	switch {
	case strings.HasPrefix(v, "==="):
		v = v[3:]
	case strings.HasPrefix(v, "=="):
		v = v[2:]
	case strings.HasPrefix(v, "="):
		v = v[1:]
	case strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"):
		v = v[1 : len(v)-1]
	}
	v = strings.TrimSpace(v)
	if v == "" || v == "*" || strings.EqualFold(v, "latest") || strings.ContainsAny(v, " \t^~<>=*|,!()[]{}:/\\") {
		return "", false
	}
	for _, seg := range strings.Split(v, ".") {
		if seg == "x" || seg == "X" || seg == "" {
			return "", false
		}
	}
	return v, true
}

// semver holds the offsets of a parsed SemVer string (no allocation).
type semver struct {
	start                  int // after an optional "v"
	major, minor, patch    [2]int
	preStart, preEnd       int // pre-release identifiers, preStart == preEnd when none
	hasMinor, hasPatch, ok bool
}

// parseSemver parses "[v]MAJOR[.MINOR[.PATCH]][-PRE][+BUILD]" (missing
// minor and patch count as 0: OSV's Go and crates data sometimes omit
// them).
func parseSemver(s string) (semver, bool) {
	var sv semver
	i := 0
	if i < len(s) && (s[i] == 'v' || s[i] == 'V') {
		i++
	}
	sv.start = i
	num := func() ([2]int, bool) {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return [2]int{j, i}, i > j
	}
	var ok bool
	if sv.major, ok = num(); !ok {
		return sv, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if sv.minor, ok = num(); !ok {
			return sv, false
		}
		sv.hasMinor = true
		if i < len(s) && s[i] == '.' {
			i++
			if sv.patch, ok = num(); !ok {
				return sv, false
			}
			sv.hasPatch = true
		}
	}
	sv.preStart, sv.preEnd = i, i
	if i < len(s) && s[i] == '-' {
		i++
		sv.preStart = i
		for i < len(s) && s[i] != '+' {
			c := s[i]
			if !(c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return sv, false
			}
			i++
		}
		sv.preEnd = i
		if sv.preEnd == sv.preStart {
			return sv, false
		}
	}
	if i < len(s) && s[i] != '+' {
		return sv, false
	}
	sv.ok = true
	return sv, true
}

func compareSemver(a string, sa semver, b string, sb semver) int {
	for _, p := range [...][2][2]int{{sa.major, sb.major}, {sa.minor, sb.minor}, {sa.patch, sb.patch}} {
		if c := compareNumeric(a[p[0][0]:p[0][1]], b[p[1][0]:p[1][1]]); c != 0 {
			return c
		}
	}
	pa, pb := a[sa.preStart:sa.preEnd], b[sb.preStart:sb.preEnd]
	switch {
	case pa == pb:
		return 0
	case pa == "":
		return 1
	case pb == "":
		return -1
	}
	for pa != "" || pb != "" {
		if pa == "" {
			return -1
		}
		if pb == "" {
			return 1
		}
		var xa, xb string
		xa, pa, _ = strings.Cut(pa, ".")
		xb, pb, _ = strings.Cut(pb, ".")
		na, nb := isDigits(xa), isDigits(xb)
		var c int
		switch {
		case na && nb:
			c = compareNumeric(xa, xb)
		case na:
			c = -1
		case nb:
			c = 1
		default:
			c = strings.Compare(xa, xb)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compareNumeric compares two digit strings of any length as numbers
// ("" is 0).
func compareNumeric(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// Token classes of the non-SemVer order, lowest first: a pre-release
// word, the end of the version, a post-release word, a number.
const (
	classDev = iota
	classPre
	classEnd
	classPost
	classNum
)

// token is one run of digits or letters of a version.
type token struct {
	class int
	sub   int    // order among pre-release words
	text  string // digits, or the lower-case word
}

// nextToken returns the token of s at i and the index after it; at the
// end of s it returns classEnd.
func nextToken(s string, i int) (token, int) {
	for i < len(s) && !isAlnum(s[i]) {
		if s[i] == '+' { // PEP 440 local version, NuGet/SemVer build metadata
			return token{class: classEnd}, len(s)
		}
		i++
	}
	if i >= len(s) {
		return token{class: classEnd}, i
	}
	j := i
	if isDigit(s[i]) {
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		return token{class: classNum, text: s[i:j]}, j
	}
	for j < len(s) && isAlnum(s[j]) && !isDigit(s[j]) {
		j++
	}
	w := s[i:j]
	t := token{class: classPre, text: w}
	switch {
	case strings.EqualFold(w, "dev"):
		t.class = classDev
	case strings.EqualFold(w, "a"), strings.EqualFold(w, "alpha"):
		t.sub = 1
	case strings.EqualFold(w, "b"), strings.EqualFold(w, "beta"):
		t.sub = 2
	case strings.EqualFold(w, "c"), strings.EqualFold(w, "rc"), strings.EqualFold(w, "pre"), strings.EqualFold(w, "preview"):
		t.sub = 3
	case strings.EqualFold(w, "post"), strings.EqualFold(w, "rev"), strings.EqualFold(w, "r"):
		t.class = classPost
	}
	return t, j
}

// compareTokens orders two versions by the token order described above.
func compareTokens(a, b string) int {
	a, b = strings.TrimPrefix(strings.TrimPrefix(a, "v"), "V"), strings.TrimPrefix(strings.TrimPrefix(b, "v"), "V")
	i, j := 0, 0
	for {
		var ta, tb token
		ta, i = nextToken(a, i)
		tb, j = nextToken(b, j)
		if ta.class == classEnd && tb.class == classEnd {
			return 0
		}
		// A missing number is zero: 1.0 == 1.0.0.
		if ta.class == classEnd && tb.class == classNum {
			ta = token{class: classNum, text: "0"}
		}
		if tb.class == classEnd && ta.class == classNum {
			tb = token{class: classNum, text: "0"}
		}
		if ta.class != tb.class {
			if ta.class < tb.class {
				return -1
			}
			return 1
		}
		var c int
		switch ta.class {
		case classNum:
			c = compareNumeric(ta.text, tb.text)
		case classPre:
			if ta.sub != tb.sub {
				if ta.sub < tb.sub {
					return -1
				}
				return 1
			}
			if ta.sub == 0 {
				c = compareFold(ta.text, tb.text)
			}
		}
		if c != 0 {
			return c
		}
	}
}

// compareFold compares ASCII words case-insensitively without allocating.
func compareFold(a, b string) int {
	for k := 0; k < len(a) && k < len(b); k++ {
		x, y := lowerASCII(a[k]), lowerASCII(b[k])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
