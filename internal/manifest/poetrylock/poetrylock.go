package poetrylock

import (
	"context"
	"path"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/pep508"
	"github.com/pkgward/pkgward/internal/manifest/internal/tomlpos"
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
	root, err := tomlpos.Parse(ctx, in.Path, in.Data, lines)
	if err != nil {
		return nil, err
	}
	errorf := func(off int, format string, args ...any) error {
		return manifest.Errorf(in.Path, lines.Line(int64(off)), format, args...)
	}
	f := root.Field("package")
	if f == nil {
		return nil, nil // a project without dependencies
	}
	if f.Value.Kind != tomlpos.Array {
		return nil, errorf(f.KeyOffset, "package is %s, want an array of tables", f.Value.Kind)
	}
	var deps []manifest.Dependency
	for _, pkg := range f.Value.Elems {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if pkg.Kind != tomlpos.Table {
			return nil, errorf(pkg.Offset, "package entry is %s, want a table", pkg.Kind)
		}
		name := pkg.Field("name")
		if name == nil {
			return nil, errorf(pkg.Offset, "package entry has no name")
		}
		if name.Value.Kind != tomlpos.String || !pep508.ValidName(name.Value.Str) {
			return nil, errorf(name.KeyOffset, "invalid package name")
		}
		version := pkg.Field("version")
		if version == nil {
			return nil, errorf(name.KeyOffset, "package %q has no version", name.Value.Str)
		}
		if version.Value.Kind != tomlpos.String || version.Value.Str == "" {
			return nil, errorf(version.KeyOffset, "package %q: version is %s, want a non-empty string", name.Value.Str, version.Value.Kind)
		}
		if src := pkg.Field("source"); src != nil {
			if src.Value.Kind != tomlpos.Table {
				return nil, errorf(src.KeyOffset, "package %q: source is %s, want a table", name.Value.Str, src.Value.Kind)
			}
			if typ := src.Value.Field("type"); typ != nil && typ.Value.Kind == tomlpos.String &&
				(typ.Value.Str == "directory" || typ.Value.Str == "file") {
				continue
			}
		}
		deps = append(deps, manifest.Dependency{
			Ecosystem: ecosystem.PyPI, Name: name.Value.Str, Version: version.Value.Str,
			File: in.Path, Line: lines.Line(int64(name.KeyOffset)),
		})
	}
	return deps, nil
}
