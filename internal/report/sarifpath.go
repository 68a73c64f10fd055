package report

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// sarifPaths places a result's files for code scanning, which resolves a
// relative artifact uri against the repository root: paths are made
// relative to the enclosing git work tree (the nearest parent holding
// .git); outside one, to the working directory, or else to the base
// (the scanned directory); else they are absolute file: URIs.
type sarifPaths struct {
	cwd   string            // absolute working directory
	base  string            // absolute directory relative sources are relative to
	roots map[string]string // directory -> its root, memoized
	stat  func(string) (os.FileInfo, error)
}

func newSARIFPaths(cwd, base string) *sarifPaths {
	if cwd == "" {
		cwd, _ = os.Getwd()
	}
	if base == "" {
		base = cwd
	} else if !filepath.IsAbs(base) {
		base = filepath.Join(cwd, base)
	}
	return &sarifPaths{cwd: filepath.Clean(cwd), base: filepath.Clean(base), roots: map[string]string{}, stat: os.Lstat}
}

// abs returns p as an absolute, cleaned path (relative paths are relative
// to base).
func (sp *sarifPaths) abs(p string) string {
	if filepath.IsAbs(p) || (len(p) > 2 && p[1] == ':' && isLetter(p[0])) {
		return filepath.Clean(p)
	}
	return filepath.Join(sp.base, p)
}

// root returns the git work tree enclosing dir, or "".
func (sp *sarifPaths) root(dir string) string {
	if r, ok := sp.roots[dir]; ok {
		return r
	}
	r := ""
	for d := dir; ; {
		if _, err := sp.stat(filepath.Join(d, ".git")); err == nil {
			r = d
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	sp.roots[dir] = r
	return r
}

// uri returns the artifact uri for a file path: relative as described at
// sarifPaths, else an absolute file: URI. key is the run-independent form
// used in fingerprints: the relative path, or the base name for a file
// outside all of them (such as a temporary download).
func (sp *sarifPaths) uri(p string) (uri, key string) {
	a := sp.abs(p)
	for _, dir := range []string{sp.root(filepath.Dir(a)), sp.cwd, sp.base} {
		if dir == "" {
			continue
		}
		if rel, err := filepath.Rel(dir, a); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			rel = filepath.ToSlash(rel)
			return fileURI(rel), rel
		}
	}
	return fileURI(a), filepath.Base(a)
}

// isDir reports whether a source names a directory (inspect DIR).
func (sp *sarifPaths) isDir(p string) bool {
	st, err := os.Stat(sp.abs(p))
	return err == nil && st.IsDir()
}

// place is where a finding lands: the artifact (uri, and key for the
// fingerprint) and the line (0 for none).
type place struct {
	uri, key string
	line     int
	ok       bool
}

// placeFinding locates a finding. A result whose source is file:line (scan,
// sweep) is located there. A result whose source is a bare path (inspect,
// diff) is located at the finding's evidence file: inside a directory, at
// DIR/FILE with the finding's line; inside an archive, at the archive
// itself without a region, since its lines are not the archive's (the
// message names the inner file:line).
func (sp *sarifPaths) placeFinding(res *record.Result, f *record.Finding) place {
	file, line, ok := splitSource(res.Source)
	if !ok {
		return place{}
	}
	if inner, _ := f.Evidence["file"].(string); line == 0 && inner != "" && safeInner(inner) {
		if sp.isDir(file) {
			uri, key := sp.uri(filepath.Join(file, filepath.FromSlash(inner)))
			return place{uri: uri, key: key, line: evidenceInt(f.Evidence["line"]), ok: true}
		}
		uri, key := sp.uri(file)
		return place{uri: uri, key: key, ok: true}
	}
	uri, key := sp.uri(file)
	return place{uri: uri, key: key, line: line, ok: true}
}

// safeInner reports whether an evidence file path is a plain relative path
// that stays inside its directory (archive entry names are untrusted).
func safeInner(p string) bool {
	p = filepath.ToSlash(p)
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, ":") || strings.ContainsRune(p, 0) {
		return false
	}
	for part := range strings.SplitSeq(p, "/") {
		if part == ".." {
			return false
		}
	}
	return true
}

// evidenceInt reads a positive integer evidence value (an int from the
// analyzers, a float64 once decoded from JSON); 0 otherwise.
func evidenceInt(v any) int {
	switch n := v.(type) {
	case int:
		return max(n, 0)
	case int64:
		return int(max(n, 0))
	case float64:
		if n > 0 && n < 1<<31 && n == float64(int(n)) {
			return int(n)
		}
	}
	return 0
}
