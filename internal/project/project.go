package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/registryconf"
	"github.com/pkgward/pkgward/internal/record"
)

// maxFiles bounds how many manifests and configuration files one scan
// parses.
const maxFiles = 100000

// MaxDependencies bounds the dependencies of one scan, all files together
// (each file is also held to manifest.MaxDependencies).
const MaxDependencies = 1_000_000

// errTooMany stops the walk once the scan holds MaxDependencies.
var errTooMany = fmt.Errorf("more than %d dependencies in one scan", MaxDependencies)

// Result is what a scan found.
type Result struct {
	Files        []string // display paths of the files parsed, in walk order
	Dependencies []manifest.Dependency
	// Settings are the registry settings of the configuration files read
	// (.npmrc, pip.conf, nuget.config, …), in walk order.
	Settings []registryconf.Setting
	Errors   []record.InputError
	// Skipped lists what the walk did not read: directories not entered
	// and project files not read, by the default skips, --exclude or
	// .gitignore (VCS directories are not listed).
	Skipped []Skip
	tooMany bool // MaxDependencies reached: the walk stops
}

// Scan finds every manifest and registry configuration file under root (a
// directory or a single file) and parses each with the first matching
// dependency parser and the first matching configuration parser (a file
// such as pyproject.toml or a Gemfile is read by both). A file is listed
// in Files once, and an error on it is reported once. The walk applies
// the default Options.
func Scan(ctx context.Context, root string, parsers []manifest.Parser, configs ...registryconf.Parser) (*Result, error) {
	return ScanWith(ctx, root, Options{}, parsers, configs...)
}

// ScanWith is Scan with options. A root that is a file is always read.
func ScanWith(ctx context.Context, root string, opts Options, parsers []manifest.Parser, configs ...registryconf.Parser) (*Result, error) {
	excludes, err := CompileExcludes(opts.Exclude)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(root)
	if err != nil {
		return nil, &record.InputError{File: root, Msg: unwrapPath(err).Error()}
	}
	res := &Result{}
	if !st.IsDir() && !st.Mode().IsRegular() {
		// Opening a FIFO would block forever, a device never ends.
		return nil, &record.InputError{File: root, Msg: fmt.Sprintf("not a regular file or a directory (%v)", st.Mode().Type())}
	}
	if !st.IsDir() {
		p := parserFor(parsers, filepath.ToSlash(root))
		c := configFor(configs, filepath.ToSlash(root))
		if p == nil && c == nil {
			return nil, &record.InputError{File: root, Msg: "not a manifest or lockfile pkgward can read"}
		}
		return scanFile(ctx, root, p, c), nil
	}
	// The root the user names is scanned even when it is a symbolic link
	// to a directory (WalkDir would not descend into it); links below it
	// are never followed.
	if lst, err := os.Lstat(root); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(root)
		if err != nil {
			return nil, &record.InputError{File: root, Msg: unwrapPath(err).Error()}
		}
		root = resolved
	}
	// Parsers match on the path; files directly in root are matched with
	// root's own name in front, so that scanning requirements/ itself
	// (or .cargo/) reads what scanning its parent would.
	matchPrefix := ""
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, &record.InputError{File: root, Msg: err.Error()}
	}
	if b := filepath.Base(abs); b != "." && b != string(filepath.Separator) {
		matchPrefix = filepath.ToSlash(b) + "/"
	}
	var ig *ignorer
	if !opts.NoIgnore {
		var errs []error
		ig, errs = newIgnorer(abs)
		for _, e := range errs {
			res.Errors = append(res.Errors, inputError("", e))
		}
	}
	seen := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			rel, _ := filepath.Rel(root, p)
			res.Errors = append(res.Errors, record.InputError{File: filepath.ToSlash(rel), Msg: unwrapPath(err).Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." {
				if vcsDirs[d.Name()] {
					return fs.SkipDir
				}
				if kind, rule := skipReason(rel, true, excludes, ig, opts.NoIgnore); kind != "" {
					res.Skipped = append(res.Skipped, Skip{Path: rel, Dir: true, Kind: kind, Rule: rule})
					return fs.SkipDir
				}
			}
			if ig != nil {
				if err := ig.enter(root, rel); err != nil {
					res.Errors = append(res.Errors, inputError("", err))
				}
			}
			return nil
		}
		seen++
		if opts.Progress != nil && seen%256 == 0 {
			opts.Progress(seen, len(res.Files))
		}
		if !d.Type().IsRegular() {
			return nil // symlinks, devices, sockets: never followed
		}
		mp := parserFor(parsers, matchPrefix+rel)
		cp := configFor(configs, matchPrefix+rel)
		if mp == nil && cp == nil {
			return nil
		}
		if kind, rule := skipReason(rel, false, excludes, ig, opts.NoIgnore); kind != "" {
			res.Skipped = append(res.Skipped, Skip{Path: rel, Kind: kind, Rule: rule})
			return nil
		}
		if len(res.Files) >= maxFiles {
			return fmt.Errorf("more than %d manifest files under %s", maxFiles, root)
		}
		parseFile(ctx, mp, cp, root, rel, res)
		if opts.Progress != nil {
			opts.Progress(seen, len(res.Files))
		}
		if res.tooMany {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// skipReason tells why the walk does not read rel (the kind and rule
// of a Skip), or "" when it does: --exclude first, then (unless
// noIgnore) the default skipped directories, then .gitignore files.
func skipReason(rel string, dir bool, excludes []Exclude, ig *ignorer, noIgnore bool) (SkipKind, string) {
	for _, e := range excludes {
		if e.match(rel, dir) {
			return SkipExclude, e.raw
		}
	}
	if noIgnore {
		return "", ""
	}
	if dir && skipDirs[path.Base(rel)] {
		return SkipDefault, ""
	}
	if ig != nil {
		if src := ig.match(rel, dir); src != "" {
			return SkipGitignore, src
		}
	}
	return "", ""
}

// ScanFile parses the single file at name with p, whatever its name (scan
// --lockfile), and with the first matching configuration parser. Sources
// keep the path as given.
func ScanFile(ctx context.Context, name string, p manifest.Parser, configs ...registryconf.Parser) (*Result, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, &record.InputError{File: name, Msg: unwrapPath(err).Error()}
	}
	switch {
	case st.IsDir():
		return nil, &record.InputError{File: name, Msg: "is a directory, not a file"}
	case !st.Mode().IsRegular():
		return nil, &record.InputError{File: name, Msg: "not a regular file"}
	}
	return scanFile(ctx, name, p, configFor(configs, filepath.ToSlash(name))), nil
}

