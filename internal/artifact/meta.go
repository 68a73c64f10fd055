package artifact

import (
	"bytes"
	"fmt"
	"net/mail"
	"path"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// maxReadme bounds the README text kept in the package record.
const maxReadme = 1 << 20

// metaCtx is what a metadata parser works on.
type metaCtx struct {
	t   *Tree
	fs  *findings
	top string // the stripped top directory: "name-version" of a crate, "module@version" of a Go zip
}

func (m *metaCtx) pkg() *record.Package { return &m.t.Package }

// bad reports malformed or missing metadata.
func (m *metaCtx) bad(file, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	m.fs.add(RuleBadMetadata, record.Low, map[string]any{"file": file, "error": msg}, "%s: %s", file, msg)
}

// guard runs a parser; a panic in it (a parser bug met on hostile input)
// becomes a finding, not a crash.
func (m *metaCtx) guard(file string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			m.bad(file, "parser failed: %v", r)
		}
	}()
	fn()
}

// read returns the content of the file at p if it is in the tree and kept.
func (m *metaCtx) read(p string) ([]byte, bool) {
	f := m.t.Lookup(p)
	if f == nil {
		return nil, false
	}
	if f.Data == nil || len(f.Data) > maxMetadata {
		m.bad(p, "%d bytes: too large to parse", f.Size)
		return nil, false
	}
	return stripBOM(f.Data), true
}

// utf8BOM is the UTF-8 byte order mark.
var utf8BOM = []byte("\xef\xbb\xbf")

// stripBOM drops a leading UTF-8 byte order mark. The installers accept
// one before their metadata (npm strips it from package.json, NuGet's XML
// reader, Cargo's TOML parser and RubyGems' YAML loader skip it), and the
// Go JSON decoder refuses it: kept, it would hide the whole document.
func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, utf8BOM) }

// text returns s as valid UTF-8, trimmed.
func text(s string) string { return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD")) }

// readme fills Readme from the named file, or the first README at the top.
func (m *metaCtx) readme(named string) {
	p := m.pkg()
	if p.Readme != "" {
		return
	}
	cands := []string{}
	if named != "" {
		cands = append(cands, path.Clean(strings.TrimPrefix(named, "./")))
	}
	cands = append(cands, rootFiles(m.t, func(b string) bool {
		l := strings.ToLower(b)
		return l == "readme" || strings.HasPrefix(l, "readme.")
	})...)
	for _, c := range cands {
		if f := m.t.Lookup(c); f != nil && f.Data != nil && !f.Binary {
			p.Readme = strings.ToValidUTF8(string(f.Data[:min(len(f.Data), maxReadme)]), "\uFFFD")
			return
		}
	}
}

// markers reads the metadata of a directory or of an archive of no known
// format from the files at its top.
func (m *metaCtx) markers() {
	has := func(p string) bool { return m.t.Lookup(p) != nil }
	switch {
	case has("package.json"):
		m.guard("package.json", m.npm)
	case has("PKG-INFO"), has("pyproject.toml"), has("setup.py"), has("setup.cfg"):
		m.guard("PKG-INFO", func() { m.sdist(false) })
	case len(rootFiles(m.t, hasExt(".nuspec"))) > 0:
		m.guard(".nuspec", m.nuget)
	case has("Cargo.toml"):
		m.guard("Cargo.toml", m.crate)
	case has("go.mod"):
		m.guard("go.mod", m.gomod)
	default:
		if specs := rootFiles(m.t, hasExt(".gemspec")); len(specs) > 0 {
			// A gemspec is Ruby code: only its name is taken.
			m.pkg().Ecosystem = ecosystem.RubyGems
			m.pkg().Name = strings.TrimSuffix(specs[0], path.Ext(specs[0]))
			m.readme("")
		}
	}
}

// setScript records an install- or build-time entry point.
func (m *metaCtx) setScript(k, v string) {
	p := m.pkg()
	if p.Scripts == nil {
		p.Scripts = map[string]string{}
	}
	p.Scripts[k] = v
}

// addDep appends a dependency unless one of that name is there.
func addDep(p *record.Package, name, version string) {
	name, version = text(name), text(version)
	if name == "" || slices.ContainsFunc(p.Dependencies, func(d record.Dependency) bool { return d.Name == name }) {
		return
	}
	p.Dependencies = append(p.Dependencies, record.Dependency{Name: name, Version: version})
}

// parsePerson reads "Name <email> (url)", "Name", "<email>" or "email".
func parsePerson(s string) record.Person {
	s = text(s)
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if i := strings.IndexByte(s, '<'); i >= 0 {
		email := s[i+1:]
		if j := strings.IndexByte(email, '>'); j >= 0 {
			email = email[:j]
		}
		return record.Person{Name: strings.TrimSpace(s[:i]), Email: strings.TrimSpace(email)}
	}
	if strings.Contains(s, "@") && !strings.ContainsAny(s, " \t") {
		return record.Person{Email: s}
	}
	return record.Person{Name: s}
}

// parsePeople reads a list of people: an RFC 5322 address list when it
// parses, else comma-separated parsePerson items.
func parsePeople(names, emails string) []record.Person {
	var out []record.Person
	if emails = text(emails); emails != "" {
		if list, err := mail.ParseAddressList(emails); err == nil {
			for _, a := range list {
				out = append(out, record.Person{Name: a.Name, Email: a.Address})
			}
		} else {
			for _, e := range strings.Split(emails, ",") {
				if p := parsePerson(e); p != (record.Person{}) {
					out = append(out, p)
				}
			}
		}
	}
	names = text(names)
	if names == "" {
		return out
	}
	if len(out) == 1 && out[0].Name == "" {
		out[0].Name = names
		return out
	}
	if !slices.ContainsFunc(out, func(p record.Person) bool { return p.Name == names }) {
		out = append([]record.Person{{Name: names}}, out...)
	}
	return out
}

// splitWords splits a keyword list on commas and white space.
func splitWords(s string) []string {
	w := strings.FieldsFunc(text(s), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == ';' })
	if len(w) == 0 {
		return nil
	}
	return w
}
