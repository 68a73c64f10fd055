package nugetlock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// Name identifies the parser.
const Name = "nuget/packages.lock.json"

type parser struct{}

// New returns the packages.lock.json parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.NuGet }

// Matches reports whether path names packages.lock.json or a per-project
// packages.<project>.lock.json, case-insensitively as NuGet does.
func (parser) Matches(p string) bool {
	base := strings.ToLower(path.Base(p))
	return strings.HasPrefix(base, "packages.") && strings.HasSuffix(base, ".lock.json") &&
		len(base) >= len("packages.lock.json")
}

// reader walks the JSON tokens of one lockfile.
type reader struct {
	ctx   context.Context
	file  string
	data  []byte
	dec   *json.Decoder
	lines *manifest.LineIndex
	deps  []manifest.Dependency
	seen  map[string]bool // lower-case name + "\x00" + version
}

// Parse returns the locked packages in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(in.Data))
	dec.UseNumber()
	r := &reader{
		ctx:   ctx,
		file:  in.Path,
		data:  in.Data,
		dec:   dec,
		lines: manifest.NewLineIndex(in.Data),
		seen:  map[string]bool{},
	}
	if err := r.document(); err != nil {
		return nil, err
	}
	return r.deps, nil
}

// line is the line of the last byte of the token just read.
func (r *reader) line() int {
	off := r.dec.InputOffset() - 1
	if off < 0 {
		off = 0
	}
	return r.lines.Line(off)
}

func (r *reader) errorf(format string, args ...any) error {
	return manifest.Errorf(r.file, r.line(), format, args...)
}

// token reads the next token, turning decoder errors into input errors.
func (r *reader) token() (json.Token, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return nil, r.convert(err)
	}
	return tok, nil
}

// convert turns a decoder error into an input error.
func (r *reader) convert(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return manifest.Errorf(r.file, r.lines.Line(max(se.Offset-1, 0)), "invalid JSON: %v", se)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return manifest.Errorf(r.file, r.lines.Line(max(int64(len(r.data))-1, 0)), "invalid JSON: unexpected end of input")
	}
	return r.errorf("invalid JSON: %v", err)
}

func (r *reader) delim(want json.Delim, what string) error {
	tok, err := r.token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return r.errorf("%s: want %q, got %v", what, want, tok)
	}
	return nil
}

// key reads an object key; the decoder guarantees keys are strings.
func (r *reader) key() (string, int, error) {
	tok, err := r.token()
	if err != nil {
		return "", 0, err
	}
	k, ok := tok.(string)
	if !ok {
		return "", 0, r.errorf("want an object key, got %v", tok)
	}
	return k, r.line(), nil
}

func (r *reader) str(what string) (string, error) {
	tok, err := r.token()
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", r.errorf("%s: want a string, got %v", what, tok)
	}
	return s, nil
}

// skip reads and discards one value, iteratively whatever its nesting.
func (r *reader) skip() error {
	depth := 0
	for {
		tok, err := r.token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

func (r *reader) document() error {
	if err := r.delim('{', "lockfile"); err != nil {
		return err
	}
	hasVersion := false
	for r.dec.More() {
		k, _, err := r.key()
		if err != nil {
			return err
		}
		switch k {
		case "version":
			tok, err := r.token()
			if err != nil {
				return err
			}
			if _, ok := tok.(json.Number); !ok {
				return r.errorf("version: want a number, got %v", tok)
			}
			hasVersion = true
		case "dependencies":
			if err := r.frameworks(); err != nil {
				return err
			}
		default:
			if err := r.skip(); err != nil {
				return err
			}
		}
	}
	if err := r.delim('}', "lockfile"); err != nil {
		return err
	}
	switch _, err := r.dec.Token(); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return r.convert(err)
	default:
		return r.errorf("data after the lockfile object")
	}
	if !hasVersion {
		return manifest.Errorf(r.file, 1, "not a NuGet lockfile: no version")
	}
	return nil
}

// frameworks reads "dependencies": { "<tfm>": { "<id>": {...}, ... }, ... }.
func (r *reader) frameworks() error {
	if err := r.delim('{', "dependencies"); err != nil {
		return err
	}
	for r.dec.More() {
		tfm, _, err := r.key()
		if err != nil {
			return err
		}
		if err := r.delim('{', tfm); err != nil {
			return err
		}
		for r.dec.More() {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			name, line, err := r.key()
			if err != nil {
				return err
			}
			if err := r.pkg(name, line); err != nil {
				return err
			}
		}
		if err := r.delim('}', tfm); err != nil {
			return err
		}
	}
	return r.delim('}', "dependencies")
}

// pkg reads one package entry, declared on line.
func (r *reader) pkg(name string, line int) error {
	if err := r.delim('{', name); err != nil {
		return err
	}
	var typ, resolved string
	for r.dec.More() {
		k, _, err := r.key()
		if err != nil {
			return err
		}
		switch k {
		case "type":
			typ, err = r.str(name + ": type")
		case "resolved":
			resolved, err = r.str(name + ": resolved")
		default:
			err = r.skip()
		}
		if err != nil {
			return err
		}
	}
	if err := r.delim('}', name); err != nil {
		return err
	}
	if typ == "Project" {
		return nil // another project of the solution
	}
	if strings.TrimSpace(name) == "" {
		return manifest.Errorf(r.file, line, "package with an empty id")
	}
	if resolved == "" {
		return manifest.Errorf(r.file, line, "package %q has no resolved version", name)
	}
	id := strings.ToLower(name) + "\x00" + resolved
	if r.seen[id] {
		return nil
	}
	r.seen[id] = true
	r.deps = append(r.deps, manifest.Dependency{
		Ecosystem: ecosystem.NuGet,
		Name:      name,
		Version:   resolved,
		File:      r.file,
		Line:      line,
	})
	return nil
}
