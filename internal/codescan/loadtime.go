package codescan

import (
	"path"
	"strings"
)

// Import-time files: code that runs as soon as a consumer imports or
// requires the package, without calling anything. Code there is graded
// below install-time code (it needs the package to be used) and above
// other code (a library's ordinary functions run only when called).

// maxLoadDepth bounds how deep an entry file may sit: a Python package at
// the root, under src/ or under an sdist's top directory.
const maxLoadDepth = 3

// isLoadFile reports whether a file of the archive runs at import time by
// its path alone: a Python package's __init__.py, a gem's lib/*.rb.
func isLoadFile(p string) bool {
	p = strings.ToLower(p)
	segs := strings.Split(p, "/")
	if len(segs) > maxLoadDepth {
		return false
	}
	base := segs[len(segs)-1]
	switch {
	case base == "__init__.py":
		return len(segs) >= 2
	case strings.HasSuffix(base, ".rb"):
		return len(segs) >= 2 && segs[len(segs)-2] == "lib"
	}
	return false
}

// npmMain returns the archive path of the module require() loads for the
// package whose package.json is at pj, given its "main" field.
func npmMain(pj, main string) string {
	main = strings.TrimSpace(main)
	if main == "" {
		main = "index.js"
	}
	p := path.Join(path.Dir(pj), main)
	if strings.HasPrefix(p, "../") || p == ".." {
		return ""
	}
	return p
}

// markNpmMain marks the npm main module (with the extensions require tries)
// as import-time, and the package's modules it requires at module scope.
func markNpmMain(pj, main string, byPath map[string]*file) {
	p := npmMain(pj, main)
	if p == "" {
		return
	}
	for _, c := range []string{p, p + ".js", p + ".cjs", p + ".mjs", path.Join(p, "index.js")} {
		if f, ok := byPath[c]; ok {
			f.load = true
			markNpmRequires(f, byPath)
			return
		}
	}
}
