package ecosystem

import (
	"strings"
	"unicode/utf8"
)

// Canonical returns the form under which the ecosystem's registry considers
// two spellings to be the same package:
//   - pypi: PEP 503 (lower case, runs of "-", "_", "." become one "-");
//   - npm: lower case, scope kept ("@scope/name");
//   - nuget, rubygems, go: lower case (RubyGems and Go are case-sensitive on
//     the wire but no two live packages differ only by case in practice, and
//     lookalike detection must not treat such a pair as distinct);
//   - crates: lower case with "_" and "-" equivalent (folded to "-").
//
// Leading and trailing white space is removed. The result is a comparison
// key, not a display name.
func (e Ecosystem) Canonical(name string) string {
	name = strings.TrimSpace(name)
	switch e {
	case PyPI:
		return pep503(name)
	case Crates:
		return strings.ReplaceAll(lower(name), "_", "-")
	default:
		return lower(name)
	}
}

// lower is strings.ToLower with an allocation-free fast path for names that
// are already lower-case ASCII (the common case on the hot path).
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

// pep503 normalizes a Python project name: re.sub(r"[-_.]+", "-", name).lower().
func pep503(name string) string {
	clean := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') || c == '_' || c == '.' ||
			(c == '-' && i > 0 && name[i-1] == '-') {
			clean = false
			break
		}
	}
	if clean {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	prevSep := false
	for _, r := range strings.ToLower(name) {
		if IsSeparator(r) {
			if !prevSep {
				b.WriteByte('-')
			}
			prevSep = true
			continue
		}
		prevSep = false
		b.WriteRune(r)
	}
	return b.String()
}

// SplitScope splits an npm name "@scope/name" into ("scope", "name"). For an
// unscoped name scope is "".
func SplitScope(name string) (scope, bare string) {
	if strings.HasPrefix(name, "@") {
		if i := strings.IndexByte(name, '/'); i > 0 {
			return name[1:i], name[i+1:]
		}
	}
	return "", name
}

// GoPath is a Go module path split into the parts lookalike detection
// compares: the host ("github.com"), the owner ("boltdb"), the repository
// ("bolt") and any remaining path ("v2", "cmd/x"). For hosts without an
// owner/repository layout (e.g. "gopkg.in/yaml.v3", "golang.org/x/net"),
// Owner holds the first path element and Repo the second.
type GoPath struct {
	Host, Owner, Repo, Rest string
}

// SplitGoPath splits a module path. Missing parts are empty.
func SplitGoPath(path string) GoPath {
	parts := strings.SplitN(lower(strings.TrimSpace(path)), "/", 4)
	var g GoPath
	g.Host = parts[0]
	if len(parts) > 1 {
		g.Owner = parts[1]
	}
	if len(parts) > 2 {
		g.Repo = parts[2]
	}
	if len(parts) > 3 {
		g.Rest = parts[3]
	}
	return g
}

// CollisionKey returns the key under which the ecosystem's registry (or
// pkgward, where the registry has no rule) refuses a new name that is too
// similar to an existing one:
//   - npm: lower case with punctuation removed ("cross-env" ≡ "crossenv"),
//     applied to the bare name; the scope, if any, is kept in front;
//   - pypi: PyPI's "ultranormalized" form: PEP 503, separators removed, then
//     "o"→"0" and "l", "i"→"1";
//   - rubygems, crates: lower case with "-" ≡ "_";
//   - nuget: lower case (NuGet ids are case-insensitive);
//   - go: lower case.
//
// Unicode skeletons are applied on top of this key by the typosquat engine.
func (e Ecosystem) CollisionKey(name string) string {
	c := e.Canonical(name)
	switch e {
	case NPM:
		scope, bare := SplitScope(c)
		bare = stripSeparators(bare)
		if scope != "" {
			return "@" + scope + "/" + bare
		}
		return bare
	case PyPI:
		s := stripSeparators(c)
		return strings.NewReplacer("o", "0", "l", "1", "i", "1").Replace(s)
	case RubyGems, Crates:
		return strings.ReplaceAll(c, "_", "-")
	}
	return c
}

// stripSeparators removes "-", "_" and "." from s.
func stripSeparators(s string) string {
	if !strings.ContainsAny(s, "-_.") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '-' && c != '_' && c != '.' {
			b = append(b, c)
		}
	}
	return string(b)
}
