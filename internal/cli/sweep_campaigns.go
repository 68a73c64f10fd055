package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/report"
)

// CampaignsSchema is the id of the document `sweep --campaigns` writes.
const CampaignsSchema = "pkgward/campaigns/v1"

// campaignItem is one input line of a --campaigns sweep: a signature or
// an input error.
type campaignItem struct {
	sig *campaign.Signature
	err *record.InputError
}

// campaignsDoc is the JSON document of `sweep --campaigns`.
type campaignsDoc struct {
	Schema     string              `json:"schema"`
	Tool       report.Tool         `json:"tool"`
	Records    int                 `json:"records"`    // distinct records read
	Duplicates int                 `json:"duplicates"` // records repeated (same ecosystem, name, version), ignored
	Campaigns  []campaign.Campaign `json:"campaigns"`
	Members    int                 `json:"members"`  // packages in campaigns
	Families   int                 `json:"families"` // clusters without lure or spam evidence, not reported
	Errors     []record.InputError `json:"errors"`
	Notices    []string            `json:"notices,omitempty"`
}

// sweepCampaigns reads every record, signs them in parallel, clusters
// them and writes the campaigns.
func (g *globals) sweepCampaigns(ctx context.Context, s *sweeper, in io.Reader) error {
	b := campaign.NewBuilder(campaign.DefaultOptions())
	var errs []record.InputError
	err := s.run(ctx, in, func(_ context.Context, bt *batch) {
		start := 0
		for i, end := range bt.ends {
			if e := bt.errs[i]; e != nil {
				bt.camp = append(bt.camp, campaignItem{err: e})
			} else if p, err := s.parseLine(bt.buf[start:end], bt.lines[i]); err != nil {
				bt.camp = append(bt.camp, campaignItem{err: err})
			} else {
				sig := campaign.Sign(&p)
				bt.camp = append(bt.camp, campaignItem{sig: &sig})
			}
			start = end
		}
		bt.buf = nil
	}, func(nb *batch) error {
		for _, it := range nb.camp {
			if it.err != nil {
				errs = append(errs, *it.err)
			} else {
				b.AddSignature(it.sig)
			}
		}
		return nil
	})
	s.progress.done()
	if err != nil {
		return err
	}
	res, err := b.Cluster(ctx)
	if err != nil {
		return err
	}
	sup, notices := g.suppressor()

	// Member results, with suppressions applied: they decide the exit code
	// and are the output of jsonl and sarif.
	var results []record.Result
	for i := range res.Campaigns {
		c := &res.Campaigns[i]
		for _, m := range c.Members {
			r := record.Result{Kind: record.KindPackage, Ecosystem: m.Ecosystem, Name: m.Name, Version: m.Version, Source: m.Source, Verdict: record.Allow}
			f := c.Finding(m)
			if sup.Drops(f.Rule) {
				continue
			}
			if reason, ok := sup.Match(m.Ecosystem, m.Name, f.Rule); ok {
				r.Suppressed = []record.Suppressed{{Finding: f, Reason: reason}}
				r.Findings = []record.Finding{}
			} else {
				r.Findings = []record.Finding{f}
				r.Verdict = record.Warn
				if f.Severity >= record.High {
					r.Verdict = record.Block
				}
			}
			results = append(results, r)
		}
	}

	switch g.format {
	case "", "json":
		doc := campaignsDoc{
			Schema:     CampaignsSchema,
			Tool:       report.Tool{Name: "pkgward", Version: Version},
			Records:    res.Records,
			Duplicates: res.Duplicates,
			Campaigns:  res.Campaigns,
			Members:    res.Members(),
			Families:   len(res.Families),
			Errors:     errs,
			Notices:    notices,
		}
		if doc.Campaigns == nil {
			doc.Campaigns = []campaign.Campaign{}
		}
		if doc.Errors == nil {
			doc.Errors = []record.InputError{}
		}
		bw := bufio.NewWriterSize(g.io.Out, 1<<16)
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(&doc); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	case "text":
		if err := writeCampaignsText(g.io.Out, res, errs, notices, g.verbose); err != nil {
			return err
		}
	case "jsonl":
		bw := bufio.NewWriterSize(g.io.Out, 1<<16)
		var line []byte
		for i := range results {
			line = report.AppendJSONL(line[:0], &results[i])
			bw.Write(line)
		}
		for i := range errs {
			l, _ := json.Marshal(map[string]*record.InputError{"error": &errs[i]})
			bw.Write(append(l, '\n'))
		}
		for _, n := range notices {
			l, _ := json.Marshal(map[string]string{"notice": n})
			bw.Write(append(l, '\n'))
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	default:
		r, err := g.renderer(g.format)
		if err != nil {
			return err
		}
		rep := &report.Report{
			Tool:    report.Tool{Name: "pkgward", Version: Version},
			Results: results, Errors: errs, Notices: notices, Rules: campaign.Rules(),
		}
		if err := r.Render(g.io.Out, rep); err != nil {
			return err
		}
	}
	g.setExit(results, len(errs) > 0)
	return nil
}

// textMembers is how many members the text output lists per campaign
// without --verbose.
const textMembers = 10

// writeCampaignsText renders the campaigns for people.
func writeCampaignsText(w io.Writer, res *campaign.Result, errs []record.InputError, notices []string, verbose bool) error {
	bw := bufio.NewWriter(w)
	for i := range res.Campaigns {
		c := &res.Campaigns[i]
		var ecos []string
		for _, e := range c.Indicators.Ecosystems {
			ecos = append(ecos, fmt.Sprintf("%s %d", e.Value, e.Count))
		}
		fmt.Fprintf(bw, "CAMPAIGN %s  %d packages (%s)  confidence %.2f\n", c.ID, c.Size, strings.Join(ecos, ", "), c.Confidence)
		for _, s := range c.Summary() {
			fmt.Fprintf(bw, "  %s\n", s)
		}
		for _, t := range c.Indicators.NameTemplates[min(1, len(c.Indicators.NameTemplates)):] {
			fmt.Fprintf(bw, "  name template %s (%d of %d)\n", t.Value, t.Count, c.Size)
		}
		n := len(c.Members)
		if !verbose {
			n = min(n, textMembers)
		}
		fmt.Fprintf(bw, "  members:\n")
		for _, m := range c.Members[:n] {
			fmt.Fprintf(bw, "    %s %s@%s\n", m.Ecosystem, m.Name, m.Version)
		}
		if n < len(c.Members) {
			fmt.Fprintf(bw, "    … and %d more (--verbose lists all)\n", len(c.Members)-n)
		}
	}
	for _, e := range errs {
		fmt.Fprintf(bw, "error: %s\n", e.Error())
	}
	for _, n := range notices {
		fmt.Fprintf(bw, "notice: %s\n", n)
	}
	plural := "s"
	if len(res.Campaigns) == 1 {
		plural = ""
	}
	fmt.Fprintf(bw, "%d records: %d campaign%s (%d packages); %d clusters of related packages without lure or spam evidence not reported",
		res.Records, len(res.Campaigns), plural, res.Members(), len(res.Families))
	if len(errs) > 0 {
		fmt.Fprintf(bw, "; %d errors", len(errs))
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}
