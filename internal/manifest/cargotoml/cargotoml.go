package cargotoml

import (
	"context"
	"path"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/tomlpos"
)

// Name identifies the parser.
const Name = "crates/Cargo.toml"

type parser struct{}

// New returns the Cargo.toml parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.Crates }

// Matches reports whether path names a Cargo.toml file.
func (parser) Matches(p string) bool { return path.Base(p) == "Cargo.toml" }

// depKinds are the names of dependency tables, including the snake_case
// spellings Cargo still accepts.
var depKinds = map[string]bool{
	"dependencies":       true,
	"dev-dependencies":   true,
	"dev_dependencies":   true,
	"build-dependencies": true,
	"build_dependencies": true,
}

// entry accumulates what the file says about one dependency, which dotted
// keys and subtables may spread over several expressions.
type entry struct {
	key       string // the dependency's key in its table
	line      int    // line of the first mention of the key
	version   string
	pkg       string // `package = "..."`: the real crate name
	hasPkg    bool
	workspace bool // `workspace = true`: inherited from the workspace
}

type state struct {
	file    string
	lines   *manifest.LineIndex
	entries []*entry
	byID    map[string]*entry
}

// Parse returns the dependencies declared in a Cargo.toml, in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := &state{
		file:  in.Path,
		lines: manifest.NewLineIndex(in.Data),
		byID:  map[string]*entry{},
	}
	// Keys and their lines of the current [table] header. Lines, not
	// nodes: nodes do not outlive their expression.
	var table []string
	var tableLines []int
	err := tomlpos.Walk(ctx, in.Path, in.Data, func(expr *unstable.Node) error {
		switch expr.Kind {
		case unstable.Table, unstable.ArrayTable:
			table, tableLines = st.keyPath(nil, nil, expr.Key())
			n, ok := depPrefix(table)
			if !ok {
				return nil
			}
			if expr.Kind == unstable.ArrayTable {
				return manifest.Errorf(in.Path, tableLines[len(tableLines)-1],
					"[[%s]]: dependency tables cannot be arrays of tables", strings.Join(table, "."))
			}
			if len(table) > n {
				st.mention(table[:n], table[n], tableLines[n])
			}
		case unstable.KeyValue:
			keys, lines := st.keyPath(table, tableLines, expr.Key())
			return st.visit(keys, lines, expr.Value())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	var deps []manifest.Dependency
	for _, e := range st.entries {
		if e.workspace {
			continue // declared, and reported, in the workspace root
		}
		name := e.key
		if e.hasPkg {
			name = e.pkg
		}
		if strings.TrimSpace(name) == "" {
			return nil, manifest.Errorf(in.Path, e.line, "dependency with an empty crate name")
		}
		deps = append(deps, manifest.Dependency{
			Ecosystem: ecosystem.Crates,
			Name:      name,
			Version:   e.version,
			File:      in.Path,
			Line:      e.line,
		})
	}
	return deps, nil
}

// keyPath appends the parts of a (possibly dotted) key and their lines to
// copies of keys and lines.
func (st *state) keyPath(keys []string, lines []int, it unstable.Iterator) ([]string, []int) {
	keys = slices.Clone(keys)
	lines = slices.Clone(lines)
	for _, k := range tomlpos.KeyParts(it) {
		keys = append(keys, k.Name)
		lines = append(lines, st.lines.Line(int64(k.Offset)))
	}
	return keys, lines
}

// depPrefix reports whether keys lie in a dependency table and how many of
// them name that table: dependencies, target.<cfg>.dependencies or
// workspace.dependencies.
func depPrefix(keys []string) (int, bool) {
	switch {
	case len(keys) >= 1 && depKinds[keys[0]]:
		return 1, true
	case len(keys) >= 3 && keys[0] == "target" && depKinds[keys[2]]:
		return 3, true
	case len(keys) >= 2 && keys[0] == "workspace" && keys[1] == "dependencies":
		return 2, true
	}
	return 0, false
}

// mayHoldDeps reports whether a table at keys, outside any dependency
// table, may contain one.
func mayHoldDeps(keys []string) bool {
	switch len(keys) {
	case 0:
		return true
	case 1:
		return keys[0] == "target" || keys[0] == "workspace"
	case 2:
		return keys[0] == "target"
	}
	return false
}

// mention records a dependency key of a dependency table, first seen on
// line.
func (st *state) mention(table []string, key string, line int) *entry {
	id := strings.Join(append(slices.Clone(table), key), "\x00")
	if e, ok := st.byID[id]; ok {
		return e
	}
	e := &entry{key: key, line: line}
	st.byID[id] = e
	st.entries = append(st.entries, e)
	return e
}

// visit handles `keys = v`, keys being the full path from the document
// root, with the line of each part. Inline tables are walked as if their
// keys were dotted, so every TOML spelling of a dependency reads the same.
func (st *state) visit(keys []string, lines []int, v *unstable.Node) error {
	n, ok := depPrefix(keys)
	var e *entry
	if ok && len(keys) > n {
		e = st.mention(keys[:n], keys[n], lines[n])
	}
	// Inline tables are walked where they may hold dependency tables
	// (target = { 'cfg(unix)' = { dependencies = ... } }) or dependencies,
	// and no deeper, which bounds the recursion whatever the nesting.
	descend := ok && len(keys) <= n+1 || !ok && mayHoldDeps(keys)
	if v.Kind == unstable.InlineTable && descend {
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			if kv.Kind != unstable.KeyValue {
				continue
			}
			k, l := st.keyPath(keys, lines, kv.Key())
			if err := st.visit(k, l, kv.Value()); err != nil {
				return err
			}
		}
		return nil
	}
	if !ok {
		return nil
	}
	line := lines[len(lines)-1]
	switch len(keys) - n {
	case 0:
		return manifest.Errorf(st.file, line, "%s must be a table, got %s", strings.Join(keys, "."), v.Kind)
	case 1:
		if v.Kind != unstable.String {
			return manifest.Errorf(st.file, line, "dependency %q: want a version string or a table, got %s", e.key, v.Kind)
		}
		e.version = string(v.Data)
	case 2:
		return st.field(e, keys[n+1], v, line)
	}
	return nil // deeper keys (features, ...) say nothing about identity
}

// field reads one field of a dependency's table.
func (st *state) field(e *entry, name string, v *unstable.Node, line int) error {
	switch name {
	case "version", "package":
		if v.Kind != unstable.String {
			return manifest.Errorf(st.file, line, "dependency %q: %s must be a string, got %s", e.key, name, v.Kind)
		}
		if name == "version" {
			e.version = string(v.Data)
		} else {
			e.pkg, e.hasPkg = string(v.Data), true
		}
	case "workspace":
		if v.Kind != unstable.Bool {
			return manifest.Errorf(st.file, line, "dependency %q: workspace must be a boolean, got %s", e.key, v.Kind)
		}
		e.workspace = string(v.Data) == "true"
	}
	return nil
}
