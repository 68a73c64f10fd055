package packagejson

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/jsonpos"
)

// Name is the parser's stable id.
const Name = "npm/package.json"

// sections are the package.json fields that declare dependencies.
var sections = map[string]bool{
	"dependencies":         true,
	"devDependencies":      true,
	"optionalDependencies": true,
	"peerDependencies":     true,
}

type parser struct{}

// New returns the package.json parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.NPM }
func (parser) Matches(p string) bool          { return path.Base(p) == "package.json" }

// Parse returns the dependencies of every section, in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	doc, err := jsonpos.Parse(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if k := root.Kind(); k != jsonpos.Object {
		return nil, doc.Errorf(doc.ValueLine(root), "package.json must be an object, found %s", k)
	}
	top, err := doc.Members(ctx, root)
	if err != nil {
		return nil, err
	}
	var deps []manifest.Dependency
	for _, sec := range top {
		if !sections[sec.Key] || sec.Value.Kind() == jsonpos.Null {
			continue
		}
		if k := sec.Value.Kind(); k != jsonpos.Object {
			return nil, doc.Errorf(sec.KeyLine, "%q must be an object, found %s", sec.Key, k)
		}
		members, err := doc.Members(ctx, sec.Value)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if k := m.Value.Kind(); k != jsonpos.String {
				return nil, doc.Errorf(m.KeyLine, "%s %q: version must be a string, found %s", sec.Key, m.Key, k)
			}
			spec, err := doc.String(m.Value)
			if err != nil {
				return nil, err
			}
			name, version, err := resolve(m.Key, spec)
			if err != nil {
				return nil, doc.Errorf(m.KeyLine, "%s: %v", sec.Key, err)
			}
			deps = append(deps, manifest.Dependency{
				Ecosystem: ecosystem.NPM,
				Name:      name,
				Version:   version,
				File:      in.Path,
				Line:      m.KeyLine,
			})
		}
	}
	return deps, nil
}

// resolve returns the package installed for key: spec: the target of an
// "npm:" alias, else key itself with spec as written.
func resolve(key, spec string) (name, version string, err error) {
	if strings.TrimSpace(key) == "" {
		return "", "", errors.New("empty dependency name")
	}
	target, ok := strings.CutPrefix(strings.TrimSpace(spec), "npm:")
	if !ok {
		return key, spec, nil
	}
	name, version = splitSpec(target)
	if name == "" || (strings.HasPrefix(name, "@") && !strings.Contains(name, "/")) {
		return "", "", fmt.Errorf("invalid npm: alias %q for %q", spec, key)
	}
	return name, version, nil
}

// splitSpec splits an npm package spec "name@range" (name possibly scoped,
// "@scope/name@range") into name and range. A spec without a range
// returns range "".
func splitSpec(spec string) (name, rng string) {
	from := 0
	if strings.HasPrefix(spec, "@") {
		from = 1
	}
	if i := strings.IndexByte(spec[from:], '@'); i >= 0 {
		return spec[:from+i], spec[from+i+1:]
	}
	return spec, ""
}
