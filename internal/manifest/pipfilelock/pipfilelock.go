package pipfilelock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/pep508"
)

// Name is the parser id.
const Name = "pypi/Pipfile.lock"

// maxDepth bounds JSON nesting (encoding/json's token reader does not).
const maxDepth = 1000

// New returns the Pipfile.lock parser.
func New() manifest.Parser { return parser{} }

type parser struct{}

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.PyPI }
func (parser) Matches(p string) bool          { return path.Base(p) == "Pipfile.lock" }

func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	r := &reader{
		ctx:   ctx,
		file:  in.Path,
		data:  in.Data,
		lines: manifest.NewLineIndex(in.Data),
		dec:   json.NewDecoder(bytes.NewReader(in.Data)),
	}
	r.dec.UseNumber()
	if err := r.document(); err != nil {
		return nil, err
	}
	return r.deps, nil
}

type reader struct {
	ctx   context.Context
	file  string
	data  []byte
	lines *manifest.LineIndex
	dec   *json.Decoder
	deps  []manifest.Dependency
}

// line is the line of the last byte the decoder consumed.
func (r *reader) line() int {
	off := r.dec.InputOffset() - 1
	if off < 0 {
		off = 0
	}
	return r.lines.Line(off)
}

func (r *reader) errorf(line int, format string, args ...any) error {
	return manifest.Errorf(r.file, line, format, args...)
}

// token reads the next token, turning decoder errors into InputErrors.
func (r *reader) token() (json.Token, error) {
	tok, err := r.dec.Token()
	if err == nil {
		return tok, nil
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off := se.Offset - 1
		if off < 0 {
			off = 0
		}
		return nil, r.errorf(r.lines.Line(off), "invalid JSON: %v", se)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, r.errorf(r.lines.Line(int64(max(len(r.data)-1, 0))), "invalid JSON: unexpected end of input")
	}
	return nil, r.errorf(r.line(), "invalid JSON: %v", err)
}

// openObject reads a '{' token.
func (r *reader) openObject(what string) error {
	tok, err := r.token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return r.errorf(r.line(), "%s is %s, want an object", what, describe(tok))
	}
	return nil
}

// key reads an object key (the decoder guarantees a string here) and
// returns it with its line.
func (r *reader) key() (string, int, error) {
	tok, err := r.token()
	if err != nil {
		return "", 0, err
	}
	k, ok := tok.(string)
	if !ok {
		return "", 0, r.errorf(r.line(), "invalid JSON: object key is %s", describe(tok))
	}
	return k, r.line(), nil
}

// close reads the '}' or ']' ending the current container.
func (r *reader) close() error {
	_, err := r.token()
	return err
}

// skip reads and discards one value.
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
				if depth > maxDepth {
					return r.errorf(r.line(), "JSON nested deeper than %d levels", maxDepth)
				}
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
	if err := r.openObject("the document"); err != nil {
		return err
	}
	for r.dec.More() {
		k, _, err := r.key()
		if err != nil {
			return err
		}
		if k == "default" || k == "develop" {
			err = r.section(k)
		} else {
			err = r.skip()
		}
		if err != nil {
			return err
		}
	}
	if err := r.close(); err != nil {
		return err
	}
	if _, err := r.dec.Token(); err != io.EOF {
		return r.errorf(r.line(), "invalid JSON: data after the top-level object")
	}
	return nil
}

// section reads "default" or "develop": package name -> entry.
func (r *reader) section(name string) error {
	if err := r.openObject(fmt.Sprintf("%q", name)); err != nil {
		return err
	}
	for r.dec.More() {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		pkg, line, err := r.key()
		if err != nil {
			return err
		}
		if !pep508.ValidName(pkg) {
			return r.errorf(line, "invalid package name %q in %q", pkg, name)
		}
		version, local, err := r.entry(pkg)
		if err != nil {
			return err
		}
		if !local {
			r.deps = append(r.deps, manifest.Dependency{
				Ecosystem: ecosystem.PyPI, Name: pkg, Version: version, File: r.file, Line: line,
			})
		}
	}
	return r.close()
}

// entry reads {"version": "==1.0", "hashes": [...], ...}.
func (r *reader) entry(pkg string) (version string, local bool, err error) {
	if err := r.openObject(fmt.Sprintf("entry %q", pkg)); err != nil {
		return "", false, err
	}
	for r.dec.More() {
		k, _, err := r.key()
		if err != nil {
			return "", false, err
		}
		switch k {
		case "version":
			tok, err := r.token()
			if err != nil {
				return "", false, err
			}
			v, ok := tok.(string)
			if !ok {
				return "", false, r.errorf(r.line(), "entry %q: version is %s, want a string", pkg, describe(tok))
			}
			version = v
		case "path":
			local = true
			fallthrough
		default:
			if err := r.skip(); err != nil {
				return "", false, err
			}
		}
	}
	return version, local, r.close()
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}
