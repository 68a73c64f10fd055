package registryconf

import (
	"context"
	"path"
	"strconv"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// pipfile reads the [[source]] tables of a Pipfile: the first source's url
// is the registry; the others are used only by packages that name them
// with index = "…" (scope registries), unless [pipenv]
// install_search_all_sources = true makes pipenv search them all (extra
// indexes). verify_ssl is a checksum setting.
type pipfile struct{}

func (pipfile) Name() string          { return "config/Pipfile" }
func (pipfile) Matches(p string) bool { return path.Base(p) == "Pipfile" }

func (pipfile) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	d, err := parseTOML(ctx, in)
	if err != nil {
		return nil, err
	}
	searchAll := false
	pipenv, err := d.table(d.root, "[pipenv]", "pipenv")
	if err != nil {
		return nil, err
	}
	if pipenv != nil {
		if searchAll, _, _, err = d.boolean(pipenv, "install_search_all_sources", "install_search_all_sources"); err != nil {
			return nil, err
		}
	}
	sources, err := d.tables(d.root, "source", "source")
	if err != nil {
		return nil, err
	}
	b := &builder{eco: ecosystem.PyPI, file: in.Path}
	for i, src := range sources {
		name, _, _, err := d.str(src, "name", "source name")
		if err != nil {
			return nil, err
		}
		key := "source." + label(name, i)
		url, line, ok, err := d.str(src, "url", "source url")
		if err != nil {
			return nil, err
		}
		if ok {
			kind := Registry
			switch {
			case i > 0 && searchAll:
				kind = ExtraIndex
			case i > 0:
				kind = ScopeRegistry
			}
			b.addURL(line, kind, key+".url", url)
		}
		verify, line, ok, err := d.boolean(src, "verify_ssl", "verify_ssl")
		if err != nil {
			return nil, err
		}
		if ok {
			b.add(line, Checksum, key+".verify_ssl", strconv.FormatBool(verify))
		}
	}
	return b.sorted(), nil
}
