package artifact

import (
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// gomod reads go.mod: the module path and its requirements; the version
// comes from the zip's module@version prefix. A module path different from
// the prefix's is reported (the go command refuses such a zip).
func (m *metaCtx) gomod() {
	p := m.pkg()
	p.Ecosystem = ecosystem.Go
	prefixPath, version, _ := strings.Cut(m.top, "@")
	p.Name, p.Version = prefixPath, version
	data, ok := m.read("go.mod")
	if !ok {
		return // modules without go.mod are legal
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		m.bad("go.mod", "%v", shortErr(err))
		return
	}
	if f.Module == nil {
		m.bad("go.mod", "no module directive")
	} else {
		mod := text(f.Module.Mod.Path)
		if prefixPath != "" && mod != prefixPath {
			m.bad("go.mod", "module %q but the zip is for %q", mod, prefixPath)
		}
		if p.Name == "" {
			p.Name = mod
		}
	}
	for _, r := range f.Require {
		addDep(p, r.Mod.Path, r.Mod.Version)
	}
	m.readme("")
}
