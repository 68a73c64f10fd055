package registryconf

import (
	"context"
	"path"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/tomlpos"
)

// cargoConfig reads Cargo's configuration (.cargo/config.toml and the
// older .cargo/config) and credentials (.cargo/credentials.toml,
// .cargo/credentials) files.
//
// [registries.<name>] index is a scope registry (only dependencies that
// name it with registry = "<name>" use it); [source.<name>] registry is the
// registry when crates-io is replaced by that source (replace-with,
// followed through chains), and a scope registry otherwise. The token keys
// of [registry] and [registries.<name>] are credentials. Local sources
// (directory, local-registry) and git sources are not registries and are
// skipped.
type cargoConfig struct{}

func (cargoConfig) Name() string { return "config/.cargo/config.toml" }
func (cargoConfig) Matches(p string) bool {
	if path.Base(path.Dir(p)) != ".cargo" {
		return false
	}
	switch path.Base(p) {
	case "config.toml", "config", "credentials.toml", "credentials":
		return true
	}
	return false
}

func (cargoConfig) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	d, err := parseTOML(ctx, in)
	if err != nil {
		return nil, err
	}
	b := &builder{eco: ecosystem.Crates, file: in.Path}
	if reg, err := d.table(d.root, "[registry]", "registry"); err != nil {
		return nil, err
	} else if reg != nil {
		if err := cargoToken(d, b, reg, "registry."); err != nil {
			return nil, err
		}
	}
	regs, err := d.table(d.root, "[registries]", "registries")
	if err != nil {
		return nil, err
	}
	if regs != nil {
		for _, name := range regs.Keys {
			r, err := d.table(regs, "[registries."+name+"]", name)
			if err != nil {
				return nil, err
			}
			prefix := "registries." + label(name, 0) + "."
			if u, line, ok, err := d.str(r, "index", prefix+"index"); err != nil {
				return nil, err
			} else if ok {
				b.addURL(line, ScopeRegistry, prefix+"index", u)
			}
			if err := cargoToken(d, b, r, prefix); err != nil {
				return nil, err
			}
		}
	}
	sources, err := d.table(d.root, "[source]", "source")
	if err != nil {
		return nil, err
	}
	if sources != nil {
		if err := cargoSources(d, b, sources); err != nil {
			return nil, err
		}
	}
	return b.sorted(), nil
}

// cargoSources reads [source.<name>] tables.
func cargoSources(d *tomlDoc, b *builder, sources *tomlpos.Value) error {
	replaceWith := map[string]string{}
	tables := map[string]*tomlpos.Value{}
	for _, name := range sources.Keys {
		t, err := d.table(sources, "[source."+name+"]", name)
		if err != nil {
			return err
		}
		tables[name] = t
		if r, _, ok, err := d.str(t, "replace-with", "source."+name+".replace-with"); err != nil {
			return err
		} else if ok {
			replaceWith[name] = r
		}
	}
	// The sources crates-io is replaced by, following chains (Cargo
	// refuses cycles; stop at one).
	crates := map[string]bool{}
	for cur, ok := replaceWith["crates-io"]; ok && !crates[cur]; cur, ok = replaceWith[cur] {
		crates[cur] = true
	}
	for _, name := range sources.Keys {
		prefix := "source." + label(name, 0) + "."
		u, line, ok, err := d.str(tables[name], "registry", prefix+"registry")
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		kind := ScopeRegistry
		if crates[name] {
			kind = Registry
		}
		b.addURL(line, kind, prefix+"registry", u)
	}
	return nil
}

func cargoToken(d *tomlDoc, b *builder, t *tomlpos.Value, prefix string) error {
	tok, line, ok, err := d.str(t, "token", prefix+"token")
	if err != nil {
		return err
	}
	if ok {
		b.addCredential(line, prefix+"token", tok)
	}
	return nil
}
