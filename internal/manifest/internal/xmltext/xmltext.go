package xmltext

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/manifest"
)

// Decoder is a strict encoding/xml decoder over one file.
type Decoder struct {
	*xml.Decoder
	file string
	text []byte // the UTF-8 text being decoded
}

// NewDecoder returns a decoder for data, the contents of file. A UTF-16
// file that cannot be transcoded is an input error at line 1.
func NewDecoder(file string, data []byte) (*Decoder, error) {
	text, err := toUTF8(data)
	if err != nil {
		return nil, manifest.Errorf(file, 1, "%v", err)
	}
	dec := xml.NewDecoder(bytes.NewReader(text))
	dec.Strict = true
	dec.CharsetReader = charsetReader
	return &Decoder{Decoder: dec, file: file, text: text}, nil
}

// InputError converts an error of d's Token method, which knows its line
// when it is a syntax error, into an input error; line is the fallback
// (the position before the failed token).
func (d *Decoder) InputError(line int, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
	}
	// At the end of input the decoder counts the final newline: name the
	// last line that exists.
	last := bytes.Count(d.text, []byte{'\n'})
	if !bytes.HasSuffix(d.text, []byte{'\n'}) {
		last++
	}
	line = max(min(line, last), 1)
	if se != nil {
		return manifest.Errorf(d.file, line, "invalid XML: %s", se.Msg)
	}
	return manifest.Errorf(d.file, line, "invalid XML: %v", err)
}

// Document describes the files of one XML format for Walk.
type Document struct {
	Root     string // the root element's name as documented ("Project"), matched in any case (sameName)
	Files    string // the files as messages name them ("project files", "nuget.config")
	MaxDepth int    // the deepest element nesting accepted
}

// Walk reads d to its end, calling fn with every token but directives, the
// line the token starts on, and its depth: for a start or end element, the
// element's own (1 for the root element); for any other token, the number
// of elements open around it. Before fn sees a start element, Walk checks
// that the document has a single root element named doc.Root and nests no
// deeper than doc.MaxDepth. Walk checks ctx before each token and returns
// ctx.Err() unwrapped, and fn's errors as they are; every other error is an
// input error: a syntax error (see InputError), a directive (DOCTYPE,
// ENTITY: strict mode would not expand its entities anyway), a root
// element of another name or a second one, nesting deeper than
// doc.MaxDepth, or no root element at all (at line 1).
func (d *Decoder) Walk(ctx context.Context, doc Document, fn func(tok xml.Token, line, depth int) error) error {
	depth, rootSeen := 0, false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, _ := d.InputPos() // the start of the next token
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return d.InputError(line, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return manifest.Errorf(d.file, line, "XML directives (DOCTYPE, ENTITY) are not allowed in %s", doc.Files)
		case xml.StartElement:
			if depth == 0 {
				if rootSeen {
					return manifest.Errorf(d.file, line, "second root element <%s>", t.Name.Local)
				}
				rootSeen = true
				if !sameName(t.Name.Local, doc.Root) {
					return manifest.Errorf(d.file, line, "root element is <%s>, want <%s>", t.Name.Local, doc.Root)
				}
			}
			if depth >= doc.MaxDepth {
				return manifest.Errorf(d.file, line, "elements nested deeper than %d", doc.MaxDepth)
			}
			depth++
			err = fn(t, line, depth)
		case xml.EndElement:
			err = fn(t, line, depth)
			depth--
		default:
			err = fn(tok, line, depth)
		}
		if err != nil {
			return err
		}
	}
	if !rootSeen {
		return manifest.Errorf(d.file, 1, "no <%s> element", doc.Root)
	}
	return nil
}

// sameName reports whether the element name local is name in any case:
// equal under Unicode case folding or once lower-cased, which differ only
// on rare letters (ſ folds to s, İ lower-cases to i).
func sameName(local, name string) bool {
	return strings.EqualFold(local, name) || strings.ToLower(local) == strings.ToLower(name)
}

// toUTF8 returns data as UTF-8: files saved by Visual Studio may be UTF-16
// with a byte order mark. Transcoding keeps every newline, so lines of the
// result are lines of the file. A UTF-8 byte order mark is left in place;
// encoding/xml reads it as text before the root element.
func toUTF8(data []byte) ([]byte, error) {
	var big bool
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		big = true
	default:
		return data, nil
	}
	body := data[2:]
	if len(body)%2 != 0 {
		return nil, fmt.Errorf("UTF-16 text with an odd number of bytes")
	}
	units := make([]uint16, len(body)/2)
	for i := range units {
		a, b := uint16(body[2*i]), uint16(body[2*i+1])
		if big {
			units[i] = a<<8 | b
		} else {
			units[i] = b<<8 | a
		}
	}
	return []byte(string(utf16.Decode(units))), nil
}

// charsetReader serves encoding/xml for the encodings a declaration may
// name besides UTF-8: UTF-16 (already transcoded by toUTF8 when it was
// real) and the ASCII-compatible single-byte encodings, read as Latin-1.
// Any other encoding is refused rather than misread.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf-16le", "utf-16be", "unicode":
		// Either transcoded already, or declared UTF-16 but stored
		// without a byte order mark, which in practice means an editor
		// re-saved the file as UTF-8 and kept the declaration.
		return r, nil
	case "us-ascii", "ascii", "iso-8859-1", "iso_8859-1", "latin1", "l1", "windows-1252", "cp1252":
		return &latin1Reader{r: bufio.NewReader(r)}, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// latin1Reader decodes ISO-8859-1 to UTF-8.
type latin1Reader struct {
	r       *bufio.Reader
	pending []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(l.pending) > 0 {
			c := copy(p[n:], l.pending)
			l.pending = l.pending[c:]
			n += c
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if b < utf8.RuneSelf {
			p[n] = b
			n++
			continue
		}
		l.pending = utf8.AppendRune(l.pending[:0], rune(b))
	}
	return n, nil
}
