package domain

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pkgward/pkgward/internal/confusable"
	"github.com/pkgward/pkgward/internal/record"
)

// candidate is one technique's verdict on a host; Judge keeps the best.
type candidate struct {
	entry      int // index of the target entry; -1 for AnyRegistry
	tech       string
	sev        record.Severity
	conf       float64
	dist       int
	detail     string
	words      []string
	lookalikes map[string]string
}

// better orders candidates by severity, then confidence; the first of equals
// wins, so results do not depend on anything but the input and the data.
func (c candidate) better(o candidate) bool {
	if o.tech == "" || c.sev != o.sev {
		return o.tech == "" || c.sev > o.sev
	}
	return c.conf > o.conf
}

// Label lengths below which edit techniques are not used. A one-edit
// neighbourhood of a short label is full of honest names (pypy.org is one
// vowel from pypi.org; every two-letter .dev domain is one edit from
// go.dev), so 4-letter labels only report slips of the finger or eye
// (neighbouring key, lookalike character, swapped or doubled letter) and
// shorter labels none.
const (
	minEditLabel      = 4 // restricted single edits
	minAnyEditLabel   = 5 // every single edit
	minTwoEditsLabel  = 8 // two edits (same suffix only)
	minHyphenateLabel = 4
)

// asciiForm returns the label to compare: the ASCII label, or for a
// label with non-ASCII characters its confusable skeleton when that is
// ASCII (the lookalikes already folded). ok is false when the label
// cannot be read as ASCII.
func asciiForm(label, labelUni string) (s string, folded, ok bool) {
	if label == labelUni {
		return label, false, true
	}
	sk := confusable.Skeleton(labelUni)
	for i := 0; i < len(sk); i++ {
		if sk[i] >= 0x80 {
			return "", false, false
		}
	}
	return sk, true, true
}

// wholeDomain: the registrable domain reads as a protected domain once
// lookalike characters are folded ("руpi.org", "g0lang.org", "gо.dev").
func (e *Engine) wholeDomain(n name, consider func(candidate)) {
	i, ok := e.bySkel[confusable.Skeleton(n.regUni)]
	if !ok || e.entries[i].domain == n.reg {
		return
	}
	en := &e.entries[i]
	la := confusable.Lookalikes(n.regUni)
	conf := 0.95
	if len(la) > 0 {
		conf = 0.97
	}
	consider(candidate{entry: i, tech: TechHomoglyph, sev: record.High, conf: conf, lookalikes: la,
		detail: fmt.Sprintf("%s reads as %s %s: it is written with lookalike characters%s", n.shown(), en.possessive(), en.domain, describeLookalikes(la)+asciiLookalikes(n.reg, en.domain))})
}

// labelTechniques compares the label with every protected label: label
// homoglyph, TLD swap, hyphenation and edits.
func (e *Engine) labelTechniques(n name, consider func(candidate)) {
	cl, folded, ascii := asciiForm(n.label, n.labelU)
	skel := confusable.Skeleton(n.labelU)
	flat := stripDelims(cl)
	var la map[string]string
	if folded || skel != n.label {
		la = confusable.Lookalikes(n.labelU)
	}
	pagesHost := e.pages[n.suffix]
	for i := range e.entries {
		en := &e.entries[i]
		if en.generic || en.label == "" || en.reg == n.reg {
			continue
		}
		same := n.suffix == en.suffix
		switch {
		case n.label == en.label:
			// TLD swap. On a pages host (pypa.github.io) a label equal to
			// the brand's is the project's own organization; under any
			// other private suffix (discord.js.org) a project's site.
			if same || pagesHost || n.private || (en.ccTLDs && countrySuffix(n.suffix)) {
				continue
			}
			c := candidate{entry: i, tech: TechTLDSwap, sev: record.High, conf: 0.9,
				detail: fmt.Sprintf("%s is %s name %q under another suffix: .%s instead of .%s (%s)", n.shown(), en.possessive(), en.label, n.suffix, en.suffix, en.domain)}
			if en.manyTLDs {
				c.sev, c.conf = record.Medium, 0.5
				c.detail += fmt.Sprintf("; %s runs its name under many country suffixes, check who owns it", en.brand)
			} else if en.word {
				c.sev, c.conf = record.Medium, 0.5
				c.detail += fmt.Sprintf("; %q is an ordinary word, check who owns it", en.label)
			}
			consider(c)
			continue
		case len(en.label) >= minEditLabel && skel == en.labelSkel:
			conf := 0.95
			if !same {
				conf = 0.85
			}
			consider(candidate{entry: i, tech: TechHomoglyph, sev: record.High, conf: conf, lookalikes: la,
				detail: fmt.Sprintf("%s reads as %s %s: %q is written with lookalike characters%s%s", n.shown(), en.possessive(), en.domain, n.labelU, describeLookalikes(la)+asciiLookalikes(n.label, en.label), suffixNote(n.suffix, en.suffix))})
			continue
		}
		if !ascii || en.word {
			continue
		}
		if len(en.label) >= minHyphenateLabel && cl != en.label && flat == en.flat {
			c := candidate{entry: i, tech: TechHyphenation, sev: record.High, conf: 0.85,
				detail: fmt.Sprintf("%s is %s %s with hyphens changed%s", n.shown(), en.possessive(), en.domain, suffixNote(n.suffix, en.suffix))}
			if !same {
				c.sev, c.conf = record.Medium, 0.6
			}
			consider(c)
			continue
		}
		e.edits(n, cl, folded, la, i, same, consider)
	}
}

