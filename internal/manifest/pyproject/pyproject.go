package pyproject

import (
	"context"
	"path"
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/pep508"
	"github.com/pkgward/pkgward/internal/manifest/internal/tomlpos"
)

// Name is the parser id.
const Name = "pypi/pyproject.toml"

// New returns the pyproject.toml parser.
func New() manifest.Parser { return parser{} }

type parser struct{}

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.PyPI }
func (parser) Matches(p string) bool          { return path.Base(p) == "pyproject.toml" }

func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	lines := manifest.NewLineIndex(in.Data)
	root, err := tomlpos.Parse(ctx, in.Path, in.Data, lines)
	if err != nil {
		return nil, err
	}
	c := &collector{ctx: ctx, file: in.Path, lines: lines}
	if err := c.collect(root); err != nil {
		return nil, err
	}
	sort.SliceStable(c.found, func(i, j int) bool { return c.found[i].off < c.found[j].off })
	deps := make([]manifest.Dependency, len(c.found))
	for i, f := range c.found {
		deps[i] = f.dep
	}
	return deps, nil
}

type found struct {
	off int
	dep manifest.Dependency
}

type collector struct {
	ctx   context.Context
	file  string
	lines *manifest.LineIndex
	self  string // canonical name of the project itself
	found []found
}

func (c *collector) errorf(off int, format string, args ...any) error {
	return manifest.Errorf(c.file, c.lines.Line(int64(off)), format, args...)
}

// get returns t[key] if it is of kind k, nil if absent, or an error.
func (c *collector) get(t *tomlpos.Value, key string, k tomlpos.Kind, what string) (*tomlpos.Value, error) {
	f := t.Field(key)
	if f == nil {
		return nil, nil
	}
	if f.Value.Kind != k {
		return nil, c.errorf(f.KeyOffset, "%s is %s, want %s", what, f.Value.Kind, k)
	}
	return f.Value, nil
}

