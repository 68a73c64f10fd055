package content

import (
	"fmt"
	"math"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/record"
)

// Rule ids of the content analyzer. Never rename or reuse one.
const (
	RuleLure      = "lure-text"
	RuleShortener = "shortener-link"
	RuleIPLink    = "ip-link"
	RulePunycode  = "punycode-link"
	RuleMismatch  = "link-text-mismatch"
	RuleLookalike = "lookalike-link"
	RuleDensity   = "link-density"
	RuleTracking  = "tracking-link"
	RuleTruncated = "content-truncated"
)

// DomainJudge judges a host or URL against protected domains;
// *domain.Engine implements it.
type DomainJudge interface {
	Judge(hostOrURL string) domain.Match
}

// Analyzer is the content analyzer: lures in a package's name,
// description, README and keywords, and suspicious links in its
// description, README, homepage and repository. It implements
// analysis.Analyzer, is immutable after construction and safe for
// concurrent use.
type Analyzer struct {
	judge   DomainJudge
	model   *model
	scratch sync.Pool
}

// Option configures an Analyzer.
type Option func(*Analyzer)

// WithPhrases replaces the lure phrase model (the default is
// DefaultPhrases). To extend the default, pass
// DefaultPhrases().Merge(yours).
func WithPhrases(p *Phrases) Option {
	return func(a *Analyzer) {
		if p != nil {
			a.model = compile(p)
		}
	}
}

// New returns an analyzer judging link hosts with domains (nil: no
// lookalike-link findings).
func New(domains *domain.Engine, opts ...Option) *Analyzer {
	if domains == nil {
		return NewWithJudge(nil, opts...)
	}
	return NewWithJudge(domains, opts...)
}

// NewWithJudge is New with any DomainJudge (nil: none).
func NewWithJudge(j DomainJudge, opts ...Option) *Analyzer {
	a := &Analyzer{judge: j}
	for _, o := range opts {
		o(a)
	}
	if a.model == nil {
		a.model = defaultModel()
	}
	a.scratch.New = func() any { return new(lureScratch) }
	return a
}

// Name implements analysis.Analyzer.
func (a *Analyzer) Name() string { return "content" }

// Rules implements analysis.Analyzer.
func (a *Analyzer) Rules() []record.Rule {
	return []record.Rule{
		{ID: RuleLure, Severity: record.High, Title: "Description or README lures with free game currency, followers, gift cards or cheats",
			Description: "Lure language of the spam campaigns (free Robux or V-Bucks, followers generators, gift cards, cheats, no human verification, urgency), found by a weighted phrase model over normalized text (case, confusables and leetspeak folded). A lure needs an offer and a hook together; high with several categories, or with a shortener, IP, punycode, lookalike or disguised link."},
		{ID: RuleShortener, Severity: record.Medium, Title: "Link through a URL shortener",
			Description: "A link to a URL shortener (bit.ly, tinyurl.com, …) hides its target; monetized shorteners and content lockers (adf.ly, linkvertise, sub2unlock) are the delivery channel of fake generators. Info alone (low for monetized ones), medium next to a lure."},
		{ID: RuleIPLink, Severity: record.Medium, Title: "Link to a raw IP address",
			Description: "A link whose host is a public IP address, or an IP address written in decimal, hex, octal or short form. Example, private and loopback addresses written plainly are ignored."},
		{ID: RulePunycode, Severity: record.Medium, Title: "Link to an internationalized host that imitates Latin letters",
			Description: "A link whose host is punycode or non-ASCII and mixes Latin letters with lookalike letters of another script, or is written wholly in letters imitating Latin ones (medium); an xn-- label that does not decode (low); other internationalized hosts (info). Next to a lure it raises the lure to high."},
		{ID: RuleMismatch, Severity: record.High, Title: "Link text shows one domain, the link goes to another",
			Description: "The visible text of a link names a domain (\"https://pypi.org/project/x\") but the link goes to another registrable domain, or hides its real host behind a user-info prefix (https://pypi.org@evil.example/)."},
		{ID: RuleLookalike, Severity: record.Critical, Title: "Link to a lookalike of a protected domain",
			Description: "A link to a host the domain engine judges a lookalike of a registry, code host or protected domain (typo, homoglyph, TLD swap, brand keyword)."},
		{ID: RuleDensity, Severity: record.Low, Title: "README made mostly of outbound links",
			Description: "Most of the README's text is link text (five or more external links). Weak alone (info), low next to a lure."},
		{ID: RuleTracking, Severity: record.Low, Title: "Link with affiliate or tracking parameters",
			Description: "Links carrying affiliate, sub-id or click-id parameters (aff_id, sub1, clickid, gclid…) as the campaigns' offers do; utm_* and ref= only count next to a lure. Info alone, low next to a lure."},
		{ID: RuleTruncated, Severity: record.Info, Title: "Content too large: only a prefix was analyzed",
			Description: "A README or description longer than 1 MiB: the first 1 MiB was analyzed; or more links than examined."},
	}
}