// ScanReader parses what r holds with p, reporting it as label ("stdin":
// scan --lockfile TYPE:-). Includes (-r FILE) are not followed: there is
// no directory to resolve them in.
func ScanReader(ctx context.Context, label string, r io.Reader, p manifest.Parser) *Result {
	res := &Result{}
	data, err := readAllBounded(r)
	if err != nil {
		res.Errors = append(res.Errors, record.InputError{File: label, Msg: unwrapPath(err).Error()})
		return res
	}
	parseData(ctx, p, nil, label, data, nil, res)
	return res
}

// scanFile parses the regular file name with p and c (either may be nil),
// displaying paths as the user gave them.
func scanFile(ctx context.Context, name string, p manifest.Parser, c registryconf.Parser) *Result {
	res := &Result{}
	dir := filepath.Dir(name)
	parseFile(ctx, p, c, dir, filepath.Base(name), res)
	for i := range res.Dependencies {
		res.Dependencies[i].File = relabel(res.Dependencies[i].File, dir)
	}
	for i := range res.Settings {
		res.Settings[i].File = relabel(res.Settings[i].File, dir)
	}
	for i := range res.Errors {
		res.Errors[i].File = relabel(res.Errors[i].File, dir)
	}
	for i := range res.Files {
		res.Files[i] = relabel(res.Files[i], dir)
	}
	return res
}

func relabel(file, dir string) string {
	if dir == "." {
		return file
	}
	return filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(file)))
}

func parserFor(parsers []manifest.Parser, rel string) manifest.Parser {
	for _, p := range parsers {
		if p.Matches(rel) {
			return p
		}
	}
	return nil
}

func configFor(configs []registryconf.Parser, rel string) registryconf.Parser {
	for _, c := range configs {
		if c.Matches(rel) {
			return c
		}
	}
	return nil
}

