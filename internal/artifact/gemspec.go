package artifact

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// gem reads the YAML gemspec of metadata.gz. The document is walked as a
// node tree (its Ruby tags are ignored); aliases are resolved one level,
// never expanded recursively.
func (m *metaCtx) gem(meta []byte) {
	p := m.pkg()
	p.Ecosystem = ecosystem.RubyGems
	if meta == nil {
		m.bad(gemMetadata, "missing or unreadable")
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(stripBOM(meta), &doc); err != nil {
		m.bad(gemMetadata, "%v", shortErr(err))
		return
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		m.bad(gemMetadata, "not a mapping")
		return
	}
	p.Name = yscalar(ykey(root, "name"))
	if v := ykey(root, "version"); v != nil && v.Kind == yaml.MappingNode {
		p.Version = yscalar(ykey(v, "version"))
	} else {
		p.Version = yscalar(v)
	}
	if p.Name == "" {
		m.bad(gemMetadata, "no name")
	}
	p.Description = yscalar(ykey(root, "summary"))
	if d := yscalar(ykey(root, "description")); d != p.Description {
		if p.Description == "" {
			p.Description = d
		} else {
			p.Readme = d
		}
	}
	p.Homepage = yscalar(ykey(root, "homepage"))
	if md := ykey(root, "metadata"); md != nil {
		p.Repository = yscalar(ykey(md, "source_code_uri"))
		if p.Homepage == "" {
			p.Homepage = yscalar(ykey(md, "homepage_uri"))
		}
	}
	authors := ylist(ykey(root, "authors"))
	emails := ylist(ykey(root, "email"))
	for i, a := range authors {
		per := record.Person{Name: a}
		if len(emails) == len(authors) || (i == 0 && len(emails) == 1) {
			per.Email = emails[i]
		}
		p.Authors = append(p.Authors, per)
	}
	if len(authors) == 0 {
		for _, e := range emails {
			p.Authors = append(p.Authors, record.Person{Email: e})
		}
	}
	if ext := ylist(ykey(root, "extensions")); len(ext) > 0 {
		m.setScript("extensions", strings.Join(ext, ", "))
	}
	if deps := yalias(ykey(root, "dependencies")); deps != nil && deps.Kind == yaml.SequenceNode {
		for _, d := range deps.Content {
			d = yalias(d)
			if d == nil || d.Kind != yaml.MappingNode {
				continue
			}
			if t := yscalar(ykey(d, "type")); t != "" && strings.TrimPrefix(t, ":") != "runtime" {
				continue
			}
			addDep(p, yscalar(ykey(d, "name")), gemRequirement(ykey(d, "requirement")))
		}
	}
	m.readme("")
}

// gemRequirement reads a Gem::Requirement: requirements: [[op, {version: v}], …].
func gemRequirement(n *yaml.Node) string {
	reqs := yalias(ykey(n, "requirements"))
	if reqs == nil || reqs.Kind != yaml.SequenceNode {
		return ""
	}
	var parts []string
	for _, r := range reqs.Content {
		r = yalias(r)
		if r == nil || r.Kind != yaml.SequenceNode || len(r.Content) != 2 {
			continue
		}
		op, v := yscalar(r.Content[0]), r.Content[1]
		ver := yscalar(ykey(v, "version"))
		if ver == "" {
			ver = yscalar(v)
		}
		parts = append(parts, strings.TrimSpace(op+" "+ver))
	}
	return strings.Join(parts, ", ")
}

// yalias resolves an alias node, one level.
func yalias(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// ykey returns the value of key in a mapping node, or nil.
func ykey(n *yaml.Node, key string) *yaml.Node {
	n = yalias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return yalias(n.Content[i+1])
		}
	}
	return nil
}

func yscalar(n *yaml.Node) string {
	n = yalias(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return text(n.Value)
}

// ylist reads a scalar or a sequence of scalars.
func ylist(n *yaml.Node) []string {
	n = yalias(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if s := yscalar(n); s != "" {
			return []string{s}
		}
		return nil
	}
	var out []string
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if s := yscalar(c); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