// edits reports a label one edit (two for long labels) from a protected
// label.
func (e *Engine) edits(n name, cl string, folded bool, la map[string]string, i int, same bool, consider func(candidate)) {
	en := &e.entries[i]
	L := len(en.label)
	if L < minEditLabel || cl == en.label || len(cl) > L+2 || len(cl) < L-2 {
		return
	}
	prefix := ""
	if folded {
		prefix = TechHomoglyph + "+"
	}
	note := func() string {
		s := suffixNote(n.suffix, en.suffix)
		if folded {
			s = " (after reading lookalike characters" + describeLookalikes(la) + ")" + s
		}
		return s
	}
	if ch, ok := singleEdit(cl, en.label); ok {
		c := candidate{entry: i, tech: prefix + ch.tech, dist: 1, lookalikes: la}
		switch {
		case L >= minAnyEditLabel && same:
			// A slip of the finger or eye (keyboard neighbour, lookalike
			// letter, swap, doubling) is what squatters register; an
			// arbitrary letter change on a short label is as often an
			// unrelated honest name (fuget.org), so it only warns.
			c.sev, c.conf = record.High, 0.9
			if ch.tech == TechSubstitution && !ch.plausible && L < 7 {
				c.sev, c.conf = record.Medium, 0.6
			}
		case L >= minAnyEditLabel:
			c.sev, c.conf = record.Medium, 0.6
		case !ch.plausible:
			return
		case ch.tech == TechHomoglyph || folded:
			c.sev, c.conf = record.High, 0.85
			if !same {
				c.sev, c.conf = record.Medium, 0.6
			}
		case same:
			c.sev, c.conf = record.Medium, 0.6
		default:
			return
		}
		c.detail = fmt.Sprintf("%s looks like %s %s: %s%s", n.shown(), en.possessive(), en.domain, ch.phrase(), note())
		consider(c)
		return
	}
	if L >= minTwoEditsLabel && same && distanceAtMost2(cl, en.label) {
		consider(candidate{entry: i, tech: prefix + TechTwoEdits, sev: record.Medium, conf: 0.55, dist: 2, lookalikes: la,
			detail: fmt.Sprintf("%s looks like %s %s: two edits from %q%s", n.shown(), en.possessive(), en.domain, en.label, note())})
	}
}

