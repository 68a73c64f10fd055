package manifest

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// MaxFileSize bounds every project file pkgward reads (lockfiles of large
// monorepos reach tens of megabytes; nothing legitimate comes near this).
const MaxFileSize = 64 << 20

// Dependency is one dependency declared in a project file.
type Dependency struct {
	Ecosystem ecosystem.Ecosystem
	Name      string
	Version   string // the version or constraint as written; may be empty
	File      string // display path, slash-separated, relative to the scan root
	Line      int    // 1-based line of the declaration; 0 only if truly unknown
}

// Source renders the "file:line" location of d.
func (d Dependency) Source() string {
	if d.Line > 0 {
		return fmt.Sprintf("%s:%d", d.File, d.Line)
	}
	return d.File
}

// Input is a project file handed to a parser.
type Input struct {
	// Path is the display path (slash-separated, relative to the scan root).
	Path string
	// Data is the whole file, at most MaxFileSize bytes.
	Data []byte
	// ReadFile reads another file named relative to Path's directory, for
	// formats with includes (requirements "-r"). It returns the included
	// file's display path. It refuses paths outside the scan root and files
	// over MaxFileSize. It may be nil, in which case includes are an error.
	ReadFile func(rel string) (path string, data []byte, err error)
}

// Parser reads one file format.
type Parser interface {
	// Name is a stable id such as "npm/package-lock.json".
	Name() string
	// Ecosystem is the ecosystem of the dependencies the format declares.
	Ecosystem() ecosystem.Ecosystem
	// Matches reports, from the slash-separated path alone, whether the
	// parser reads this file.
	Matches(path string) bool
	// Parse returns the dependencies in file order. Errors are
	// *record.InputError with File and, where known, Line set, or several
	// of them joined (errors.Join). A parser that recovers from a bad
	// line returns the dependencies it read along with the error; they
	// are reported too, and the error still fails the run.
	Parse(ctx context.Context, in Input) ([]Dependency, error)
}

// LineIndex maps byte offsets of a file to 1-based line numbers in
// O(log n), for parsers that learn offsets (JSON decoders) rather than lines.
type LineIndex struct{ starts []int }

// NewLineIndex indexes the line starts of data.
func NewLineIndex(data []byte) *LineIndex {
	starts := make([]int, 1, 1+bytes.Count(data, []byte{'\n'}))
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &LineIndex{starts: starts}
}

// Line returns the 1-based line holding byte offset off.
func (x *LineIndex) Line(off int64) int {
	return sort.Search(len(x.starts), func(i int) bool { return int64(x.starts[i]) > off })
}

// Errorf builds the *record.InputError parsers return.
func Errorf(file string, line int, format string, args ...any) error {
	return &record.InputError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// MaxDependencies bounds the dependencies one project file declares,
// includes counted in (the largest real lockfiles list a few thousand; a
// file of a million one-letter lines is an attack on memory, not a project).
const MaxDependencies = 100_000

// TooManyDependencies is the input error for a file past MaxDependencies;
// file and line locate the first dependency over the bound.
func TooManyDependencies(file string, line int) error {
	return Errorf(file, line, "more than %d dependencies in one file", MaxDependencies)
}

// Bounded wraps p so that every format is held to MaxDependencies: Parse
// fails with TooManyDependencies rather than return more. Parsers of
// formats that are cheap per dependency also stop early, as they append.
func Bounded(p Parser) Parser { return bounded{p} }

type bounded struct{ Parser }

func (b bounded) Parse(ctx context.Context, in Input) ([]Dependency, error) {
	deps, err := b.Parser.Parse(ctx, in)
	if len(deps) > MaxDependencies {
		d := deps[MaxDependencies]
		return nil, TooManyDependencies(d.File, d.Line)
	}
	return deps, err
}
