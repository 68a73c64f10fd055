package registryconf

import (
	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/yamlpos"
)

// decodeYAML parses data into its top-level node; nil for an empty
// document. Errors carry the line yaml.v3 reports (see yamlpos).
func decodeYAML(file string, data []byte) (*yaml.Node, error) {
	n, err := yamlpos.Decode(file, data)
	if err != nil || n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, manifest.Errorf(file, n.Line, "the document is not a mapping")
	}
	return n, nil
}

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