// keyword: the label holds a brand's name plus other words
// ("npmjs-support", "securepypi", "pypihosted").
func (e *Engine) keyword(n name, consider func(candidate)) {
	cl, _, ok := asciiForm(n.label, n.labelU)
	if !ok {
		return
	}
	for _, t := range e.tokens {
		k := strings.Index(cl, t.word)
		if k < 0 {
			continue
		}
		if cl == t.word || (e.pages[n.suffix] && stripDelims(cl) == t.word) {
			return
		}
		w := e.dict.analyze(cl[:k], cl[k+len(t.word):])
		if len(w.known) == 0 && len(w.unknown) == 0 {
			return
		}
		en := &e.entries[t.entry]
		quoted := quoteWords(w.known)
		c := candidate{entry: t.entry, tech: TechBrandKeyword, words: w.known}
		switch {
		case len(w.unknown) == 0 && w.hosting && e.filesOf(en) >= 0:
			c.entry = e.filesOf(en)
			f := &e.entries[c.entry]
			c.tech, c.sev, c.conf = TechHosting, record.High, 0.85
			c.detail = fmt.Sprintf("%s imitates %s file host %s: the name %q plus %s", n.shown(), f.possessive(), f.domain, t.word, quoted)
		case len(w.unknown) == 0 && w.lure:
			c.sev, c.conf = record.High, 0.85
			c.detail = fmt.Sprintf("%s is %s name %q plus %s, a lure of phishing mail; %s domain is %s", n.shown(), en.possessive(), t.word, quoted, en.possessive(), en.domain)
		case len(w.unknown) == 0 && n.private:
			// A user's project site under a platform's suffix
			// (discord-py.readthedocs.io): no lure, no finding.
			return
		case len(w.unknown) == 0:
			c.sev, c.conf = record.Medium, 0.6
			c.detail = fmt.Sprintf("%s is %s name %q plus %s; %s domain is %s", n.shown(), en.possessive(), t.word, quoted, en.possessive(), en.domain)
		case w.lure:
			c.sev, c.conf = record.Medium, 0.5
			c.detail = fmt.Sprintf("%s is %s name %q plus %s and other words; %s domain is %s", n.shown(), en.possessive(), t.word, quoted, en.possessive(), en.domain)
		default:
			// The brand plus words that are no lure (npmtrends.com,
			// pypistats.org): a third-party site about the brand.
			return
		}
		consider(c)
		return
	}
}

// brandToken: a brand's name as a whole token of the label beside any
// other token ("github-security-alerts", "azure-devops-login",
// "discord-nitro-app"): the extra words are anything, not a list. Lure
// words of accounts, security or support make it high; other words
// medium, except under a private suffix
// (x.vercel.app, x.readthedocs.io), where users name their projects after
// the platform they build on. A brand that is an ordinary word ("python",
// "rust", "go") is reported only beside account, security or registry
// words, and never under a private suffix.
func (e *Engine) brandToken(n name, consider func(candidate)) {
	cl, _, ok := asciiForm(n.label, n.labelU)
	if !ok {
		return
	}
	if !strings.ContainsAny(cl, "-_") {
		return
	}
	parts := strings.FieldsFunc(cl, isDelimiter)
	if len(parts) < 2 {
		return
	}
	for _, t := range e.whole {
		k := indexSeq(parts, t.parts)
		if k < 0 {
			continue
		}
		rest := make([]string, 0, len(parts)-len(t.parts))
		rest = append(rest, parts[:k]...)
		rest = append(rest, parts[k+len(t.parts):]...)
		if len(rest) == 0 {
			continue
		}
		if e.pages[n.suffix] && e.entries[t.entry].label == stripDelims(cl) {
			return
		}
		w := e.dict.analyze(rest...)
		en := &e.entries[t.entry]
		brand := strings.Join(t.parts, "-")
		all := append(append([]string{}, w.known...), w.unknown...)
		c := candidate{entry: t.entry, tech: TechBrandKeyword, words: all}
		account := accountContext(w.known)
		switch {
		case t.word && (n.private || (!account && !w.core)):
			continue
		case t.word && account && w.core:
			c.sev, c.conf = record.High, 0.8
		case t.word:
			c.sev, c.conf = record.Medium, 0.5
		case account || strongLure(w.known):
			c.sev, c.conf = record.High, 0.85
		case n.private && !w.lure:
			continue
		case w.lure:
			// Weak lure words only ("user", "team", "www"): an AWS user
			// group, a team's site.
			c.sev, c.conf = record.Medium, 0.6
		default:
			c.sev, c.conf = record.Medium, 0.6
		}
		c.detail = fmt.Sprintf("%s has %s name %q as a word beside %s; %s domain is %s", n.shown(), en.possessive(), brand, quoteWords(all), en.possessive(), en.domain)
		if c.sev >= record.High {
			c.detail += "; the other words are a lure of phishing mail"
		}
		consider(c)
		return
	}
	e.typoToken(n, parts, consider)
}

