package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/record"
)

// textRenderer writes the human report: one block per result with findings
// (every result when Verbose), then input errors, notices and a summary.
//
// Every string that comes from a package or an input file is passed through
// [Printable] first, so a hostile name cannot move the cursor, recolour the
// terminal or reorder text with bidi controls.
type textRenderer struct{ opt Options }

const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiGreen  = "\x1b[32m"
)

func (t textRenderer) Render(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for i := range r.Results {
		res := &r.Results[i]
		if t.opt.Verbose || len(res.Findings) > 0 || len(res.Suppressed) > 0 {
			t.result(bw, res)
		}
	}
	for i := range r.Errors {
		fmt.Fprintf(bw, "error: %s\n", Printable(r.Errors[i].Error()))
	}
	for _, n := range r.Notices {
		fmt.Fprintf(bw, "notice: %s\n", Printable(n))
	}
	bw.WriteString(summarize(r).String())
	bw.WriteByte('\n')
	return bw.Flush()
}

func (t textRenderer) result(w *bufio.Writer, r *record.Result) {
	v := strings.ToUpper(Printable(string(r.Verdict)))
	pad := strings.Repeat(" ", max(0, 5-len(v))+2)
	if c := t.colour(r.Verdict); c != "" {
		v = c + v + ansiReset
	}
	w.WriteString(v)
	w.WriteString(pad)
	if r.Ecosystem != "" { // e-mail and domain results have none
		w.WriteString(Printable(string(r.Ecosystem)))
		w.WriteByte(' ')
	}
	w.WriteString(Printable(r.Name))
	if r.Version != "" {
		w.WriteByte('@')
		w.WriteString(Printable(r.Version))
	}
	if r.Source != "" {
		fmt.Fprintf(w, "  (%s)", Printable(r.Source))
	}
	w.WriteByte('\n')
	for i := range r.Findings {
		f := &r.Findings[i]
		fmt.Fprintf(w, "  %s  %s  %s\n", f.Severity, Printable(f.Rule), Printable(f.Message))
		if ev := evidenceLine(f); ev != "" {
			fmt.Fprintf(w, "      %s\n", ev)
		}
	}
	for _, s := range r.Suppressed {
		fmt.Fprintf(w, "  suppressed: %s (%s)\n", Printable(s.Finding.Rule), Printable(s.Reason))
	}
}

func (t textRenderer) colour(v record.Verdict) string {
	if !t.opt.Color {
		return ""
	}
	switch v {
	case record.Block:
		return ansiRed
	case record.Warn:
		return ansiYellow
	case record.Allow:
		return ansiGreen
	}
	return ""
}

// evidenceLine formats a finding's evidence as key=value pairs, keys
// sorted, without the rule description and a detail the message already
// states (see shownKeys).
func evidenceLine(f *record.Finding) string {
	ev := f.Evidence
	keys := shownKeys(f)
	if len(keys) == 0 {
		return ""
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(Printable(k))
		b.WriteByte('=')
		b.WriteString(Printable(textValue(ev[k])))
	}
	return b.String()
}

// textValue formats an evidence value for text: as fmt does (lists as
// [a b]), but a map as [k:v ...] in key order, not Go's map[k:v].
func textValue(v any) string {
	if pairs, ok := mapPairs(v, ":"); ok {
		return "[" + strings.Join(pairs, " ") + "]"
	}
	return fmt.Sprintf("%v", v)
}

// Printable returns s with everything that could act on a terminal, or hide
// in it, made visible: control characters (C0, DEL, C1), format characters
// (bidi overrides and isolates, zero-width characters, soft hyphen, BOM),
// line and paragraph separators and invalid UTF-8 are written as Go escapes
// (\x1b, \u202e, \xff). Other text, including non-Latin letters, is kept.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		c, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(c, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(c, size):
			switch {
			case c == '\t':
				b.WriteString(`\t`)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c < 0x80:
				fmt.Fprintf(&b, `\x%02x`, c)
			default:
				fmt.Fprintf(&b, `\u%04x`, c)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(c rune, size int) bool {
	if c < utf8.RuneSelf {
		return c < 0x20 || c == 0x7f
	}
	if c == utf8.RuneError && size == 1 {
		return true
	}
	return unicode.In(c, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}
