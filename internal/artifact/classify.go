package artifact

import (
	"cmp"
	"path"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// Tree formats.
const (
	FormatNPM   = "npm-tgz"
	FormatWheel = "wheel"
	FormatSdist = "sdist"
	FormatNuGet = "nupkg"
	FormatGem   = "gem"
	FormatGo    = "go-zip"
	FormatCrate = "crate"
	FormatDir   = "dir"
	FormatTar   = "tar" // a tar of no known package format
	FormatZip   = "zip" // a zip of no known package format
)

// finish decides the package format, strips the archive's top directory,
// orders and deduplicates the files, and reads the metadata.
func (b *builder) finish(kind container, h hint) *Tree {
	t := &Tree{}
	var prefix string // stripped from every path that has it
	switch kind {
	case cDir:
		t.Format = FormatDir
	case cZip:
		t.Format, prefix = b.classifyZip(h)
	default:
		t.Format, prefix = b.classifyTar(h)
	}
	var roots npmRoots
	if t.Format == FormatNPM {
		roots = b.stripNPM()
	} else if prefix != "" {
		for i := range b.files {
			if rest, ok := strings.CutPrefix(b.files[i].Path, prefix); ok && rest != "" {
				b.files[i].Path = rest
			}
		}
	}
	t.Files = b.dedupe()
	m := &metaCtx{t: t, fs: &b.fs, top: strings.TrimSuffix(prefix, "/")}
	switch t.Format {
	case FormatNPM:
		m.guard("package.json", m.npm)
		roots.report(&b.fs, t.Package.Scripts)
	case FormatWheel:
		m.guard("METADATA", m.wheel)
	case FormatSdist:
		m.guard("PKG-INFO", func() { m.sdist(true) })
	case FormatNuGet:
		m.guard(".nuspec", m.nuget)
	case FormatGem:
		b.checkGemSums()
		if !b.gem.data && !b.halted {
			b.fs.add(RuleCorrupt, record.Medium, map[string]any{"where": gemData, "error": "missing"}, "the gem has no %s", gemData)
		}
		m.guard(gemMetadata, func() { m.gem(b.gem.metadata) })
	case FormatGo:
		m.guard("go.mod", m.gomod)
	case FormatCrate:
		m.guard("Cargo.toml", m.crate)
	default:
		m.markers()
	}
	if t.Package.Name != "" || t.Package.Ecosystem != "" {
		t.Package.Source = b.name
	}
	gradeTooLargeFiles(&b.fs, t.Package.Scripts)
	t.Incomplete = b.incomplete
	t.Findings = b.fs.done()
	return t
}

// dedupe sorts the files by path; of several files with one path the last
// in archive order is kept (extraction overwrites), with a finding.
func (b *builder) dedupe() []File {
	files := b.files
	slices.SortStableFunc(files, func(x, y File) int { return cmp.Compare(x.Path, y.Path) })
	out := files[:0]
	for i := 0; i < len(files); {
		j := i + 1
		for j < len(files) && files[j].Path == files[i].Path {
			j++
		}
		if j-i > 1 {
			b.fs.add(RuleDuplicatePath, record.Medium, map[string]any{"path": files[i].Path, "count": j - i},
				"%q appears %d times; the last copy is kept", files[i].Path, j-i)
		}
		out = append(out, files[j-1])
		i = j
	}
	clear(files[len(out):]) // drop references to the shadowed copies
	folded := make(map[string]string, len(out))
	for _, f := range out {
		k := strings.ToLower(f.Path)
		if prev, ok := folded[k]; ok {
			b.fs.add(RuleDuplicatePath, record.Low, map[string]any{"path": f.Path, "other": prev, "kind": "case"},
				"%q and %q differ only in letter case (they collide on Windows and macOS)", prev, f.Path)
			continue
		}
		folded[k] = f.Path
	}
	return out
}

// top returns the first path component shared by every file that has
// more than one ("" if they do not share one), and whether every file has
// more than one.
func (b *builder) top() (top string, all bool) {
	all = true
	for _, f := range b.files {
		first, _, ok := strings.Cut(f.Path, "/")
		switch {
		case !ok:
			all = false
		case top == "":
			top = first
		case first != top:
			return "", false
		}
	}
	return top, all
}

func (b *builder) has(p string) bool {
	return slices.ContainsFunc(b.files, func(f File) bool { return f.Path == p })
}

// classifyTar names the format of a tar archive and the prefix to strip.
func (b *builder) classifyTar(h hint) (format, prefix string) {
	if b.gem.seen {
		return FormatGem, ""
	}
	top, all := b.top()
	if top != "" {
		prefix = top + "/"
	}
	hasTop := func(name string) bool { return top != "" && b.has(prefix+name) }
	switch {
	case h.ext == ".crate":
		return FormatCrate, prefix
	case hasTop("PKG-INFO"):
		return FormatSdist, prefix
	case top == "package" || b.has("package/package.json"):
		// npm packs under package/, but installs any first component
		// stripped (stripNPM).
		return FormatNPM, "package/"
	case h.ext == ".tgz" && b.npmManifest():
		return FormatNPM, prefix
	case all && (hasTop("setup.py") || hasTop("pyproject.toml") || hasTop("setup.cfg")):
		return FormatSdist, prefix
	case all && hasTop("Cargo.toml"):
		return FormatCrate, prefix
	case all && hasTop("package.json"):
		return FormatNPM, prefix
	}
	return FormatTar, ""
}

// classifyZip names the format of a zip archive and the prefix to strip.
func (b *builder) classifyZip(h hint) (format, prefix string) {
	switch h.ext {
	case ".whl":
		return FormatWheel, ""
	case ".nupkg":
		return FormatNuGet, ""
	}
	if p := b.goPrefix(); p != "" {
		return FormatGo, p
	}
	for _, f := range b.files {
		dir, base, ok := strings.Cut(f.Path, "/")
		switch {
		case ok && base == "METADATA" && strings.HasSuffix(dir, ".dist-info"):
			return FormatWheel, ""
		case !ok && strings.HasSuffix(strings.ToLower(f.Path), ".nuspec"):
			return FormatNuGet, ""
		}
	}
	if top, all := b.top(); all && top != "" {
		p := top + "/"
		if b.has(p+"PKG-INFO") || b.has(p+"setup.py") || b.has(p+"pyproject.toml") {
			return FormatSdist, p
		}
	}
	return FormatZip, ""
}

// goPrefix returns the "module@version/" prefix of a Go module zip if every
// file has it, else "".
func (b *builder) goPrefix() string {
	if len(b.files) == 0 {
		return ""
	}
	first := b.files[0].Path
	at := strings.IndexByte(first, '@')
	if at <= 0 {
		return ""
	}
	slash := strings.IndexByte(first[at:], '/')
	if slash < 0 || !strings.HasPrefix(first[at+1:], "v") {
		return ""
	}
	prefix := first[:at+slash+1]
	for _, f := range b.files {
		if !strings.HasPrefix(f.Path, prefix) {
			return ""
		}
	}
	return prefix
}

// rootFiles returns the paths of the files at the top of the tree whose
// base name satisfies ok.
func rootFiles(t *Tree, ok func(base string) bool) []string {
	var out []string
	for _, f := range t.Files {
		if !strings.Contains(f.Path, "/") && ok(f.Path) {
			out = append(out, f.Path)
		}
	}
	return out
}

func hasExt(ext string) func(string) bool {
	return func(s string) bool { return strings.EqualFold(path.Ext(s), ext) }
}
