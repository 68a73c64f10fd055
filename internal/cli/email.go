package cli

import (
	"errors"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/content"
	"github.com/pkgward/pkgward/internal/email"
	"github.com/pkgward/pkgward/internal/record"
)

func (g *globals) emailCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "email FILE.eml|-...",
		Short: "Check e-mail messages for package-ecosystem phishing",
		Long: `email reads each message (RFC 5322 with MIME; - for standard input) and reports
package-ecosystem phishing: senders and links imitating a registry or code host,
display names claiming a registry, SPF/DKIM/DMARC failures, requests for 2FA or
credentials or to upgrade dependencies from a given location, urgency, and risky
attachments. Requests alone are what genuine registry mail also makes; they
become a finding when paired with an unofficial or lookalike destination or an
impersonating sender. Nothing is fetched: links are judged, never followed.`,
		Example: "  pkgward email suspicious.eml\n  pkgward email --format json < message.eml -",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			deps := email.Deps{
				Domains: g.domains(),
				HTMLLinks: func(html string) []email.Link {
					doc := content.ExtractHTML([]byte(html))
					out := make([]email.Link, 0, len(doc.Links))
					for _, l := range doc.Links {
						out = append(out, email.Link{Text: l.Text, URL: l.Href})
					}
					return out
				},
				HTMLText: func(html string) string { return content.ExtractHTML([]byte(html)).Text },
			}
			sup, notices := g.suppressor()
			var results []record.Result
			var errs []record.InputError
			stdinUsed := false
			for _, arg := range args {
				var r io.Reader
				name := arg
				if arg == "-" {
					if stdinUsed {
						return usageError{errors.New("standard input (-) given twice")}
					}
					stdinUsed, r, name = true, g.io.In, "stdin"
				} else {
					f, err := os.Open(arg)
					if err != nil {
						errs = append(errs, *fileError(arg, err))
						continue
					}
					defer f.Close()
					r = f
				}
				m, err := email.Parse(r)
				if err != nil {
					errs = append(errs, *fileError(name, err))
					continue
				}
				res := record.Result{Kind: record.KindEmail, Name: m.Subject, Source: name, Findings: []record.Finding{}}
				analysis.Add(sup, &res, email.Analyze(m, deps), name)
				results = append(results, res)
				if truncated(res) {
					notices = append(notices, name+": part of the message was not read (see "+email.RuleTruncated+"); it cannot be allowed as read")
				}
			}
			return g.finish(email.Rules(), results, errs, notices)
		},
	}
}

// truncated reports a result whose message was not read whole, whether
// its email-truncated finding is reported or suppressed: the notice says
// so either way.
func truncated(r record.Result) bool {
	for _, f := range r.Findings {
		if f.Rule == email.RuleTruncated {
			return true
		}
	}
	for _, s := range r.Suppressed {
		if s.Finding.Rule == email.RuleTruncated {
			return true
		}
	}
	return false
}