// fieldLink is a link and the field it came from.
type fieldLink struct {
	field Field
	Link
}

// linkHit is one rule's judgement of one link.
type linkHit struct {
	rule   string
	sev    record.Severity
	conf   float64
	field  Field
	link   Link
	detail string
	ev     map[string]any
	risky  bool            // a disguised or hidden destination: raises a lure
	full   record.Severity // the severity next to a lure or a disguise, when higher than sev
}

// noSeverity marks a hit that is not reported alone (only next to a
// lure, which raises it).
const noSeverity record.Severity = -1

// maxJudged bounds the distinct URLs one analysis asks the domain judge
// about.
const maxJudged = 128

// judgeCache memoizes the domain judge within one analysis.
type judgeCache struct {
	j    DomainJudge
	seen map[string]domain.Match
}

func (c *judgeCache) judge(href string) (domain.Match, bool) {
	if c.j == nil {
		return domain.Match{}, false
	}
	if m, ok := c.seen[href]; ok {
		return m, true
	}
	if len(c.seen) >= maxJudged {
		return domain.Match{}, false
	}
	if c.seen == nil {
		c.seen = map[string]domain.Match{}
	}
	m := c.j.Judge(href)
	c.seen[href] = m
	return m, true
}

// Analyze implements analysis.Analyzer.
func (a *Analyzer) Analyze(p *record.Package) []record.Finding {
	sc := a.scratch.Get().(*lureScratch)
	defer a.scratch.Put(sc)

	var desc Document
	if p.Description != "" {
		desc = ExtractText(p.Description)
	}
	var readme Document
	if p.Readme != "" {
		readme = ExtractReadme(p.Readme)
	}
	// The homepage and repository come first: the domain judge's budget
	// (maxJudged) must not be spent on README links before them.
	var links []fieldLink
	for _, f := range []struct {
		field Field
		value string
	}{{FieldHomepage, p.Homepage}, {FieldRepository, p.Repository}} {
		if f.value == "" {
			continue
		}
		if href, host, ok := cleanFieldURL(f.value); ok {
			links = append(links, fieldLink{f.field, Link{Href: href, Host: host, Kind: KindField}})
		}
	}
	for _, l := range desc.Links {
		links = append(links, fieldLink{FieldDescription, l})
	}
	for _, l := range readme.Links {
		links = append(links, fieldLink{FieldReadme, l})
	}

	var ws []lureWindow
	md := a.model
	ws = md.windows(FieldName, capString(p.Name), sc, ws)
	if desc.Text != "" {
		ws = md.windows(FieldDescription, desc.Text, sc, ws)
	}
	if readme.Text != "" {
		ws = md.windows(FieldReadme, readme.Text, sc, ws)
	}
	if len(p.Keywords) > 0 {
		ws = md.windows(FieldKeywords, capString(strings.Join(p.Keywords, "\n")), sc, ws)
	}
	tier, best := lureTier(ws)

	hits := a.linkHits(links)
	if h, ok := densityHit(readme); ok {
		hits = append(hits, h)
	}
	var out []record.Finding
	risky := map[string]bool{}
	supporting := false
	for _, h := range hits {
		if h.risky {
			risky[h.rule] = true
		}
		if h.rule == RuleTracking || h.rule == RuleDensity {
			supporting = true
		}
	}
	lure := tier > 0
	if lure {
		if supporting && tier < 3 {
			boosted := *best
			boosted.score++
			tier = max(tier, windowTier(&boosted))
		}
		if len(risky) > 0 && !best.countered && tier < 3 {
			tier++
		}
		out = append(out, lureFinding(md, best, tier, len(ws), risky, readme.Truncated))
	}
	out = append(out, groupLinkHits(hits, lure, readme.Truncated)...)
	for _, d := range []struct {
		field Field
		doc   Document
	}{{FieldDescription, desc}, {FieldReadme, readme}} {
		if d.doc.Truncated || d.doc.DroppedLinks > 0 || d.doc.SkippedHTML > 0 || d.doc.PlainBytes > 0 {
			out = append(out, truncatedFinding(d.field, d.doc))
		}
	}
	return out
}

