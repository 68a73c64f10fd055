package pep508

import (
	"errors"
	"fmt"
	"strings"
)

// Requirement is one parsed dependency specifier. Every field is a substring
// of the input, as written.
type Requirement struct {
	Name   string   // the project name, not normalized
	Extras []string // names inside "[...]", in order; nil if none
	// Specifier is the version specifier with surrounding white space and
	// parentheses removed, e.g. ">=2.0,<3"; "" if none.
	Specifier string
	URL       string // the direct reference after "@"; "" if none
	Marker    string // the environment marker after ";"; "" if none
}

// IsLocal reports whether r is a direct reference to the local file system
// (a file: URL): nothing is fetched from a registry under r.Name.
func (r Requirement) IsLocal() bool {
	return len(r.URL) >= 5 && strings.EqualFold(r.URL[:5], "file:")
}

// maxMarkerDepth bounds the nesting of parentheses in a marker.
const maxMarkerDepth = 32

// ValidName reports whether s is a valid project name:
// ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$, case-insensitively.
func ValidName(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if !isNameChar(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isNameChar(c byte) bool { return isAlnum(c) || c == '.' || c == '_' || c == '-' }

func isWS(c byte) bool { return c == ' ' || c == '\t' }

// Parse parses one PEP 508 dependency specifier such as
// `requests[socks] >= 2.8.1, == 2.8.* ; python_version < "2.7"` or
// `pip @ https://github.com/pypa/pip/archive/1.3.1.zip`.
func Parse(s string) (Requirement, error) {
	p := &parser{s: s}
	return p.requirement()
}

type parser struct {
	s   string
	pos int
}

func (p *parser) skipWS() {
	for p.pos < len(p.s) && isWS(p.s[p.pos]) {
		p.pos++
	}
}

func (p *parser) eof() bool { return p.pos >= len(p.s) }

func (p *parser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.s[p.pos]
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s (at column %d)", fmt.Sprintf(format, args...), p.pos+1)
}

func (p *parser) requirement() (Requirement, error) {
	var r Requirement
	p.skipWS()
	start := p.pos
	for !p.eof() && isNameChar(p.s[p.pos]) {
		p.pos++
	}
	r.Name = p.s[start:p.pos]
	if r.Name == "" {
		if p.eof() {
			return Requirement{}, errors.New("empty requirement")
		}
		return Requirement{}, p.errorf("expected a project name, found %q", p.s[p.pos:p.pos+1])
	}
	if !ValidName(r.Name) {
		return Requirement{}, fmt.Errorf("invalid project name %q", r.Name)
	}
	p.skipWS()
	if p.peek() == '[' {
		extras, err := p.extras()
		if err != nil {
			return Requirement{}, err
		}
		r.Extras = extras
		p.skipWS()
	}
	switch c := p.peek(); {
	case c == '@':
		p.pos++
		p.skipWS()
		start := p.pos
		for !p.eof() && !isWS(p.s[p.pos]) {
			p.pos++
		}
		r.URL = p.s[start:p.pos]
		if r.URL == "" {
			return Requirement{}, p.errorf("expected a URL after '@'")
		}
		afterURL := p.pos
		p.skipWS()
		if p.eof() {
			return r, nil
		}
		if p.peek() != ';' || afterURL == p.pos {
			return Requirement{}, p.errorf("expected end of requirement or ' ;' after URL, found %q", p.s[p.pos:])
		}
	case c == '(':
		p.pos++
		spec, err := p.versionMany(')')
		if err != nil {
			return Requirement{}, err
		}
		if p.peek() != ')' {
			return Requirement{}, p.errorf("expected ')' to close the version specifier")
		}
		p.pos++
		r.Specifier = spec
	case isCmpStart(c):
		spec, err := p.versionMany(';')
		if err != nil {
			return Requirement{}, err
		}
		r.Specifier = spec
	}
	p.skipWS()
	if p.eof() {
		return r, nil
	}
	if p.peek() != ';' {
		return Requirement{}, p.errorf("unexpected %q after requirement %q", p.s[p.pos:], r.Name)
	}
	p.pos++
	r.Marker = strings.Trim(p.s[p.pos:], " \t")
	if r.Marker == "" {
		return Requirement{}, p.errorf("expected an environment marker after ';'")
	}
	if err := ValidateMarker(r.Marker); err != nil {
		return Requirement{}, fmt.Errorf("invalid environment marker %q: %w", r.Marker, err)
	}
	return r, nil
}

// extras parses "[a, b]"; p is at '['.
func (p *parser) extras() ([]string, error) {
	p.pos++
	p.skipWS()
	extras := []string{}
	if p.peek() == ']' {
		p.pos++
		return extras, nil
	}
	for {
		p.skipWS()
		start := p.pos
		for !p.eof() && isNameChar(p.s[p.pos]) {
			p.pos++
		}
		name := p.s[start:p.pos]
		if !ValidName(name) {
			if name == "" {
				return nil, p.errorf("expected an extra name")
			}
			return nil, fmt.Errorf("invalid extra name %q", name)
		}
		extras = append(extras, name)
		p.skipWS()
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return extras, nil
		default:
			return nil, p.errorf("expected ',' or ']' in extras")
		}
	}
}

func isCmpStart(c byte) bool { return c == '<' || c == '>' || c == '=' || c == '!' || c == '~' }

// cmpOps lists the comparison operators, longest first.
var cmpOps = []string{"===", "==", "!=", "<=", ">=", "~=", "<", ">"}

func isVersionChar(c byte) bool {
	return isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '*' || c == '+' || c == '!'
}

// versionMany parses version_one (',' version_one)* [','] and returns it as
// written, trimmed. It stops at end, or before stop.
func (p *parser) versionMany(stop byte) (string, error) {
	start := p.pos
	n := 0
	for {
		p.skipWS()
		if p.eof() || p.peek() == stop {
			if n == 0 {
				return "", p.errorf("expected a version specifier")
			}
			break
		}
		op := ""
		for _, o := range cmpOps {
			if strings.HasPrefix(p.s[p.pos:], o) {
				op = o
				break
			}
		}
		if op == "" {
			return "", p.errorf("expected a version comparison operator, found %q", p.s[p.pos:])
		}
		p.pos += len(op)
		p.skipWS()
		vstart := p.pos
		for !p.eof() {
			c := p.s[p.pos]
			if op == "===" {
				if isWS(c) || c == ',' || c == ';' || c == ')' {
					break
				}
			} else if !isVersionChar(c) {
				break
			}
			p.pos++
		}
		if p.pos == vstart {
			return "", p.errorf("expected a version after %q", op)
		}
		n++
		p.skipWS()
		if p.peek() != ',' {
			break
		}
		p.pos++
	}
	return strings.Trim(p.s[start:p.pos], " \t"), nil
}

// markerVars are the environment marker variables PEP 508 and its legacy
// (dotted) spellings define, plus PEP 751's extras and dependency_groups.
var markerVars = map[string]bool{
	"python_version": true, "python_full_version": true, "os_name": true,
	"sys_platform": true, "platform_release": true, "platform_system": true,
	"platform_version": true, "platform_machine": true,
	"platform_python_implementation": true, "implementation_name": true,
	"implementation_version": true, "extra": true, "extras": true,
	"dependency_groups": true,
	"os.name":           true, "sys.platform": true, "platform.version": true,
	"platform.machine": true, "platform.python_implementation": true,
	"python_implementation": true,
}

// ValidateMarker checks that m is a PEP 508 environment marker:
//
//	marker = and ("or" and)*; and = expr ("and" expr)*
//	expr   = "(" marker ")" | var op var; var = env-name | quoted-string
func ValidateMarker(m string) error {
	toks, err := tokenizeMarker(m)
	if err != nil {
		return err
	}
	mp := &markerParser{toks: toks}
	if err := mp.or(0); err != nil {
		return err
	}
	if mp.i != len(mp.toks) {
		return fmt.Errorf("unexpected %q", mp.toks[mp.i].text)
	}
	return nil
}

type tokKind int

const (
	tokLParen tokKind = iota
	tokRParen
	tokString
	tokIdent
	tokOp
)

type token struct {
	kind tokKind
	text string
}

func tokenizeMarker(m string) ([]token, error) {
	var toks []token
	for i := 0; i < len(m); {
		c := m[i]
		switch {
		case isWS(c):
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "("})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")"})
			i++
		case c == '"' || c == '\'':
			end := strings.IndexByte(m[i+1:], c)
			if end < 0 {
				return nil, errors.New("unterminated string")
			}
			toks = append(toks, token{tokString, m[i : i+end+2]})
			i += end + 2
		case isCmpStart(c):
			op := ""
			for _, o := range cmpOps {
				if strings.HasPrefix(m[i:], o) {
					op = o
					break
				}
			}
			if op == "" || op == "===" {
				return nil, fmt.Errorf("invalid operator at %q", m[i:])
			}
			toks = append(toks, token{tokOp, op})
			i += len(op)
		case c == '_' || isAlnum(c):
			j := i
			for j < len(m) && (isAlnum(m[j]) || m[j] == '_' || m[j] == '.') {
				j++
			}
			toks = append(toks, token{tokIdent, m[i:j]})
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q", m[i:i+1])
		}
	}
	return toks, nil
}

