package yarnlock

import (
	"context"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/yamlpos"
)

// parseBerry reads a Yarn Berry lockfile: a YAML mapping from descriptor
// lists ("lodash@npm:^4.17.20, lodash@npm:^4.17.21") to entries holding
// "version" and "resolution" ("lodash@npm:4.17.21").
func parseBerry(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	root, err := yamlpos.Decode(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, manifest.Errorf(in.Path, 1, "empty YAML document")
	}
	if root.Kind != yaml.MappingNode {
		return nil, manifest.Errorf(in.Path, max(root.Line, 1), "yarn.lock must be a mapping")
	}
	var deps []manifest.Dependency
	for i := 0; i+1 < len(root.Content); i += 2 {
		if i%512 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, manifest.Errorf(in.Path, k.Line, "entry key must be a string")
		}
		if k.Value == "__metadata" {
			continue
		}
		if v.Kind != yaml.MappingNode {
			return nil, manifest.Errorf(in.Path, k.Line, "entry %q must be a mapping", k.Value)
		}
		var version, resolution string
		for j := 0; j+1 < len(v.Content); j += 2 {
			fk, fv := v.Content[j], v.Content[j+1]
			if fk.Kind != yaml.ScalarNode {
				return nil, manifest.Errorf(in.Path, fk.Line, "entry %q: field key must be a string", k.Value)
			}
			switch fk.Value {
			case "version", "resolution":
				if fv.Kind != yaml.ScalarNode {
					return nil, manifest.Errorf(in.Path, fk.Line, "entry %q: %s must be a string", k.Value, fk.Value)
				}
				if fk.Value == "version" {
					version = fv.Value
				} else {
					resolution = fv.Value
				}
			}
		}
		locator := resolution
		if locator == "" {
			// No resolution: fall back to the first descriptor of the key.
			locator, _, _ = strings.Cut(k.Value, ",")
			locator = strings.TrimSpace(locator)
		}
		name, ref := splitDescriptor(locator)
		if strings.HasPrefix(ref, "workspace:") {
			continue // a project of this repository, not a registry package
		}
		if alias, _, ok := aliasTarget(ref); ok {
			name = alias
		}
		if !validName(name) {
			return nil, manifest.Errorf(in.Path, k.Line, "entry %q: invalid package locator %q", k.Value, locator)
		}
		deps = append(deps, dependency(in, name, version, k.Line))
	}
	return deps, nil
}
