package config

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/typo"
)

// maxNodes bounds the nodes checkDocument visits, aliases expanded: a
// few aliases of aliases would otherwise make a small file a long walk.
const maxNodes = 1_000_000

// checkDocument checks the YAML document root against the Go type t (a
// struct), reading the keys it accepts from the yaml tags of its fields,
// nested structs, slices and maps included, so that a key added to any
// of them is known here without more code. It returns the first problem
// as an *record.InputError naming the key and its line, in the words of
// the file, never of Go: an unknown key (with the nearest known one as
// "did you mean"), a repeated key, a value of the wrong kind, a value
// its type refuses.
func checkDocument(file string, root *yaml.Node, t reflect.Type) error {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	c := &checker{file: file}
	return c.check(root.Content[0], t, "")
}

type checker struct {
	file  string
	nodes int
}

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	durationType        = reflect.TypeFor[time.Duration]()
)

func (c *checker) errorf(n *yaml.Node, format string, args ...any) error {
	return &record.InputError{File: c.file, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

// check checks node n, at the key path (dotted, "" at the top), against t.
func (c *checker) check(n *yaml.Node, t reflect.Type, path string) error {
	if c.nodes++; c.nodes > maxNodes {
		return c.errorf(n, "more than %d values (aliases expanded)", maxNodes)
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return c.check(n.Alias, t, path)
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // an empty value is the zero value
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return c.leaf(n, t, path)
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return c.mismatch(n, t, path)
		}
		return c.mapping(n, t, path, func(key *yaml.Node) (reflect.Type, error) {
			fields := yamlFields(t)
			if ft, ok := fields[key.Value]; ok {
				return ft, nil
			}
			return nil, c.unknown(key, path, slices.Sorted(mapsKeys(fields)))
		})
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return c.mismatch(n, t, path)
		}
		return c.mapping(n, t, path, func(key *yaml.Node) (reflect.Type, error) {
			if err := c.leaf(key, t.Key(), path); err != nil {
				return nil, err
			}
			return t.Elem(), nil
		})
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return c.mismatch(n, t, path)
		}
		for i, e := range n.Content {
			if err := c.check(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Interface:
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return c.mismatch(n, t, path)
	}
	return c.leaf(n, t, path)
}

// mapping checks the keys and values of the mapping n, of type t;
// typeOf returns the type of a key's value or the error for a key not
// accepted. What a merge key (<<) brings in is checked as part of n.
func (c *checker) mapping(n *yaml.Node, t reflect.Type, path string, typeOf func(key *yaml.Node) (reflect.Type, error)) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.Kind == yaml.AliasNode && key.Alias != nil {
			key = key.Alias
		}
		if key.Kind != yaml.ScalarNode {
			return c.errorf(key, "%s: a key must be a plain value, not %s", keyName(path), kindOf(key))
		}
		if key.Tag == "!!merge" {
			merged := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				merged = val.Content
			}
			for _, m := range merged {
				if err := c.check(m, t, path); err != nil {
					return err
				}
			}
			continue
		}
		if first, dup := seen[key.Value]; dup {
			return c.errorf(key, "key `%s` repeated (first at line %d)", join(path, key.Value), first)
		}
		seen[key.Value] = key.Line
		vt, err := typeOf(key)
		if err != nil {
			return err
		}
		if err := c.check(val, vt, join(path, key.Value)); err != nil {
			return err
		}
	}
	return nil
}

// leaf decodes n into a new t, turning yaml's error into one naming the
// key.
func (c *checker) leaf(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	err := n.Decode(reflect.New(t).Interface())
	if err == nil {
		return nil
	}
	if _, ok := err.(*yaml.TypeError); ok {
		return c.mismatch(n, t, path)
	}
	return c.errorf(n, "%s: %s", keyName(path), strings.TrimPrefix(err.Error(), "yaml: "))
}

func (c *checker) mismatch(n *yaml.Node, t reflect.Type, path string) error {
	return c.errorf(n, "%s must be %s, not %s", keyName(path), describe(t), kindOf(n))
}

// unknown is the error for key, not one of known, in the mapping at path.
func (c *checker) unknown(key *yaml.Node, path string, known []string) error {
	where := ""
	if path != "" {
		where = " in `" + path + "`"
	}
	if s := suggest(key.Value, known); s != "" {
		return c.errorf(key, "unknown key `%s`%s (did you mean `%s`?)", key.Value, where, s)
	}
	return c.errorf(key, "unknown key `%s`%s (valid keys: %s)", key.Value, where, strings.Join(known, ", "))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func keyName(path string) string {
	if path == "" {
		return "the document"
	}
	return "`" + path + "`"
}

// yamlFields maps the yaml keys of struct t to their types, following
// ",inline" fields; fields tagged "-" and unexported fields are not keys.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if slices.Contains(strings.Split(opts, ","), "inline") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range yamlFields(ft) {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name) // yaml.v3's default key
		}
		out[name] = f.Type
	}
	return out
}

func mapsKeys(m map[string]reflect.Type) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// describe names what a value of t is written as, in YAML words.
func describe(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == durationType {
		return "a duration such as 30s or 5m"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list of " + plural(describe(t.Elem()))
	case reflect.Map:
		return "a mapping of " + plural(describe(t.Key())) + " to " + plural(describe(t.Elem()))
	case reflect.Struct:
		return "a mapping"
	}
	return "a value"
}

// plural turns what describe says into its plural: "a string" into
// "strings", "a list of strings" into "lists of strings".
func plural(d string) string {
	switch {
	case d == "true or false":
		return "booleans"
	case strings.HasPrefix(d, "a list of "), strings.HasPrefix(d, "a mapping of "):
		head, rest, _ := strings.Cut(strings.TrimPrefix(d, "a "), " ")
		return head + "s " + rest
	case strings.HasPrefix(d, "a duration"):
		return "durations"
	}
	return strings.TrimPrefix(strings.TrimPrefix(d, "a "), "an ") + "s"
}

// kindOf names what the YAML node n is.
func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		kind := map[string]string{"!!int": "the number", "!!float": "the number", "!!bool": "the boolean", "!!timestamp": "the date"}[n.ShortTag()]
		if kind == "" {
			kind = "the string"
		}
		return fmt.Sprintf("%s `%s`", kind, v)
	}
	return "a value"
}

// suggest returns the known key nearest to key (case, '_' for '-' and
// small typos forgiven), or "".
func suggest(key string, known []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
	best, bestD := "", 0
	for _, k := range known {
		d := typo.Distance(norm(key), norm(k))
		limit := max(1, min(len(k), len(key))/3)
		if strings.HasPrefix(norm(k), norm(key)) || strings.HasPrefix(norm(key), norm(k)) {
			d = min(d, 1)
		}
		if d <= limit && (best == "" || d < bestD) {
			best, bestD = k, d
		}
	}
	return best
}