// path follows a chain of tables, returning nil if any is absent.
func (c *collector) path(t *tomlpos.Value, what string, keys ...string) (*tomlpos.Value, error) {
	for i, k := range keys {
		var err error
		if t, err = c.get(t, k, tomlpos.Table, "["+what+strings.Join(keys[:i+1], ".")+"]"); t == nil || err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (c *collector) add(off int, name, version string) {
	c.found = append(c.found, found{off, manifest.Dependency{
		Ecosystem: ecosystem.PyPI, Name: name, Version: version,
		File: c.file, Line: c.lines.Line(int64(off)),
	}})
}

func (c *collector) collect(root *tomlpos.Value) error {
	project, err := c.path(root, "", "project")
	if err != nil {
		return err
	}
	poetry, err := c.path(root, "", "tool", "poetry")
	if err != nil {
		return err
	}
	for _, t := range []*tomlpos.Value{project, poetry} {
		if name, err := c.get(t, "name", tomlpos.String, "project name"); err != nil {
			return err
		} else if name != nil && c.self == "" {
			c.self = ecosystem.PyPI.Canonical(name.Str)
		}
	}

	// PEP 621.
	if err := c.pep508List(project, "dependencies", "[project] dependencies"); err != nil {
		return err
	}
	if err := c.pep508Groups(project, "optional-dependencies", "[project.optional-dependencies]", false); err != nil {
		return err
	}
	// PEP 735.
	if err := c.pep508Groups(root, "dependency-groups", "[dependency-groups]", true); err != nil {
		return err
	}
	// PEP 518.
	build, err := c.path(root, "", "build-system")
	if err != nil {
		return err
	}
	if err := c.pep508List(build, "requires", "[build-system] requires"); err != nil {
		return err
	}
	// uv (legacy dev dependencies).
	uv, err := c.path(root, "", "tool", "uv")
	if err != nil {
		return err
	}
	if err := c.pep508List(uv, "dev-dependencies", "[tool.uv] dev-dependencies"); err != nil {
		return err
	}
	// Poetry.
	for _, key := range []string{"dependencies", "dev-dependencies"} {
		t, err := c.get(poetry, key, tomlpos.Table, "[tool.poetry."+key+"]")
		if err != nil {
			return err
		}
		if err := c.poetryDeps(t); err != nil {
			return err
		}
	}
	groups, err := c.path(poetry, "tool.poetry.", "group")
	if err != nil || groups == nil {
		return err
	}
	for _, g := range groups.Keys {
		gt, err := c.get(groups, g, tomlpos.Table, "[tool.poetry.group."+g+"]")
		if err != nil {
			return err
		}
		t, err := c.get(gt, "dependencies", tomlpos.Table, "[tool.poetry.group."+g+".dependencies]")
		if err != nil {
			return err
		}
		if err := c.poetryDeps(t); err != nil {
			return err
		}
	}
	return nil
}

// pep508Groups reads a table of group name -> list of PEP 508 strings. With
// includes, entries may also be {include-group = "name"} (PEP 735).
func (c *collector) pep508Groups(t *tomlpos.Value, key, what string, includes bool) error {
	groups, err := c.get(t, key, tomlpos.Table, what)
	if err != nil || groups == nil {
		return err
	}
	for _, g := range groups.Keys {
		list, err := c.get(groups, g, tomlpos.Array, what+" "+g)
		if err != nil {
			return err
		}
		if err := c.pep508Array(list, what+" "+g, includes); err != nil {
			return err
		}
	}
	return nil
}

// pep508List reads t[key], a list of PEP 508 strings.
func (c *collector) pep508List(t *tomlpos.Value, key, what string) error {
	list, err := c.get(t, key, tomlpos.Array, what)
	if err != nil || list == nil {
		return err
	}
	return c.pep508Array(list, what, false)
}

func (c *collector) pep508Array(list *tomlpos.Value, what string, includes bool) error {
	for _, e := range list.Elems {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		if includes && e.Kind == tomlpos.Table {
			if inc := e.Field("include-group"); inc == nil || inc.Value.Kind != tomlpos.String || len(e.Keys) != 1 {
				return c.errorf(e.Offset, "%s: a table entry must be {include-group = \"name\"}", what)
			}
			continue // a reference to another group, listed on its own
		}
		if e.Kind != tomlpos.String {
			return c.errorf(e.Offset, "%s: entry is %s, want a PEP 508 string", what, e.Kind)
		}
		r, err := pep508.Parse(e.Str)
		if err != nil {
			return c.errorf(e.Offset, "%s: invalid dependency %q: %v", what, e.Str, err)
		}
		if r.IsLocal() || (c.self != "" && ecosystem.PyPI.Canonical(r.Name) == c.self) {
			continue
		}
		c.add(e.Offset, r.Name, r.Specifier)
	}
	return nil
}

// poetryDeps reads a Poetry dependency table: name -> constraint string,
// table ({version = "...", extras = [...], git/url/path = "..."}), or an
// array of such tables (multiple constraints).
func (c *collector) poetryDeps(t *tomlpos.Value) error {
	if t == nil {
		return nil
	}
	for _, name := range t.Keys {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		f := t.Field(name)
		if strings.EqualFold(name, "python") {
			continue
		}
		if !pep508.ValidName(name) {
			return c.errorf(f.KeyOffset, "invalid Poetry dependency name %q", name)
		}
		switch v := f.Value; v.Kind {
		case tomlpos.String:
			c.add(f.KeyOffset, name, v.Str)
		case tomlpos.Table:
			if err := c.poetryTable(name, v, f.KeyOffset); err != nil {
				return err
			}
		case tomlpos.Array:
			if len(v.Elems) == 0 {
				return c.errorf(f.KeyOffset, "Poetry dependency %q: empty constraint list", name)
			}
			for _, e := range v.Elems {
				if e.Kind != tomlpos.Table {
					return c.errorf(e.Offset, "Poetry dependency %q: constraint is %s, want a table", name, e.Kind)
				}
				if err := c.poetryTable(name, e, e.Offset); err != nil {
					return err
				}
			}
		default:
			return c.errorf(f.KeyOffset, "Poetry dependency %q is %s, want a string or table", name, v.Kind)
		}
	}
	return nil
}

func (c *collector) poetryTable(name string, t *tomlpos.Value, off int) error {
	if t.Field("path") != nil {
		return nil // a local directory or file
	}
	version := ""
	if v, err := c.get(t, "version", tomlpos.String, "Poetry dependency "+name+" version"); err != nil {
		return err
	} else if v != nil {
		version = v.Str
	}
	c.add(off, name, version)
	return nil
}
