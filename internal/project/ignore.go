package project

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/pkgward/pkgward/internal/record"
)

// vcsDirs are never entered, not even with Options.NoIgnore, and not
// counted as skipped: they hold a tool's data, never the project's.
var vcsDirs = map[string]bool{".git": true, ".hg": true, ".svn": true}

// skipDirs are not entered by default (Options.NoIgnore enters them):
// installed dependencies, test fixtures, virtual environments and build
// output are not the project's declarations.
var skipDirs = map[string]bool{
	"node_modules": true, "vendor": true, "testdata": true,
	".venv": true, "venv": true, "__pycache__": true, ".tox": true, "target": true,
	"bin": true, "obj": true, ".yarn": true, ".pnpm-store": true, "bower_components": true,
}

// Bounds of the .gitignore files read: what is past them is an error for
// that file, whose patterns are then not applied (the scan reads more,
// never less).
const (
	maxIgnoreSize     = 1 << 20
	maxIgnorePatterns = 20000
)

// Options tune a directory scan. The zero value is the default: .gitignore
// files and the default skipped directories are applied.
type Options struct {
	// Exclude lists glob patterns of paths not to read, relative to the
	// scanned directory (see CompileExcludes).
	Exclude []string
	// NoIgnore reads what .gitignore files and the default skipped
	// directories (node_modules, testdata, …) would skip. VCS directories
	// (.git, .hg, .svn) are never entered.
	NoIgnore bool
	// Progress, if set, is called from the walk now and then with the
	// number of files seen and of project files read so far.
	Progress func(seen, read int)
}

// SkipKind is what made the walk skip a path.
type SkipKind string

// The kinds of skips, in the order they are applied.
const (
	SkipExclude   SkipKind = "--exclude"  // an Options.Exclude pattern
	SkipDefault   SkipKind = "default"    // a directory of the default list
	SkipGitignore SkipKind = ".gitignore" // a .gitignore line
)

// Skip is a directory or a file the scan did not read although it would
// have (for files: one a parser matches).
type Skip struct {
	Path string // slash-separated, relative to the scanned directory
	Dir  bool
	Kind SkipKind
	// Rule is the --exclude pattern as given, or for .gitignore
	// "FILE:LINE: PATTERN" (FILE relative to the scanned directory);
	// empty for the default list.
	Rule string
}

// Exclude is a compiled --exclude pattern.
type Exclude struct {
	raw      string
	glob     string // the doublestar pattern
	base     bool   // no slash: matched on every base name, at any depth
	dirsOnly bool   // trailing slash: directories only
}

// CompileExcludes checks --exclude patterns. A pattern is a doublestar
// glob (*, ?, [...], {a,b}, ** for any number of directories), matched
// as .gitignore matches: with no slash (other than a trailing one) on the
// name of each file and directory at any depth (testdata, *.lock),
// otherwise on the whole path relative to the scanned directory (a
// leading / or ./ is allowed: legacy/**, /web/package.json). A trailing
// slash matches directories only. A directory matched is not entered.
func CompileExcludes(patterns []string) ([]Exclude, error) {
	var out []Exclude
	for _, raw := range patterns {
		p := strings.TrimPrefix(raw, "./")
		e := Exclude{raw: raw}
		if strings.HasSuffix(p, "/") {
			e.dirsOnly = true
			p = strings.TrimRight(p, "/")
		}
		if strings.HasPrefix(p, "/") {
			p = strings.TrimLeft(p, "/")
		} else if !strings.Contains(p, "/") {
			e.base = true
		}
		if p == "" || p == "." {
			return nil, fmt.Errorf("--exclude %q: an empty pattern would exclude everything", raw)
		}
		if !doublestar.ValidatePattern(p) {
			return nil, fmt.Errorf("--exclude %q: not a valid glob pattern", raw)
		}
		e.glob = p
		out = append(out, e)
	}
	return out, nil
}

// match reports whether rel (slash-separated, relative to the scanned
// directory) is excluded.
func (e Exclude) match(rel string, dir bool) bool {
	if e.dirsOnly && !dir {
		return false
	}
	s := rel
	if e.base {
		s = path.Base(rel)
	}
	ok, _ := doublestar.Match(e.glob, s)
	return ok
}

// ignorePattern is one line of a .gitignore file, as gitignore(5)
// defines it, matched with doublestar (whose ** is git's: a whole path
// component matching any number of directories).
type ignorePattern struct {
	dir      string // repository-relative directory of the .gitignore ("" at the top)
	glob     string
	base     bool // no slash but a trailing one: matched on the name, at any depth
	dirsOnly bool
	negate   bool
	source   string // "FILE:LINE: LINE-TEXT" for Skip.Rule
}

// parseIgnoreLine parses one line; ok is false for blank lines, comments
// and patterns that are not valid globs (which git never matches).
func parseIgnoreLine(line, dir, source string) (ignorePattern, bool) {
	line = strings.TrimSuffix(line, "\r")
	if line == "" || strings.HasPrefix(line, "#") {
		return ignorePattern{}, false
	}
	// Trailing spaces are dropped unless escaped with a backslash.
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, "\\ ") {
		line = line[:len(line)-1]
	}
	p := ignorePattern{dir: dir, source: source}
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirsOnly = true
		line = strings.TrimRight(line, "/")
	}
	if strings.HasPrefix(line, "/") {
		line = strings.TrimLeft(line, "/")
	} else if !strings.Contains(line, "/") {
		p.base = true
	}
	if line == "" || !doublestar.ValidatePattern(line) {
		return ignorePattern{}, false
	}
	p.glob = line
	return p, true
}