// parseFile parses root/rel with p and c (either may be nil), appending to
// res. When both fail, only p's error is kept: the file has one problem
// to report, and the dependency parser is the stricter reader.
func parseFile(ctx context.Context, p manifest.Parser, c registryconf.Parser, root, rel string, res *Result) {
	data, err := readBounded(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		res.Errors = append(res.Errors, record.InputError{File: rel, Msg: unwrapPath(err).Error()})
		return
	}
	parseData(ctx, p, c, rel, data, includeReader(root, rel), res)
}

// parseData parses data, the content of rel, with p and c (either may be
// nil), appending to res; readFile resolves includes (nil: none).
func parseData(ctx context.Context, p manifest.Parser, c registryconf.Parser, rel string, data []byte, readFile func(string) (string, []byte, error), res *Result) {
	res.Files = append(res.Files, rel)
	in := manifest.Input{Path: rel, Data: data, ReadFile: readFile}
	failed := false
	if p != nil {
		deps, err := p.Parse(ctx, in)
		if err != nil {
			// A parser that recovered from bad lines returns what it read
			// too: every error is reported and the other dependencies
			// are still checked.
			res.Errors = append(res.Errors, inputErrors(rel, err)...)
			failed = true
		}
		if len(res.Dependencies)+len(deps) > MaxDependencies {
			res.Errors = append(res.Errors, record.InputError{File: rel, Msg: errTooMany.Error()})
			res.tooMany = true
			failed = true
		} else {
			res.Dependencies = append(res.Dependencies, deps...)
		}
	}
	if c != nil {
		settings, err := c.Parse(ctx, manifest.Input{Path: rel, Data: data})
		switch {
		case err == nil:
			res.Settings = append(res.Settings, settings...)
		case !failed:
			res.Errors = append(res.Errors, inputError(rel, err))
		}
	}
}

// inputErrors splits err (several joined by errors.Join, or one) into
// the input errors to report.
func inputErrors(rel string, err error) []record.InputError {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []record.InputError
		for _, e := range j.Unwrap() {
			out = append(out, inputErrors(rel, e)...)
		}
		return out
	}
	return []record.InputError{inputError(rel, err)}
}

func inputError(rel string, err error) record.InputError {
	var ie *record.InputError
	if errors.As(err, &ie) {
		return *ie
	}
	return record.InputError{File: rel, Msg: err.Error()}
}

// pathErr drops the operation and path of an *fs.PathError: the caller
// names the include, and the path inside os.Root ("statat x") means
// nothing to a user.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil {
		return pe.Err
	}
	return err
}

// includeReader resolves includes relative to the including file, refusing
// anything outside root, symlinks and oversized files.
func includeReader(root, from string) func(string) (string, []byte, error) {
	return func(name string) (string, []byte, error) {
		if filepath.IsAbs(name) || strings.HasPrefix(name, "/") {
			return "", nil, errors.New("absolute paths are not followed")
		}
		rel := path.Clean(path.Join(path.Dir(from), filepath.ToSlash(name)))
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return "", nil, errors.New("it leaves the scanned directory")
		}
		// Through os.Root, no path component may leave root, not even a
		// symlinked directory in the middle of the path.
		r, err := os.OpenRoot(root)
		if err != nil {
			return "", nil, pathErr(err)
		}
		defer r.Close()
		local := filepath.FromSlash(rel)
		if st, err := r.Lstat(local); err != nil {
			return "", nil, pathErr(err)
		} else if !st.Mode().IsRegular() {
			return "", nil, errors.New("not a regular file (symlinks are not followed)")
		}
		f, err := r.Open(local)
		if err != nil {
			return "", nil, pathErr(err)
		}
		defer f.Close()
		data, err := readAllBounded(f)
		if err != nil {
			return "", nil, pathErr(err)
		}
		return rel, data, nil
	}
}

// readBounded reads a whole file of at most manifest.MaxFileSize bytes.
func readBounded(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAllBounded(f)
}

// readAllBounded reads r to its end, failing past manifest.MaxFileSize.
func readAllBounded(r io.Reader) ([]byte, error) { return readLimited(r, manifest.MaxFileSize) }

// readLimited reads r to its end, failing past max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("larger than %d bytes", max)
	}
	return data, nil
}
