package cli

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pkgward/pkgward/internal/manifest"
)

// lockfileSpec is one scan --lockfile [TYPE:]PATH: the file and the
// parser forced on it.
type lockfileSpec struct {
	path   string
	parser manifest.Parser
}

// parseLockfileSpec resolves v against parsers (the registration table).
// TYPE is a parser's name ("pypi/requirements.txt"), case-insensitive, or
// its part after the slash ("requirements.txt") when no other parser's
// name ends in it;
// without it the parser is the one whose file-name pattern matches PATH
// or its base name. A value that names an existing file is a PATH even if
// it holds a colon.
func parseLockfileSpec(v string, parsers []manifest.Parser) (lockfileSpec, error) {
	if v == "" {
		return lockfileSpec{}, usageError{errors.New("--lockfile: empty value; want [TYPE:]PATH")}
	}
	typ, file, hasType := strings.Cut(v, ":")
	if hasType {
		if _, err := os.Stat(v); err == nil {
			hasType = false
		}
	}
	if !hasType {
		file = v
		slash := filepath.ToSlash(file)
		for _, p := range parsers {
			if p.Matches(slash) || p.Matches(path.Base(slash)) {
				return lockfileSpec{file, p}, nil
			}
		}
		return lockfileSpec{}, usageError{fmt.Errorf("--lockfile %s: cannot tell the file type from its name; give TYPE:PATH, TYPE one of %s", v, parserNames(parsers))}
	}
	if file == "" {
		return lockfileSpec{}, usageError{fmt.Errorf("--lockfile %s: no PATH after the type", v)}
	}
	for _, p := range parsers {
		if strings.EqualFold(p.Name(), typ) {
			return lockfileSpec{file, p}, nil
		}
	}
	// The file-name part alone ("requirements.txt" for
	// "pypi/requirements.txt") when only one parser has it.
	var short []manifest.Parser
	for _, p := range parsers {
		if _, base, ok := strings.Cut(p.Name(), "/"); ok && strings.EqualFold(base, typ) {
			short = append(short, p)
		}
	}
	if len(short) == 1 {
		return lockfileSpec{file, short[0]}, nil
	}
	return lockfileSpec{}, usageError{fmt.Errorf("--lockfile: unknown type %q; valid types: %s", typ, parserNames(parsers))}
}

func parserNames(parsers []manifest.Parser) string {
	names := make([]string, len(parsers))
	for i, p := range parsers {
		names[i] = p.Name()
	}
	return strings.Join(names, ", ")
}
