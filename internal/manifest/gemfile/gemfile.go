package gemfile

import (
	"context"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// Name identifies the parser.
const Name = "rubygems/Gemfile"

type parser struct{}

// New returns the Gemfile parser.
func New() manifest.Parser { return parser{} }

func (parser) Name() string                   { return Name }
func (parser) Ecosystem() ecosystem.Ecosystem { return ecosystem.RubyGems }

// Matches reports whether path names a Gemfile or gems.rb.
func (parser) Matches(p string) bool {
	switch path.Base(p) {
	case "Gemfile", "gems.rb":
		return true
	}
	return false
}

// scanner reads one Gemfile.
type scanner struct {
	file  string
	data  string
	lines *manifest.LineIndex
}

func (s *scanner) errorf(off int, format string, args ...any) error {
	return manifest.Errorf(s.file, s.lines.Line(int64(off)), format, args...)
}

// Parse returns the gems the Gemfile declares, in file order.
func (parser) Parse(ctx context.Context, in manifest.Input) ([]manifest.Dependency, error) {
	s := &scanner{file: in.Path, data: string(in.Data), lines: manifest.NewLineIndex(in.Data)}
	var deps []manifest.Dependency
	var heredocs []heredoc // opened on the current line, read after it
	blockComment := -1     // offset of an open =begin, or -1
	for off := 0; off < len(s.data); {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := off
		end := strings.IndexByte(s.data[off:], '\n')
		if end < 0 {
			end = len(s.data)
		} else {
			end += off
		}
		off = end + 1
		line := strings.TrimSuffix(s.data[start:end], "\r")

		if len(heredocs) > 0 {
			if strings.TrimSpace(line) == heredocs[0].id {
				heredocs = heredocs[1:]
			}
			continue
		}
		if blockComment >= 0 {
			if isEmbeddedDoc(line, "=end") {
				blockComment = -1
			}
			continue
		}
		if isEmbeddedDoc(line, "=begin") {
			blockComment = start
			continue
		}
		if line == "__END__" {
			break // the rest is data
		}

		if at, ok := gemCall(line); ok {
			d, err := s.gem(start + at)
			if err != nil {
				return nil, err
			}
			if d != nil {
				d.File = in.Path
				deps = append(deps, *d)
			}
		}
		heredocs = findHeredocs(line, start)
	}
	if len(heredocs) > 0 {
		return nil, s.errorf(heredocs[0].off, "heredoc %s is never terminated", heredocs[0].id)
	}
	if blockComment >= 0 {
		return nil, s.errorf(blockComment, "=begin comment is never closed with =end")
	}
	return deps, nil
}

// isEmbeddedDoc reports whether line is a =begin or =end marker, which
// Ruby recognises only at the start of a line.
func isEmbeddedDoc(line, marker string) bool {
	rest, ok := strings.CutPrefix(line, marker)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// gemCall reports whether line starts a call of gem, returning the offset
// of its arguments in line.
func gemCall(line string) (int, bool) {
	trimmed := strings.TrimLeft(line, " \t")
	rest, ok := strings.CutPrefix(trimmed, "gem")
	if !ok || rest == "" {
		return 0, false
	}
	switch rest[0] {
	case ' ', '\t', '(', '"', '\'':
		return len(line) - len(rest), true
	}
	return 0, false
}

// gem reads the arguments of a gem call starting at off. It returns nil
// when the name is not a string literal.
func (s *scanner) gem(off int) (*manifest.Dependency, error) {
	decl := off
	i := s.skipSpace(off, false)
	if i < len(s.data) && s.data[i] == '(' {
		i = s.skipSpace(i+1, true)
	}
	name, i, known, err := s.literal(i)
	if err != nil {
		return nil, err
	}
	if !known || !s.endsArgument(i) {
		// A variable, "name" + x, "name".freeze...: not the literal.
		return nil, s.checkStrings(i)
	}
	if name == "" || strings.ContainsAny(name, " \t\r\n\v\f") {
		return nil, s.errorf(decl, "invalid gem name %q", name)
	}

	var versions []string
	for {
		i = s.skipSpace(i, false)
		if i >= len(s.data) || s.data[i] != ',' {
			break
		}
		i = s.skipSpace(i+1, true)
		v, next, known, err := s.literal(i)
		if err != nil {
			return nil, err
		}
		if !known || !s.endsArgument(next) {
			break // a keyword argument or an expression: no more versions
		}
		versions = append(versions, v)
		i = next
	}
	if err := s.checkStrings(i); err != nil {
		return nil, err
	}
	return &manifest.Dependency{
		Ecosystem: ecosystem.RubyGems,
		Name:      name,
		Version:   strings.Join(versions, ", "),
		Line:      s.lines.Line(int64(decl)),
	}, nil
}

// checkStrings checks that the string literals from i to the end of the
// line, outside a comment, are terminated.
func (s *scanner) checkStrings(i int) error {
	for i < len(s.data) {
		switch s.data[i] {
		case '\n', '#':
			return nil
		case '"', '\'':
			end, _, ok := s.skipString(i)
			if !ok {
				return s.errorf(i, "unterminated string")
			}
			i = end
			continue
		}
		i++
	}
	return nil
}

// skipSpace skips blanks from i and, if newlines is set (after a comma or
// an open parenthesis, where Ruby continues the call), comments and line
// breaks too.
func (s *scanner) skipSpace(i int, newlines bool) int {
	for i < len(s.data) {
		switch c := s.data[i]; {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case newlines && c == '\n':
			i++
		case newlines && c == '#':
			nl := strings.IndexByte(s.data[i:], '\n')
			if nl < 0 {
				return len(s.data)
			}
			i += nl
		case c == '\\' && i+1 < len(s.data) && s.data[i+1] == '\n':
			i += 2 // an explicit line continuation
		default:
			return i
		}
	}
	return i
}

// endsArgument reports whether the argument that ended before i is
// complete: what follows is a separator, the end of the call, a comment
// or a statement modifier, not an operator or method call on it. A string
// followed by => or : is a hash key, not an argument.
func (s *scanner) endsArgument(i int) bool {
	i = s.skipSpace(i, false)
	if i >= len(s.data) {
		return true
	}
	switch s.data[i] {
	case ',', ')', '\n', '#', ';':
		return true
	}
	word := s.data[i:]
	for _, kw := range []string{"if", "unless", "and", "or"} {
		if rest, ok := strings.CutPrefix(word, kw); ok && (rest == "" || !isIdent(rest[0])) {
			return true
		}
	}
	return false
}

func isIdent(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80
}

// literal reads a string literal at i. known is false when there is none
// or its value depends on interpolation or escapes; err is set when the
// string is not terminated on its line.
func (s *scanner) literal(i int) (value string, next int, known bool, err error) {
	if i >= len(s.data) || (s.data[i] != '"' && s.data[i] != '\'') {
		return "", i, false, nil
	}
	end, plain, ok := s.skipString(i)
	if !ok {
		return "", i, false, s.errorf(i, "unterminated string")
	}
	raw := s.data[i+1 : end-1]
	if s.data[i] == '\'' {
		// Single quotes know two escapes, \\ and \'.
		if strings.Contains(raw, `\`) {
			raw = strings.NewReplacer(`\\`, `\`, `\'`, `'`).Replace(raw)
		}
		return raw, end, true, nil
	}
	return raw, end, plain, nil
}

// skipString skips the string literal starting with the quote at i and
// returns the offset after its closing quote. plain is false when a double
// quoted string holds escapes or interpolation. ok is false when the
// string does not end on its line.
func (s *scanner) skipString(i int) (end int, plain, ok bool) {
	q := s.data[i]
	plain = true
	for j := i + 1; j < len(s.data); j++ {
		switch c := s.data[j]; {
		case c == '\n':
			return 0, false, false
		case c == q:
			return j + 1, plain, true
		case c == '\\':
			if q == '"' {
				plain = false
			}
			j++ // the escaped character, even a quote
			if j < len(s.data) && s.data[j] == '\n' {
				return 0, false, false
			}
		case q == '"' && c == '#' && j+1 < len(s.data):
			switch s.data[j+1] {
			case '@', '$':
				plain = false
			case '{':
				plain = false
				k, ok := s.skipCode(j + 2)
				if !ok {
					return 0, false, false
				}
				j = k - 1
			}
		}
	}
	return 0, false, false
}

// skipCode skips the code of an interpolation up to and including its
// closing brace, minding nested braces and strings, on one line.
func (s *scanner) skipCode(i int) (int, bool) {
	depth := 1
	for i < len(s.data) {
		switch s.data[i] {
		case '\n':
			return 0, false
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '"', '\'':
			end, _, ok := s.skipString(i)
			if !ok {
				return 0, false
			}
			i = end
			continue
		}
		i++
	}
	return 0, false
}

// heredoc is a here document opened on a line: the lines after it, up to
// its terminator, are not code.
type heredoc struct {
	id  string
	off int
}

// findHeredocs returns the heredocs a line opens (<<~ID, <<-ID, <<ID,
// <<~'ID', <<~"ID"), ignoring quoted strings and comments. As in Ruby, <<
// after an operand (a literal, a closing bracket) is an operator; a plain
// <<ID counts only with an upper-case identifier, as `x <<y` is usually an
// append.
func findHeredocs(line string, lineOff int) []heredoc {
	var docs []heredoc
	var prev byte // the last non-blank byte before i
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == ' ' || c == '\t' {
			continue
		}
		last := prev
		prev = c
		switch c {
		case '#':
			return docs
		case '"', '\'', '`':
			// Skip the string; an unterminated one ends the scan.
			j := i + 1
			for j < len(line) && line[j] != c {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(line) {
				return docs
			}
			i = j
		case '<':
			if !strings.HasPrefix(line[i:], "<<") {
				continue
			}
			prev = '<'
			if strings.IndexByte(")]}\"'`0123456789", last) >= 0 {
				i++ // an append or shift operator
				continue
			}
			j := i + 2
			squiggly := j < len(line) && (line[j] == '~' || line[j] == '-')
			if squiggly {
				j++
			}
			if j >= len(line) {
				return docs
			}
			var id string
			switch q := line[j]; {
			case q == '"' || q == '\'' || q == '`':
				k := strings.IndexByte(line[j+1:], q)
				if k < 0 {
					return docs
				}
				id = line[j+1 : j+1+k]
				j += k + 2
			case squiggly && (q == '_' || 'A' <= q && q <= 'Z' || 'a' <= q && q <= 'z'),
				!squiggly && (q == '_' || 'A' <= q && q <= 'Z'):
				k := j
				for k < len(line) && isIdent(line[k]) {
					k++
				}
				id = line[j:k]
				j = k
			default:
				i = j - 1
				continue
			}
			if id != "" {
				docs = append(docs, heredoc{id: id, off: lineOff + i})
			}
			i = j - 1
		}
	}
	return docs
}
