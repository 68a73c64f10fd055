package ecosystem

import (
	"errors"
	"fmt"
	"strings"
)

// Ecosystem identifies a package ecosystem. The zero value is invalid.
type Ecosystem string

// The supported ecosystems, in their canonical (lower-case) spelling.
const (
	NPM      Ecosystem = "npm"
	PyPI     Ecosystem = "pypi"
	NuGet    Ecosystem = "nuget"
	RubyGems Ecosystem = "rubygems"
	Go       Ecosystem = "go"
	Crates   Ecosystem = "crates"
)

// ErrUnsupported is returned (wrapped) by Parse for an unknown ecosystem.
var ErrUnsupported = errors.New("unsupported ecosystem")

// info is one row of the ecosystem table.
type info struct {
	id      Ecosystem
	aliases []string // accepted spellings besides id, compared case-insensitively
	// separators are the characters the ecosystem treats as word delimiters.
	separators string
}

// table lists every ecosystem; All returns them in this order.
var table = []info{
	{NPM, []string{"node", "javascript"}, "-_."},
	{PyPI, []string{"python", "pip"}, "-_."},
	{NuGet, []string{"dotnet", ".net"}, "-_."},
	{RubyGems, []string{"gem", "gems", "ruby"}, "-_."},
	{Go, []string{"golang", "gomod"}, "-_."},
	{Crates, []string{"crates.io", "crate", "cargo", "rust"}, "-_"},
}

// All returns the supported ecosystems in a stable order.
func All() []Ecosystem {
	out := make([]Ecosystem, len(table))
	for i, in := range table {
		out[i] = in.id
	}
	return out
}

// Parse accepts a canonical id or an alias (including the OSV spellings
// "PyPI", "NuGet", "RubyGems", "Go", "crates.io"), case-insensitively.
func Parse(s string) (Ecosystem, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, in := range table {
		if l == string(in.id) {
			return in.id, nil
		}
		for _, a := range in.aliases {
			if l == a {
				return in.id, nil
			}
		}
	}
	return "", fmt.Errorf("%w %q (want one of %s)", ErrUnsupported, s, strings.Join(ids(), ", "))
}

func ids() []string {
	out := make([]string, len(table))
	for i, in := range table {
		out[i] = string(in.id)
	}
	return out
}

// String returns the canonical id.
func (e Ecosystem) String() string { return string(e) }

// Valid reports whether e is one of the supported ecosystems.
func (e Ecosystem) Valid() bool {
	for _, in := range table {
		if in.id == e {
			return true
		}
	}
	return false
}

// OSV returns the ecosystem's spelling in OSV records.
func (e Ecosystem) OSV() string {
	switch e {
	case PyPI:
		return "PyPI"
	case NuGet:
		return "NuGet"
	case RubyGems:
		return "RubyGems"
	case Go:
		return "Go"
	case Crates:
		return "crates.io"
	}
	return string(e)
}

// UnmarshalText lets an Ecosystem be decoded from JSON or YAML with aliases.
func (e *Ecosystem) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*e = p
	return nil
}

// IsSeparator reports whether r is a word delimiter in package names.
func IsSeparator(r rune) bool { return r == '-' || r == '_' || r == '.' }
