package requirements

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/pep508"
	"github.com/pkgward/pkgward/internal/record"
)

// Name is the parser id.
const Name = "pypi/requirements.txt"

const (
	// MaxIncludeDepth bounds the nesting of "-r" includes.
	MaxIncludeDepth = 10
	// maxFiles bounds the include references one Parse follows (a file
	// included again counts again, though it is read once).
	maxFiles = 256
	// maxTotalBytes bounds the bytes of all included files together, a
	// file counted once per reference.
	maxTotalBytes = manifest.MaxFileSize
	// maxErrors bounds the bad lines reported for one Parse: past it the
	// parse stops (a file of a million bad lines is not a million reports).
	maxErrors = 100
)

// New returns the requirements.txt parser.
func New() manifest.Parser { return parser{} }

type parser struct{}

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.PyPI }

// Matches reports whether the base name is requirements*.txt,
// requirements*.in (pip-compile input), *-requirements.txt or
// constraints*.txt, or the file is a *.txt directly inside a directory
// named requirements (requirements/base.txt), case-insensitively.
func (parser) Matches(p string) bool {
	lower := strings.ToLower(p)
	base := path.Base(lower)
	if strings.HasSuffix(base, ".in") {
		// pip-compile inputs: requirements*.in, and requirements/*.in
		// beside the .txt files compiled from them.
		return strings.HasPrefix(base, "requirements") || path.Base(path.Dir(lower)) == "requirements"
	}
	if !strings.HasSuffix(base, ".txt") {
		return false
	}
	return strings.HasPrefix(base, "requirements") ||
		strings.HasPrefix(base, "constraints") ||
		strings.HasSuffix(base, "-requirements.txt") ||
		path.Base(path.Dir(lower)) == "requirements"
}

func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	s := &state{
		ctx:    ctx,
		in:     in,
		active: map[string]bool{},
		done:   map[string]bool{},
		read:   map[string]included{},
	}
	if err := s.parseFile(in.Path, path.Base(in.Path), in.Data, 0); err != nil && err != errStopped {
		s.errs = append(s.errs, err)
	}
	if s.tooMany {
		// Past manifest.MaxDependencies: an error, never a partial list.
		return nil, s.errs[len(s.errs)-1]
	}
	// A bad line is reported and the other lines still count: one missing
	// include must not hide a squat on the line before it.
	return s.deps, errors.Join(s.errs...)
}

// errStopped unwinds a parse stopped by stop (its reason is in errs).
var errStopped = errors.New("requirements: parse stopped")

// stop records err and ends the parse.
func (s *state) stop(err error) error {
	s.errs = append(s.errs, err)
	return errStopped
}

// state is one Parse call: the include stack and what has been read.
type state struct {
	ctx    context.Context
	in     manifest.Input
	active map[string]bool // files on the include stack (cycle detection)
	done   map[string]bool // files fully parsed (read each file once)
	// read maps the cleaned ReadFile argument to what it returned, so a
	// file referenced many times is opened and read once.
	read  map[string]included
	files int
	bytes int
	deps  []manifest.Dependency
	errs  []error // bad lines, each a *record.InputError, in file order
	// tooMany: the parse stopped at manifest.MaxDependencies.
	tooMany bool
}

// included is a file ReadFile returned: its display path and size.
type included struct {
	display string
	size    int
}

