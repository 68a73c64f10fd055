package artifact

import (
	"bytes"
	"maps"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// crate reads Cargo.toml: the package fields and the dependencies (normal,
// build and per-target; not dev). A build script (build = "…", or a
// build.rs that Cargo finds by itself) and a procedural macro run code at
// compile time and become scripts.
func (m *metaCtx) crate() {
	const file = "Cargo.toml"
	p := m.pkg()
	p.Ecosystem = ecosystem.Crates
	data, ok := m.read(file)
	if !ok {
		if m.t.Lookup(file) == nil {
			m.bad(file, "missing")
		}
		return
	}
	var doc map[string]any
	if err := toml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		m.bad(file, "%v", shortErr(err))
		return
	}
	pkg := tomlTable(doc, "package")
	if pkg == nil {
		pkg = tomlTable(doc, "project") // the old name
	}
	if pkg == nil {
		m.bad(file, "no [package]")
		return
	}
	p.Name, p.Version = tomlString(pkg, "name"), tomlString(pkg, "version")
	p.Description = tomlString(pkg, "description")
	p.Repository, p.Homepage = tomlString(pkg, "repository"), tomlString(pkg, "homepage")
	for _, a := range tomlStrings(pkg, "authors") {
		p.Authors = append(p.Authors, parsePerson(a))
	}
	p.Keywords = tomlStrings(pkg, "keywords")
	if p.Name == "" {
		m.bad(file, "no package name")
	}
	if m.top != "" && p.Name != "" && m.top != p.Name+"-"+p.Version {
		m.bad(file, "package %s %s but the archive directory is %q", p.Name, p.Version, m.top)
	}
	switch b := pkg["build"].(type) {
	case string:
		m.setScript("build", text(b))
	case bool:
		if b {
			m.setScript("build", "build.rs")
		}
	case nil:
		if m.t.Lookup("build.rs") != nil {
			m.setScript("build", "build.rs")
		}
	}
	if lib := tomlTable(doc, "lib"); lib != nil && (lib["proc-macro"] == true || lib["proc_macro"] == true) {
		libPath := tomlString(lib, "path")
		if libPath == "" {
			libPath = "src/lib.rs"
		}
		m.setScript("proc-macro", libPath)
	}
	for _, k := range []string{"dependencies", "build-dependencies", "build_dependencies"} {
		cargoDeps(p, tomlTable(doc, k))
	}
	targets := tomlTable(doc, "target")
	for _, t := range slices.Sorted(maps.Keys(targets)) {
		tt, _ := targets[t].(map[string]any)
		for _, k := range []string{"dependencies", "build-dependencies", "build_dependencies"} {
			cargoDeps(p, tomlTable(tt, k))
		}
	}
	readme, _ := pkg["readme"].(string)
	m.readme(readme)
}

// cargoDeps adds a dependency table in name order; a renamed dependency
// (package = "real-name") is recorded under the crate it really is.
func cargoDeps(p *record.Package, deps map[string]any) {
	for _, name := range slices.Sorted(maps.Keys(deps)) {
		switch v := deps[name].(type) {
		case string:
			addDep(p, name, v)
		case map[string]any:
			real := name
			if s := tomlString(v, "package"); s != "" {
				real = s
			}
			addDep(p, real, tomlString(v, "version"))
		}
	}
}

func tomlTable(m map[string]any, k string) map[string]any {
	t, _ := m[k].(map[string]any)
	return t
}

func tomlString(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return text(s)
}

func tomlStrings(m map[string]any, k string) []string {
	list, _ := m[k].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, text(s))
		}
	}
	return out
}
