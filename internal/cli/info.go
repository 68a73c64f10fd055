package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/report"
)

func (g *globals) corpusCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "corpus",
		Short: "Show the popularity corpora pkgward protects",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the embedded corpora with their source, date and size",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			metas, err := corpus.List()
			if err != nil {
				return err
			}
			user, err := g.userCorpora()
			if err != nil {
				return err
			}
			if g.format == "json" || g.format == "jsonl" {
				type row struct {
					corpus.Meta
					UserNames int `json:"user_names"`
				}
				rows := make([]row, len(metas))
				for i, m := range metas {
					rows[i] = row{m, len(user[m.Ecosystem]) + len(user[""])}
				}
				enc := json.NewEncoder(g.io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			switch g.format {
			case "sarif", "html":
				return usageError{fmt.Errorf("corpus list has no %s form; use text, markdown or json", g.format)}
			case "markdown":
				fmt.Fprintln(g.io.Out, "| ecosystem | names | user names | date | ranked by | source |\n| --- | --- | --- | --- | --- | --- |")
				for _, m := range metas {
					fmt.Fprintf(g.io.Out, "| %s | %d | %d | %s | %s | %s |\n", m.Ecosystem, m.Size, len(user[m.Ecosystem])+len(user[""]),
						mdCell(m.Date), mdCell(m.RankedBy), mdCell(m.Source))
				}
				return nil
			}
			// The table fits 100 columns: the sources, whole
			// paragraphs, follow it wrapped with --verbose.
			tw := tabwriter.NewWriter(g.io.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ECOSYSTEM\tNAMES\tUSER NAMES\tDATE\tRANKED BY")
			for _, m := range metas {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", m.Ecosystem, m.Size, len(user[m.Ecosystem])+len(user[""]), m.Date, clipRunes(m.RankedBy, 56))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if !g.verbose {
				_, err := fmt.Fprintln(g.io.Out, "(sources: pkgward corpus list --verbose, or --format json)")
				return err
			}
			for _, m := range metas {
				fmt.Fprintf(g.io.Out, "\n%s source:\n", m.Ecosystem)
				for _, line := range wrapText(m.Source, textWidth-2) {
					fmt.Fprintf(g.io.Out, "  %s\n", line)
				}
			}
			return nil
		},
	})
	return cmd
}

func (g *globals) rulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List every rule id with a one-line description",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rules := g.ranRules(catalog())
			if g.format == "json" || g.format == "jsonl" {
				enc := json.NewEncoder(g.io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rules)
			}
			switch g.format {
			case "html", "sarif":
				return usageError{fmt.Errorf("rules has no %s form; use text, markdown or json", g.format)}
			case "markdown":
				fmt.Fprintln(g.io.Out, "| rule | max severity | description |\n| --- | --- | --- |")
				for _, r := range rules {
					fmt.Fprintf(g.io.Out, "| [%s](%s#%s) | %s | %s |\n", r.ID, report.RulesDoc, r.ID, r.Severity, mdCell(r.Title))
				}
				return nil
			}
			tw := tabwriter.NewWriter(g.io.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE\tMAX SEVERITY\tDESCRIPTION")
			for _, r := range rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
			}
			return tw.Flush()
		},
	}
}

// textWidth is the width the text tables and paragraphs fit.
const textWidth = 100

// clipRunes shortens s to n runes, ending it with "…" when cut.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// wrapText breaks s into lines of at most width runes at spaces (a word
// longer than width gets a line of its own).
func wrapText(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wl := utf8.RuneCountInString(w)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wl
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(s)
}

// catalog is every rule pkgward can report, sorted by id.
func catalog() []record.Rule { return pipeline.Catalog() }
