package yarnlock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/manifest"
)

// v1Entry is the yarn v1 entry being read.
type v1Entry struct {
	line        int      // line of the header
	names       []string // distinct package names of the header's specs
	version     string
	haveVersion bool
	fieldIndent int  // indentation of the entry's fields, once seen
	inSection   bool // the last field opened a nested section ("dependencies:")
}

// parseV1 reads the yarn v1 format: unindented header lines listing specs,
// each followed by indented fields; sections such as "dependencies:" nest
// one level deeper and are skipped.
func parseV1(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	var (
		deps []manifest.Dependency
		cur  *v1Entry
	)
	flush := func() {
		if cur != nil {
			for _, n := range cur.names {
				deps = append(deps, dependency(in, n, cur.version, cur.line))
			}
		}
		cur = nil
	}
	data := bytes.TrimPrefix(in.Data, []byte("\xef\xbb\xbf"))
	for lineNo := 1; len(data) > 0; lineNo++ {
		if lineNo%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			raw, data = data, nil
		}
		line := strings.TrimRight(string(raw), " \t\r")
		body := strings.TrimLeft(line, " \t")
		if body == "" || body[0] == '#' {
			continue
		}
		indent := len(line) - len(body)
		if indent == 0 {
			flush()
			names, err := parseHeader(body)
			if err != nil {
				return nil, manifest.Errorf(in.Path, lineNo, "%v", err)
			}
			cur = &v1Entry{line: lineNo, names: names}
			continue
		}
		if cur == nil {
			return nil, manifest.Errorf(in.Path, lineNo, "indented line outside an entry")
		}
		if cur.fieldIndent == 0 {
			cur.fieldIndent = indent
		}
		switch {
		case indent < cur.fieldIndent:
			return nil, manifest.Errorf(in.Path, lineNo, "inconsistent indentation")
		case indent > cur.fieldIndent:
			if !cur.inSection {
				return nil, manifest.Errorf(in.Path, lineNo, "unexpected indentation")
			}
			continue // a member of a nested section
		}
		key, value, section, err := parseField(body)
		if err != nil {
			return nil, manifest.Errorf(in.Path, lineNo, "%v", err)
		}
		cur.inSection = section
		if key == "version" && !section {
			if cur.haveVersion {
				return nil, manifest.Errorf(in.Path, lineNo, "duplicate version field")
			}
			cur.version, cur.haveVersion = value, true
		}
	}
	flush()
	return deps, nil
}

// parseHeader parses an entry header, `spec, "spec", ...:`, into the
// distinct names of the packages its specs install.
func parseHeader(h string) ([]string, error) {
	specs, ok := strings.CutSuffix(h, ":")
	if !ok {
		return nil, fmt.Errorf("entry header %q does not end with ':'", h)
	}
	var names []string
	for rest := specs; ; {
		rest = strings.TrimLeft(rest, " \t")
		var spec string
		if strings.HasPrefix(rest, `"`) {
			s, n, err := unquote(rest)
			if err != nil {
				return nil, fmt.Errorf("entry header: %v", err)
			}
			spec, rest = s, rest[n:]
		} else {
			i := strings.IndexByte(rest, ',')
			if i < 0 {
				i = len(rest)
			}
			spec, rest = strings.TrimSpace(rest[:i]), rest[i:]
		}
		name, rng := splitDescriptor(spec)
		if alias, _, ok := aliasTarget(rng); ok {
			name = alias
		}
		if !validName(name) {
			return nil, fmt.Errorf("entry header: invalid package spec %q", spec)
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			return names, nil
		}
		if rest[0] != ',' {
			return nil, fmt.Errorf("entry header: unexpected %q after spec %q", rest, spec)
		}
		rest = rest[1:]
	}
}

// parseField parses an entry field: `key value`, `key "value"` or a section
// opener `key:`.
func parseField(body string) (key, value string, section bool, err error) {
	rest := body
	if strings.HasPrefix(body, `"`) {
		s, n, err := unquote(body)
		if err != nil {
			return "", "", false, err
		}
		key, rest = s, body[n:]
		if rest == ":" {
			return key, "", true, nil
		}
	} else {
		i := strings.IndexAny(body, " \t")
		if i < 0 {
			if k, ok := strings.CutSuffix(body, ":"); ok && k != "" {
				return k, "", true, nil
			}
			return "", "", false, fmt.Errorf("field %q has no value", body)
		}
		key, rest = body[:i], body[i:]
	}
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || rest[0] == ':' {
		return "", "", false, fmt.Errorf("malformed field %q", body)
	}
	if rest[0] == '"' {
		s, n, err := unquote(rest)
		if err != nil {
			return "", "", false, err
		}
		if n != len(rest) {
			return "", "", false, fmt.Errorf("unexpected %q after field value", rest[n:])
		}
		return key, s, false, nil
	}
	return key, rest, false, nil
}

// unquote decodes the double-quoted string s starts with (yarn quotes with
// JSON.stringify) and returns it and the number of bytes it spans.
func unquote(s string) (string, int, error) {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			var out string
			if err := json.Unmarshal([]byte(s[:i+1]), &out); err != nil {
				return "", 0, fmt.Errorf("invalid quoted string %s", s[:i+1])
			}
			return out, i + 1, nil
		}
	}
	return "", 0, fmt.Errorf("unterminated quoted string %s", s)
}
