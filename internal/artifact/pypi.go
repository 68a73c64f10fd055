package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// coreMetadata is a parsed METADATA or PKG-INFO file (the core metadata
// format: RFC 822 style headers, then the description as the body).
type coreMetadata struct {
	headers [][2]string // in file order, names as written
	body    string
}

func (c *coreMetadata) get(name string) string {
	for _, h := range c.headers {
		if strings.EqualFold(h[0], name) {
			return h[1]
		}
	}
	return ""
}

func (c *coreMetadata) all(name string) []string {
	var out []string
	for _, h := range c.headers {
		if strings.EqualFold(h[0], name) {
			out = append(out, h[1])
		}
	}
	return out
}

// parseCoreMetadata reads headers up to the first empty line; lines
// starting with white space continue the previous header. As Python's
// email parser does, a line that is not a header ends the headers and
// starts the body.
func parseCoreMetadata(data []byte) (*coreMetadata, error) {
	s := strings.ReplaceAll(strings.ToValidUTF8(string(data), "\uFFFD"), "\r\n", "\n")
	c := &coreMetadata{}
	for len(s) > 0 {
		line, rest, _ := strings.Cut(s, "\n")
		if line == "" {
			c.body = rest
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(c.headers) == 0 {
				return nil, errors.New("continuation line before any header")
			}
			c.headers[len(c.headers)-1][1] += "\n" + line
			s = rest
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			c.body = s
			break
		}
		c.headers = append(c.headers, [2]string{name, strings.TrimLeft(value, " \t")})
		s = rest
	}
	if len(c.headers) == 0 {
		return nil, errors.New("no headers")
	}
	return c, nil
}

// unfold joins a folded header value into one line.
func unfold(v string) string { return text(strings.Join(strings.Fields(v), " ")) }

// legacyDescription undoes the indentation of a Description header
// (8 spaces or 7 spaces and '|' before every continuation line).
func legacyDescription(v string) string {
	lines := strings.Split(v, "\n")
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "       |"):
			lines[i] = l[8:]
		case strings.HasPrefix(l, "        "):
			lines[i] = l[8:]
		default:
			lines[i] = strings.TrimLeft(l, " \t")
		}
	}
	return text(strings.Join(lines, "\n"))
}

// fillCore copies core metadata into the package record.
func fillCore(p *record.Package, c *coreMetadata) {
	p.Ecosystem = ecosystem.PyPI
	p.Name, p.Version = unfold(c.get("Name")), unfold(c.get("Version"))
	p.Description = unfold(c.get("Summary"))
	p.Readme = text(c.body)
	if p.Readme == "" {
		p.Readme = legacyDescription(c.get("Description"))
	}
	if len(p.Readme) > maxReadme {
		p.Readme = strings.ToValidUTF8(p.Readme[:maxReadme], "")
	}
	p.Homepage = unfold(c.get("Home-page"))
	for _, u := range c.all("Project-URL") {
		label, url, ok := strings.Cut(u, ",")
		if !ok {
			continue
		}
		label, url = strings.ToLower(unfold(label)), unfold(url)
		switch {
		case strings.Contains(label, "source") || strings.Contains(label, "repository") ||
			strings.Contains(label, "code") || label == "github" || label == "gitlab":
			if p.Repository == "" {
				p.Repository = url
			}
		case strings.Contains(label, "home"):
			if p.Homepage == "" {
				p.Homepage = url
			}
		}
	}
	p.Authors = parsePeople(unfold(c.get("Author")), unfold(c.get("Author-email")))
	p.Maintainers = parsePeople(unfold(c.get("Maintainer")), unfold(c.get("Maintainer-email")))
	p.Keywords = splitWords(unfold(c.get("Keywords")))
	for _, r := range c.all("Requires-Dist") {
		name, ver := pep508(unfold(r))
		addDep(p, name, ver)
	}
}

// pep508 splits a requirement ("requests[socks] (>=2.0) ; extra == 'x'")
// into its name and its version specifier.
func pep508(s string) (name, version string) {
	i := 0
	for i < len(s) && (isASCIILetter(s[i]) || s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == '_' || s[i] == '-') {
		i++
	}
	name, rest := s[:i], strings.TrimSpace(s[i:])
	if strings.HasPrefix(rest, "[") {
		if j := strings.IndexByte(rest, ']'); j >= 0 {
			rest = strings.TrimSpace(rest[j+1:])
		}
	}
	rest, _, _ = strings.Cut(rest, ";")
	rest = strings.TrimSpace(rest)
	rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")"))
	return name, rest
}

