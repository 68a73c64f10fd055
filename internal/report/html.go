package report

import (
	"bufio"
	"html/template"
	"io"

	"github.com/pkgward/pkgward/internal/record"
)

// htmlRenderer writes one self-contained HTML page for a person to open
// in a browser: the summary, the findings grouped by severity with their
// evidence, campaign members when there are any, suppressed findings,
// input errors and notices. The page has inline CSS only, no script, and a
// Content-Security-Policy that forbids loading anything.
//
// html/template escapes every value for its context; untrusted strings
// also pass through [Printable] first, so bidi controls and zero-width
// characters show as escapes instead of reordering or hiding text.
type htmlRenderer struct{}

// htmlPage is the template's data.
type htmlPage struct {
	Tool       Tool
	Summary    summary
	Groups     []severityGroup
	Campaigns  []campaignGroup
	Suppressed []item
	Reasons    []string
	Errors     []string
	Notices    []string
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"p":        Printable,
	"label":    func(r *record.Result) string { return Printable(packageLabel(r)) },
	"evidence": shownEvidence,
	"sevclass": func(s record.Severity) string { return "sev-" + s.String() },
}).Parse(htmlSource))

func (htmlRenderer) Render(w io.Writer, r *Report) error {
	page := htmlPage{
		Tool:      Tool{Name: nonEmpty(r.Tool.Name, "pkgward"), Version: r.Tool.Version},
		Summary:   summarize(r),
		Groups:    bySeverity(r),
		Campaigns: campaigns(r),
		Notices:   r.Notices,
	}
	for i := range r.Results {
		res := &r.Results[i]
		for j := range res.Suppressed {
			page.Suppressed = append(page.Suppressed, item{res, &res.Suppressed[j].Finding})
			page.Reasons = append(page.Reasons, res.Suppressed[j].Reason)
		}
	}
	for i := range r.Errors {
		page.Errors = append(page.Errors, r.Errors[i].Error())
	}
	bw := bufio.NewWriter(w)
	if err := htmlTemplate.Execute(bw, &page); err != nil {
		return err
	}
	return bw.Flush()
}

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pkgward report: {{.Summary}}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1f23}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
.summary{font-size:1.1em;font-weight:600}
.finding{border:1px solid #ddd;border-left-width:6px;border-radius:4px;margin:.8em 0;padding:.5em .9em}
.sev-critical{border-left-color:#6f0000}.sev-high{border-left-color:#d1242f}.sev-medium{border-left-color:#bf8700}
.sev-low{border-left-color:#0969da}.sev-info{border-left-color:#8c959f}
.pkg{font-weight:600}.rule,.src{font-family:ui-monospace,monospace;font-size:.9em;color:#57606a}
table.ev{border-collapse:collapse;margin-top:.4em;font-size:.9em}
table.ev th{text-align:left;padding:.1em 1em .1em 0;color:#57606a;font-weight:normal;vertical-align:top}
table.ev td{font-family:ui-monospace,monospace;word-break:break-all}
.verdict{font-size:.8em;text-transform:uppercase;padding:0 .4em;border-radius:3px;background:#eee}
footer{margin-top:3em;color:#57606a;font-size:.85em}
</style>
</head>
<body>
<h1>pkgward report</h1>
<p class="summary">{{.Summary}}</p>
{{- if not .Groups}}
<p>No findings.</p>
{{- end}}
{{- range .Groups}}
<h2>{{.Severity}} ({{len .Items}})</h2>
{{- range .Items}}
<div class="finding {{sevclass .Finding.Severity}}">
<div><span class="pkg">{{label .Result}}</span> <span class="verdict">{{p (print .Result.Verdict)}}</span> <span class="rule">{{p .Finding.Rule}}</span>{{if .Result.Source}} <span class="src">{{p .Result.Source}}</span>{{end}}</div>
<div class="msg">{{p .Finding.Message}}</div>
{{- with evidence .Finding}}
<table class="ev">
{{- range .}}
<tr><th>{{p .Key}}</th><td>{{p .Value}}</td></tr>
{{- end}}
</table>
{{- end}}
</div>
{{- end}}
{{- end}}
{{- if .Campaigns}}
<h2>Campaigns ({{len .Campaigns}})</h2>
{{- range .Campaigns}}
<h3>campaign {{p .ID}}{{if .Size}} ({{p .Size}} members){{end}}</h3>
{{- if .Indicators}}
<p>{{p .Indicators}}</p>
{{- end}}
<ul>
{{- range .Members}}
<li><span class="pkg">{{label .}}</span>{{if .Source}} <span class="src">{{p .Source}}</span>{{end}}</li>
{{- end}}
</ul>
{{- end}}
{{- end}}
{{- if .Suppressed}}
<h2>Suppressed ({{len .Suppressed}})</h2>
<ul>
{{- range $i, $s := .Suppressed}}
<li>{{$s.Finding.Severity}} <span class="pkg">{{label $s.Result}}</span> <span class="rule">{{p $s.Finding.Rule}}</span>: {{p (index $.Reasons $i)}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Errors}}
<h2>Errors ({{len .Errors}})</h2>
<ul>
{{- range .Errors}}
<li>{{p .}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Notices}}
<h2>Notices</h2>
<ul>
{{- range .Notices}}
<li>{{p .}}</li>
{{- end}}
</ul>
{{- end}}
<footer>{{p .Tool.Name}} {{p .Tool.Version}}</footer>
</body>
</html>
`