// parseFile parses one file. display is its display path, rel its path
// relative to the directory of in.Path (what ReadFile takes).
func (s *state) parseFile(display, rel string, data []byte, depth int) error {
	key := path.Clean(display)
	s.active[key] = true
	defer delete(s.active, key)
	s.files++
	s.bytes += len(data)
	err := logicalLines(data, func(lineNo int, text string) error {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		err := s.parseLine(display, rel, lineNo, text, depth)
		var ie *record.InputError
		if err != errStopped && errors.As(err, &ie) {
			// A bad line: reported, and parsing goes on.
			s.errs = append(s.errs, err)
			if len(s.errs) >= maxErrors {
				return s.stop(manifest.Errorf(display, lineNo, "more than %d errors; the rest is not read", maxErrors))
			}
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	s.done[key] = true
	return nil
}

func (s *state) parseLine(file, rel string, line int, text string, depth int) error {
	text = strings.TrimFunc(stripComment(text), isPySpace)
	if text == "" {
		return nil
	}
	// pip's break_args_options: tokens split on " "; the requirement is the
	// tokens before the first one starting with "-".
	tokens := strings.Split(text, " ")
	n := 0
	for n < len(tokens) && !strings.HasPrefix(tokens[n], "-") {
		n++
	}
	if n > 0 {
		// Trailing tokens are per-requirement options (--hash,
		// --config-settings, --global-option): they name no dependency.
		return s.requirement(file, line, strings.TrimFunc(strings.Join(tokens[:n], " "), isPySpace))
	}
	return s.options(file, rel, line, strings.Join(tokens, " "), depth)
}

// requirement handles a requirement line: a link (URL, archive or local
// path) or a PEP 508 specifier.
func (s *state) requirement(file string, line int, req string) error {
	if target, ok := linkTarget(req); ok {
		return s.link(file, line, target)
	}
	r, err := pep508.Parse(req)
	if err != nil {
		return manifest.Errorf(file, line, "invalid requirement %q: %v", req, err)
	}
	if r.IsLocal() {
		return nil
	}
	return s.add(file, line, r.Name, r.Specifier)
}

// link handles a URL or path requirement: it declares a dependency only if
// it is a remote URL whose fragment names one with "#egg=".
func (s *state) link(file string, line int, target string) error {
	if !isRemoteURL(target) {
		return nil // local path, directory or file: URL: nothing is fetched by name
	}
	name, ok, err := eggName(target)
	if err != nil {
		return manifest.Errorf(file, line, "%v", err)
	}
	if ok {
		return s.add(file, line, name, "")
	}
	return nil
}

func (s *state) add(file string, line int, name, version string) error {
	if len(s.deps) >= manifest.MaxDependencies {
		s.tooMany = true
		return s.stop(manifest.TooManyDependencies(file, line))
	}
	s.deps = append(s.deps, manifest.Dependency{
		Ecosystem: ecosystem.PyPI, Name: name, Version: version, File: file, Line: line,
	})
	return nil
}

// reqOptions are the long options pip accepts in requirements files, and
// whether each takes a value. optparse accepts any unambiguous prefix.
var reqOptions = map[string]bool{
	"--index-url": true, "--extra-index-url": true, "--no-index": false,
	"--constraint": true, "--requirement": true, "--editable": true,
	"--find-links": true, "--no-binary": true, "--only-binary": true,
	"--prefer-binary": false, "--require-hashes": false, "--pre": false,
	"--trusted-host": true, "--use-feature": true, "--global-option": true,
	"--hash": true, "--config-settings": true,
}

var shortOptions = map[byte]string{
	'i': "--index-url", 'c': "--constraint", 'r': "--requirement",
	'e': "--editable", 'f': "--find-links",
}

// longOption resolves an exact or unambiguous-prefix long option.
func longOption(name string) (string, bool) {
	if _, ok := reqOptions[name]; ok {
		return name, true
	}
	found := ""
	for opt := range reqOptions {
		if strings.HasPrefix(opt, name) {
			if found != "" {
				return "", false
			}
			found = opt
		}
	}
	return found, found != ""
}

// options handles an options line. Only -r/--requirement and -e/--editable
// can declare dependencies; everything else is skipped.
func (s *state) options(file, rel string, line int, text string, depth int) error {
	args, err := shlexSplit(text)
	if err != nil {
		return manifest.Errorf(file, line, "invalid options line: %v", err)
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var opt, val string
		hasVal := false
		switch {
		case strings.HasPrefix(a, "--"):
			name, v, eq := strings.Cut(a, "=")
			var ok bool
			if opt, ok = longOption(name); !ok {
				continue // unknown option: pip would refuse the file; we skip it
			}
			val, hasVal = v, eq
		case strings.HasPrefix(a, "-") && len(a) > 1:
			var ok bool
			if opt, ok = shortOptions[a[1]]; !ok {
				continue
			}
			if len(a) > 2 {
				val, hasVal = a[2:], true
			}
		default:
			continue // a stray value
		}
		if !reqOptions[opt] {
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return manifest.Errorf(file, line, "option %s requires an argument", opt)
			}
			i++
			val = args[i]
		}
		switch opt {
		case "--requirement":
			if err := s.include(file, rel, line, val, depth); err != nil {
				return err
			}
		case "--editable":
			if err := s.link(file, line, val); err != nil {
				return err
			}
		}
	}
	return nil
}

// include follows "-r target" found in file (rel is file's path relative to
// the top file's directory).
func (s *state) include(file, rel string, line int, target string, depth int) error {
	if isRemoteURL(target) {
		// pip downloads remote requirement files; pkgward reads no network
		// in parsers. Nothing to follow.
		return nil
	}
	if s.in.ReadFile == nil {
		return manifest.Errorf(file, line, "cannot follow include %q: includes are not available here", target)
	}
	if depth+1 > MaxIncludeDepth {
		return manifest.Errorf(file, line, "includes nested deeper than %d files at %q", MaxIncludeDepth, target)
	}
	if s.files >= maxFiles {
		return manifest.Errorf(file, line, "more than %d included files", maxFiles)
	}
	target = strings.TrimPrefix(target, "file:")
	next := target
	if !path.IsAbs(target) {
		next = path.Join(path.Dir(rel), target)
	}
	next = path.Clean(next)
	if prev, ok := s.read[next]; ok {
		// Read before: not read again, but every reference counts against
		// the limits, as pip would read it again each time.
		key := path.Clean(prev.display)
		if s.active[key] {
			return manifest.Errorf(file, line, "include cycle: %q includes %q, which is already being read", file, prev.display)
		}
		s.files++
		if s.bytes+prev.size > maxTotalBytes {
			return manifest.Errorf(file, line, "included files exceed %d bytes in total", maxTotalBytes)
		}
		s.bytes += prev.size
		return nil // its dependencies are listed once
	}
	display, data, err := s.in.ReadFile(next)
	if err != nil {
		return manifest.Errorf(file, line, "included file %q: %v", target, err)
	}
	s.read[next] = included{display, len(data)}
	key := path.Clean(display)
	if s.active[key] {
		return manifest.Errorf(file, line, "include cycle: %q includes %q, which is already being read", file, display)
	}
	if s.done[key] {
		s.files++
		s.bytes += len(data)
		return nil // already read through another include; its dependencies are listed once
	}
	if s.bytes+len(data) > maxTotalBytes {
		return manifest.Errorf(file, line, "included files exceed %d bytes in total", maxTotalBytes)
	}
	return s.parseFile(display, next, data, depth+1)
}

// logicalLines splits data as pip does: str.splitlines, then join_lines
// (a line ending in "\" continues on the next; a comment line ends a
// continuation), and calls fn with each logical line and the 1-based line
// ("\n"-counted) of its first physical line. Lines are produced one at a
// time: nothing of the size of the file is built.
func logicalLines(data []byte, fn func(line int, text string) error) error {
	off := 0
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		off = 3
	}
	lineNo, counted := 1, 0 // lineNo is the line of byte offset counted
	lineAt := func(o int) int {
		lineNo += bytes.Count(data[counted:o], []byte{'\n'})
		counted = o
		return lineNo
	}
	var cur []string
	curLine := 0
	for off < len(data) {
		start := off
		end, next := nextBreak(data, off)
		off = next
		l := string(data[start:end])
		comment := isCommentLine(l)
		if !strings.HasSuffix(l, `\`) || comment {
			if comment {
				l = " " + l
			}
			if cur != nil {
				cur = append(cur, l)
				if err := fn(curLine, strings.Join(cur, "")); err != nil {
					return err
				}
				cur = nil
			} else if err := fn(lineAt(start), l); err != nil {
				return err
			}
			continue
		}
		if cur == nil {
			curLine = lineAt(start)
			cur = []string{}
		}
		cur = append(cur, strings.Trim(l, `\`))
	}
	if cur != nil {
		return fn(curLine, strings.Join(cur, ""))
	}
	return nil
}

// nextBreak finds the end of the physical line starting at off and the start
// of the next one, breaking where Python's str.splitlines does.
func nextBreak(data []byte, off int) (end, next int) {
	for i := off; i < len(data); {
		c := data[i]
		switch {
		case c == '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				return i, i + 2
			}
			return i, i + 1
		case c == '\n' || c == '\v' || c == '\f' || c == 0x1c || c == 0x1d || c == 0x1e:
			return i, i + 1
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == '\u0085' || r == '\u2028' || r == '\u2029' {
				return i, i + size
			}
			i += size
		}
	}
	return len(data), len(data)
}

// isPySpace is Python's str.isspace for the characters that matter here.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// isCommentLine is pip's COMMENT_RE.match: optional white space, then "#".
func isCommentLine(l string) bool {
	return strings.HasPrefix(strings.TrimLeftFunc(l, isPySpace), "#")
}

// stripComment removes pip's COMMENT_RE, (^|\s+)#.*$: from the first "#"
// that starts the line or follows white space.
func stripComment(l string) string {
	prev := rune(-1)
	for i, r := range l {
		if r == '#' && (prev == -1 || isPySpace(prev)) {
			return l[:i]
		}
		prev = r
	}
	return l
}

// shlexSplit is a POSIX-mode shlex.split: white space separates words,
// quotes group, backslash escapes outside single quotes.
func shlexSplit(s string) ([]string, error) {
	var words []string
	var b strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("no escaped character")
			}
			i++
			b.WriteByte(s[i])
			inWord = true
		case c == '\'' || c == '"':
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if c == '"' && s[j] == '\\' && j+1 < len(s) && strings.IndexByte(`\"$`+"`", s[j+1]) >= 0 {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, errors.New("no closing quotation")
			}
			i = j
			inWord = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words, nil
}

// archiveExts are the file name endings pip treats as installable archives.
var archiveExts = []string{
	".zip", ".whl", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz", ".tar.xz",
	".txz", ".tlz", ".tar.lz", ".tar.lzma",
}

// linkTarget reports whether a requirement line is a URL, an archive file
// or a local path rather than a PEP 508 specifier, mirroring pip's
// parse_req_from_line, and returns the URL or path.
func linkTarget(req string) (string, bool) {
	if isURL(req) {
		// pip splits URL markers at "; " (a bare ";" is part of the URL).
		u, _, _ := strings.Cut(req, "; ")
		u, _, _ = strings.Cut(u, " ")
		u, _, _ = strings.Cut(u, "\t")
		return u, true
	}
	t, _, _ := strings.Cut(req, " ")
	t, _, _ = strings.Cut(t, "\t")
	t, _, _ = strings.Cut(t, ";")
	if before, _, hasAt := strings.Cut(t, "@"); hasAt && !looksLikePath(before) {
		return "", false // "name@url": a PEP 508 direct reference
	}
	if looksLikePath(t) || isArchive(t) {
		return t, true
	}
	return "", false
}

func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasPrefix(s, ".")
}

func isArchive(s string) bool {
	s, _, _ = strings.Cut(s, "#")
	s = strings.ToLower(s)
	for _, ext := range archiveExts {
		if strings.HasSuffix(s, ext) {
			return true
		}
	}
	return false
}

// scheme returns the lower-cased URL scheme of s, or "".
func scheme(s string) string {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return ""
	}
	for j := 0; j < i; j++ {
		c := s[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return ""
		}
	}
	return strings.ToLower(s[:i])
}

// isURL is pip's is_url: a scheme pip fetches from (http, https, file, ftp
// or a VCS scheme).
func isURL(s string) bool {
	sc := scheme(s)
	switch sc {
	case "http", "https", "file", "ftp", "git", "hg", "svn", "bzr":
		return true
	}
	for _, vcs := range []string{"git+", "hg+", "svn+", "bzr+"} {
		if strings.HasPrefix(sc, vcs) {
			return true
		}
	}
	return false
}

// isRemoteURL reports whether s is a URL fetched from the network.
func isRemoteURL(s string) bool {
	return isURL(s) && scheme(s) != "file" && !strings.HasSuffix(scheme(s), "+file")
}

// eggName returns the project named by a URL's "#egg=" fragment, if any.
func eggName(u string) (string, bool, error) {
	_, frag, ok := strings.Cut(u, "#")
	if !ok {
		return "", false, nil
	}
	for _, part := range strings.Split(frag, "&") {
		v, ok := strings.CutPrefix(part, "egg=")
		if !ok {
			continue
		}
		r, err := pep508.Parse(v)
		if err != nil || r.Specifier != "" || r.URL != "" || r.Marker != "" || v != strings.TrimSpace(v) {
			return "", false, fmt.Errorf("invalid #egg= fragment %q in %q", v, u)
		}
		return r.Name, true, nil
	}
	return "", false, nil
}
