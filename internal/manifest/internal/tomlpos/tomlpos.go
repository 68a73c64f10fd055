package tomlpos

import (
	"context"
	"errors"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/pkgward/pkgward/internal/manifest"
)

// Kind is the type of a Value.
type Kind int

// The kinds of Values. Other stands for every scalar but strings: numbers,
// booleans and dates, whose text parsers here never need.
const (
	Table Kind = iota
	Array
	String
	Other
)

// String returns the kind with its article ("a table"), for messages.
func (k Kind) String() string {
	switch k {
	case Table:
		return "a table"
	case Array:
		return "an array"
	case String:
		return "a string"
	case Other:
		return "a scalar"
	}
	return "kind(?)"
}

// Value is one node of a document read by Parse. It must not be modified.
type Value struct {
	Kind Kind
	// Offset is the byte offset where the value starts. A table defined
	// by a header starts at the header's first key, an implicit table at
	// the key that creates it, an inline table at its '{'; an array starts
	// at its first element, or at its key when it is empty.
	Offset int
	// Str is the decoded text of a String.
	Str string
	// Keys lists the keys of a Table in document order.
	Keys []string
	// Elems are the elements of an Array.
	Elems []*Value

	fields map[string]*Field // Table
	aot    bool              // Array: an array of tables ([[...]])
}

// Field is one key of a table, with where the key is written (for a dotted
// key, where its first part is).
type Field struct {
	KeyOffset int
	Value     *Value
}

// Field returns v[key], or nil if v is nil, not a table, or has no such
// key.
func (v *Value) Field(key string) *Field {
	if v == nil || v.Kind != Table {
		return nil
	}
	return v.fields[key]
}

func newTable(off int) *Value {
	return &Value{Kind: Table, Offset: off, fields: map[string]*Field{}}
}

func (v *Value) set(key string, keyOff int, val *Value) {
	v.Keys = append(v.Keys, key)
	v.fields[key] = &Field{KeyOffset: keyOff, Value: val}
}

// Validate decodes data with go-toml, which rejects syntax errors,
// duplicate keys and redefined tables, and returns the error, if any, as
// an input error naming file.
func Validate(file string, data []byte) error {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return Error(file, data, err)
	}
	return nil
}

// Error converts an error of go-toml's decoder or unstable parser on data
// into a *record.InputError naming file and the line go-toml located (0
// when it located none).
func Error(file string, data []byte, err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return manifest.Errorf(file, row, "invalid TOML: %s", strings.TrimPrefix(de.Error(), "toml: "))
	}
	line := 0
	var pe *unstable.ParserError
	if errors.As(err, &pe) {
		if off := cap(data) - cap(pe.Highlight); pe.Highlight != nil && off >= 0 && off <= len(data) {
			line = manifest.NewLineIndex(data).Line(int64(off))
		}
	}
	return manifest.Errorf(file, line, "invalid TOML: %v", err)
}

// Walk validates data (see Validate), then calls fn with each top-level
// expression of the document in order: tables and arrays of tables
// (unstable.Table, unstable.ArrayTable) and key/value pairs
// (unstable.KeyValue). A node is valid only during its call. Walk checks
// ctx before each expression and returns ctx.Err() unwrapped; it returns
// fn's errors as they are.
func Walk(ctx context.Context, file string, data []byte, fn func(expr *unstable.Node) error) error {
	if err := Validate(file, data); err != nil {
		return err
	}
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(p.Expression()); err != nil {
			return err
		}
	}
	if err := p.Error(); err != nil {
		return Error(file, data, err)
	}
	return nil
}

// KeyPart is one part of a (possibly dotted) key.
type KeyPart struct {
	Name   string // decoded
	Offset int    // byte offset of the part as written
}

// KeyParts returns the parts of a key, from the iterator of a table
// header's or key/value's Key method.
func KeyParts(it unstable.Iterator) []KeyPart {
	var parts []KeyPart
	for it.Next() {
		k := it.Node()
		parts = append(parts, KeyPart{string(k.Data), int(k.Raw.Offset)})
	}
	return parts
}

// Parse reads data into a tree whose root is a Table; lines must index
// data. It checks ctx before each top-level expression and returns
// ctx.Err() unwrapped.
func Parse(ctx context.Context, file string, data []byte, lines *manifest.LineIndex) (*Value, error) {
	b := &builder{file: file, lines: lines, root: newTable(0)}
	cur := b.root
	err := Walk(ctx, file, data, func(e *unstable.Node) error {
		var err error
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			cur, err = b.header(e)
		case unstable.KeyValue:
			err = b.keyValue(cur, e)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return b.root, nil
}

type builder struct {
	file  string
	lines *manifest.LineIndex
	root  *Value
}

func (b *builder) errorf(off int, format string, args ...any) error {
	return manifest.Errorf(b.file, b.lines.Line(int64(off)), format, args...)
}

// descend returns t[k] as a table to define keys in, creating it if needed;
// for an array of tables it is the last element, as TOML specifies.
func (b *builder) descend(t *Value, k KeyPart) (*Value, error) {
	f := t.fields[k.Name]
	if f == nil {
		nt := newTable(k.Offset)
		t.set(k.Name, k.Offset, nt)
		return nt, nil
	}
	v := f.Value
	if v.Kind == Array && v.aot && len(v.Elems) > 0 {
		v = v.Elems[len(v.Elems)-1]
	}
	if v.Kind != Table {
		return nil, b.errorf(k.Offset, "key %q is %s, not a table", k.Name, v.Kind)
	}
	return v, nil
}

// header opens the table of a [table] or [[array-of-tables]] header.
func (b *builder) header(e *unstable.Node) (*Value, error) {
	parts := KeyParts(e.Key())
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
	nt := newTable(parts[0].Offset)
	f := t.fields[last.Name]
	switch {
	case f == nil:
		t.set(last.Name, parts[0].Offset, &Value{Kind: Array, Offset: parts[0].Offset, aot: true, Elems: []*Value{nt}})
	case f.Value.Kind == Array && f.Value.aot:
		f.Value.Elems = append(f.Value.Elems, nt)
	default:
		return nil, b.errorf(last.Offset, "key %q is %s, not an array of tables", last.Name, f.Value.Kind)
	}
	return nt, nil
}

// keyValue sets a (possibly dotted) key of t.
func (b *builder) keyValue(t *Value, e *unstable.Node) error {
	parts := KeyParts(e.Key())
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
	if t.fields[last.Name] != nil {
		return b.errorf(last.Offset, "duplicate key %q", last.Name)
	}
	v, err := b.value(e.Value(), parts[0].Offset)
	if err != nil {
		return err
	}
	t.set(last.Name, parts[0].Offset, v)
	return nil
}

// value converts a value node; keyOff is used where a node has no range.
func (b *builder) value(n *unstable.Node, keyOff int) (*Value, error) {
	off := int(n.Raw.Offset)
	switch n.Kind {
	case unstable.String:
		return &Value{Kind: String, Offset: off, Str: string(n.Data)}, nil
	case unstable.Array:
		arr := &Value{Kind: Array, Offset: keyOff}
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
			if len(arr.Elems) == 0 {
				arr.Offset = v.Offset
			}
			arr.Elems = append(arr.Elems, v)
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
	return &Value{Kind: Other, Offset: off}, nil
}
