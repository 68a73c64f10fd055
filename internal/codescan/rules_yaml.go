package codescan

// Lines and messages of rule-file errors, read off the YAML nodes.

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/record"
)

// setLines records the line of every rule, pattern and escalation.
func setLines(root *yaml.Node, f *ruleFile, file string) {
	for i := range f.Rules {
		f.Rules[i].file = file
	}
	seq := mapValue(docMap(root), "rules")
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	for i, rn := range seq.Content {
		if i >= len(f.Rules) {
			break
		}
		s := &f.Rules[i]
		s.line = rn.Line
		if ps := mapValue(rn, "patterns"); ps != nil && ps.Kind == yaml.SequenceNode {
			for j, pn := range ps.Content {
				if j < len(s.Patterns) {
					s.Patterns[j].line = pn.Line
				}
			}
		}
		if es := mapValue(rn, "escalate"); es != nil && es.Kind == yaml.SequenceNode {
			for j, en := range es.Content {
				if j < len(s.Escalate) {
					s.Escalate[j].line = en.Line
				}
			}
		}
	}
}

func docMap(root *yaml.Node) *yaml.Node {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	return root.Content[0]
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func keyLine(root *yaml.Node, key string) int {
	m := docMap(root)
	if m == nil {
		return 0
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return 0
}

func listLine(root *yaml.Node, key string, i int) int {
	if v := mapValue(docMap(root), key); v != nil && v.Kind == yaml.SequenceNode && i < len(v.Content) {
		return v.Content[i].Line
	}
	return 0
}

// yamlError converts a yaml error ("yaml: line 3: ...") into an InputError;
// data is the file, to name the key of a value of the wrong type.
func yamlError(file string, data []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	line := 0
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		if i := strings.Index(msg, ":"); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:])
		}
	}
	return &record.InputError{File: file, Line: line, Msg: typeMessage(msg, keyAt(data, line))}
}

// typeMessage rewrites yaml's type error ("cannot unmarshal !!str `x`
// into []string") in the words of the file ("`languages` must be a list
// of strings, not the string `x`"); other messages are kept.
func typeMessage(msg, key string) string {
	rest, ok := strings.CutPrefix(msg, "cannot unmarshal !!")
	if !ok {
		return msg
	}
	tag, rest, _ := strings.Cut(rest, " ")
	value := ""
	if strings.HasPrefix(rest, "`") {
		if v, after, ok := strings.Cut(rest[1:], "` "); ok {
			value, rest = v, after
		}
	}
	goType, ok := strings.CutPrefix(rest, "into ")
	if !ok {
		return msg
	}
	var got string
	switch tag {
	case "str":
		got = "a string"
		if value != "" {
			got = "the string `" + value + "`"
		}
	case "int", "float":
		got = "a number"
		if value != "" {
			got = "the number `" + value + "`"
		}
	case "bool":
		got = "true or false"
		if value != "" {
			got = "`" + value + "`"
		}
	case "seq":
		got = "a list"
	case "map":
		got = "a mapping"
	case "null":
		got = "nothing"
	default:
		return msg
	}
	var want string
	switch {
	case goType == "string":
		want = "a string"
	case goType == "[]string":
		want = "a list of strings"
	case goType == "bool":
		want = "true or false"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		want = "a whole number"
	case strings.HasPrefix(goType, "float"):
		want = "a number"
	case strings.HasPrefix(goType, "[]"):
		want = "a list"
	default:
		want = "a mapping"
	}
	if key == "" {
		return fmt.Sprintf("%s expected, not %s", want, got)
	}
	return fmt.Sprintf("`%s` must be %s, not %s", key, want, got)
}

// keyAt returns the mapping key written on line (1-based) of data
// ("    languages: javascript" → "languages"), or "".
func keyAt(data []byte, line int) string {
	if line <= 0 {
		return ""
	}
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	text := strings.TrimLeft(string(data), " \t")
	text = strings.TrimLeft(strings.TrimPrefix(text, "- "), " \t")
	key, _, ok := strings.Cut(text, ":")
	if !ok || key == "" || strings.ContainsFunc(key, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		return ""
	}
	return key
}
