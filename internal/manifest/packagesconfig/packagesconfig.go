package packagesconfig

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/xmltext"
)

// Name identifies the parser.
const Name = "nuget/packages.config"

// maxDepth bounds element nesting; packages.config nests two levels.
const maxDepth = 64

type parser struct{}

// New returns the packages.config parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.NuGet }

// Matches reports whether path names packages.config or a per-project
// packages.<project>.config, case-insensitively as NuGet does.
func (parser) Matches(p string) bool {
	base := strings.ToLower(path.Base(p))
	return strings.HasPrefix(base, "packages.") && strings.HasSuffix(base, ".config") &&
		len(base) >= len("packages.config")
}

// Parse returns the <package> elements in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dec, err := xmltext.NewDecoder(in.Path, in.Data)
	if err != nil {
		return nil, err
	}

	var (
		deps     []manifest.Dependency
		depth    int
		rootSeen bool
	)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		line, _ := dec.InputPos() // the start of the next token
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, dec.InputError(line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if rootSeen {
					return nil, manifest.Errorf(in.Path, line, "second root element <%s>", t.Name.Local)
				}
				rootSeen = true
				if !strings.EqualFold(t.Name.Local, "packages") {
					return nil, manifest.Errorf(in.Path, line, "root element is <%s>, want <packages>", t.Name.Local)
				}
			}
			if depth >= maxDepth {
				return nil, manifest.Errorf(in.Path, line, "elements nested deeper than %d", maxDepth)
			}
			depth++
			if depth == 2 && strings.EqualFold(t.Name.Local, "package") {
				d, err := pkg(in.Path, line, t)
				if err != nil {
					return nil, err
				}
				deps = append(deps, d)
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			return nil, manifest.Errorf(in.Path, line, "XML directives (DOCTYPE, ENTITY) are not allowed in packages.config")
		}
	}
	if !rootSeen {
		return nil, manifest.Errorf(in.Path, 1, "no <packages> element")
	}
	return deps, nil
}

// pkg reads one <package> element, starting on line.
func pkg(file string, line int, t xml.StartElement) (manifest.Dependency, error) {
	var id, version string
	var hasID, hasVersion bool
	for _, a := range t.Attr {
		if a.Name.Space != "" {
			continue
		}
		switch strings.ToLower(a.Name.Local) {
		case "id":
			id, hasID = strings.TrimSpace(a.Value), true
		case "version":
			version, hasVersion = strings.TrimSpace(a.Value), true
		}
	}
	switch {
	case !hasID || id == "":
		return manifest.Dependency{}, manifest.Errorf(file, line, "<package> without an id")
	case !hasVersion || version == "":
		return manifest.Dependency{}, manifest.Errorf(file, line, "package %q without a version", id)
	}
	return manifest.Dependency{
		Ecosystem: ecosystem.NuGet,
		Name:      id,
		Version:   version,
		File:      file,
		Line:      line,
	}, nil
}
