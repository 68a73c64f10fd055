package gemfilelock

import (
	"bytes"
	"cmp"
	"context"
	"path"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// Name identifies the parser.
const Name = "rubygems/Gemfile.lock"

type parser struct{}

// New returns the Gemfile.lock parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.RubyGems }

// Matches reports whether path names a Gemfile.lock or gems.locked.
func (parser) Matches(p string) bool {
	switch path.Base(p) {
	case "Gemfile.lock", "gems.locked":
		return true
	}
	return false
}

// Section kinds.
const (
	none    = iota // before the first header
	source         // GEM, GIT, PATH, PLUGIN SOURCE
	deps           // DEPENDENCIES
	list           // PLATFORMS, CHECKSUMS, RUBY VERSION, BUNDLED WITH
	unknown        // an all-caps header Bundler may add in the future
)

var sections = map[string]int{
	"GEM":           source,
	"GIT":           source,
	"PATH":          source,
	"PLUGIN SOURCE": source,
	"DEPENDENCIES":  deps,
	"PLATFORMS":     list,
	"CHECKSUMS":     list,
	"RUBY VERSION":  list,
	"BUNDLED WITH":  list,
}

type entry struct {
	name, version string
	line          int
}

// Parse returns the locked gems, then the unlocked DEPENDENCIES entries,
// in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	var (
		specs    []entry             // reported specs
		declared []entry             // DEPENDENCIES entries
		locked   = map[string]bool{} // names of all specs, PATH included
		kind     = none
		header   string
		inSpecs  bool // below "specs:" in a source section
		hasSpec  bool // a 4-space spec precedes, for 6-space lines
		seen     bool // a known section was seen
	)
	data := in.Data
	for n := 1; len(data) > 0; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			raw, data = data, nil
		}
		line := strings.TrimRight(string(raw), " \t\r")
		errorf := func(format string, args ...any) error {
			return manifest.Errorf(in.Path, n, format, args...)
		}
		if line == "" {
			continue
		}
		text := strings.TrimLeft(line, " ")
		indent := len(line) - len(text)
		if text[0] == '\t' {
			return nil, errorf("line indented with a tab; Bundler indents with spaces")
		}

		if indent == 0 {
			header = text
			k, ok := sections[text]
			if !ok {
				if !isHeader(text) {
					return nil, errorf("unexpected line %q: want a section header", text)
				}
				k = unknown
			} else {
				seen = true
			}
			kind, inSpecs, hasSpec = k, false, false
			continue
		}

		switch kind {
		case none:
			return nil, errorf("indented line %q before any section header", text)
		case unknown:
			continue
		case list:
			continue
		case deps:
			if indent != 2 {
				return nil, errorf("DEPENDENCIES entry indented by %d spaces, want 2", indent)
			}
			name, constraint, ok := nameAndParens(strings.TrimSuffix(text, "!"))
			if !ok {
				return nil, errorf("malformed dependency %q", text)
			}
			declared = append(declared, entry{name, constraint, n})
		case source:
			switch indent {
			case 2:
				key, _, ok := strings.Cut(text, ":")
				if !ok || key == "" {
					return nil, errorf("malformed %s source option %q", header, text)
				}
				inSpecs, hasSpec = key == "specs", false
			case 4:
				if !inSpecs {
					return nil, errorf("spec %q outside a specs: list", text)
				}
				name, version, ok := nameAndParens(text)
				if !ok || version == "" {
					return nil, errorf("malformed spec %q: want \"name (version)\"", text)
				}
				locked[name] = true
				hasSpec = true
				if header != "PATH" {
					specs = append(specs, entry{name, version, n})
				}
			case 6:
				if !hasSpec {
					return nil, errorf("dependency %q of no spec", text)
				}
				if _, _, ok := nameAndParens(text); !ok {
					return nil, errorf("malformed spec dependency %q", text)
				}
			default:
				return nil, errorf("line indented by %d spaces in %s section", indent, header)
			}
		}
	}
	if !seen {
		return nil, manifest.Errorf(in.Path, 1, "not a Gemfile.lock: no GEM, DEPENDENCIES or other section")
	}

	var out []manifest.Dependency
	add := func(e entry) {
		out = append(out, manifest.Dependency{
			Ecosystem: ecosystem.RubyGems,
			Name:      e.name,
			Version:   e.version,
			File:      in.Path,
			Line:      e.line,
		})
	}
	for _, e := range specs {
		add(e)
	}
	for _, e := range declared {
		if !locked[e.name] {
			add(e)
		}
	}
	slices.SortStableFunc(out, func(a, b manifest.Dependency) int { return cmp.Compare(a.Line, b.Line) })
	return out, nil
}

// isHeader reports whether s looks like a section header: upper-case
// words.
func isHeader(s string) bool {
	for _, c := range s {
		if (c < 'A' || c > 'Z') && c != ' ' && c != '_' {
			return false
		}
	}
	return s != ""
}

// nameAndParens splits "name" or "name (text)" as Bundler writes specs and
// requirements. The name must be a valid gem name.
func nameAndParens(s string) (name, inner string, ok bool) {
	name, rest, found := strings.Cut(s, " ")
	if !validName(name) {
		return "", "", false
	}
	if !found {
		return name, "", true
	}
	if len(rest) < 2 || rest[0] != '(' || rest[len(rest)-1] != ')' {
		return "", "", false
	}
	inner = rest[1 : len(rest)-1]
	if strings.TrimSpace(inner) == "" || strings.ContainsAny(inner, "()") {
		return "", "", false
	}
	return name, inner, true
}

// validName reports whether s is a gem name RubyGems accepts:
// [A-Za-z0-9._-]+.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