// capString cuts s to MaxInput bytes at a rune boundary.
func capString(s string) string {
	b, _ := capInput([]byte(s))
	return string(b)
}

func lureFinding(md *model, w *lureWindow, tier, windows int, risky map[string]bool, truncated bool) record.Finding {
	sev := [...]record.Severity{record.Info, record.Low, record.Medium, record.High}[tier]
	conf := [...]float64{0, 0.5, 0.7, 0.9}[tier]
	var cats, titles []string
	for _, c := range w.cats {
		cats = append(cats, md.cats[c].Name)
		if md.cats[c].Roles&(RoleObject|RoleHook|RoleTool) != 0 {
			titles = append(titles, md.cats[c].Title)
		}
	}
	quotes := make([]string, 0, 4)
	for _, q := range w.quotes {
		if len(quotes) == 4 {
			break
		}
		quotes = append(quotes, fmt.Sprintf("%q", q))
	}
	msg := fmt.Sprintf("%s lures with %s (%s)", w.field, strings.Join(quotes, ", "), strings.Join(titles, "; "))
	ev := map[string]any{
		"field":      string(w.field),
		"matched":    w.quotes,
		"categories": cats,
		"score":      math.Round(w.score*10) / 10,
		"windows":    windows,
		"context":    w.context,
	}
	if w.countered {
		ev["defensive_context"] = true
		msg += "; near defensive words (scam, phishing, detect), so graded lower"
	}
	if len(risky) > 0 {
		var rs []string
		for r := range risky {
			rs = append(rs, r)
		}
		sort.Strings(rs)
		ev["with"] = rs
		msg += "; with " + strings.Join(rs, ", ")
	}
	if truncated && w.field == FieldReadme {
		ev["readme_truncated"] = true
	}
	return record.Finding{Rule: RuleLure, Severity: sev, Confidence: conf, Message: msg, Evidence: ev}
}

