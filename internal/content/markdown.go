package content

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdownParser parses CommonMark with the GitHub table and strikethrough
// extensions; a goldmark parser is safe for concurrent use.
var markdownParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)).Parser()

// ExtractMarkdown reads a Markdown README with goldmark, walking its syntax
// tree: visible text (paragraphs, headings, list items, table cells, link
// texts, image alt texts), code (spans and blocks: counted, not kept as
// text), links (inline, reference and autolinks, with their visible text;
// images, and images inside links), and embedded HTML (blocks and inline
// tags, read with the HTML tokenizer, so an <a href> opened in inline HTML
// takes the Markdown text up to its </a>). URLs written as plain text are
// found in the text outside links. At most MaxInput bytes are read, and
// shapes on which the parser is superlinear are bounded first (see
// tameMarkdown).
func ExtractMarkdown(src []byte) Document {
	in, truncated := capInput(src)
	in, tail := splitDelimBudget(tameMarkdown(in))
	root := markdownParser.Parse(text.NewReader(in), parser.WithContext(parser.NewContext()))
	var b builder
	h := htmlState{b: &b}
	var block []byte
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock {
			b.breakBlock()
		}
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				if !h.hiding() {
					b.write(unescapeMarkdown(n.Segment.Value(in)))
				}
				switch {
				case n.HardLineBreak():
					b.breakBlock()
				case n.SoftLineBreak():
					b.space()
				}
			}
		case *ast.String:
			if entering && !h.hiding() {
				if n.IsCode() {
					b.code += len(n.Value)
				} else {
					b.write(n.Value)
				}
			}
		case *ast.CodeSpan:
			if entering {
				for c := n.FirstChild(); c != nil; c = c.NextSibling() {
					if t, ok := c.(*ast.Text); ok {
						b.code += t.Segment.Len()
					}
				}
				b.space()
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if entering {
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					b.code += seg.Len()
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			if entering {
				b.beginLink(string(n.Destination), KindInline)
			} else {
				b.endLink()
			}
		case *ast.AutoLink:
			if entering && n.AutoLinkType == ast.AutoLinkURL {
				b.beginLink(string(n.URL(in)), KindAuto)
				b.write(n.Label(in))
				b.endLink()
			}
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			if entering {
				b.markImage()
				b.addLink(string(n.Destination), "", KindImage)
				b.space()
			} else {
				b.space()
			}
		case *ast.RawHTML:
			if entering {
				for i := 0; i < n.Segments.Len(); i++ {
					seg := n.Segments.At(i)
					h.feed(seg.Value(in))
				}
			}
		case *ast.HTMLBlock:
			if entering {
				// One fragment, so that a tag may span lines.
				block = block[:0]
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					block = append(block, seg.Value(in)...)
				}
				if n.HasClosure() {
					block = append(block, n.ClosureLine.Value(in)...)
				}
				h.feed(block)
			}
			return ast.WalkSkipChildren, nil
		case *ast.LinkReferenceDefinition:
			return ast.WalkSkipChildren, nil // not visible
		}
		return ast.WalkContinue, nil
	})
	if len(tail) > 0 {
		b.endLink()
		b.breakBlock()
		b.write(tail)
	}
	d := b.document(len(src), truncated)
	d.SkippedHTML = h.skipped
	d.PlainBytes = len(tail)
	return d
}

// maxMarkdownDelims is the parse budget of a Markdown document: goldmark
// allocates per inline delimiter, so past this many delimiters (honest
// READMEs have a few thousand) the rest of the document, from the next
// line, is read as plain text: its text and bare URLs.
const maxMarkdownDelims = 1 << 16

func splitDelimBudget(src []byte) (md, tail []byte) {
	n := 0
	for i, c := range src {
		if isInlineDelim(c) {
			n++
		}
		if n >= maxMarkdownDelims && c == '\n' {
			return src[:i+1], src[i+1:]
		}
	}
	return src, nil
}

// unescapeMarkdown resolves backslash escapes and character references in
// a text segment, as a renderer would.
func unescapeMarkdown(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
}
