package npmlock

import (
	"context"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/jsonpos"
)

// Name is the parser's stable id.
const Name = "npm/package-lock.json"

type parser struct{}

// New returns the parser for package-lock.json and npm-shrinkwrap.json.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.NPM }

func (parser) Matches(p string) bool {
	b := path.Base(p)
	return b == "package-lock.json" || b == "npm-shrinkwrap.json"
}

// Parse returns the locked packages in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	doc, err := jsonpos.Parse(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if k := root.Kind(); k != jsonpos.Object {
		return nil, doc.Errorf(doc.ValueLine(root), "lockfile must be an object, found %s", k)
	}
	top, err := doc.Members(ctx, root)
	if err != nil {
		return nil, err
	}
	var (
		version                float64
		packages, dependencies *jsonpos.Member
	)
	for i := range top {
		m := &top[i]
		switch m.Key {
		case "lockfileVersion":
			if m.Value.Kind() != jsonpos.Number {
				return nil, doc.Errorf(m.KeyLine, "lockfileVersion must be a number, found %s", m.Value.Kind())
			}
			if err := doc.Decode(m.Value, &version); err != nil {
				return nil, err
			}
		case "packages":
			packages = m
		case "dependencies":
			dependencies = m
		}
	}
	w := walker{ctx: ctx, doc: doc, path: in.Path}
	switch {
	case packages != nil && version != 1:
		err = w.packages(packages)
	case dependencies != nil:
		err = w.v1(dependencies)
	}
	if err != nil {
		return nil, err
	}
	return w.deps, nil
}

type walker struct {
	ctx  context.Context
	doc  *jsonpos.Document
	path string
	deps []manifest.Dependency
}

func (w *walker) add(name, version string, line int) {
	w.deps = append(w.deps, manifest.Dependency{
		Ecosystem: ecosystem.NPM,
		Name:      name,
		Version:   version,
		File:      w.path,
		Line:      line,
	})
}

// packageEntry holds the fields of a v2/v3 "packages" entry pkgward reads.
type packageEntry struct {
	name, version string
	link          bool
}

// readEntry reads the fields of a "packages" entry. It walks the entry's
// members rather than unmarshalling it: entries carry large "dependencies"
// and "integrity" values that need no decoding.
func (w *walker) readEntry(v jsonpos.Value) (packageEntry, error) {
	var e packageEntry
	fields, err := w.doc.Members(w.ctx, v)
	if err != nil {
		return e, err
	}
	for _, f := range fields {
		switch f.Key {
		case "name":
			e.name, err = w.doc.String(f.Value)
		case "version":
			e.version, err = w.doc.String(f.Value)
		case "link":
			switch string(f.Value.Raw) {
			case "true":
				e.link = true
			case "false":
			default:
				err = w.doc.Errorf(f.KeyLine, `"link" must be a boolean, found %s`, f.Value.Kind())
			}
		}
		if err != nil {
			return e, err
		}
	}
	return e, nil
}

// packages reads the v2/v3 "packages" map.
func (w *walker) packages(sec *jsonpos.Member) error {
	if sec.Value.Kind() != jsonpos.Object {
		return w.doc.Errorf(sec.KeyLine, `"packages" must be an object, found %s`, sec.Value.Kind())
	}
	entries, err := w.doc.Members(w.ctx, sec.Value)
	if err != nil {
		return err
	}
	for i, m := range entries {
		if i%1024 == 1023 {
			if err := w.ctx.Err(); err != nil {
				return err
			}
		}
		if m.Key == "" {
			continue // the root project
		}
		if m.Value.Kind() != jsonpos.Object {
			return w.doc.Errorf(m.KeyLine, "packages entry %q must be an object, found %s", m.Key, m.Value.Kind())
		}
		e, err := w.readEntry(m.Value)
		if err != nil {
			return err
		}
		name, installed := nameFromPath(m.Key)
		if !installed || e.link {
			// A workspace folder ("packages/app") or a link to one: a
			// local package, not something fetched from a registry.
			continue
		}
		if e.name != "" {
			name = e.name // alias: "node_modules/foo" holding package "bar"
		}
		if !validName(name) {
			return w.doc.Errorf(m.KeyLine, "packages entry %q: invalid package name %q", m.Key, name)
		}
		w.add(name, e.version, m.KeyLine)
	}
	return nil
}

// v1 reads a lockfileVersion 1 "dependencies" map and, recursively, the
// maps nested in its entries.
func (w *walker) v1(sec *jsonpos.Member) error {
	if sec.Value.Kind() != jsonpos.Object {
		return w.doc.Errorf(sec.KeyLine, `"dependencies" must be an object, found %s`, sec.Value.Kind())
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	entries, err := w.doc.Members(w.ctx, sec.Value)
	if err != nil {
		return err
	}
	for _, m := range entries {
		if m.Value.Kind() != jsonpos.Object {
			return w.doc.Errorf(m.KeyLine, "dependencies entry %q must be an object, found %s", m.Key, m.Value.Kind())
		}
		fields, err := w.doc.Members(w.ctx, m.Value)
		if err != nil {
			return err
		}
		var (
			version string
			nested  *jsonpos.Member
		)
		for i := range fields {
			f := &fields[i]
			switch f.Key {
			case "version":
				if version, err = w.doc.String(f.Value); err != nil {
					return err
				}
			case "dependencies":
				nested = f
			}
		}
		name := m.Key
		if target, ok := strings.CutPrefix(version, "npm:"); ok {
			// Alias: "foo": {"version": "npm:bar@1.0.0"}.
			name, version = splitSpec(target)
		}
		if !validName(name) {
			return w.doc.Errorf(m.KeyLine, "dependencies entry %q: invalid package name %q", m.Key, name)
		}
		w.add(name, version, m.KeyLine)
		if nested != nil {
			if err := w.v1(nested); err != nil {
				return err
			}
		}
	}
	return nil
}

// nameFromPath returns the package name of a "packages" key: the part after
// the last "node_modules/" path element. installed is false for paths not
// under node_modules (workspace folders).
func nameFromPath(key string) (name string, installed bool) {
	const nm = "node_modules/"
	i := strings.LastIndex(key, nm)
	for i > 0 && key[i-1] != '/' {
		// "x_node_modules/" is not a node_modules element; look further left.
		i = strings.LastIndex(key[:i], nm)
	}
	if i < 0 {
		return "", false
	}
	return key[i+len(nm):], true
}

// validName reports whether name is shaped like an npm package name:
// "name" or "@scope/name", no other slashes, no surrounding white space.
func validName(name string) bool {
	if name == "" || strings.TrimSpace(name) != name {
		return false
	}
	if rest, ok := strings.CutPrefix(name, "@"); ok {
		scope, bare, ok := strings.Cut(rest, "/")
		return ok && scope != "" && bare != "" && !strings.Contains(bare, "/")
	}
	return !strings.Contains(name, "/")
}

// splitSpec splits "name@version" (name possibly "@scope/name").
func splitSpec(spec string) (name, version string) {
	from := 0
	if strings.HasPrefix(spec, "@") {
		from = 1
	}
	if i := strings.IndexByte(spec[from:], '@'); i >= 0 {
		return spec[:from+i], spec[from+i+1:]
	}
	return spec, ""
}
