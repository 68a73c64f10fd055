package registryconf

import (
	"context"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/tomlpos"
)

// pyproject reads the package sources of pyproject.toml: Poetry's
// [[tool.poetry.source]] and uv's [tool.uv] settings (see readUV).
//
// Poetry: a source with priority "explicit" serves only the packages that
// name it (scope registry); "supplemental" and the deprecated "secondary"
// (also secondary = true) are searched for every package not found in the
// primary sources (extra indexes); the first "primary" (the default
// priority) or "default" (also default = true) source is the registry, and
// further primary sources are searched together with it (extra indexes).
type pyproject struct{}

func (pyproject) Name() string          { return "config/pyproject.toml" }
func (pyproject) Matches(p string) bool { return path.Base(p) == "pyproject.toml" }

func (pyproject) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	d, err := parseTOML(ctx, in)
	if err != nil {
		return nil, err
	}
	b := &builder{eco: ecosystem.PyPI, file: in.Path}
	poetry, err := d.table(d.root, "[tool.poetry]", "tool", "poetry")
	if err != nil {
		return nil, err
	}
	if poetry != nil {
		if err := readPoetry(d, b, poetry); err != nil {
			return nil, err
		}
	}
	uv, err := d.table(d.root, "[tool.uv]", "tool", "uv")
	if err != nil {
		return nil, err
	}
	if uv != nil {
		if err := readUV(d, b, uv, "tool.uv."); err != nil {
			return nil, err
		}
	}
	return b.sorted(), nil
}

func readPoetry(d *tomlDoc, b *builder, poetry *tomlpos.Value) error {
	sources, err := d.tables(poetry, "source", "tool.poetry.source")
	if err != nil {
		return err
	}
	primary := 0
	for i, src := range sources {
		name, _, _, err := d.str(src, "name", "source name")
		if err != nil {
			return err
		}
		prio, _, _, err := d.str(src, "priority", "source priority")
		if err != nil {
			return err
		}
		for _, old := range []string{"default", "secondary"} {
			set, _, ok, err := d.boolean(src, old, "source "+old)
			if err != nil {
				return err
			}
			if ok && set && prio == "" {
				prio = old
			}
		}
		var kind Kind
		switch strings.ToLower(prio) {
		case "explicit":
			kind = ScopeRegistry
		case "supplemental", "secondary":
			kind = ExtraIndex
		default: // "", "primary", "default"
			kind = Registry
			if primary > 0 {
				kind = ExtraIndex
			}
			primary++
		}
		url, line, ok, err := d.str(src, "url", "source url")
		if err != nil {
			return err
		}
		if ok {
			b.addURL(line, kind, "tool.poetry.source."+label(name, i), url)
		}
	}
	return nil
}

// readUV reads uv's settings from t ([tool.uv] of pyproject.toml, or the
// whole uv.toml), keys prefixed with prefix: [[index]] tables (url,
// explicit, default), index-url, extra-index-url and allow-insecure-host.
// uv's default index strategy, "first-index", takes each package from the
// first index that has it, in the order the indexes are listed (PyPI, or
// the index marked default, last), so every listed index is a registry.
// Under the "unsafe-first-match" and "unsafe-best-match" strategies, which
// search every index for every package, the indexes besides the default
// one (default = true, or index-url) are extra indexes. An explicit index
// serves only the packages that name it (scope registry).
func readUV(d *tomlDoc, b *builder, t *tomlpos.Value, prefix string) error {
	strategy, _, _, err := d.str(t, "index-strategy", prefix+"index-strategy")
	if err != nil {
		return err
	}
	extraKind := Registry
	if strings.HasPrefix(strategy, "unsafe-") {
		extraKind = ExtraIndex
	}
	indexes, err := d.tables(t, "index", prefix+"index")
	if err != nil {
		return err
	}
	for i, ix := range indexes {
		name, _, _, err := d.str(ix, "name", "index name")
		if err != nil {
			return err
		}
		explicit, _, _, err := d.boolean(ix, "explicit", "index explicit")
		if err != nil {
			return err
		}
		isDefault, _, _, err := d.boolean(ix, "default", "index default")
		if err != nil {
			return err
		}
		url, line, ok, err := d.str(ix, "url", "index url")
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		kind := extraKind
		switch {
		case explicit:
			kind = ScopeRegistry
		case isDefault:
			kind = Registry
		}
		b.addURL(line, kind, prefix+"index."+label(name, i), url)
	}
	extra, err := d.strs(t, "extra-index-url", prefix+"extra-index-url")
	if err != nil {
		return err
	}
	for _, u := range extra {
		b.addURL(u.n, extraKind, prefix+"extra-index-url", u.text)
	}
	if u, line, ok, err := d.str(t, "index-url", prefix+"index-url"); err != nil {
		return err
	} else if ok {
		b.addURL(line, Registry, prefix+"index-url", u)
	}
	hosts, err := d.strs(t, "allow-insecure-host", prefix+"allow-insecure-host")
	if err != nil {
		return err
	}
	for _, h := range hosts {
		b.add(h.n, Checksum, prefix+"allow-insecure-host", h.text)
	}
	return nil
}

// uvTOML reads uv.toml, uv's own configuration file, with the keys of
// [tool.uv] at its top level.
type uvTOML struct{}

func (uvTOML) Name() string          { return "config/uv.toml" }
func (uvTOML) Matches(p string) bool { return path.Base(p) == "uv.toml" }

func (uvTOML) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	d, err := parseTOML(ctx, in)
	if err != nil {
		return nil, err
	}
	b := &builder{eco: ecosystem.PyPI, file: in.Path}
	if err := readUV(d, b, d.root, ""); err != nil {
		return nil, err
	}
	return b.sorted(), nil
}
