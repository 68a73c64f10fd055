package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// markdownRenderer writes GitHub-flavoured Markdown for a pull-request
// comment: the summary, a table of the findings by severity (highest
// first), then the evidence, suppressed findings and campaign members in
// collapsible <details> sections, and the input errors and notices.
//
// Every string from a package or an input passes through [mdText]: it
// cannot open HTML, links, emphasis, tables or code, mention a user or
// team, or reorder text with bidi controls.
type markdownRenderer struct{}

func (markdownRenderer) Render(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	sum := summarize(r)
	groups := bySeverity(r)
	fmt.Fprintf(bw, "## pkgward report\n\n**%s**\n\n", sum)
	n := 0
	for _, g := range groups {
		n += len(g.Items)
	}
	if n == 0 {
		bw.WriteString("No findings.\n\n")
	} else {
		bw.WriteString("| severity | package | rule | finding | source |\n| --- | --- | --- | --- | --- |\n")
		shown := 0
		for _, g := range groups {
			for _, it := range g.Items {
				if shown++; shown > markdownFindings {
					break
				}
				fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", g.Severity, mdText(packageLabel(it.Result)),
					mdText(it.Finding.Rule), mdText(it.Finding.Message), mdText(it.Result.Source))
			}
		}
		if n > markdownFindings {
			fmt.Fprintf(bw, "\n%d more %s, the least severe, are not listed: see the json or html report.\n",
				n-markdownFindings, plural(n-markdownFindings, "finding", "findings"))
		}
		bw.WriteByte('\n')
		fmt.Fprintf(bw, "<details>\n<summary>Evidence (%d %s)</summary>\n\n", min(n, markdownFindings), plural(n, "finding", "findings"))
		shown = 0
		for _, g := range groups {
			for _, it := range g.Items {
				if shown++; shown > markdownFindings {
					break
				}
				fmt.Fprintf(bw, "#### %s · %s · %s\n\n%s\n\n", g.Severity, mdText(packageLabel(it.Result)),
					mdText(it.Finding.Rule), mdText(it.Finding.Message))
				ev := shownEvidence(it.Finding)
				for _, p := range ev {
					fmt.Fprintf(bw, "- %s: %s\n", mdText(p.Key), mdText(p.Value))
				}
				if len(ev) > 0 {
					bw.WriteByte('\n')
				}
			}
		}
		bw.WriteString("</details>\n\n")
	}
	if cs := campaigns(r); len(cs) > 0 {
		fmt.Fprintf(bw, "<details>\n<summary>Campaigns (%d)</summary>\n\n", len(cs))
		for _, c := range cs {
			fmt.Fprintf(bw, "#### campaign %s (%s members)\n\n", mdText(c.ID), mdText(c.Size))
			if c.Indicators != "" {
				fmt.Fprintf(bw, "%s\n\n", mdText(c.Indicators))
			}
			for i, m := range c.Members {
				if i == markdownFindings {
					fmt.Fprintf(bw, "- and %d more\n", len(c.Members)-i)
					break
				}
				fmt.Fprintf(bw, "- %s (%s)\n", mdText(packageLabel(m)), mdText(m.Source))
			}
			bw.WriteByte('\n')
		}
		bw.WriteString("</details>\n\n")
	}
	var suppressed int
	for i := range r.Results {
		suppressed += len(r.Results[i].Suppressed)
	}
	if suppressed > 0 {
		fmt.Fprintf(bw, "<details>\n<summary>Suppressed (%d)</summary>\n\n", suppressed)
		for i := range r.Results {
			res := &r.Results[i]
			for _, s := range res.Suppressed {
				fmt.Fprintf(bw, "- %s · %s · %s: %s\n", s.Finding.Severity, mdText(packageLabel(res)), mdText(s.Finding.Rule), mdText(s.Reason))
			}
		}
		bw.WriteString("\n</details>\n\n")
	}
	if len(r.Errors) > 0 {
		bw.WriteString("**Errors**\n\n")
		for i := range r.Errors {
			fmt.Fprintf(bw, "- %s\n", mdText(r.Errors[i].Error()))
		}
		bw.WriteByte('\n')
	}
	if len(r.Notices) > 0 {
		bw.WriteString("**Notices**\n\n")
		for _, msg := range r.Notices {
			fmt.Fprintf(bw, "- %s\n", mdText(msg))
		}
		bw.WriteByte('\n')
	}
	fmt.Fprintf(bw, "<sub>%s %s</sub>\n", mdText(nonEmpty(r.Tool.Name, "pkgward")), mdText(r.Tool.Version))
	return bw.Flush()
}

// markdownFindings bounds the findings the table and the evidence list,
// most severe first, so that a comment stays within what code hosts
// accept (GitHub: 65,536 characters); the summary counts them all.
const markdownFindings = 50

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// mdText makes untrusted text inert in Markdown: [Printable] first
// (controls, bidi and zero-width characters, invalid UTF-8 made visible),
// then '<', '>' and '&' as character references and the punctuation that
// means something in GitHub-flavoured Markdown backslash-escaped, so that
// nothing opens HTML, a link or autolink (':' and '.' escaped), emphasis,
// code, math ('$'), a table cell ('|'), a heading or a list, and '@'
// mentions no one.
func mdText(s string) string {
	s = Printable(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, c := range s {
		switch {
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '&':
			b.WriteString("&amp;")
		case c < utf8.RuneSelf && strings.ContainsRune("!#$()*+-.:@[\\]^_`{|}~", c):
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}
