package csproj

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
const Name = "nuget/csproj"

// document describes project files; they nest a handful of levels.
var document = xmltext.Document{Root: "Project", Files: "project files", MaxDepth: 256}

type parser struct{}

// New returns the MSBuild project file parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.NuGet }

// Matches reports whether path names a project file or one of the
// Directory.*.props files, case-insensitively as Windows tools do.
func (parser) Matches(p string) bool {
	base := strings.ToLower(path.Base(p))
	switch base {
	case "directory.packages.props", "directory.build.props":
		return true
	}
	switch path.Ext(base) {
	case ".csproj", ".fsproj", ".vbproj":
		return len(base) > len(".csproj")
	}
	return false
}

// itemKinds are the MSBuild items that name NuGet packages.
var itemKinds = map[string]bool{
	"packagereference":       true,
	"packageversion":         true,
	"globalpackagereference": true,
}

// item is a package item being read: its version may come from a child
// element, so it is complete only at its end tag.
type item struct {
	kind      string
	line      int
	depth     int // the depth of its start tag
	names     []string
	hasTarget bool // Include or Update given
	removes   bool // a Remove item, which declares nothing
	version   string
	inVersion bool // inside a <Version> child
	text      strings.Builder
}

// Parse returns the package items of a project file in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dec, err := xmltext.NewDecoder(in.Path, in.Data)
	if err != nil {
		return nil, err
	}

	var (
		deps []manifest.Dependency
		cur  *item
	)
	err = dec.Walk(ctx, document, func(tok xml.Token, line, depth int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			local := strings.ToLower(t.Name.Local)
			switch {
			case cur != nil:
				if depth == cur.depth+1 && local == "version" {
					cur.inVersion = true
					cur.text.Reset()
				}
			case itemKinds[local]:
				cur = startItem(t, line, depth)
			}
		case xml.EndElement:
			if cur != nil {
				switch depth {
				case cur.depth + 1:
					if cur.inVersion {
						cur.version = strings.TrimSpace(cur.text.String())
						cur.inVersion = false
					}
				case cur.depth:
					d, err := finishItem(in.Path, cur)
					if err != nil {
						return err
					}
					deps = append(deps, d...)
					cur = nil
				}
			}
		case xml.CharData:
			if cur != nil && cur.inVersion && depth == cur.depth+1 {
				cur.text.Write(t)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return deps, nil
}

// startItem reads the attributes of an item's start tag.
func startItem(t xml.StartElement, line, depth int) *item {
	it := &item{kind: t.Name.Local, line: line, depth: depth}
	var versionOverride string
	for _, a := range t.Attr {
		if a.Name.Space != "" {
			continue
		}
		switch strings.ToLower(a.Name.Local) {
		case "include", "update":
			if it.hasTarget {
				continue // Include wins over Update, whichever comes first
			}
			it.hasTarget = true
			it.names = splitItems(a.Value)
		case "remove":
			it.removes = true
		case "version":
			it.version = strings.TrimSpace(a.Value)
		case "versionoverride":
			versionOverride = strings.TrimSpace(a.Value)
		}
	}
	if it.version == "" {
		it.version = versionOverride
	}
	return it
}

// splitItems splits an MSBuild item list ("A;B") into the names that are
// literal: an expression names no package pkgward can know.
func splitItems(s string) []string {
	var names []string
	for _, n := range strings.Split(s, ";") {
		n = strings.TrimSpace(n)
		if n == "" || strings.Contains(n, "$(") || strings.Contains(n, "@(") || strings.Contains(n, "%(") {
			continue
		}
		names = append(names, n)
	}
	return names
}

// finishItem turns a complete item into dependencies.
func finishItem(file string, it *item) ([]manifest.Dependency, error) {
	if !it.hasTarget {
		if it.removes {
			return nil, nil
		}
		return nil, manifest.Errorf(file, it.line, "<%s> without Include or Update", it.kind)
	}
	var deps []manifest.Dependency
	for _, n := range it.names {
		deps = append(deps, manifest.Dependency{
			Ecosystem: ecosystem.NuGet,
			Name:      n,
			Version:   it.version,
			File:      file,
			Line:      it.line,
		})
	}
	return deps, nil
}
