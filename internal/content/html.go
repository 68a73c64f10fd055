package content

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ExtractHTML reads an HTML README with the golang.org/x/net/html
// tokenizer: visible text (not script, style, template or noscript
// content, comments or attributes other than those below), links
// (<a href>, <area href>, their text), image sources (<img src>, alt text
// as visible text) and refresh redirects (<meta http-equiv="refresh">).
// Block elements separate text blocks. At most MaxInput bytes are read.
func ExtractHTML(src []byte) Document {
	in, truncated := capInput(src)
	var b builder
	h := htmlState{b: &b}
	h.feed(in)
	return b.document(len(src), truncated)
}

// htmlState carries what crosses HTML fragments: the inline HTML of a
// Markdown document arrives one tag at a time.
type htmlState struct {
	b         *builder
	hidden    int // depth inside script, style, template, noscript
	anchor    bool
	fragments int // fragments tokenized
	skipped   int // fragments beyond maxHTMLFragments, not read
}

// maxHTMLFragments bounds the inline HTML fragments of a Markdown document
// that are tokenized (each costs a tokenizer): honest READMEs have a few
// hundred at most.
const maxHTMLFragments = 8192

// hiding reports whether text is currently invisible.
func (h *htmlState) hiding() bool { return h.hidden > 0 }

func (h *htmlState) feed(frag []byte) {
	if h.fragments >= maxHTMLFragments {
		h.skipped++
		return
	}
	h.fragments++
	z := html.NewTokenizer(bytes.NewReader(frag))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			if h.hidden == 0 {
				h.b.write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			attrs := func(keys ...string) map[string]string {
				out := map[string]string{}
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					for _, want := range keys {
						if string(k) == want {
							if _, dup := out[want]; !dup {
								out[want] = string(v)
							}
						}
					}
				}
				return out
			}
			switch a {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Textarea, atom.Iframe, atom.Svg, atom.Math, atom.Object:
				if tt == html.StartTagToken {
					h.hidden++
				}
			case atom.A:
				at := attrs("href")
				if h.anchor {
					h.b.endLink()
					h.anchor = false
				}
				if href, ok := at["href"]; ok && tt == html.StartTagToken {
					h.b.beginLink(href, KindInline)
					h.anchor = h.b.open
				}
			case atom.Area:
				at := attrs("href", "alt")
				h.b.addLink(at["href"], at["alt"], KindInline)
			case atom.Img:
				at := attrs("src", "alt", "title")
				h.b.markImage()
				if h.hidden == 0 {
					h.b.write([]byte(" " + at["alt"] + " "))
				}
				h.b.addLink(at["src"], at["alt"], KindImage)
			case atom.Meta:
				at := attrs("http-equiv", "content")
				if strings.EqualFold(strings.TrimSpace(at["http-equiv"]), "refresh") {
					if u, ok := refreshURL(at["content"]); ok {
						h.b.addLink(u, "", KindRedirect)
					}
				}
			case atom.Br:
				h.b.breakBlock()
			default:
				if blockElement(a) {
					h.b.breakBlock()
				} else if spacedElement(a) {
					h.b.space()
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); a {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Textarea, atom.Iframe, atom.Svg, atom.Math, atom.Object:
				if h.hidden > 0 {
					h.hidden--
				}
			case atom.A:
				if h.anchor {
					h.b.endLink()
					h.anchor = false
				}
			default:
				if blockElement(a) {
					h.b.breakBlock()
				} else if spacedElement(a) {
					h.b.space()
				}
			}
		}
	}
}

// refreshURL reads the URL of a refresh directive: "5; url=https://…".
func refreshURL(content string) (string, bool) {
	_, after, ok := strings.Cut(content, ";")
	if !ok {
		after = content
	}
	after = strings.TrimSpace(after)
	if hasPrefixFold(after, "url") {
		after = strings.TrimSpace(after[3:])
		if strings.HasPrefix(after, "=") {
			after = strings.TrimSpace(after[1:])
		}
	}
	after = strings.Trim(after, `'"`)
	return after, after != ""
}

func blockElement(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Tr, atom.Table, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Blockquote,
		atom.Pre, atom.Hr, atom.Dd, atom.Dt, atom.Dl, atom.Center, atom.Title, atom.Body, atom.Html,
		atom.Nav, atom.Main, atom.Aside, atom.Details, atom.Summary, atom.Figure, atom.Figcaption, atom.Form:
		return true
	}
	return false
}

func spacedElement(a atom.Atom) bool {
	switch a {
	case atom.Td, atom.Th, atom.Button, atom.Label, atom.Option, atom.Input:
		return true
	}
	return false
}