// typoToken: a token one plausible edit from a distinctive brand of five
// letters or more, beside an account, security or support word
// ("githhub-security", "gitlab-suport-login"): both an edit and a lure.
func (e *Engine) typoToken(n name, parts []string, consider func(candidate)) {
	if !strongLure(e.dict.analyze(parts...).known) {
		return
	}
	for k, p := range parts {
		if len(p) < 5 {
			continue
		}
		for _, t := range e.whole {
			if t.word || len(t.parts) != 1 || len(t.parts[0]) < 5 {
				continue
			}
			ch, ok := singleEdit(p, t.parts[0])
			if !ok || !ch.plausible {
				continue
			}
			rest := make([]string, 0, len(parts)-1)
			rest = append(rest, parts[:k]...)
			rest = append(rest, parts[k+1:]...)
			w := e.dict.analyze(rest...)
			if !strongLure(w.known) {
				continue
			}
			en := &e.entries[t.entry]
			consider(candidate{entry: t.entry, tech: TechBrandKeyword + "+" + ch.tech, sev: record.High, conf: 0.8, dist: 1, words: w.known,
				detail: fmt.Sprintf("%s has %q, %s name %q with one edit (%s), beside %s, a lure of phishing mail; %s domain is %s",
					n.shown(), p, en.possessive(), t.parts[0], ch.phrase(), quoteWords(w.known), en.possessive(), en.domain)})
			return
		}
	}
}

// countrySuffix reports a public suffix that ends in a country code
// ("cn", "co.uk", "com.br").
func countrySuffix(s string) bool {
	i := strings.LastIndexByte(s, '.')
	return len(s)-i-1 == 2
}

