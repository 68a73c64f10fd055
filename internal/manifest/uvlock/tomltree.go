package uvlock

// This file is kept identical (but for the package clause) in pyproject,
// poetrylock and uvlock: it builds a TOML document tree that remembers where
// each key and value starts, so dependencies get exact lines.

import (
	"context"
	"errors"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/pkgward/pkgward/internal/manifest"
)

type tomlKind int

const (
	tomlTable tomlKind = iota
	tomlArray
	tomlString
	tomlOther // numbers, booleans, dates
)

func (k tomlKind) String() string {
	return [...]string{"a table", "an array", "a string", "a scalar"}[k]
}

// tomlValue is a node of a decoded TOML document with its byte offset.
type tomlValue struct {
	kind   tomlKind
	off    int    // where the value starts (tables: their header or first key)
	str    string // tomlString
	keys   []string
	fields map[string]*tomlField // tomlTable
	elems  []*tomlValue          // tomlArray
	aot    bool                  // tomlArray: an array of tables ([[...]])
}

// tomlField is a key of a table and where the key is written.
type tomlField struct {
	keyOff int
	val    *tomlValue
}

func newTable(off int) *tomlValue {
	return &tomlValue{kind: tomlTable, off: off, fields: map[string]*tomlField{}}
}

// field returns t[key], or nil if t is not a table or has no such key.
func (t *tomlValue) field(key string) *tomlField {
	if t == nil || t.kind != tomlTable {
		return nil
	}
	return t.fields[key]
}

func (t *tomlValue) set(key string, keyOff int, v *tomlValue) {
	t.keys = append(t.keys, key)
	t.fields[key] = &tomlField{keyOff: keyOff, val: v}
}

// parseTOML decodes data. The document is first validated by go-toml's
// decoder (which rejects duplicate keys and redefined tables), then walked
// with go-toml's unstable AST parser, whose nodes carry byte ranges.
func parseTOML(ctx context.Context, file string, data []byte, lines *manifest.LineIndex) (*tomlValue, error) {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return nil, manifest.Errorf(file, row, "invalid TOML: %s", strings.TrimPrefix(de.Error(), "toml: "))
		}
		return nil, manifest.Errorf(file, 0, "invalid TOML: %v", err)
	}
	b := &tomlBuilder{file: file, data: data, lines: lines, root: newTable(0)}
	var p unstable.Parser
	p.Reset(data)
	cur := b.root
	for p.NextExpression() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e := p.Expression()
		var err error
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			cur, err = b.header(e)
		case unstable.KeyValue:
			err = b.keyValue(cur, e)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := p.Error(); err != nil {
		line := 0
		var pe *unstable.ParserError
		if errors.As(err, &pe) {
			line = b.lineOfSlice(pe.Highlight)
		}
		return nil, manifest.Errorf(file, line, "invalid TOML: %v", err)
	}
	return b.root, nil
}

type tomlBuilder struct {
	file  string
	data  []byte
	lines *manifest.LineIndex
	root  *tomlValue
}

// lineOfSlice returns the line of a subslice of data, or 0.
func (b *tomlBuilder) lineOfSlice(s []byte) int {
	off := cap(b.data) - cap(s)
	if s == nil || off < 0 || off > len(b.data) {
		return 0
	}
	return b.lines.Line(int64(off))
}

func (b *tomlBuilder) errorf(off int, format string, args ...any) error {
	return manifest.Errorf(b.file, b.lines.Line(int64(off)), format, args...)
}

type keyPart struct {
	name string
	off  int
}

func keyParts(n *unstable.Node) []keyPart {
	var parts []keyPart
	it := n.Key()
	for it.Next() {
		k := it.Node()
		parts = append(parts, keyPart{string(k.Data), int(k.Raw.Offset)})
	}
	return parts
}

// descend returns t[k] as a table to define keys in, creating it if needed;
// for an array of tables it is the last element, as TOML specifies.
func (b *tomlBuilder) descend(t *tomlValue, k keyPart) (*tomlValue, error) {
	f := t.fields[k.name]
	if f == nil {
		nt := newTable(k.off)
		t.set(k.name, k.off, nt)
		return nt, nil
	}
	v := f.val
	if v.kind == tomlArray && v.aot && len(v.elems) > 0 {
		v = v.elems[len(v.elems)-1]
	}
	if v.kind != tomlTable {
		return nil, b.errorf(k.off, "key %q is %s, not a table", k.name, v.kind)
	}
	return v, nil
}

// header opens the table of a [table] or [[array-of-tables]] header.
func (b *tomlBuilder) header(e *unstable.Node) (*tomlValue, error) {
	parts := keyParts(e)
	if len(parts) == 0 {
		return nil, manifest.Errorf(b.file, 0, "invalid TOML: empty table header")
	}
	t := b.root
	for _, k := range parts[:len(parts)-1] {
		var err error
		if t, err = b.descend(t, k); err != nil {
			return nil, err
		}
	}
	last := parts[len(parts)-1]
	if e.Kind == unstable.Table {
		return b.descend(t, last)
	}
	nt := newTable(parts[0].off)
	f := t.fields[last.name]
	switch {
	case f == nil:
		t.set(last.name, parts[0].off, &tomlValue{kind: tomlArray, off: parts[0].off, aot: true, elems: []*tomlValue{nt}})
	case f.val.kind == tomlArray && f.val.aot:
		f.val.elems = append(f.val.elems, nt)
	default:
		return nil, b.errorf(last.off, "key %q is %s, not an array of tables", last.name, f.val.kind)
	}
	return nt, nil
}

// keyValue sets a (possibly dotted) key of t.
func (b *tomlBuilder) keyValue(t *tomlValue, e *unstable.Node) error {
	parts := keyParts(e)
	if len(parts) == 0 {
		return manifest.Errorf(b.file, 0, "invalid TOML: empty key")
	}
	for _, k := range parts[:len(parts)-1] {
		var err error
		if t, err = b.descend(t, k); err != nil {
			return err
		}
	}
	last := parts[len(parts)-1]
	if t.fields[last.name] != nil {
		return b.errorf(last.off, "duplicate key %q", last.name)
	}
	v, err := b.value(e.Value(), parts[0].off)
	if err != nil {
		return err
	}
	t.set(last.name, parts[0].off, v)
	return nil
}

// value converts a value node; keyOff is used where a node has no range.
func (b *tomlBuilder) value(n *unstable.Node, keyOff int) (*tomlValue, error) {
	off := int(n.Raw.Offset)
	switch n.Kind {
	case unstable.String:
		return &tomlValue{kind: tomlString, off: off, str: string(n.Data)}, nil
	case unstable.Array:
		arr := &tomlValue{kind: tomlArray, off: keyOff}
		it := n.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			v, err := b.value(c, keyOff)
			if err != nil {
				return nil, err
			}
			if len(arr.elems) == 0 {
				arr.off = v.off
			}
			arr.elems = append(arr.elems, v)
		}
		return arr, nil
	case unstable.InlineTable:
		t := newTable(off)
		it := n.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind != unstable.KeyValue {
				continue
			}
			if err := b.keyValue(t, c); err != nil {
				return nil, err
			}
		}
		return t, nil
	case unstable.Invalid, unstable.Comment, unstable.Key, unstable.Table, unstable.ArrayTable, unstable.KeyValue:
		return nil, b.errorf(keyOff, "invalid TOML: unexpected %s node", n.Kind)
	}
	if n.Raw.Length == 0 {
		off = keyOff
	}
	return &tomlValue{kind: tomlOther, off: off}, nil
}
