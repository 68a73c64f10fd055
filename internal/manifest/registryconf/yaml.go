package registryconf

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/manifest"
)

// decodeYAML parses data into its top-level node; nil for an empty
// document. Errors carry the line yaml.v3 reports. A panic inside the YAML
// library on hostile input becomes an error.
func decodeYAML(file string, data []byte) (node *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			node, err = nil, manifest.Errorf(file, 0, "invalid YAML: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, manifest.Errorf(file, yamlErrorLine(err), "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	n := doc.Content[0]
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, manifest.Errorf(file, n.Line, "the document is not a mapping")
	}
	return n, nil
}

// yamlErrorLine returns the 1-based line of a yaml.v3 parse error, or 0.
// yaml.v3 writes "yaml: line N: problem", where N is 1-based for scanner
// problems but 0-based for parser problems, and omits the line when the
// 0-based mark is 0. (The same reading as the pnpm-lock.yaml parser's.)
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

// pairs returns the key/value pairs of a mapping node (nil for another
// kind), skipping keys that are not scalars.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == yaml.ScalarNode {
			out = append(out, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
		}
	}
	return out
}

const (
	yamlSequence = yaml.SequenceNode
	yamlScalar   = yaml.ScalarNode
)
