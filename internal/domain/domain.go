package domain

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/pkgward/pkgward/internal/record"
)

// RuleLookalike is the rule id of findings on lookalike domains.
const RuleLookalike = "lookalike-domain"

// Match is the judgement of one host name.
type Match struct {
	Input       string // as given (host or URL)
	Host        string // lower-cased, IDNA-decoded to Unicode where punycode, no port
	Registrable string // eTLD+1 from the public-suffix list
	Official    bool   // a protected domain or one of its genuine subdomains
	Target      string // the protected domain imitated; "" when none
	Brand       string // who owns the target: "npm", "PyPI", "GitHub", or the user's label
	Technique   string // how: "tld-swap", "omission", "homoglyph", "brand-keyword", "brand-subdomain", ...
	Severity    record.Severity
	Confidence  float64
	Detail      string // one human sentence

	// Protected is, for an official host, the protected domain it is or
	// sits under ("npmjs.com" for docs.npmjs.com).
	Protected string
	// Ecosystem is the ecosystem of Target or Protected ("" for code hosts,
	// your own domains and unattributed registry lures).
	Ecosystem string
	// Distance is the edit distance of the label to the target's label for
	// edit techniques (1 or 2), else 0.
	Distance int
	// Words are the words found beside the brand (brand-keyword,
	// hosting-lookalike, brand-subdomain) or making up a registry lure.
	Words []string
	// Lookalikes maps each non-ASCII character of a homoglyph to the ASCII
	// it imitates.
	Lookalikes map[string]string
	// Known describes a known third-party site (never reported).
	Known string
	// Err is set when the input is not a host name; nothing was judged.
	Err error
}

// Lookalike reports whether the host imitates a protected domain. A
// registry lure without a brand has the pseudo target AnyRegistry unless
// its words name an ecosystem.
func (m Match) Lookalike() bool { return m.Target != "" && !m.Official }

// AnyRegistry is the Target of a registry lure whose words name no
// particular registry ("secure-package-repo.com").
const AnyRegistry = "any package registry"

// Engine judges host names against the protected domains. It is immutable
// after New and safe for concurrent use.
type Engine struct {
	entries  []entry
	byDomain map[string]int // protected domain → entry
	bySkel   map[string]int // skeleton of a protected domain → first entry
	pages    map[string]bool
	known    map[string]string
	tokens   []token // brand tokens, longest first
	whole    []wholeToken
	dict     *dictionary
}

// wholeToken is a brand's name as a whole token of a label, split on its
// own delimiters ("rust-lang" → rust, lang).
type wholeToken struct {
	parts []string
	entry int
	word  bool // an ordinary word: reported only beside account or registry words
}

// Brand is a brand you protect (brands: in the configuration): its name,
// its official domains (each and every host under it official) and other
// names it goes by as a whole token of a domain label ("acme" for
// acme-corp.com). Word marks a name that is an ordinary word: see the
// word flag of data/protected.tsv.
type Brand struct {
	Name    string
	Domains []string
	Aliases []string
	Word    bool
}

// token is a brand's name as it appears inside other labels.
type token struct {
	word  string
	entry int
}

// New returns an engine protecting the embedded list of registry, code
// host, cloud, CI, chat and foundation domains plus extra (the user's own
// domains, from config) and brands (the user's brands). Domains that are
// not host names (see ParseHost) are ignored; validate them with ParseHost
// first to report them.
func New(extra []string, brands ...Brand) *Engine {
	entries, err := parseProtected()
	if err != nil {
		panic("domain: embedded data: " + err.Error())
	}
	known, err := parseKnown()
	if err != nil {
		panic("domain: embedded data: " + err.Error())
	}
	e := &Engine{
		byDomain: make(map[string]int),
		bySkel:   make(map[string]int),
		pages:    make(map[string]bool),
		known:    known,
		dict:     newDictionary(),
	}
	for _, x := range extra {
		h, err := parseHost(x)
		if err != nil || h.ip {
			continue
		}
		entries = append(entries, entry{domain: h.ascii, role: RoleUser})
	}
	for _, b := range brands {
		for k, d := range b.Domains {
			h, err := parseHost(d)
			if err != nil || h.ip {
				continue
			}
			en := entry{domain: h.ascii, role: RoleUser, brand: strings.TrimSpace(b.Name), word: b.Word, noKeyword: b.Word}
			if k == 0 {
				for _, a := range b.Aliases {
					if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
						en.aliases = append(en.aliases, a)
					}
				}
			}
			entries = append(entries, en)
		}
	}
	for _, en := range entries {
		if _, dup := e.byDomain[en.domain]; dup {
			continue
		}
		en.fill()
		if en.role == RoleUser && en.brand == "" {
			en.brand = en.label
			if en.brand == "" {
				en.brand = en.domain
			}
		} else if en.role == RoleUser {
			en.named = true
		}
		i := len(e.entries)
		e.entries = append(e.entries, en)
		e.byDomain[en.domain] = i
		if _, ok := e.bySkel[en.skel]; !ok {
			e.bySkel[en.skel] = i
		}
		if en.role == RolePages {
			e.pages[en.domain] = true
		}
		if !en.generic && !en.noKeyword && en.role != RolePages && len(en.label) >= 4 {
			e.addToken(en.label, i)
		}
		for _, t := range en.tokens {
			e.addToken(t, i)
		}
		e.addWholeTokens(en, i)
	}
	sort.SliceStable(e.tokens, func(i, j int) bool { return len(e.tokens[i].word) > len(e.tokens[j].word) })
	sort.SliceStable(e.whole, func(i, j int) bool { return len(e.whole[i].parts) > len(e.whole[j].parts) })
	return e
}