// wheel reads NAME.dist-info/METADATA; .pth files (run at every
// interpreter start) become scripts.
func (m *metaCtx) wheel() {
	p := m.pkg()
	p.Ecosystem = ecosystem.PyPI
	var metas []string
	for _, f := range m.t.Files {
		dir, base, ok := strings.Cut(f.Path, "/")
		if ok && base == "METADATA" && strings.HasSuffix(dir, ".dist-info") {
			metas = append(metas, f.Path)
		}
		if path.Ext(f.Path) == ".pth" && (!strings.Contains(f.Path, "/") || isDataLib(f.Path)) {
			m.setScript(f.Path, f.Path)
		}
	}
	switch len(metas) {
	case 0:
		m.bad("METADATA", "missing: no NAME.dist-info/METADATA")
		return
	case 1:
	default:
		m.bad(metas[1], "more than one .dist-info directory; %s read", metas[0])
	}
	data, ok := m.read(metas[0])
	if !ok {
		return
	}
	c, err := parseCoreMetadata(data)
	if err != nil {
		m.bad(metas[0], "%v", err)
		return
	}
	fillCore(p, c)
	if p.Name == "" {
		m.bad(metas[0], "no Name")
	}
}

// isDataLib reports whether p is NAME.data/purelib/X or NAME.data/platlib/X,
// installed into site-packages like the wheel's top level.
func isDataLib(p string) bool {
	parts := strings.Split(p, "/")
	return len(parts) == 3 && strings.HasSuffix(parts[0], ".data") && (parts[1] == "purelib" || parts[1] == "platlib")
}

// sdist reads PKG-INFO (or, failing it, pyproject.toml's [project]) and
// notes the code that runs at install: setup.py, an in-tree build backend.
// strict reports a missing PKG-INFO (required in an sdist).
func (m *metaCtx) sdist(strict bool) {
	p := m.pkg()
	p.Ecosystem = ecosystem.PyPI
	if m.t.Lookup("setup.py") != nil {
		m.setScript("setup.py", "setup.py")
	}
	pyproject := m.pyproject()
	if data, ok := m.read("PKG-INFO"); ok {
		c, err := parseCoreMetadata(data)
		if err != nil {
			m.bad("PKG-INFO", "%v", err)
		} else {
			fillCore(p, c)
		}
	} else if m.t.Lookup("PKG-INFO") == nil && strict {
		m.bad("PKG-INFO", "missing")
	}
	if p.Name == "" && pyproject != nil {
		pr := pyproject.Project
		p.Name, p.Version, p.Description = text(pr.Name), text(pr.Version), text(pr.Description)
		for _, a := range pr.Authors {
			p.Authors = append(p.Authors, record.Person{Name: text(a.Name), Email: text(a.Email)})
		}
		for _, k := range slices.Sorted(maps.Keys(pr.URLs)) {
			l, u := strings.ToLower(k), text(pr.URLs[k])
			switch {
			case (strings.Contains(l, "source") || strings.Contains(l, "repository")) && p.Repository == "":
				p.Repository = u
			case strings.Contains(l, "home") && p.Homepage == "":
				p.Homepage = u
			}
		}
		for _, k := range pr.Keywords {
			if k = text(k); k != "" {
				p.Keywords = append(p.Keywords, k)
			}
		}
		for _, d := range pr.Dependencies {
			name, ver := pep508(d)
			addDep(p, name, ver)
		}
	}
	if p.Name == "" && strict {
		m.bad("PKG-INFO", "no Name")
	}
	m.readme("")
}

type pyprojectDoc struct {
	Project struct {
		Name         string            `toml:"name"`
		Version      string            `toml:"version"`
		Description  string            `toml:"description"`
		Keywords     []string          `toml:"keywords"`
		Dependencies []string          `toml:"dependencies"`
		URLs         map[string]string `toml:"urls"`
		Authors      []struct {
			Name  string `toml:"name"`
			Email string `toml:"email"`
		} `toml:"authors"`
	} `toml:"project"`
	BuildSystem struct {
		Backend     string   `toml:"build-backend"`
		BackendPath []string `toml:"backend-path"`
	} `toml:"build-system"`
}

// pyproject reads pyproject.toml if present; an in-tree build backend
// (backend-path) runs code of the package at install and becomes a script.
func (m *metaCtx) pyproject() *pyprojectDoc {
	data, ok := m.read("pyproject.toml")
	if !ok {
		return nil
	}
	var doc pyprojectDoc
	dec := toml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		m.bad("pyproject.toml", "%v", shortErr(err))
		return nil
	}
	if bs := doc.BuildSystem; len(bs.BackendPath) > 0 {
		m.setScript("build-backend", fmt.Sprintf("%s (in-tree: %s)", text(bs.Backend), text(strings.Join(bs.BackendPath, ", "))))
	}
	return &doc
}

// shortErr keeps the first line of a parser error.
func shortErr(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return truncate(s, 300)
}
