package uvlock

import (
	"context"
	"path"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/pep508"
)

// Name is the parser id.
const Name = "pypi/uv.lock"

// New returns the uv.lock parser.
func New() manifest.Parser { return parser{} }

type parser struct{}

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.PyPI }
func (parser) Matches(p string) bool          { return path.Base(p) == "uv.lock" }

// localSources are the uv source kinds that point at the local file system.
var localSources = []string{"editable", "virtual", "path", "directory"}

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
		return nil, nil
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
		version := ""
		if v := pkg.field("version"); v != nil {
			if v.val.kind != tomlString || v.val.str == "" {
				return nil, errorf(v.keyOff, "package %q: version is %s, want a non-empty string", name.val.str, v.val.kind)
			}
			version = v.val.str
		}
		src := pkg.field("source")
		if src == nil {
			return nil, errorf(name.keyOff, "package %q has no source", name.val.str)
		}
		if src.val.kind != tomlTable {
			return nil, errorf(src.keyOff, "package %q: source is %s, want a table", name.val.str, src.val.kind)
		}
		if isLocal(src.val) {
			continue
		}
		deps = append(deps, manifest.Dependency{
			Ecosystem: ecosystem.PyPI, Name: name.val.str, Version: version,
			File: in.Path, Line: lines.Line(int64(name.keyOff)),
		})
	}
	return deps, nil
}

func isLocal(src *tomlValue) bool {
	for _, k := range localSources {
		if src.field(k) != nil {
			return true
		}
	}
	return false
}