// addWholeTokens registers the names a brand goes by as whole tokens of a
// label: its label (unless generic, or a pages domain's), its tokens and
// its aliases. Names of generic entries and short names are ordinary
// words.
func (e *Engine) addWholeTokens(en entry, i int) {
	var names []string
	for _, w := range en.wordAlias {
		names = append(names, w)
	}
	if !en.generic && en.role != RolePages && en.label != "" {
		names = append(names, en.label)
	}
	names = append(names, en.tokens...)
	names = append(names, en.aliases...)
	for k, w := range names {
		parts := strings.FieldsFunc(w, isDelimiter)
		if len(parts) == 0 {
			continue
		}
		dup := false
		for _, t := range e.whole {
			if strings.Join(t.parts, "-") == strings.Join(parts, "-") {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		word := en.word || en.generic || len(w) < 3 || k < len(en.wordAlias)
		e.whole = append(e.whole, wholeToken{parts: parts, entry: i, word: word})
	}
}

func (e *Engine) addToken(w string, i int) {
	for _, t := range e.tokens {
		if t.word == w {
			return
		}
	}
	e.tokens = append(e.tokens, token{w, i})
}

// Protected lists the protected domains, embedded ones first, then yours.
func (e *Engine) Protected() []Entry {
	out := make([]Entry, len(e.entries))
	for i, en := range e.entries {
		out[i] = Entry{Domain: en.domain, Brand: en.brand, Ecosystem: en.eco, Role: en.role}
	}
	return out
}

// name is a host split around its registrable domain.
type name struct {
	host          host
	reg, regUni   string   // registrable domain ("npmjs.help")
	label, labelU string   // the label before the public suffix ("npmjs")
	suffix        string   // the public suffix ("help")
	sub           []string // ASCII labels before the registrable domain
	subUni        []string
	// private is set when the public suffix is a private entry of the
	// list (github.io, vercel.app, s3.amazonaws.com): anybody can create a
	// site under it, so the registrable domain says little about intent.
	private bool
}

func split(h host) name {
	n := name{host: h}
	reg, err := publicsuffix.EffectiveTLDPlusOne(h.ascii)
	suffix, icann := publicsuffix.PublicSuffix(h.ascii)
	if err != nil {
		// The host is a public suffix itself ("co.uk", "github.io") or
		// a single label: no registrable domain to judge.
		n.reg, n.regUni = h.ascii, h.uni
		return n
	}
	n.reg, n.suffix = reg, suffix
	n.private = !icann
	n.label = strings.TrimSuffix(reg, "."+suffix)
	labels := strings.Split(h.ascii, ".")
	unis := strings.Split(h.uni, ".")
	if len(unis) != len(labels) {
		unis = labels // cannot happen: ascii is encoded label by label
	}
	k := len(labels) - (strings.Count(reg, ".") + 1)
	n.sub, n.subUni = labels[:k], unis[:k]
	n.regUni = strings.Join(unis[k:], ".")
	n.labelU = unis[k]
	return n
}

// underPages re-splits a host under a pages domain that the public-suffix
// list does not know as a suffix (x.atlassian.net): the pages domain is
// the suffix, the label before it the user's site.
func (n name) underPages() name {
	k := len(n.sub) - 1
	m := name{host: n.host, suffix: n.reg, private: true,
		label: n.sub[k], labelU: n.subUni[k], sub: n.sub[:k], subUni: n.subUni[:k]}
	m.reg = m.label + "." + n.reg
	m.regUni = m.labelU + "." + n.regUni
	return m
}

// Judge judges a host name or URL. It never performs I/O.
func (e *Engine) Judge(hostOrURL string) Match {
	m := Match{Input: hostOrURL}
	h, err := parseHost(hostOrURL)
	if err != nil {
		m.Err = err
		m.Detail = "not a host name: " + err.Error()
		return m
	}
	m.Host = h.uni
	if h.ip {
		m.Registrable = h.uni
		m.Detail = fmt.Sprintf("%s is an IP address, not a domain name", h.uni)
		return m
	}
	n := split(h)
	if e.pages[n.reg] && len(n.sub) > 0 {
		n = n.underPages()
	}
	m.Registrable = n.regUni
	if i, ok := e.official(h.ascii); ok {
		en := &e.entries[i]
		m.Official, m.Protected, m.Brand, m.Ecosystem = true, en.domain, en.brand, en.eco
		if h.ascii == en.domain {
			m.Detail = fmt.Sprintf("%s is official: a protected domain of %s", h.uni, en.brand)
		} else {
			m.Detail = fmt.Sprintf("%s is official: it is under %s %s", h.uni, en.possessive(), en.domain)
		}
		return m
	}
	if note, ok := e.known[n.reg]; ok {
		m.Known = note
		m.Detail = fmt.Sprintf("%s is a known third-party site: %s", n.regUni, note)
		return m
	}
	var best candidate
	consider := func(c candidate) {
		if c.tech != "" && c.better(best) {
			best = c
		}
	}
	e.userinfo(h, consider)
	if n.label != "" {
		e.wholeDomain(n, consider)
		e.labelTechniques(n, consider)
		e.keyword(n, consider)
		e.brandToken(n, consider)
		e.subdomain(n, consider)
		if best.tech == "" {
			e.registryLure(n, consider)
		}
	}
	if best.tech == "" {
		return m
	}
	m.Technique, m.Severity, m.Confidence, m.Detail = best.tech, best.sev, best.conf, best.detail
	m.Distance, m.Words, m.Lookalikes = best.dist, best.words, best.lookalikes
	if best.entry >= 0 {
		en := &e.entries[best.entry]
		m.Target, m.Brand, m.Ecosystem = en.domain, en.brand, en.eco
	} else {
		m.Target, m.Brand = AnyRegistry, "package registries"
	}
	return m
}

// official returns the protected domain the ASCII host is or sits under.
// The hosts under a pages domain (x.github.io) are users' sites, not
// official; so are the hosts under a private public suffix below a
// protected domain (x.s3.amazonaws.com under amazonaws.com,
// x.blob.core.windows.net under windows.net): customers' buckets and apps.
func (e *Engine) official(ascii string) (int, bool) {
	for d := ascii; ; {
		if i, ok := e.byDomain[d]; ok {
			if e.entries[i].role == RolePages && d != ascii {
				return 0, false
			}
			if d != ascii {
				if ps, icann := publicsuffix.PublicSuffix(ascii); !icann && ps != ascii && strings.HasSuffix(ps, "."+d) {
					return 0, false
				}
			}
			return i, true
		}
		j := strings.IndexByte(d, '.')
		if j < 0 {
			return 0, false
		}
		d = d[j+1:]
	}
}

// Rules returns the catalog entry of the rule the engine emits.
func (e *Engine) Rules() []record.Rule { return Rules() }

// Rules returns the catalog entry of RuleLookalike.
func Rules() []record.Rule {
	return []record.Rule{{
		ID:       RuleLookalike,
		Severity: record.High,
		Title:    "The domain imitates a package registry, its file or code host, or one of your domains",
		Description: "A host name that is not a protected domain (the registries of npm, PyPI, NuGet, RubyGems, " +
			"Go and crates, their file hosts and documentation, the code hosts, and the domains you list under " +
			"domains: in the configuration) but imitates one: one edit from its name, lookalike characters, " +
			"the same name under another suffix, hyphens added, the brand plus lure words, the protected domain " +
			"written in front of another domain, or a name made only of registry and lure words.",
	}}
}

// Finding renders a lookalike match as a finding (rule RuleLookalike). Call
// it only for matches where Lookalike() is true.
func (e *Engine) Finding(m Match) record.Finding {
	ev := map[string]any{
		"domain":      m.Host,
		"registrable": m.Registrable,
		"target":      m.Target,
		"brand":       m.Brand,
		"technique":   m.Technique,
	}
	if m.Distance > 0 {
		ev["distance"] = m.Distance
	}
	if m.Ecosystem != "" {
		ev["ecosystem"] = m.Ecosystem
	}
	if len(m.Words) > 0 {
		ev["words"] = strings.Join(m.Words, ",")
	}
	if len(m.Lookalikes) > 0 {
		ev["lookalikes"] = lookalikeList(m.Lookalikes)
	}
	return record.Finding{Rule: RuleLookalike, Severity: m.Severity, Confidence: m.Confidence, Message: m.Detail, Evidence: ev}
}
