package cargolock

import (
	"context"
	"path"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/tomlpos"
)

// Name identifies the parser.
const Name = "crates/Cargo.lock"

type parser struct{}

// New returns the Cargo.lock parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.Crates }

// Matches reports whether path names a Cargo.lock file.
func (parser) Matches(p string) bool { return path.Base(p) == "Cargo.lock" }

// pkg is one [[package]] entry.
type pkg struct {
	line                  int // line of the [[package]] header
	name, version, source string
	nameLine              int
	hasName, hasVersion   bool
}

type state struct {
	file  string
	lines *manifest.LineIndex
	pkgs  []*pkg
}

// Parse returns the locked packages that come from a registry or a git
// repository, in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := &state{file: in.Path, lines: manifest.NewLineIndex(in.Data)}
	var cur *pkg // the [[package]] being read, if any
	err := tomlpos.Walk(ctx, in.Path, in.Data, func(expr *unstable.Node) error {
		switch expr.Kind {
		case unstable.Table, unstable.ArrayTable:
			keys, first := st.keyPath(expr.Key())
			cur = nil
			if len(keys) == 0 || keys[0] != "package" {
				return nil
			}
			if expr.Kind != unstable.ArrayTable || len(keys) != 1 {
				return manifest.Errorf(in.Path, first, "[%s]: want [[package]] entries", strings.Join(keys, "."))
			}
			cur = &pkg{line: first}
			st.pkgs = append(st.pkgs, cur)
		case unstable.KeyValue:
			keys, first := st.keyPath(expr.Key())
			if cur != nil {
				return st.field(cur, keys, first, expr.Value())
			}
			if len(keys) > 0 && keys[0] == "package" {
				return st.inlinePackages(ctx, keys, first, expr.Value())
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	var deps []manifest.Dependency
	for _, pk := range st.pkgs {
		if !pk.hasName || !pk.hasVersion {
			missing := "name"
			if pk.hasName {
				missing = "version"
			}
			return nil, manifest.Errorf(in.Path, pk.line, "package entry without %s", missing)
		}
		if pk.source == "" {
			continue // a workspace member or path dependency
		}
		deps = append(deps, manifest.Dependency{
			Ecosystem: ecosystem.Crates,
			Name:      pk.name,
			Version:   pk.version,
			File:      in.Path,
			Line:      pk.nameLine,
		})
	}
	return deps, nil
}

// keyPath returns the parts of a (possibly dotted) key and the line of its
// first part.
func (st *state) keyPath(it unstable.Iterator) ([]string, int) {
	var keys []string
	line := 0
	for i, k := range tomlpos.KeyParts(it) {
		if i == 0 {
			line = st.lines.Line(int64(k.Offset))
		}
		keys = append(keys, k.Name)
	}
	return keys, line
}

// field reads `keys = v` inside a package entry.
func (st *state) field(pk *pkg, keys []string, line int, v *unstable.Node) error {
	if len(keys) != 1 {
		return nil
	}
	switch keys[0] {
	case "name", "version", "source":
	default:
		return nil
	}
	if v.Kind != unstable.String {
		return manifest.Errorf(st.file, line, "package %s must be a string, got %s", keys[0], v.Kind)
	}
	s := string(v.Data)
	switch keys[0] {
	case "name":
		if s == "" {
			return manifest.Errorf(st.file, line, "package with an empty name")
		}
		pk.name, pk.nameLine, pk.hasName = s, line, true
	case "version":
		pk.version, pk.hasVersion = s, true
	case "source":
		pk.source = s
	}
	return nil
}

// inlinePackages reads the package array written as a value,
// `package = [{ name = "...", ... }, ...]`, which Cargo never writes but
// TOML allows.
func (st *state) inlinePackages(ctx context.Context, keys []string, line int, v *unstable.Node) error {
	if len(keys) != 1 || v.Kind != unstable.Array {
		return manifest.Errorf(st.file, line, "%s: want [[package]] entries", strings.Join(keys, "."))
	}
	it := v.Children()
	for it.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		t := it.Node()
		if t.Kind == unstable.Comment {
			continue
		}
		if t.Kind != unstable.InlineTable {
			return manifest.Errorf(st.file, line, "package: want tables, got %s", t.Kind)
		}
		pk := &pkg{line: st.lines.Line(int64(t.Raw.Offset))}
		st.pkgs = append(st.pkgs, pk)
		kvs := t.Children()
		for kvs.Next() {
			kv := kvs.Node()
			if kv.Kind != unstable.KeyValue {
				continue
			}
			k, l := st.keyPath(kv.Key())
			if err := st.field(pk, k, l, kv.Value()); err != nil {
				return err
			}
		}
	}
	return nil
}
