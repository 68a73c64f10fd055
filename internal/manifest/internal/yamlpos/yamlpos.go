package yamlpos

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/manifest"
)

// Decode parses data, the contents of file, and returns the top-level node
// of its first document, or nil when data holds no document (it is empty or
// only comments). A syntax error, and a panic inside yaml.v3, is a
// *record.InputError naming file at ErrorLine's line (0 for a panic), its
// message starting "invalid YAML: ".
func Decode(file string, data []byte) (node *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			node, err = nil, manifest.Errorf(file, 0, "invalid YAML: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, manifest.Errorf(file, ErrorLine(err), "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// ErrorLine returns the 1-based line of a yaml.v3 parse error, or 0 when
// the error names none (reader errors such as invalid UTF-8, or nil).
func ErrorLine(err error) int {
	if err == nil {
		return 0
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if j := strings.IndexByte(rest, ':'); j > 0 {
			if n, err := strconv.Atoi(rest[:j]); err == nil && n > 0 {
				line, msg = n, strings.TrimSpace(rest[j+1:])
			}
		}
	}
	hasPrefix := func(p string) bool { return strings.HasPrefix(msg, p) }
	switch {
	case slices.ContainsFunc(parserProblems, hasPrefix):
		return line + 1
	case line == 0 && slices.ContainsFunc(scannerPrefixes, hasPrefix):
		return 1
	}
	return line
}

// parserProblems are the problems yaml.v3's parser (parserc.go) reports;
// none is also a scanner problem.
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// scannerPrefixes start the problems of yaml.v3's scanner (scannerc.go),
// which always carry a position.
var scannerPrefixes = []string{"found ", "did not find ", "could not find ", "mapping ", "block sequence ", "exceeded max depth"}
