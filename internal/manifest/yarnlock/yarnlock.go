package yarnlock

import (
	"bytes"
	"context"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// Name is the parser's stable id.
const Name = "npm/yarn.lock"

type parser struct{}

// New returns the yarn.lock parser (v1 and Berry).
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.NPM }
func (parser) Matches(p string) bool          { return path.Base(p) == "yarn.lock" }

// Parse returns one dependency per lockfile entry, in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	if isBerry(in.Data) {
		return parseBerry(ctx, in)
	}
	return parseV1(ctx, in)
}

// isBerry reports whether data is a Yarn Berry lockfile: one with a
// top-level "__metadata:" line, which yarn v1 never writes.
func isBerry(data []byte) bool {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimRight(line, " \t\r")
		if string(line) == "__metadata:" || string(line) == `"__metadata":` {
			return true
		}
	}
	return false
}

// dependency builds the Dependency of an entry.
func dependency(in manifest.Input, name, version string, line int) manifest.Dependency {
	return manifest.Dependency{
		Ecosystem: ecosystem.NPM,
		Name:      name,
		Version:   version,
		File:      in.Path,
		Line:      line,
	}
}

// splitDescriptor splits "name@range" (name possibly "@scope/name") into
// name and range; without '@' the whole string is the name.
func splitDescriptor(s string) (name, rng string) {
	from := 0
	if strings.HasPrefix(s, "@") {
		from = 1
	}
	if i := strings.IndexByte(s[from:], '@'); i >= 0 {
		return s[:from+i], s[from+i+1:]
	}
	return s, ""
}

// aliasTarget returns the package an "npm:" range installs when the range
// names one ("npm:bar@^1", "npm:@s/bar@^1"); ok is false for a plain
// "npm:^1" range or any other protocol.
func aliasTarget(rng string) (name, target string, ok bool) {
	r, ok := strings.CutPrefix(rng, "npm:")
	if !ok || r == "" {
		return "", "", false
	}
	if r[0] != '@' && strings.IndexByte(r, '@') < 0 {
		return "", "", false // "npm:^1.2.0": a range, not an alias
	}
	name, target = splitDescriptor(r)
	return name, target, true
}

// validName reports whether name is shaped like an npm package name:
// "name" or "@scope/name", no other slashes, no white space.
func validName(name string) bool {
	if name == "" || strings.ContainsAny(name, " \t\r\n\"") {
		return false
	}
	if rest, ok := strings.CutPrefix(name, "@"); ok {
		scope, bare, ok := strings.Cut(rest, "/")
		return ok && scope != "" && bare != "" && !strings.Contains(bare, "/")
	}
	return !strings.Contains(name, "/")
}
