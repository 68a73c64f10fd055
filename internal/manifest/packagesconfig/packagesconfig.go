package packagesconfig

import (
	"context"
	"encoding/xml"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/xmltext"
)

// Name identifies the parser.
const Name = "nuget/packages.config"

// document describes packages.config, which nests two levels.
var document = xmltext.Document{Root: "packages", Files: "packages.config", MaxDepth: 64}

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

	var deps []manifest.Dependency
	err = dec.Walk(ctx, document, func(tok xml.Token, line, depth int) error {
		if t, ok := tok.(xml.StartElement); ok && depth == 2 && strings.EqualFold(t.Name.Local, "package") {
			d, err := pkg(in.Path, line, t)
			if err != nil {
				return err
			}
			deps = append(deps, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
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
