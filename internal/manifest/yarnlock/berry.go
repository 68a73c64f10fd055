package yarnlock

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/manifest"
)

// parseBerry reads a Yarn Berry lockfile: a YAML mapping from descriptor
// lists ("lodash@npm:^4.17.20, lodash@npm:^4.17.21") to entries holding
// "version" and "resolution" ("lodash@npm:4.17.21").
func parseBerry(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	root, err := decodeYAML(in)
	if err != nil {
		return nil, err
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

// decodeYAML parses in.Data into its top-level node. Errors carry the line
// yaml.v3 reports. A panic inside the YAML library on hostile input is
// turned into an error rather than crashing the scan.
func decodeYAML(in manifest.Input) (node *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			node, err = nil, manifest.Errorf(in.Path, 0, "invalid YAML: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(in.Data, &doc); err != nil {
		return nil, manifest.Errorf(in.Path, yamlErrorLine(err), "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, manifest.Errorf(in.Path, 1, "empty YAML document")
	}
	return doc.Content[0], nil
}

// yamlErrorLine returns the 1-based line of a yaml.v3 parse error, or 0.
// yaml.v3 writes "yaml: line N: problem", where N is 1-based for scanner
// problems but 0-based for parser problems (its fail() only adjusts the
// former), and omits the line when the 0-based mark is 0.
func yamlErrorLine(err error) int {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if j := strings.IndexByte(rest, ':'); j > 0 {
			if n, err := strconv.Atoi(rest[:j]); err == nil && n > 0 {
				line, msg = n, strings.TrimSpace(rest[j+1:])
			}
		}
	}
	hasPrefix := func(p string) bool { return strings.HasPrefix(msg, p) }
	switch {
	case slices.ContainsFunc(yamlParserProblems, hasPrefix):
		return line + 1
	case line == 0 && slices.ContainsFunc(yamlScannerPrefixes, hasPrefix):
		return 1
	}
	return line
}

// yamlParserProblems are the problems yaml.v3's parser (parserc.go)
// reports; none is also a scanner problem.
var yamlParserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// yamlScannerPrefixes start the problems of yaml.v3's scanner
// (scannerc.go), which always carry a position.
var yamlScannerPrefixes = []string{"found ", "did not find ", "could not find ", "mapping ", "block sequence ", "exceeded max depth"}
