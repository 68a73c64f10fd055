package pnpmlock

import (
	"context"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/yamlpos"
)

// Name is the parser's stable id.
const Name = "npm/pnpm-lock.yaml"

type parser struct{}

// New returns the pnpm-lock.yaml parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.NPM }
func (parser) Matches(p string) bool          { return path.Base(p) == "pnpm-lock.yaml" }

// Parse returns the entries of "packages" in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	root, err := decodeYAML(in)
	if err != nil {
		return nil, err
	}
	if root.Kind != yaml.MappingNode {
		return nil, manifest.Errorf(in.Path, max(root.Line, 1), "pnpm-lock.yaml must be a mapping")
	}
	var version, packages *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, manifest.Errorf(in.Path, k.Line, "top-level key must be a string")
		}
		switch k.Value {
		case "lockfileVersion":
			version = v
		case "packages":
			packages = v
		}
	}
	if version == nil {
		return nil, manifest.Errorf(in.Path, max(root.Line, 1), "missing lockfileVersion")
	}
	major, ok := majorVersion(version)
	if !ok {
		return nil, manifest.Errorf(in.Path, version.Line, "invalid lockfileVersion %q", version.Value)
	}
	if packages == nil || (packages.Kind == yaml.ScalarNode && packages.Tag == "!!null") {
		return nil, nil
	}
	if packages.Kind != yaml.MappingNode {
		return nil, manifest.Errorf(in.Path, packages.Line, "packages must be a mapping")
	}
	var deps []manifest.Dependency
	for i := 0; i+1 < len(packages.Content); i += 2 {
		if i%512 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		k, v := packages.Content[i], packages.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, manifest.Errorf(in.Path, k.Line, "package key must be a string")
		}
		if v.Kind != yaml.MappingNode {
			return nil, manifest.Errorf(in.Path, k.Line, "package %q must be a mapping", k.Value)
		}
		var fieldName, fieldVersion string
		for j := 0; j+1 < len(v.Content); j += 2 {
			fk, fv := v.Content[j], v.Content[j+1]
			if fk.Kind != yaml.ScalarNode {
				return nil, manifest.Errorf(in.Path, fk.Line, "package %q: field key must be a string", k.Value)
			}
			if fk.Value != "name" && fk.Value != "version" {
				continue
			}
			if fv.Kind != yaml.ScalarNode {
				return nil, manifest.Errorf(in.Path, fk.Line, "package %q: %s must be a string", k.Value, fk.Value)
			}
			if fk.Value == "name" {
				fieldName = fv.Value
			} else {
				fieldVersion = fv.Value
			}
		}
		name, ver, ok := parseKey(k.Value, major)
		if fieldName != "" {
			// Tarball and git entries: the key is a URL-like path and the
			// entry names the package.
			name, ok = fieldName, validName(fieldName)
		}
		if fieldVersion != "" {
			ver = fieldVersion
		}
		if !ok {
			return nil, manifest.Errorf(in.Path, k.Line, "cannot read package name from %q", k.Value)
		}
		deps = append(deps, manifest.Dependency{
			Ecosystem: ecosystem.NPM,
			Name:      name,
			Version:   ver,
			File:      in.Path,
			Line:      k.Line,
		})
	}
	return deps, nil
}

// majorVersion returns the major of a lockfileVersion such as 5.4, '6.0',
// '9.0' or '5.4-inlineSpecifiers'.
func majorVersion(n *yaml.Node) (int, bool) {
	if n.Kind != yaml.ScalarNode {
		return 0, false
	}
	s := strings.TrimSpace(n.Value)
	end := 0
	for end < len(s) && end < 4 && '0' <= s[end] && s[end] <= '9' {
		end++
	}
	if end == 0 {
		return 0, false
	}
	major, err := strconv.Atoi(s[:end])
	return major, err == nil
}

// parseKey splits a "packages" key into name and version:
//
//	5.x  /name/1.2.3, /@scope/name/1.2.3_peer@1.0.0+other@2.0.0
//	6.x  /name@1.2.3, /@scope/name@1.2.3(peer@1.0.0)(other@2.0.0)
//	9.x  name@1.2.3, @scope/name@1.2.3
//
// Before 9.x a key not starting with "/" begins with a registry host,
// which is dropped. ok is false when the key does not have this shape.
func parseKey(key string, major int) (name, version string, ok bool) {
	s := key
	if major < 9 {
		rest, rel := strings.CutPrefix(s, "/")
		if !rel {
			_, rest, rel = strings.Cut(s, "/") // "registry.example.com/name/1.0.0"
			if !rel {
				return "", "", false
			}
		}
		s = rest
	}
	if major < 6 {
		segs := strings.Split(s, "/")
		n := 1
		if strings.HasPrefix(segs[0], "@") {
			n = 2
		}
		if len(segs) <= n {
			return "", "", false
		}
		name = strings.Join(segs[:n], "/")
		version, _, _ = strings.Cut(strings.Join(segs[n:], "/"), "_")
		// 5.x registry keys always carry a semver version.
		if version == "" || version[0] < '0' || version[0] > '9' {
			return "", "", false
		}
	} else {
		s, _, _ = strings.Cut(s, "(")
		name, version = splitDescriptor(s)
	}
	if !validName(name) || version == "" {
		return "", "", false
	}
	return name, version, true
}

// splitDescriptor splits "name@version" (name possibly "@scope/name").
func splitDescriptor(s string) (name, version string) {
	from := 0
	if strings.HasPrefix(s, "@") {
		from = 1
	}
	if i := strings.IndexByte(s[from:], '@'); i >= 0 {
		return s[:from+i], s[from+i+1:]
	}
	return s, ""
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

// decodeYAML parses in.Data into its top-level node; a file without a
// YAML document is an error. Errors carry the line yaml.v3 reports (see
// yamlpos).
func decodeYAML(in manifest.Input) (*yaml.Node, error) {
	root, err := yamlpos.Decode(in.Path, in.Data)
	if err == nil && root == nil {
		err = manifest.Errorf(in.Path, 1, "empty YAML document")
	}
	return root, err
}
