package registryconf

import (
	"context"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// yarnrcYML reads Yarn Berry (v2+) .yarnrc.yml files: npmRegistryServer,
// npmScopes.<scope>.npmRegistryServer, the credentials npmAuthToken and
// npmAuthIdent (top level, per scope, and per registry under
// npmRegistries), enableStrictSsl, unsafeHttpWhitelist and
// checksumBehavior.
type yarnrcYML struct{}

func (yarnrcYML) Name() string          { return "config/.yarnrc.yml" }
func (yarnrcYML) Matches(p string) bool { return path.Base(p) == ".yarnrc.yml" }

func (yarnrcYML) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	root, err := decodeYAML(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	b := &builder{eco: ecosystem.NPM, file: in.Path}
	for _, kv := range pairs(root) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k, v := kv[0], kv[1]
		switch k.Value {
		case "npmRegistryServer":
			if err := yarnURL(b, in.Path, Registry, k.Value, v); err != nil {
				return nil, err
			}
		case "npmAuthToken", "npmAuthIdent":
			if err := yarnCredential(b, in.Path, k.Value, v); err != nil {
				return nil, err
			}
		case "enableStrictSsl", "checksumBehavior":
			if err := yarnScalar(in.Path, v); err != nil {
				return nil, err
			}
			b.add(v.Line, Checksum, k.Value, v.Value)
		case "unsafeHttpWhitelist":
			if v.Kind != yaml.SequenceNode {
				return nil, manifest.Errorf(in.Path, v.Line, "unsafeHttpWhitelist is not a list")
			}
			for _, h := range v.Content {
				if err := yarnScalar(in.Path, h); err != nil {
					return nil, err
				}
				b.add(h.Line, Checksum, k.Value, h.Value)
			}
		case "npmScopes", "npmRegistries":
			if v.Kind != yaml.MappingNode {
				if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
					continue
				}
				return nil, manifest.Errorf(in.Path, v.Line, "%s is not a mapping", k.Value)
			}
			for _, entry := range pairs(v) {
				name, conf := entry[0].Value, entry[1]
				prefix := k.Value + "." + name + "."
				if k.Value == "npmScopes" {
					prefix = k.Value + ".@" + strings.TrimPrefix(name, "@") + "."
				}
				if conf.Kind != yaml.MappingNode {
					return nil, manifest.Errorf(in.Path, conf.Line, "%s%s is not a mapping", k.Value+".", name)
				}
				for _, f := range pairs(conf) {
					var err error
					switch f[0].Value {
					case "npmRegistryServer":
						err = yarnURL(b, in.Path, ScopeRegistry, prefix+f[0].Value, f[1])
					case "npmAuthToken", "npmAuthIdent":
						err = yarnCredential(b, in.Path, prefix+f[0].Value, f[1])
					}
					if err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return b.out, nil
}

func yarnScalar(file string, v *yaml.Node) error {
	if v.Kind != yaml.ScalarNode {
		return manifest.Errorf(file, v.Line, "expected a single value")
	}
	return nil
}

func yarnURL(b *builder, file string, kind Kind, key string, v *yaml.Node) error {
	if err := yarnScalar(file, v); err != nil {
		return err
	}
	b.addURL(v.Line, kind, key, v.Value)
	return nil
}

func yarnCredential(b *builder, file, key string, v *yaml.Node) error {
	if err := yarnScalar(file, v); err != nil {
		return err
	}
	b.addCredential(v.Line, key, v.Value)
	return nil
}