type markerParser struct {
	toks []token
	i    int
}

func (mp *markerParser) next() (token, bool) {
	if mp.i >= len(mp.toks) {
		return token{}, false
	}
	t := mp.toks[mp.i]
	mp.i++
	return t, true
}

func (mp *markerParser) isKeyword(kw string) bool {
	return mp.i < len(mp.toks) && mp.toks[mp.i].kind == tokIdent && mp.toks[mp.i].text == kw
}

func (mp *markerParser) or(depth int) error {
	if err := mp.and(depth); err != nil {
		return err
	}
	for mp.isKeyword("or") {
		mp.i++
		if err := mp.and(depth); err != nil {
			return err
		}
	}
	return nil
}

func (mp *markerParser) and(depth int) error {
	if err := mp.expr(depth); err != nil {
		return err
	}
	for mp.isKeyword("and") {
		mp.i++
		if err := mp.expr(depth); err != nil {
			return err
		}
	}
	return nil
}

func (mp *markerParser) expr(depth int) error {
	if mp.i < len(mp.toks) && mp.toks[mp.i].kind == tokLParen {
		if depth >= maxMarkerDepth {
			return errors.New("parentheses nested too deeply")
		}
		mp.i++
		if err := mp.or(depth + 1); err != nil {
			return err
		}
		if t, ok := mp.next(); !ok || t.kind != tokRParen {
			return errors.New("expected ')'")
		}
		return nil
	}
	if err := mp.variable(); err != nil {
		return err
	}
	t, ok := mp.next()
	switch {
	case !ok:
		return errors.New("expected a comparison operator")
	case t.kind == tokOp, t.kind == tokIdent && t.text == "in":
	case t.kind == tokIdent && t.text == "not":
		if !mp.isKeyword("in") {
			return errors.New(`expected "in" after "not"`)
		}
		mp.i++
	default:
		return fmt.Errorf("expected a comparison operator, found %q", t.text)
	}
	return mp.variable()
}

func (mp *markerParser) variable() error {
	t, ok := mp.next()
	switch {
	case !ok:
		return errors.New("expected a marker variable or quoted string")
	case t.kind == tokString:
		return nil
	case t.kind == tokIdent && markerVars[t.text]:
		return nil
	}
	return fmt.Errorf("expected a marker variable or quoted string, found %q", t.text)
}
