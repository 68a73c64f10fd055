package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field names the part of a package record a piece of evidence came from.
type Field string

// Fields read by the analyzer.
const (
	FieldName        Field = "name"
	FieldDescription Field = "description"
	FieldReadme      Field = "readme"
	FieldKeywords    Field = "keywords"
	FieldHomepage    Field = "homepage"
	FieldRepository  Field = "repository"
)

// LinkKind says how a link was written.
type LinkKind uint8

// Kinds of links.
const (
	KindInline   LinkKind = iota + 1 // [text](href), [text][ref], <a href>, <area href>
	KindAuto                         // <https://…> (the URL is its own text)
	KindBare                         // a URL written as plain text
	KindImage                        // an image source (![alt](src), <img src>)
	KindRedirect                     // <meta http-equiv="refresh" content="0;url=…">
	KindField                        // the homepage or repository field
)

var kindNames = [...]string{"", "inline", "autolink", "bare", "image", "redirect", "field"}

func (k LinkKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Link is one external link of a document.
type Link struct {
	Href  string   // absolute http(s) URL (see cleanURL); parses with url.Parse
	Host  string   // its host: lower case, no port, no trailing dot, IPv6 without brackets
	Text  string   // the visible text of the link, trimmed ("" for bare URLs and fields)
	Kind  LinkKind // how it was written
	Image bool     // the link's visible content is (also) an image: a badge or a button
}

// Document is the visible content of a description or README.
type Document struct {
	Text          string // visible text; blocks separated by "\n"; code excluded
	CodeBytes     int    // bytes of code (spans and blocks), visible but not in Text
	LinkTextBytes int    // bytes of Text inside external links that are not images
	Links         []Link // external links, in document order, at most MaxLinks
	DroppedLinks  int    // external links beyond MaxLinks, not kept
	SkippedHTML   int    // inline HTML tags of a Markdown document beyond the bound, not read
	PlainBytes    int    // bytes of a Markdown document past its parse budget, read as plain text
	InputBytes    int    // length of the input before truncation
	Truncated     bool   // only the first MaxInput bytes were read
}

// Bounds of extraction. A README of any size yields a Document of bounded
// size: the first MaxInput bytes are read (cut at a line end when one is
// near), Text never exceeds MaxInput bytes, at most MaxLinks links are
// kept, hrefs are at most MaxLinkBytes and link texts MaxLinkTextBytes.
const (
	MaxInput         = 1 << 20
	MaxLinks         = 1000
	MaxLinkBytes     = 2048
	MaxLinkTextBytes = 512
)

// capInput returns the part of src that is read: all of it, or the first
// MaxInput bytes cut at the last line end in their final 4 KiB, else at a
// rune boundary.
func capInput(src []byte) ([]byte, bool) {
	if len(src) <= MaxInput {
		return src, false
	}
	cut := MaxInput
	for i := cut - 1; i >= cut-4096; i-- {
		if src[i] == '\n' {
			return src[:i+1], true
		}
	}
	for cut > 0 && !utf8.RuneStart(src[cut]) {
		cut--
	}
	return src[:cut], true
}

// builder accumulates a Document while a parser walks its input. Markdown
// and HTML share it, so inline HTML anchors in Markdown and Markdown text
// inside them form one link.
type builder struct {
	text      []byte
	code      int
	links     []Link
	dropped   int
	linkText  int
	plain     int // start of the text not yet scanned for bare URLs
	open      bool
	openHref  string
	openHost  string
	openKind  LinkKind
	openStart int
	openImage bool
	full      bool
}

func (b *builder) write(s []byte) {
	if b.full || len(s) == 0 {
		return
	}
	if room := MaxInput - len(b.text); len(s) > room {
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
		b.full = true
	}
	b.text = append(b.text, s...)
}

func (b *builder) writeString(s string) { b.write([]byte(s)) }

// space separates inline content (a soft line break).
func (b *builder) space() {
	if n := len(b.text); n > 0 && b.text[n-1] != ' ' && b.text[n-1] != '\n' {
		b.write([]byte{' '})
	}
}

// breakBlock ends a block: phrases do not match across it.
func (b *builder) breakBlock() {
	if n := len(b.text); n > 0 && b.text[n-1] != '\n' {
		if b.text[n-1] == ' ' {
			b.text = b.text[:n-1]
		}
		b.write([]byte{'\n'})
	}
}

// scanPlain looks for bare URLs in the text written outside links since
// the last call.
func (b *builder) scanPlain() {
	if b.plain >= len(b.text) {
		return
	}
	findURLs(b.text[b.plain:], false, func(href, host string) bool {
		b.add(Link{Href: href, Host: host, Kind: KindBare})
		return b.dropped == 0
	})
	b.plain = len(b.text)
}

// beginLink opens a link whose visible text follows; a link already open
// is closed first. Destinations that are not external links open nothing.
func (b *builder) beginLink(dest string, kind LinkKind) {
	b.endLink()
	b.scanPlain()
	href, host, ok := cleanURL(dest)
	if !ok {
		return
	}
	b.open, b.openHref, b.openHost, b.openKind, b.openStart, b.openImage = true, href, host, kind, len(b.text), false
}

// endLink closes the open link, if any.
func (b *builder) endLink() {
	if !b.open {
		return
	}
	b.open = false
	text := strings.Join(strings.Fields(string(b.text[b.openStart:])), " ")
	if !b.openImage {
		b.linkText += len(b.text) - b.openStart
	}
	b.add(Link{Href: b.openHref, Host: b.openHost, Text: capText(text), Kind: b.openKind, Image: b.openImage})
	b.plain = len(b.text)
}

// markImage records that the open link shows an image.
func (b *builder) markImage() {
	if b.open {
		b.openImage = true
	}
}

// addLink adds a link with no text of its own (image sources, redirects).
func (b *builder) addLink(dest, text string, kind LinkKind) {
	if href, host, ok := cleanURL(dest); ok {
		b.add(Link{Href: href, Host: host, Text: capText(strings.TrimSpace(text)), Kind: kind, Image: kind == KindImage})
	}
}

func (b *builder) add(l Link) {
	if len(b.links) >= MaxLinks {
		b.dropped++
		return
	}
	b.links = append(b.links, l)
}

func capText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= MaxLinkTextBytes {
		return s
	}
	cut := MaxLinkTextBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func (b *builder) document(inputBytes int, truncated bool) Document {
	b.endLink()
	b.scanPlain()
	return Document{
		Text:          strings.ToValidUTF8(string(b.text), " "), // never longer
		CodeBytes:     b.code,
		LinkTextBytes: b.linkText,
		Links:         b.links,
		DroppedLinks:  b.dropped,
		InputBytes:    inputBytes,
		Truncated:     truncated,
	}
}

// ExtractText reads plain text (a description): its text, and the URLs
// written in it.
func ExtractText(s string) Document {
	src, truncated := capInput([]byte(s))
	var b builder
	b.write(src)
	return b.document(len(s), truncated)
}

// ExtractReadme reads a README: HTML when it starts like an HTML document
// (a doctype, <html>, <head> or <body>), Markdown otherwise (Markdown
// READMEs may embed HTML; reStructuredText and plain text read as
// Markdown paragraphs).
func ExtractReadme(s string) Document {
	if looksLikeHTML(s) {
		return ExtractHTML([]byte(s))
	}
	return ExtractMarkdown([]byte(s))
}

func looksLikeHTML(s string) bool {
	s = strings.TrimLeftFunc(strings.TrimPrefix(s, "\uFEFF"), unicode.IsSpace)
	if len(s) > 64 {
		s = s[:64]
	}
	s = strings.ToLower(s)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<?xml"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
