package poetrylock

import (
	"context"
	"path"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/pep508"
)

// Name is the parser id.
const Name = "pypi/poetry.lock"

// New returns the poetry.lock parser.
func New() manifest.Parser { return parser{} }

type parser struct{}

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.PyPI }
func (parser) Matches(p string) bool          { return path.Base(p) == "poetry.lock" }

func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	lines := manifest.NewLineIndex(in.Data)
	root, err := parseTOML(ctx, in.Path, in.Data, lines)
	if err != nil {
		return nil, err
	}
	errorf := func(off int, format string, args ...any) error {
		return manifest.Errorf(in.Path, lines.Line(int64(off)), format, args...)
	}
	f := root.field("package")
	if f == nil {
		return nil, nil // a project without dependencies
	}
	if f.val.kind != tomlArray {
		return nil, errorf(f.keyOff, "package is %s, want an array of tables", f.val.kind)
	}
	var deps []manifest.Dependency
	for _, pkg := range f.val.elems {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if pkg.kind != tomlTable {
			return nil, errorf(pkg.off, "package entry is %s, want a table", pkg.kind)
		}
		name := pkg.field("name")
		if name == nil {
			return nil, errorf(pkg.off, "package entry has no name")
		}
		if name.val.kind != tomlString || !pep508.ValidName(name.val.str) {
			return nil, errorf(name.keyOff, "invalid package name")
		}
		version := pkg.field("version")
		if version == nil {
			return nil, errorf(name.keyOff, "package %q has no version", name.val.str)
		}
		if version.val.kind != tomlString || version.val.str == "" {
			return nil, errorf(version.keyOff, "package %q: version is %s, want a non-empty string", name.val.str, version.val.kind)
		}
		if src := pkg.field("source"); src != nil {
			if src.val.kind != tomlTable {
				return nil, errorf(src.keyOff, "package %q: source is %s, want a table", name.val.str, src.val.kind)
			}
			if typ := src.val.field("type"); typ != nil && typ.val.kind == tomlString &&
				(typ.val.str == "directory" || typ.val.str == "file") {
				continue
			}
		}
		deps = append(deps, manifest.Dependency{
			Ecosystem: ecosystem.PyPI, Name: name.val.str, Version: version.val.str,
			File: in.Path, Line: lines.Line(int64(name.keyOff)),
		})
	}
	return deps, nil
}
