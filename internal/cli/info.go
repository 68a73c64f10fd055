package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
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
			if g.format == "sarif" {
				return usageError{fmt.Errorf("corpus list has no SARIF form; use text or json")}
			}
			tw := tabwriter.NewWriter(g.io.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ECOSYSTEM\tNAMES\tUSER NAMES\tDATE\tRANKED BY\tSOURCE")
			for _, m := range metas {
				fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", m.Ecosystem, m.Size, len(user[m.Ecosystem])+len(user[""]), m.Date, m.RankedBy, m.Source)
			}
			return tw.Flush()
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
			rules := catalog()
			if g.format == "json" || g.format == "jsonl" {
				enc := json.NewEncoder(g.io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rules)
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

// catalog is every rule pkgward can report, sorted by id.
func catalog() []record.Rule { return pipeline.Catalog() }