// match reports whether the pattern matches the repository-relative path
// full (not merely a directory above it: walking decides those first).
func (p *ignorePattern) match(full string, dir bool) bool {
	if p.dirsOnly && !dir {
		return false
	}
	rel := full
	if p.dir != "" {
		if !strings.HasPrefix(full, p.dir+"/") {
			return false
		}
		rel = full[len(p.dir)+1:]
	}
	if p.base {
		rel = path.Base(rel)
	} else if strings.HasSuffix(p.glob, "/**") {
		// "a/**" matches everything inside a, not a itself.
		if ok, _ := doublestar.Match(strings.TrimSuffix(p.glob, "/**"), rel); ok {
			return false
		}
	}
	ok, _ := doublestar.Match(p.glob, rel)
	return ok
}

// ignorer applies .gitignore files as git does: the files of the
// directories from the repository root (the nearest parent holding .git)
// down to each directory, deeper files and later lines taking precedence,
// negations (!) re-including what an earlier pattern excluded. A
// directory excluded is not entered, so nothing under it can be
// re-included (git's rule too).
type ignorer struct {
	prefix string                     // path of the scanned directory below the repository root, "" for none
	dirs   map[string][]ignorePattern // scan-relative directory -> patterns in force in it
}

// newIgnorer prepares the patterns of the .gitignore files above root
// (absolute), up to the repository root enclosing it; without one, only
// the files in and under root are applied.
func newIgnorer(root string) (*ignorer, []error) {
	ig := &ignorer{dirs: map[string][]ignorePattern{}}
	repo := ""
	for d := root; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			repo = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	var inherited []ignorePattern
	var errs []error
	if repo != "" && repo != root {
		rel, err := filepath.Rel(repo, root)
		if err == nil {
			ig.prefix = filepath.ToSlash(rel)
			parts := strings.Split(ig.prefix, "/")
			for i := range parts {
				dir := strings.Join(parts[:i], "/")
				abs := filepath.Join(repo, filepath.FromSlash(dir))
				ps, err := readIgnore(filepath.Join(abs, ".gitignore"), dir, displayAbove(root, abs))
				if err != nil {
					errs = append(errs, err)
				}
				inherited = append(inherited, ps...)
			}
		}
	}
	ig.dirs["."] = inherited
	return ig, errs
}

// displayAbove names dir's .gitignore relative to root (a parent of it).
func displayAbove(root, dir string) string {
	rel, err := filepath.Rel(root, filepath.Join(dir, ".gitignore"))
	if err != nil {
		return filepath.Join(dir, ".gitignore")
	}
	return filepath.ToSlash(rel)
}

// enter records the patterns in force in the scan-relative directory rel
// (its parent's, then those of its own .gitignore).
func (ig *ignorer) enter(root, rel string) error {
	parent := ig.patterns(path.Dir(rel))
	display := path.Join(rel, ".gitignore")
	own, err := readIgnore(filepath.Join(root, filepath.FromSlash(rel), ".gitignore"), ig.full(rel), display)
	if len(own) == 0 {
		ig.dirs[rel] = parent
		return err
	}
	ig.dirs[rel] = append(parent[:len(parent):len(parent)], own...)
	return err
}

// patterns returns the patterns in force in the scan-relative directory
// dir.
func (ig *ignorer) patterns(dir string) []ignorePattern {
	for {
		if ps, ok := ig.dirs[dir]; ok {
			return ps
		}
		if dir == "." || dir == "/" || dir == "" {
			return nil
		}
		dir = path.Dir(dir)
	}
}

// full returns the repository-relative form of the scan-relative rel
// ("" for the repository root itself).
func (ig *ignorer) full(rel string) string {
	switch {
	case rel == ".":
		return ig.prefix
	case ig.prefix == "":
		return rel
	}
	return ig.prefix + "/" + rel
}

// match returns the source of the pattern that ignores rel, or "": the
// last pattern matching it decides, a negation re-including.
func (ig *ignorer) match(rel string, dir bool) string {
	ps := ig.patterns(path.Dir(rel))
	full := ig.full(rel)
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].match(full, dir) {
			if ps[i].negate {
				return ""
			}
			return ps[i].source
		}
	}
	return ""
}

// readIgnore reads the .gitignore file p (absent: no patterns) of the
// repository-relative directory dir. A
// symbolic link is not followed (as git ≥ 2.32 does not).
func readIgnore(p, dir, display string) ([]ignorePattern, error) {
	st, err := os.Lstat(p)
	if err != nil {
		if errorsIsNotExist(err) {
			return nil, nil
		}
		return nil, &record.InputError{File: display, Msg: unwrapPath(err).Error()}
	}
	if !st.Mode().IsRegular() {
		return nil, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, &record.InputError{File: display, Msg: unwrapPath(err).Error()}
	}
	defer f.Close()
	data, err := readLimited(f, maxIgnoreSize)
	if err != nil {
		return nil, &record.InputError{File: display, Msg: err.Error() + "; its patterns are not applied"}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var out []ignorePattern
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		ip, ok := parseIgnoreLine(line, dir, fmt.Sprintf("%s:%d: %s", display, i+1, line))
		if !ok {
			continue
		}
		if len(out) == maxIgnorePatterns {
			return nil, &record.InputError{File: display, Msg: fmt.Sprintf("more than %d patterns; its patterns are not applied", maxIgnorePatterns)}
		}
		out = append(out, ip)
	}
	return out, nil
}

func errorsIsNotExist(err error) bool { return err != nil && os.IsNotExist(err) }

// unwrapPath drops the path of a *fs.PathError (or *os.LinkError): the
// InputError carrying the message names the file already, and the
// path inside would name it a second time, often absolute.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