// indexSeq returns where seq starts in parts as consecutive whole
// elements, or -1.
func indexSeq(parts, seq []string) int {
	for i := 0; i+len(seq) <= len(parts); i++ {
		match := true
		for j, s := range seq {
			if parts[i+j] != s {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// filesOf returns the file-host entry of en's brand, or -1.
func (e *Engine) filesOf(en *entry) int {
	for i := range e.entries {
		if f := &e.entries[i]; f.role == RoleFiles && f.brand == en.brand && en.role != RoleUser {
			return i
		}
	}
	return -1
}

// subdomain: a protected domain written in front of another registrable
// domain ("npmjs.com.account-verify.io"), or a brand's name as a
// subdomain of a domain made only of lure words ("pypi.secure-login.net").
func (e *Engine) subdomain(n name, consider func(candidate)) {
	for i := range n.sub {
		for k := 1; k <= 3 && i+k <= len(n.sub); k++ {
			d := strings.Join(n.sub[i:i+k], ".")
			j, ok := e.byDomain[d]
			if !ok {
				continue
			}
			en := &e.entries[j]
			consider(candidate{entry: j, tech: TechBrandSubdomain, sev: record.High, conf: 0.95,
				detail: fmt.Sprintf("%s puts %s %s in front of another domain: the host belongs to %s", n.hostShown(), en.possessive(), en.domain, n.shown())})
			return
		}
	}
	var w words
	analyzed := false
	for _, s := range n.sub {
		for _, t := range e.tokens {
			if s != t.word {
				continue
			}
			if !analyzed {
				w, analyzed = e.dict.analyze(n.label), true
			}
			if len(w.unknown) > 0 || len(w.known) == 0 {
				return
			}
			en := &e.entries[t.entry]
			consider(candidate{entry: t.entry, tech: TechBrandSubdomain, sev: record.High, conf: 0.85, words: w.known,
				detail: fmt.Sprintf("%s puts %s name %q in a subdomain of %s, a domain made of lure words (%s); %s domain is %s",
					n.hostShown(), en.possessive(), t.word, n.shown(), strings.Join(w.known, ", "), en.possessive(), en.domain)})
			return
		}
	}
	e.subdomainToken(n, consider)
}

// subdomainToken: a subdomain label holding a distinctive brand as a whole
// token beside an account, security or support word
// ("github-login.example-cdn.net", "azure-verify.somehost.net": the
// hosting services the public-suffix list does not know). Medium: a
// company's own single sign-on host may be named so.
func (e *Engine) subdomainToken(n name, consider func(candidate)) {
	for _, s := range n.sub {
		if !strings.ContainsAny(s, "-_") {
			continue
		}
		parts := strings.FieldsFunc(s, isDelimiter)
		for _, t := range e.whole {
			if t.word {
				continue
			}
			k := indexSeq(parts, t.parts)
			if k < 0 {
				continue
			}
			rest := make([]string, 0, len(parts))
			rest = append(rest, parts[:k]...)
			rest = append(rest, parts[k+len(t.parts):]...)
			w := e.dict.analyze(rest...)
			if !strongLure(w.known) {
				break
			}
			en := &e.entries[t.entry]
			consider(candidate{entry: t.entry, tech: TechBrandSubdomain, sev: record.Medium, conf: 0.6, words: w.known,
				detail: fmt.Sprintf("%s has %s name %q beside %s in a subdomain of %s; %s domain is %s",
					n.hostShown(), en.possessive(), strings.Join(t.parts, "-"), quoteWords(w.known), n.shown(), en.possessive(), en.domain)})
			return
		}
	}
}

// userinfo: a URL that shows a protected domain before "@" but leads to
// another host ("https://npmjs.com@evil.example/").
func (e *Engine) userinfo(h host, consider func(candidate)) {
	ui, _, _ := strings.Cut(h.userinfo, ":")
	if !strings.Contains(ui, ".") {
		return
	}
	u, err := parseHost(ui)
	if err != nil || u.ip {
		return
	}
	i, ok := e.official(u.ascii)
	if !ok {
		return
	}
	en := &e.entries[i]
	consider(candidate{entry: i, tech: TechBrandUserinfo, sev: record.High, conf: 0.95,
		detail: fmt.Sprintf("the address shows %s (%s) before \"@\", but leads to %s", u.uni, en.brand, h.uni)})
}

// registryWords maps the words of a registry lure that name an ecosystem
// to the protected domain it imitates.
var registryWords = map[string]string{
	"pip": "pypi.org", "pypi": "pypi.org", "wheel": "pypi.org", "wheels": "pypi.org",
	"gem": "rubygems.org", "gems": "rubygems.org", "rubygems": "rubygems.org",
	"crate": "crates.io", "crates": "crates.io", "cargo": "crates.io",
	"npm": "npmjs.com", "npmjs": "npmjs.com", "yarn": "npmjs.com",
	"nuget": "nuget.org", "golang": "golang.org",
}

// registryLure: a label made only of registry, hosting and lure words
// without any brand ("secure-package-repo.com"): weaker evidence, medium.
func (e *Engine) registryLure(n name, consider func(candidate)) {
	cl, _, ok := asciiForm(n.label, n.labelU)
	if !ok {
		return
	}
	w := e.dict.analyze(cl)
	if len(w.unknown) > 0 || len(w.known) < 2 || !w.core || !(w.lure || w.cores >= 2) {
		return
	}
	c := candidate{entry: -1, tech: TechRegistryLure, sev: record.Medium, conf: 0.45, words: w.known,
		detail: fmt.Sprintf("%s is made only of registry and lure words (%s) and belongs to no registry", n.shown(), strings.Join(w.known, ", "))}
	for _, word := range w.known {
		if d, ok := registryWords[word]; ok {
			if i, ok := e.byDomain[d]; ok {
				c.entry = i
				c.detail += fmt.Sprintf("; %s domain is %s", e.entries[i].possessive(), d)
				break
			}
		}
	}
	consider(c)
}

func stripDelims(s string) string {
	return strings.Map(func(r rune) rune {
		if isDelimiter(r) {
			return -1
		}
		return r
	}, s)
}

func suffixNote(got, want string) string {
	if got == want {
		return ""
	}
	return fmt.Sprintf(", under .%s instead of .%s", got, want)
}

func quoteWords(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, " and ")
}

// lookalikeList renders lookalikes as "р→p,у→y" (sorted, stable).
func lookalikeList(la map[string]string) string {
	parts := make([]string, 0, len(la))
	for k, v := range la {
		parts = append(parts, fmt.Sprintf("%s→%s", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// describeLookalikes is " (р U+0440 for p, у U+0443 for y)" or "".
func describeLookalikes(la map[string]string) string {
	if len(la) == 0 {
		return ""
	}
	keys := make([]string, 0, len(la))
	for k := range la {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s U+%04X for %s", k, []rune(k)[0], la[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// shown is the registrable domain for messages: its Unicode form, followed
// by the punycode form when they differ ("руpi.org (xn--pi-kmcm.org)").
func (n *name) shown() string {
	if n.regUni == n.reg {
		return n.regUni
	}
	return n.regUni + " (" + n.reg + ")"
}

// hostShown is shown for the whole host.
func (n *name) hostShown() string {
	if n.host.uni == n.host.ascii {
		return n.host.uni
	}
	return n.host.uni + " (" + n.host.ascii + ")"
}

// asciiLookalikes names the ASCII confusions the skeleton folded in got
// and that want lacks: " (0 for o, rn for m)", or "".
func asciiLookalikes(got, want string) string {
	var parts []string
	for _, p := range [...]struct{ look, real string }{{"0", "o"}, {"1", "l"}, {"rn", "m"}, {"vv", "w"}} {
		if strings.Contains(got, p.look) && !strings.Contains(want, p.look) {
			parts = append(parts, p.look+" for "+p.real)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
