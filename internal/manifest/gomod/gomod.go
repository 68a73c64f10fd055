package gomod

import (
	"cmp"
	"context"
	"errors"
	"path"
	"slices"

	"golang.org/x/mod/modfile"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// Name identifies the parser.
const Name = "go/go.mod"

type parser struct{}

// New returns the go.mod parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.Go }

// Matches reports whether path names a go.mod file.
func (parser) Matches(p string) bool { return path.Base(p) == "go.mod" }

// Parse returns the required modules and the module replacements of a
// go.mod file, ordered by line.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := modfile.Parse(in.Path, in.Data, nil)
	if err != nil {
		return nil, convertError(in.Path, err)
	}
	var deps []manifest.Dependency
	for _, r := range f.Require {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		deps = append(deps, dep(in.Path, r.Mod.Path, r.Mod.Version, r.Syntax))
	}
	for _, r := range f.Replace {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r.New.Version == "" {
			continue // a local directory, not a module
		}
		deps = append(deps, dep(in.Path, r.New.Path, r.New.Version, r.Syntax))
	}
	slices.SortStableFunc(deps, func(a, b manifest.Dependency) int { return cmp.Compare(a.Line, b.Line) })
	return deps, nil
}

func dep(file, name, version string, syntax *modfile.Line) manifest.Dependency {
	line := 0
	if syntax != nil {
		line = syntax.Start.Line
	}
	return manifest.Dependency{
		Ecosystem: ecosystem.Go,
		Name:      name,
		Version:   version,
		File:      file,
		Line:      line,
	}
}

// convertError turns modfile's errors, which carry positions, into a
// *record.InputError for the first of them.
func convertError(file string, err error) error {
	var list modfile.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return fromModError(file, &list[0])
	}
	var e *modfile.Error
	if errors.As(err, &e) {
		return fromModError(file, e)
	}
	return manifest.Errorf(file, 0, "%v", err)
}

func fromModError(file string, e *modfile.Error) error {
	msg := "malformed go.mod"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	switch {
	case e.ModPath != "":
		msg = e.Verb + " " + e.ModPath + ": " + msg
	case e.Verb != "":
		msg = e.Verb + ": " + msg
	}
	return manifest.Errorf(file, e.Pos.Line, "%s", msg)
}