// linkHits applies the per-link rules.
func (a *Analyzer) linkHits(links []fieldLink) []linkHit {
	var hits []linkHit
	jc := &judgeCache{j: a.judge}
	judgedHosts := map[string]bool{}
	for _, l := range links {
		if d, class, ok := shortenerOf(l.Host); ok {
			sev := record.Info
			if class == shortenerMonetized {
				sev = record.Low
			}
			hits = append(hits, linkHit{rule: RuleShortener, sev: sev, conf: 0.4, field: l.field, link: l.Link, risky: true,
				detail: fmt.Sprintf("links to %s URL shortener %s", class, d),
				ev:     map[string]any{"shortener": d, "class": class}})
		}
		if addr, form, ok := parseIPHost(l.Host); ok {
			local := isLocalIP(addr)
			plain := form == ipDotted || form == ipV6
			var sev record.Severity
			switch {
			case local && plain:
				sev = noSeverity
			case local:
				sev = record.Info
			case plain:
				sev = record.Low
			default:
				sev = record.Medium
			}
			if sev != noSeverity {
				d := fmt.Sprintf("links to the IP address %s", addr)
				if !plain {
					d = fmt.Sprintf("links to an IP address written in %s form (%s is %s)", form, l.Host, addr)
				}
				hits = append(hits, linkHit{rule: RuleIPLink, sev: sev, conf: 0.6, field: l.field, link: l.Link, risky: !local,
					detail: d, ev: map[string]any{"ip": addr.String(), "form": form, "local": local}})
			}
		}
		if r, ok := inspectIDN(l.Host); ok {
			sev, risky := record.Info, false
			d := fmt.Sprintf("links to the internationalized host %s (%s)", r.unicode, r.ascii)
			switch r.class {
			case idnMixed:
				sev, risky = record.Medium, true
				d = fmt.Sprintf("links to %s (%s), which mixes %s letters: %s", r.unicode, r.ascii, strings.Join(r.scripts, " and "), describeLookalikes(r.lookalike))
			case idnLookalike:
				sev, risky = record.Medium, true
				d = fmt.Sprintf("links to %s (%s), written in %s letters that imitate Latin ones: %s", r.unicode, r.ascii, strings.Join(r.scripts, " and "), describeLookalikes(r.lookalike))
			case idnInvalid:
				sev, risky = record.Low, true
				d = fmt.Sprintf("links to %s, whose punycode does not decode", l.Host)
			}
			ev := map[string]any{"unicode": r.unicode, "punycode": r.ascii, "class": r.class}
			if len(r.scripts) > 0 {
				ev["scripts"] = r.scripts
			}
			if r.skeleton != "" && r.skeleton != r.unicode {
				ev["skeleton"] = r.skeleton
			}
			hits = append(hits, linkHit{rule: RulePunycode, sev: sev, conf: 0.7, field: l.field, link: l.Link, risky: risky, detail: d, ev: ev})
		}
		if h, ok := mismatch(l, jc); ok {
			hits = append(hits, h)
		}
		if class, names := trackingParams(l.Href); class != "" {
			sev := record.Info
			if class == trackCampaign {
				sev = noSeverity // only next to a lure
			}
			hits = append(hits, linkHit{rule: RuleTracking, sev: sev, conf: 0.3, field: l.field, link: l.Link,
				detail: fmt.Sprintf("links with %s parameters %s", class, strings.Join(names, ", ")),
				ev:     map[string]any{"class": class, "parameters": names}})
		}
		if !judgedHosts[l.Host] {
			judgedHosts[l.Host] = true
			if m, ok := jc.judge(l.Href); ok && m.Lookalike() {
				hits = append(hits, lookalikeHit(l, m))
			}
		}
	}
	// A disguised link whose target is also hidden or imitated, shown as
	// an official domain, is high.
	hidden := map[string]bool{}
	for _, h := range hits {
		if h.risky && h.rule != RuleMismatch {
			hidden[h.link.Href] = true
		}
	}
	disguised := map[string]bool{}
	for i := range hits {
		h := &hits[i]
		if h.rule == RuleMismatch && h.ev["shown_official"] == true {
			disguised[h.link.Href] = true
			if hidden[h.link.Href] {
				h.sev = record.High
			}
		}
	}
	// A lookalike behind link text that shows the official domain gets
	// the engine's grade.
	for i := range hits {
		h := &hits[i]
		if h.rule == RuleLookalike && disguised[h.link.Href] {
			h.sev = max(h.sev, h.full)
		}
	}
	return hits
}

// lookalikeHit reports a link to a lookalike domain. The domain engine
// grades it; in a description or README, where links to third-party sites
// about a registry are common, a lookalike alone is capped at medium and
// gets the engine's grade next to a lure or behind disguised link text.
// Homepage and repository fields keep the engine's grade.
func lookalikeHit(l fieldLink, m domain.Match) linkHit {
	full := max(m.Severity, record.Low)
	sev := full
	if l.field != FieldHomepage && l.field != FieldRepository {
		sev = min(sev, record.Medium)
	}
	d := fmt.Sprintf("links to %s, a lookalike of %s", m.Host, m.Target)
	if m.Brand != "" {
		d += " (" + m.Brand + ")"
	}
	if m.Detail != "" {
		d += ": " + m.Detail
	}
	ev := map[string]any{"target": m.Target, "technique": m.Technique, "registrable": m.Registrable, "engine_severity": m.Severity.String()}
	if m.Brand != "" {
		ev["brand"] = m.Brand
	}
	return linkHit{rule: RuleLookalike, sev: sev, full: full, conf: m.Confidence, field: l.field, link: l.Link, risky: true, detail: d, ev: ev}
}

