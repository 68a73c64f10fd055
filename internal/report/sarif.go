package report

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/pkgward/pkgward/internal/record"
)

// InformationURI is the tool's home page, named in SARIF output.
const InformationURI = "https://github.com/pkgward/pkgward"

// sarifRenderer writes SARIF 2.1.0: one run, the rule catalog as the
// driver's rules, one result per finding (suppressed findings carry an
// external suppression), input errors and notices as tool execution
// notifications.
type sarifRenderer struct {
	cwd string // working directory; empty: the process's (tests set it)
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s record.Severity) string {
	switch {
	case s >= record.High:
		return "error"
	case s == record.Medium:
		return "warning"
	}
	return "note"
}

func (sr sarifRenderer) Render(w io.Writer, r *Report) error {
	paths := newSARIFPaths(sr.cwd, r.Base)
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	driver := sarif.NewVersionedDriver(nonEmpty(r.Tool.Name, "pkgward"), r.Tool.Version).
		WithInformationURI(InformationURI)
	driver.Rules = []*sarif.ReportingDescriptor{}
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.Results = []*sarif.Result{}
	doc.AddRun(run)

	index := map[string]uint{}
	addRule := func(id string, rd *sarif.ReportingDescriptor) uint {
		if i, ok := index[id]; ok {
			return i
		}
		i := uint(len(driver.Rules))
		index[id] = i
		driver.Rules = append(driver.Rules, rd)
		return i
	}
	for _, rule := range r.Rules {
		addRule(rule.ID, sarifRule(rule, !r.Undocumented[rule.ID]))
	}
	ruleIndex := func(id string) uint {
		if i, ok := index[id]; ok {
			return i
		}
		// A finding whose rule is missing from the catalog: describe it
		// minimally rather than emit a dangling ruleId.
		return addRule(id, sarifRule(record.Rule{ID: id}, false))
	}

	for i := range r.Results {
		res := &r.Results[i]
		for _, f := range res.Findings {
			run.AddResult(sarifResult(paths, res, &f, ruleIndex(f.Rule)))
		}
		for _, s := range res.Suppressed {
			sr := sarifResult(paths, res, &s.Finding, ruleIndex(s.Finding.Rule))
			sr.AddSuppression(sarif.NewSuppression("external").
				WithStatus("accepted").
				WithGuid(suppressionGUID(sr.PartialFingerprints[fingerprintKey].(string))).
				WithJustifcation(s.Reason).
				WithLocation(sr.Locations[0]))
			run.AddResult(sr)
		}
	}

	inv := run.AddInvocation(len(r.Errors) == 0)
	for i := range r.Errors {
		e := &r.Errors[i]
		n := sarif.NewNotification().WithLevel("error").WithTextMessage(e.Error())
		if e.File != "" && !pseudoFile(e.File) {
			uri, _ := paths.uri(e.File)
			pl := sarif.NewPhysicalLocation().
				WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri))
			if e.Line > 0 {
				pl.WithRegion(sarif.NewRegion().WithStartLine(e.Line))
			}
			n.AddLocation(sarif.NewLocationWithPhysicalLocation(pl))
		}
		inv.AddTToolExecutionNotification(n)
	}
	for _, msg := range r.Notices {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("note").WithTextMessage(msg))
	}

	if err := doc.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// RulesDoc is the page that documents every rule of the catalog, one
// anchor per rule id (docs/rules.md#ID); SARIF rules point their helpUri
// at it.
const RulesDoc = InformationURI + "/blob/main/docs/rules.md"

// sarifRule describes a catalog rule for code scanning: its level and
// properties.security-severity from the rule's highest severity, tags,
// help text and, when documented, helpUri at the rule's anchor of
// docs/rules.md.
func sarifRule(rule record.Rule, documented bool) *sarif.ReportingDescriptor {
	title := nonEmpty(rule.Title, rule.ID)
	rd := sarif.NewRule(rule.ID).
		WithName(ruleName(rule.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString(title)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity)))
	if rule.Description != "" {
		rd.WithFullDescription(sarif.NewMultiformatMessageString(rule.Description))
	}
	text := title
	if rule.Description != "" {
		text += ". " + rule.Description
	}
	md := "**" + mdText(title) + "**"
	if rule.Description != "" {
		md += "\n\n" + mdText(rule.Description)
	}
	if documented {
		uri := RulesDoc + "#" + rule.ID
		rd.WithHelpURI(uri)
		text += " See " + uri
		md += "\n\nSee [" + mdText(rule.ID) + " in docs/rules.md](" + uri + ")."
	}
	rd.Help = sarif.NewMultiformatMessageString(text).WithMarkdown(md)
	rd.Properties = sarif.Properties{
		"security-severity": securitySeverity(rule.Severity),
		"tags":              []string{"security", "supply-chain", ruleFamily(rule.ID)},
	}
	return rd
}

// securitySeverity is the CVSS-like score code scanning ranks alerts by
// (over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low).
func securitySeverity(s record.Severity) string {
	switch s {
	case record.Critical:
		return "9.5"
	case record.High:
		return "8.0"
	case record.Medium:
		return "5.5"
	case record.Low:
		return "3.0"
	}
	return "0.0"
}

// ruleFamily is the tag grouping a rule with its kind of check.
func ruleFamily(id string) string {
	switch id {
	case "typosquat", "namespace-collision", "mixed-script":
		return "typosquatting"
	case "lookalike-domain":
		return "lookalike-domain"
	case "campaign-member":
		return "campaign"
	case "known-malicious":
		return "known-malicious"
	case "checksum-disabled":
		return "registry-configuration"
	case "lure-text", "shortener-link", "ip-link", "punycode-link", "link-text-mismatch",
		"lookalike-link", "link-density", "tracking-link", "content-truncated":
		return "package-content"
	}
	for _, p := range []struct{ prefix, family string }{
		{"archive-", "archive"}, {"email-", "phishing"}, {"registry-", "registry-configuration"},
		{"release-", "release"}, {"npm-", "registry-metadata"},
	} {
		if strings.HasPrefix(id, p.prefix) {
			return p.family
		}
	}
	return "malicious-code"
}

