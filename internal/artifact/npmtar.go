package artifact

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// npmManifest reports whether some top directory holds a package.json.
func (b *builder) npmManifest() bool {
	return slices.ContainsFunc(b.files, func(f File) bool {
		_, rest, ok := strings.Cut(f.Path, "/")
		return ok && rest == "package.json"
	})
}

// npmRoots is what stripNPM saw: the top directories in archive order and
// the paths a directory after the first changes or adds.
type npmRoots struct {
	names   []string
	changed []string // stripped paths whose later copy differs from the first
	added   []string // stripped paths only directories after the first hold
}

// stripNPM strips the first component of every path, whatever it is, as
// npm's extractor does (strip: 1): package/x, zz/x and pkg-1.0/x all
// install as x, and a later copy overwrites an earlier one (dedupe keeps
// the last). Entries with no directory are not installed and are dropped.
func (b *builder) stripNPM() npmRoots {
	var r npmRoots
	first := map[string]File{} // stripped path -> its first copy
	firstRoot := map[string]string{}
	kept := b.files[:0]
	for _, f := range b.files {
		top, rest, ok := strings.Cut(f.Path, "/")
		if !ok || rest == "" {
			b.fs.add(RuleMultipleRoots, record.Low, map[string]any{"path": f.Path},
				"%q is outside any directory: npm strips the first path component and does not install it", f.Path)
			continue
		}
		i := slices.Index(r.names, top)
		if i < 0 {
			r.names = append(r.names, top)
			i = len(r.names) - 1
		}
		switch prev, seen := firstRoot[rest]; {
		case !seen:
			firstRoot[rest] = top
			first[rest] = f
			if i > 0 {
				r.added = append(r.added, rest)
			}
		case prev != top && (f.SHA256 != first[rest].SHA256 || f.Mode != first[rest].Mode):
			r.changed = append(r.changed, rest)
		}
		f.Path = rest
		kept = append(kept, f)
	}
	clear(b.files[len(kept):])
	b.files = kept
	slices.Sort(r.changed)
	slices.Sort(r.added)
	r.changed, r.added = slices.Compact(r.changed), slices.Compact(r.added)
	return r
}

// report reports more than one top directory: high when a directory after
// the first changes or adds package.json or a file that runs at install
// (binding.gyp, or a file a script of the installed package.json names),
// medium otherwise.
func (r npmRoots) report(fs *findings, scripts map[string]string) {
	if len(r.names) < 2 {
		return
	}
	var risky []string
	for _, p := range append(slices.Clone(r.changed), r.added...) {
		if npmInstallTime(p, scripts) {
			risky = append(risky, p)
		}
	}
	ev := map[string]any{"roots": r.names, "kept": "the last copy of each path"}
	if len(r.changed) > 0 {
		ev["changed"] = capList(r.changed, 20)
	}
	if len(r.added) > 0 {
		ev["added"] = capList(r.added, 20)
	}
	msg := fmt.Sprintf("the tarball has %d top directories (%s): npm strips the first component of every path and installs them as one package, the last copy of a path winning",
		len(r.names), strings.Join(capList(r.names, 10), ", "))
	sev := record.Medium
	if len(risky) > 0 {
		sev = record.High
		ev["install_time"] = capList(risky, 20)
		msg += "; a later directory changes what runs at install (" + strings.Join(capList(risky, 5), ", ") + ")"
	}
	fs.add(RuleMultipleRoots, sev, ev, "%s", msg)
}

func capList(s []string, n int) []string { return s[:min(len(s), n)] }

// npmInstallTime reports whether npm reads or runs the path at install:
// package.json, binding.gyp (node-gyp rebuild), the package's .npmrc and
// npm-shrinkwrap.json, or a file one of the scripts names.
func npmInstallTime(p string, scripts map[string]string) bool {
	switch p {
	case "package.json", "binding.gyp", ".npmrc", "npm-shrinkwrap.json":
		return true
	}
	for _, s := range scripts {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
