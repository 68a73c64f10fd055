package list

import (
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/cargolock"
	"github.com/pkgward/pkgward/internal/manifest/cargotoml"
	"github.com/pkgward/pkgward/internal/manifest/csproj"
	"github.com/pkgward/pkgward/internal/manifest/gemfile"
	"github.com/pkgward/pkgward/internal/manifest/gemfilelock"
	"github.com/pkgward/pkgward/internal/manifest/gomod"
	"github.com/pkgward/pkgward/internal/manifest/npmlock"
	"github.com/pkgward/pkgward/internal/manifest/nugetlock"
	"github.com/pkgward/pkgward/internal/manifest/packagejson"
	"github.com/pkgward/pkgward/internal/manifest/packagesconfig"
	"github.com/pkgward/pkgward/internal/manifest/pipfilelock"
	"github.com/pkgward/pkgward/internal/manifest/pnpmlock"
	"github.com/pkgward/pkgward/internal/manifest/poetrylock"
	"github.com/pkgward/pkgward/internal/manifest/pyproject"
	"github.com/pkgward/pkgward/internal/manifest/requirements"
	"github.com/pkgward/pkgward/internal/manifest/uvlock"
	"github.com/pkgward/pkgward/internal/manifest/yarnlock"
)

// All returns every parser, grouped by ecosystem. A file is read by the
// first parser whose Matches accepts it. Each is held to
// manifest.MaxDependencies.
func All() []manifest.Parser {
	ps := []manifest.Parser{
		// npm
		packagejson.New(), npmlock.New(), yarnlock.New(), pnpmlock.New(),
		// PyPI
		requirements.New(), pyproject.New(), poetrylock.New(), pipfilelock.New(), uvlock.New(),
		// NuGet
		csproj.New(), packagesconfig.New(), nugetlock.New(),
		// RubyGems
		gemfile.New(), gemfilelock.New(),
		// Go
		gomod.New(),
		// crates
		cargotoml.New(), cargolock.New(),
	}
	for i, p := range ps {
		ps[i] = manifest.Bounded(p)
	}
	return ps
}
