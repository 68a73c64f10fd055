package registryconf

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/tomlpos"
)

// tomlDoc is a TOML file read with tomlpos, with helpers that check the
// types of the keys this package reads.
type tomlDoc struct {
	file  string
	data  []byte
	lines *manifest.LineIndex
	root  *tomlpos.Value
}

func parseTOML(ctx context.Context, in manifest.Input) (*tomlDoc, error) {
	lines := manifest.NewLineIndex(in.Data)
	root, err := tomlpos.Parse(ctx, in.Path, in.Data, lines)
	if err != nil {
		return nil, err
	}
	return &tomlDoc{file: in.Path, data: in.Data, lines: lines, root: root}, nil
}

func (d *tomlDoc) line(off int) int { return d.lines.Line(int64(off)) }

func (d *tomlDoc) errorf(off int, format string, args ...any) error {
	return manifest.Errorf(d.file, d.line(off), format, args...)
}

// table follows keys from t through tables; nil when one is absent.
func (d *tomlDoc) table(t *tomlpos.Value, what string, keys ...string) (*tomlpos.Value, error) {
	for _, k := range keys {
		f := t.Field(k)
		if f == nil {
			return nil, nil
		}
		if f.Value.Kind != tomlpos.Table {
			return nil, d.errorf(f.KeyOffset, "%s is %s, not a table", what, f.Value.Kind)
		}
		t = f.Value
	}
	return t, nil
}

// tables returns the tables of t[key], an array of tables ([[key]]); nil
// when absent.
func (d *tomlDoc) tables(t *tomlpos.Value, key, what string) ([]*tomlpos.Value, error) {
	f := t.Field(key)
	if f == nil {
		return nil, nil
	}
	if f.Value.Kind != tomlpos.Array {
		return nil, d.errorf(f.KeyOffset, "%s is %s, not an array of tables", what, f.Value.Kind)
	}
	for _, e := range f.Value.Elems {
		if e.Kind != tomlpos.Table {
			return nil, d.errorf(f.KeyOffset, "%s holds %s, not tables", what, e.Kind)
		}
	}
	return f.Value.Elems, nil
}

// str returns t[key] as a string and the line of its key; ok is false when
// absent.
func (d *tomlDoc) str(t *tomlpos.Value, key, what string) (s string, line int, ok bool, err error) {
	f := t.Field(key)
	if f == nil {
		return "", 0, false, nil
	}
	if f.Value.Kind != tomlpos.String {
		return "", 0, false, d.errorf(f.KeyOffset, "%s is %s, not a string", what, f.Value.Kind)
	}
	return f.Value.Str, d.line(f.KeyOffset), true, nil
}

// strs returns t[key], a string or an array of strings, with the line of
// each string.
func (d *tomlDoc) strs(t *tomlpos.Value, key, what string) ([]line, error) {
	f := t.Field(key)
	if f == nil {
		return nil, nil
	}
	switch f.Value.Kind {
	case tomlpos.String:
		return []line{{d.line(f.KeyOffset), f.Value.Str}}, nil
	case tomlpos.Array:
		var out []line
		for _, e := range f.Value.Elems {
			if e.Kind != tomlpos.String {
				return nil, d.errorf(f.KeyOffset, "%s holds %s, not strings", what, e.Kind)
			}
			out = append(out, line{d.line(e.Offset), e.Str})
		}
		return out, nil
	}
	return nil, d.errorf(f.KeyOffset, "%s is %s, not a string or a list of strings", what, f.Value.Kind)
}

// boolean returns t[key] as a boolean and the line of its key; ok is false
// when absent.
func (d *tomlDoc) boolean(t *tomlpos.Value, key, what string) (b bool, line int, ok bool, err error) {
	f := t.Field(key)
	if f == nil {
		return false, 0, false, nil
	}
	if f.Value.Kind == tomlpos.Other {
		rest := string(d.data[f.Value.Offset:min(len(d.data), f.Value.Offset+5)])
		switch {
		case strings.HasPrefix(rest, "true"):
			return true, d.line(f.KeyOffset), true, nil
		case strings.HasPrefix(rest, "false"):
			return false, d.line(f.KeyOffset), true, nil
		}
	}
	return false, 0, false, d.errorf(f.KeyOffset, "%s is not a boolean", what)
}

// label names the i-th table of an array by its name key, or by index.
func label(name string, i int) string {
	if name != "" && !strings.ContainsAny(name, " .\"") {
		return name
	}
	if name != "" {
		return strconv.Quote(name)
	}
	return fmt.Sprintf("%d", i)
}