func sarifResult(paths *sarifPaths, res *record.Result, f *record.Finding, ruleIdx uint) *sarif.Result {
	at := paths.placeFinding(res, f)
	sr := sarif.NewRuleResult(f.Rule).
		WithRuleIndex(int(ruleIdx)).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewTextMessage(nonEmpty(f.Message, f.Rule)))
	sr.AddLocation(sarifLocation(res, at))
	props := sarif.Properties{
		"ecosystem":  string(res.Ecosystem),
		"name":       res.Name,
		"version":    res.Version,
		"verdict":    string(res.Verdict),
		"severity":   f.Severity.String(),
		"confidence": finite(f.Confidence),
	}
	if len(f.Evidence) > 0 {
		props["evidence"] = f.Evidence
	}
	sr.Properties = props
	sr.PartialFingerprints = map[string]any{fingerprintKey: findingFingerprint(res, f, at)}
	return sr
}

// sarifLocation locates a result: a logical location ecosystem/name always,
// plus a physical location when the finding has a place (see
// placeFinding); pseudo sources such as "argv", "stdin:3" or "feed:npm"
// get the logical one only.
func sarifLocation(res *record.Result, at place) *sarif.Location {
	fqn := string(res.Ecosystem) + "/" + res.Name
	loc := sarif.NewLocation().WithLogicalLocations([]*sarif.LogicalLocation{
		sarif.NewLogicalLocation().
			WithName(res.Name).
			WithFullyQualifiedName(fqn).
			WithKind("module"),
	})
	if at.ok {
		pl := sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(at.uri))
		if at.line > 0 {
			pl.WithRegion(sarif.NewRegion().WithStartLine(at.line))
		}
		loc.WithPhysicalLocation(pl)
	}
	return loc
}

// splitSource splits a result's Source ("requirements.txt:3") into file and
// line (0 when absent). ok is false when Source names no file: empty,
// "argv", "stdin", "-" (with or without a line), or a pseudo source like
// "feed:npm".
func splitSource(src string) (file string, line int, ok bool) {
	file = src
	if i := strings.LastIndexByte(src, ':'); i >= 0 {
		n, err := strconv.Atoi(src[i+1:])
		if err == nil && n > 0 && !strings.ContainsAny(src[i+1:], "+-") {
			file, line = src[:i], n
		}
	}
	if file == "" || pseudoFile(file) {
		return "", 0, false
	}
	// A colon left in the file part is a pseudo source ("feed:npm",
	// "https://...") unless it is a Windows drive letter.
	if j := strings.IndexByte(file, ':'); j >= 0 && !(j == 1 && isLetter(file[0]) && len(file) > 2 && (file[2] == '\\' || file[2] == '/')) {
		return "", 0, false
	}
	return file, line, true
}

func pseudoFile(f string) bool {
	switch f {
	case "argv", "stdin", "-", "<stdin>", "online":
		return true
	}
	return false
}

func isLetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// fileURI turns a file path into a relative (or file:) URI reference.
func fileURI(p string) string {
	p = filepath.ToSlash(p)
	if len(p) > 2 && p[1] == ':' && isLetter(p[0]) { // C:/x
		return (&url.URL{Scheme: "file", Path: "/" + p}).String()
	}
	if strings.HasPrefix(p, "/") {
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

// ruleName turns a rule id ("install-script") into the PascalCase name
// SARIF viewers show ("InstallScript").
func ruleName(id string) string {
	var b strings.Builder
	for part := range strings.FieldsFuncSeq(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		c, size := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(c))
		b.WriteString(part[size:])
	}
	return b.String()
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// fingerprintKey names pkgward's partial fingerprint. v2 added the
// finding's place and identifying evidence to v1's package and rule.
const fingerprintKey = "pkgward/v2"

// fingerprintEvidence are the evidence keys that tell two findings of one
// rule on one package apart (the package it imitates, the host or URL, the
// file and line inside the package). Scores and descriptions are left out:
// they change with the corpus and the rules, not with the finding.
var fingerprintEvidence = []string{"target", "host", "url", "domain", "path", "file", "line"}

// findingFingerprint identifies a finding across runs: package, rule, the
// repository-relative file and line it is reported at, identifying
// evidence and a hash of the code snippet. Nothing depends on the run (no
// absolute paths outside the repository, no times, no result order).
func findingFingerprint(res *record.Result, f *record.Finding, at place) string {
	parts := []string{string(res.Ecosystem), res.Name, res.Version, f.Rule, "at", at.key, strconv.Itoa(at.line)}
	for _, k := range fingerprintEvidence {
		if v, ok := f.Evidence[k]; ok {
			if n := evidenceInt(v); n > 0 {
				v = n
			}
			parts = append(parts, k, fmt.Sprint(v))
		}
	}
	if s, ok := f.Evidence["snippet"].(string); ok {
		parts = append(parts, "snippet", fingerprint(s))
	}
	return fingerprint(parts...)
}

func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:16])
}

// suppressionGUID derives a stable UUID (version 5 layout) for a suppressed
// finding from its fingerprint, as SARIF requires suppression guids to be
// UUIDs.
func suppressionGUID(fp string) string {
	h := sha256.Sum256([]byte("suppression\x00" + fp))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