func describeLookalikes(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%q (%U) looks like %q", k, []rune(k)[0], v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// mismatch checks a link whose visible text names a domain.
func mismatch(l fieldLink, jc *judgeCache) (linkHit, bool) {
	if l.Kind != KindInline && l.Kind != KindAuto && l.Kind != KindBare {
		return linkHit{}, false
	}
	// A user-info prefix that looks like a host: https://pypi.org@evil.example/
	if at := userInfoHost(l.Href); at != "" {
		return linkHit{rule: RuleMismatch, sev: record.Medium, conf: 0.8, field: l.field, link: l.Link, risky: true,
			detail: fmt.Sprintf("hides its host %s behind the user-info prefix %q", l.Host, at),
			ev:     map[string]any{"technique": "userinfo", "shown": at, "target_domain": registrable(l.Host)}}, true
	}
	if l.Kind != KindInline || l.Image || l.Text == "" {
		return linkHit{}, false
	}
	var shownHref, shownHost string
	findURLs([]byte(l.Text), true, func(href, host string) bool {
		shownHref, shownHost = href, host
		return false
	})
	if shownHost == "" || shownHost == l.Host {
		return linkHit{}, false
	}
	shownReg, targetReg := registrable(shownHost), registrable(l.Host)
	if shownReg == targetReg {
		return linkHit{}, false
	}
	// Wrappers that carry the shown address in the target's path
	// (pkg.go.dev/github.com/…, web.archive.org/web/…/https://…).
	if u, err := url.Parse(l.Href); err == nil && strings.Contains(strings.ToLower(u.Path+"?"+u.RawQuery+"#"+u.Fragment), shownHost) {
		return linkHit{}, false
	}
	officialShown := false
	ms, ok1 := jc.judge(shownHref)
	mt, ok2 := jc.judge(l.Href)
	if ok1 && ok2 {
		if ms.Official && mt.Official && ms.Brand != "" && ms.Brand == mt.Brand {
			return linkHit{}, false
		}
		officialShown = ms.Official && !mt.Official
	}
	explicit := strings.Contains(l.Text, "://") || hasPrefixFold(strings.TrimLeft(l.Text, " ([<"), "www.")
	sev, technique := record.Low, "other-domain"
	switch {
	case sameName(shownReg, targetReg):
		technique = "other-suffix"
	case explicit:
		sev = record.Medium
	}
	return linkHit{rule: RuleMismatch, sev: sev, conf: 0.7, field: l.field, link: l.Link, risky: sev >= record.Medium,
		detail: fmt.Sprintf("shows %q but links to %s", l.Text, l.Host),
		ev: map[string]any{"shown": l.Text, "shown_domain": shownReg, "target_domain": targetReg,
			"technique": technique, "shown_official": officialShown}}, true
}

// sameName reports whether two registrable domains differ only in their
// public suffix (npmjs.com, npmjs.org).
func sameName(a, b string) bool {
	ia, ib := strings.IndexByte(a, '.'), strings.IndexByte(b, '.')
	return ia > 0 && ib > 0 && a[:ia] == b[:ib]
}

// userInfoHost returns the user-info part of href when it looks like a
// host name (has a dot and no spaces), else "".
func userInfoHost(href string) string {
	i := strings.Index(href, "://")
	if i < 0 {
		return ""
	}
	auth := href[i+3:]
	if j := strings.IndexAny(auth, "/?#"); j >= 0 {
		auth = auth[:j]
	}
	at := strings.LastIndexByte(auth, '@')
	if at <= 0 {
		return ""
	}
	user := auth[:at]
	if k := strings.IndexByte(user, ':'); k >= 0 {
		user = user[:k]
	}
	if strings.Contains(user, ".") {
		return user
	}
	return ""
}

// densityHit reports a README made mostly of outbound links.
func densityHit(d Document) (linkHit, bool) {
	external := 0
	hosts := map[string]int{}
	for _, l := range d.Links {
		if l.Kind == KindInline || l.Kind == KindAuto {
			if !l.Image {
				external++
				hosts[l.Host]++
			}
		}
	}
	visible := len(d.Text) + d.CodeBytes
	if external < 5 || visible == 0 {
		return linkHit{}, false
	}
	ratio := float64(d.LinkTextBytes) / float64(visible)
	if ratio < 0.5 {
		return linkHit{}, false
	}
	top, topN := "", 0
	for h, n := range hosts {
		if n > topN || (n == topN && h < top) {
			top, topN = h, n
		}
	}
	return linkHit{rule: RuleDensity, sev: record.Info, conf: 0.3, field: FieldReadme,
		link:   Link{Href: "", Host: top},
		detail: fmt.Sprintf("is mostly links: %.0f%% of its text is link text, %d external links to %d hosts", ratio*100, external, len(hosts)),
		ev: map[string]any{"link_text_ratio": math.Round(ratio*100) / 100, "external_links": external,
			"hosts": len(hosts), "top_host": top, "top_host_links": topN}}, true
}

// groupLinkHits makes one finding per rule, from its most severe hit,
// listing the other links. Next to a lure, disguised and hidden links are
// raised to medium and supporting signals to low.
func groupLinkHits(hits []linkHit, lure, readmeTruncated bool) []record.Finding {
	byRule := map[string][]linkHit{}
	var order []string
	for _, h := range hits {
		if lure {
			switch {
			case h.risky:
				h.sev = max(h.sev, h.full, record.Medium)
			case h.rule == RuleTracking || h.rule == RuleDensity:
				h.sev = max(h.sev, record.Low)
			}
		}
		if h.sev == noSeverity {
			continue
		}
		if _, ok := byRule[h.rule]; !ok {
			order = append(order, h.rule)
		}
		byRule[h.rule] = append(byRule[h.rule], h)
	}
	var out []record.Finding
	for _, rule := range order {
		hs := byRule[rule]
		best := 0
		for i, h := range hs {
			if h.sev > hs[best].sev {
				best = i
			}
		}
		b := hs[best]
		ev := map[string]any{"field": string(b.field)}
		for k, v := range b.ev {
			ev[k] = v
		}
		if b.link.Href != "" {
			ev["url"] = b.link.Href
			ev["host"] = b.link.Host
		}
		if b.link.Text != "" {
			ev["text"] = b.link.Text
		}
		seen := map[string]bool{}
		var urls []string
		for _, h := range hs {
			key := string(h.field) + ": " + h.link.Href
			if h.link.Href == "" || seen[key] {
				continue
			}
			seen[key] = true
			if len(urls) < 5 {
				urls = append(urls, key)
			}
		}
		msg := fmt.Sprintf("%s %s", b.field, b.detail)
		if b.link.Href != "" && rule != RuleMismatch {
			msg += ": " + b.link.Href
		}
		if len(seen) > 1 {
			ev["urls"] = urls
			ev["count"] = len(seen)
			msg += fmt.Sprintf(" (%d such links)", len(seen))
		}
		if lure && (b.risky || rule == RuleTracking || rule == RuleDensity) {
			ev["with_lure"] = true
		}
		if readmeTruncated && b.field == FieldReadme {
			ev["readme_truncated"] = true
		}
		out = append(out, record.Finding{Rule: rule, Severity: b.sev, Confidence: b.conf, Message: msg, Evidence: ev})
	}
	return out
}

func truncatedFinding(field Field, d Document) record.Finding {
	ev := map[string]any{"field": string(field), "bytes": d.InputBytes}
	var parts []string
	if d.Truncated {
		ev["analyzed_bytes"] = MaxInput
		parts = append(parts, fmt.Sprintf("is %d bytes; only the first %d were analyzed", d.InputBytes, MaxInput))
	}
	if d.DroppedLinks > 0 {
		ev["links_examined"] = len(d.Links)
		ev["links_skipped"] = d.DroppedLinks
		parts = append(parts, fmt.Sprintf("has more than %d links; %d were not examined", MaxLinks, d.DroppedLinks))
	}
	if d.PlainBytes > 0 {
		ev["plain_text_bytes"] = d.PlainBytes
		parts = append(parts, fmt.Sprintf("has more than %d Markdown delimiters; its last %d bytes were read as plain text", maxMarkdownDelims, d.PlainBytes))
	}
	if d.SkippedHTML > 0 {
		ev["html_tags_skipped"] = d.SkippedHTML
		parts = append(parts, fmt.Sprintf("has more than %d inline HTML tags; %d were not read", maxHTMLFragments, d.SkippedHTML))
	}
	return record.Finding{Rule: RuleTruncated, Severity: record.Info, Confidence: 1,
		Message: fmt.Sprintf("%s %s", field, strings.Join(parts, " and ")), Evidence: ev}
}
