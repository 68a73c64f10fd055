package pyproject

import (
	"context"
	"path"
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/pep508"
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
	root, err := parseTOML(ctx, in.Path, in.Data, lines)
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
func (c *collector) get(t *tomlValue, key string, k tomlKind, what string) (*tomlValue, error) {
	f := t.field(key)
	if f == nil {
		return nil, nil
	}
	if f.val.kind != k {
		return nil, c.errorf(f.keyOff, "%s is %s, want %s", what, f.val.kind, k)
	}
	return f.val, nil
}

// path follows a chain of tables, returning nil if any is absent.
func (c *collector) path(t *tomlValue, what string, keys ...string) (*tomlValue, error) {
	for i, k := range keys {
		var err error
		if t, err = c.get(t, k, tomlTable, "["+what+strings.Join(keys[:i+1], ".")+"]"); t == nil || err != nil {
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

func (c *collector) collect(root *tomlValue) error {
	project, err := c.path(root, "", "project")
	if err != nil {
		return err
	}
	poetry, err := c.path(root, "", "tool", "poetry")
	if err != nil {
		return err
	}
	for _, t := range []*tomlValue{project, poetry} {
		if name, err := c.get(t, "name", tomlString, "project name"); err != nil {
			return err
		} else if name != nil && c.self == "" {
			c.self = ecosystem.PyPI.Canonical(name.str)
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
		t, err := c.get(poetry, key, tomlTable, "[tool.poetry."+key+"]")
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
	for _, g := range groups.keys {
		gt, err := c.get(groups, g, tomlTable, "[tool.poetry.group."+g+"]")
		if err != nil {
			return err
		}
		t, err := c.get(gt, "dependencies", tomlTable, "[tool.poetry.group."+g+".dependencies]")
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
func (c *collector) pep508Groups(t *tomlValue, key, what string, includes bool) error {
	groups, err := c.get(t, key, tomlTable, what)
	if err != nil || groups == nil {
		return err
	}
	for _, g := range groups.keys {
		list, err := c.get(groups, g, tomlArray, what+" "+g)
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
func (c *collector) pep508List(t *tomlValue, key, what string) error {
	list, err := c.get(t, key, tomlArray, what)
	if err != nil || list == nil {
		return err
	}
	return c.pep508Array(list, what, false)
}

func (c *collector) pep508Array(list *tomlValue, what string, includes bool) error {
	for _, e := range list.elems {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		if includes && e.kind == tomlTable {
			if inc := e.field("include-group"); inc == nil || inc.val.kind != tomlString || len(e.keys) != 1 {
				return c.errorf(e.off, "%s: a table entry must be {include-group = \"name\"}", what)
			}
			continue // a reference to another group, listed on its own
		}
		if e.kind != tomlString {
			return c.errorf(e.off, "%s: entry is %s, want a PEP 508 string", what, e.kind)
		}
		r, err := pep508.Parse(e.str)
		if err != nil {
			return c.errorf(e.off, "%s: invalid dependency %q: %v", what, e.str, err)
		}
		if r.IsLocal() || (c.self != "" && ecosystem.PyPI.Canonical(r.Name) == c.self) {
			continue
		}
		c.add(e.off, r.Name, r.Specifier)
	}
	return nil
}

// poetryDeps reads a Poetry dependency table: name -> constraint string,
// table ({version = "...", extras = [...], git/url/path = "..."}), or an
// array of such tables (multiple constraints).
func (c *collector) poetryDeps(t *tomlValue) error {
	if t == nil {
		return nil
	}
	for _, name := range t.keys {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		f := t.fields[name]
		if strings.EqualFold(name, "python") {
			continue
		}
		if !pep508.ValidName(name) {
			return c.errorf(f.keyOff, "invalid Poetry dependency name %q", name)
		}
		switch v := f.val; v.kind {
		case tomlString:
			c.add(f.keyOff, name, v.str)
		case tomlTable:
			if err := c.poetryTable(name, v, f.keyOff); err != nil {
				return err
			}
		case tomlArray:
			if len(v.elems) == 0 {
				return c.errorf(f.keyOff, "Poetry dependency %q: empty constraint list", name)
			}
			for _, e := range v.elems {
				if e.kind != tomlTable {
					return c.errorf(e.off, "Poetry dependency %q: constraint is %s, want a table", name, e.kind)
				}
				if err := c.poetryTable(name, e, e.off); err != nil {
					return err
				}
			}
		default:
			return c.errorf(f.keyOff, "Poetry dependency %q is %s, want a string or table", name, v.kind)
		}
	}
	return nil
}

func (c *collector) poetryTable(name string, t *tomlValue, off int) error {
	if t.field("path") != nil {
		return nil // a local directory or file
	}
	version := ""
	if v, err := c.get(t, "version", tomlString, "Poetry dependency "+name+" version"); err != nil {
		return err
	} else if v != nil {
		version = v.str
	}
	c.add(off, name, version)
	return nil
}
