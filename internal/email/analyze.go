package email

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/record"
)

// Rule ids.
const (
	RulePhishing         = "email-phishing"
	RuleSenderLookalike  = "email-sender-lookalike"
	RuleDisplayName      = "email-display-name"
	RuleAuthFailure      = "email-auth-failure"
	RuleLinkMismatch     = "email-link-mismatch"
	RuleLookalikeLink    = "email-lookalike-link"
	RuleUnofficialLink   = "email-unofficial-registry-link"
	RuleCredential       = "email-credential-request"
	RuleUpgrade          = "email-dependency-upgrade"
	RuleUrgency          = "email-urgency"
	RuleRiskyAttachment  = "email-risky-attachment"
	RuleTruncated        = "email-truncated"
	RuleOAuthConsent     = "email-oauth-consent-link"
	RuleRelayedLure      = "email-relayed-lure"
	maxLinksJudged       = 500
	maxEvidenceListItems = 10
)

// Rules is the catalog of the e-mail analyzer.
func Rules() []record.Rule {
	return []record.Rule{
		{ID: RulePhishing, Severity: record.Critical, Title: "Mail combines a request (credentials, 2FA, dependency upgrade, command) with an unofficial or lookalike destination or sender"},
		{ID: RuleSenderLookalike, Severity: record.Critical, Title: "From, Reply-To, Sender or Return-Path domain imitates a registry or code host"},
		{ID: RuleDisplayName, Severity: record.High, Title: "Display name claims a registry or code host the address does not belong to"},
		{ID: RuleAuthFailure, Severity: record.Medium, Title: "Authentication-Results report SPF, DKIM or DMARC failure"},
		{ID: RuleLinkMismatch, Severity: record.High, Title: "A link's visible text names another domain than the one it opens"},
		{ID: RuleLookalikeLink, Severity: record.Critical, Title: "A link opens a domain imitating a registry or code host"},
		{ID: RuleUnofficialLink, Severity: record.Medium, Title: "A link opens a package-registry-like site that is not an official registry"},
		{ID: RuleCredential, Severity: record.Info, Title: "Mail asks to update 2FA, reset or verify credentials or log in"},
		{ID: RuleUpgrade, Severity: record.Info, Title: "Mail asks to upgrade or install dependencies from a given location, or to run a command"},
		{ID: RuleUrgency, Severity: record.Info, Title: "Urgency or lockout threat"},
		{ID: RuleRiskyAttachment, Severity: record.High, Title: "Executable, script, disk image, macro document or HTML attachment"},
		{ID: RuleOAuthConsent, Severity: record.Medium, Title: "A link opens a code host's or cloud's OAuth consent or device-login page: granting an app access to the account"},
		{ID: RuleRelayedLure, Severity: record.High, Title: "A genuine code-host notification relays another user's account-security lure with a link off the code host"},
		{ID: RuleTruncated, Severity: record.Medium, Title: "Part of the mail was not read (too many parts, too deep, too large a body or header): it is never allowed"},
	}
}

// DomainJudge judges host names; *domain.Engine implements it.
type DomainJudge interface {
	Judge(hostOrURL string) domain.Match
}

// Link is a hyperlink: what the reader sees and where it goes.
type Link struct {
	Text, URL string
}

// Deps are what Analyze needs from other analyzers, injected so that the
// e-mail analyzer stays pure and testable.
type Deps struct {
	Domains DomainJudge
	// HTMLLinks extracts the links of an HTML body (content's extractor).
	HTMLLinks func(html string) []Link
	// HTMLText extracts the visible text of an HTML body.
	HTMLText func(html string) string
}

// Analyze judges a parsed message.
func Analyze(m *Message, d Deps) []record.Finding {
	a := &judgement{m: m, d: d}
	a.senders()
	a.displayName()
	a.auth()
	a.links()
	a.requests()
	a.attachments()
	a.combine()
	if m.Truncated {
		a.add(RuleTruncated, record.Medium, 1,
			"part of the mail was not read, so it cannot be allowed: "+strings.Join(m.Notes, "; "),
			map[string]any{"notes": m.Notes})
	}
	sort.SliceStable(a.out, func(i, j int) bool { return a.out[i].Severity > a.out[j].Severity })
	return a.out
}

type judgement struct {
	m   *Message
	d   Deps
	out []record.Finding

	text       string // subject + visible text, lower-cased
	unofficial []string
	offsite    []string // hosts linked that are neither official nor judged above
	oauth      []string // OAuth consent and device-login links
	lookalike  bool
	senderBad  bool
	relay      string // the code host whose notification this is ("GitHub"), if any
	asks       []string
	alert      bool // account-security lure text
}

func (a *judgement) add(rule string, sev record.Severity, conf float64, msg string, ev map[string]any) {
	a.out = append(a.out, record.Finding{Rule: rule, Severity: sev, Confidence: conf, Message: msg, Evidence: ev})
}

func (a *judgement) senders() {
	type src struct {
		header string
		addr   string
	}
	var srcs []src
	for _, x := range a.m.From {
		srcs = append(srcs, src{"From", x.Email})
	}
	for _, x := range a.m.ReplyTo {
		srcs = append(srcs, src{"Reply-To", x.Email})
	}
	for _, x := range a.m.Sender {
		srcs = append(srcs, src{"Sender", x.Email})
	}
	if a.m.ReturnPath != "" {
		srcs = append(srcs, src{"Return-Path", a.m.ReturnPath})
	}
	for _, s := range srcs {
		dom := Address{Email: s.addr}.Domain()
		if dom == "" {
			continue
		}
		mt := a.d.Domains.Judge(dom)
		if s.header == "From" && mt.Official && codeHostBrands[mt.Brand] {
			a.relay = mt.Brand
		}
		if mt.Lookalike() {
			a.senderBad = true
			a.add(RuleSenderLookalike, record.Critical, 0.95,
				fmt.Sprintf("%s domain %s imitates %s (%s): %s", s.header, dom, mt.Target, mt.Brand, mt.Detail),
				map[string]any{"header": s.header, "domain": dom, "target": mt.Target, "technique": mt.Technique})
		}
	}
}

// brands maps words a display name may claim to the apex domains that may
// legitimately use them. Words that are also people's names ("Slack")
// are left out: a display name is a person's as often as a brand's.
var brands = map[string][]string{
	"npm": {"npmjs.com", "npmjs.org", "github.com"}, "pypi": {"pypi.org", "python.org"},
	"python package index": {"pypi.org", "python.org"}, "rubygems": {"rubygems.org"},
	"nuget": {"nuget.org", "microsoft.com"}, "github": {"github.com"}, "gitlab": {"gitlab.com"},
	"crates.io": {"crates.io", "rust-lang.org"}, "docker hub": {"docker.com"},
	"bitbucket": {"bitbucket.org", "atlassian.com", "atlassian.net"}, "discord": {"discord.com", "discordapp.com"},
	"aws": {"amazonaws.com", "amazon.com", "aws.com"}, "amazon web services": {"amazonaws.com", "amazon.com", "aws.com"},
	"azure": {"microsoft.com", "azure.com", "microsoftonline.com"}, "circleci": {"circleci.com"}, "travis ci": {"travis-ci.com", "travis-ci.org"},
	"heroku": {"heroku.com", "salesforce.com"}, "vercel": {"vercel.com"}, "netlify": {"netlify.com"}, "cloudflare": {"cloudflare.com"},
	"rust foundation": {"rustfoundation.org", "rust-lang.org"}, "python software foundation": {"python.org"},
	"openjs foundation": {"openjsf.org", "linuxfoundation.org"}, ".net foundation": {"dotnetfoundation.org"}, "ruby central": {"rubycentral.org", "rubygems.org"},
}

func (a *judgement) displayName() {
	names := make([]string, 0, len(brands))
	for b := range brands {
		names = append(names, b)
	}
	sort.Strings(names) // a stable order of findings
	for _, from := range a.m.From {
		name := strings.ToLower(from.Name)
		dom := from.Domain()
		if name == "" || dom == "" {
			continue
		}
		for _, brand := range names {
			doms := brands[brand]
			if !containsWord(name, brand) {
				continue
			}
			ok := false
			for _, d := range doms {
				if dom == d || strings.HasSuffix(dom, "."+d) {
					ok = true
				}
			}
			if !ok {
				a.senderBad = true
				a.add(RuleDisplayName, record.High, 0.85,
					fmt.Sprintf("display name %q claims %s, but the address is at %s", from.Name, brand, dom),
					map[string]any{"display_name": from.Name, "brand": brand, "domain": dom})
			}
		}
	}
}

func (a *judgement) auth() {
	var fails []string
	for _, v := range a.m.AuthResults {
		l := strings.ToLower(v)
		for _, mech := range []string{"spf", "dkim", "dmarc"} {
			for _, bad := range []string{"fail", "softfail", "permerror"} {
				if strings.Contains(l, mech+"="+bad) {
					fails = append(fails, mech+"="+bad)
				}
			}
		}
	}
	if len(fails) > 0 {
		a.add(RuleAuthFailure, record.Medium, 0.7, "Authentication-Results report "+strings.Join(uniq(fails), ", "),
			map[string]any{"results": uniq(fails)})
	}
}

func (a *judgement) links() {
	var links []Link
	// Each HTML body is extracted on its own: the extractor reads a
	// bounded prefix, so a large first body must not hide a later one.
	bodies := a.m.HTMLBodies
	if len(bodies) == 0 && a.m.HTML != "" {
		bodies = []string{a.m.HTML}
	}
	for _, h := range bodies {
		if a.d.HTMLLinks != nil {
			links = append(links, a.d.HTMLLinks(h)...)
		}
	}
	for _, u := range textURLs(a.m.Text) {
		links = append(links, Link{Text: u, URL: u})
	}
	visible := a.m.Text
	for _, h := range bodies {
		if a.d.HTMLText != nil {
			visible += "\n" + a.d.HTMLText(h)
		}
	}
	a.text = strings.ToLower(a.m.Subject + "\n" + visible)
	seen := map[string]bool{}
	for i, l := range links {
		if i >= maxLinksJudged {
			break
		}
		u, err := url.Parse(strings.TrimSpace(l.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			continue
		}
		host := strings.ToLower(u.Hostname())
		mt := a.d.Domains.Judge(host)
		first := !seen[host]
		seen[host] = true
		switch {
		case !first:
			// One finding per destination host is enough evidence.
		case mt.Lookalike() && mt.Severity >= record.High:
			a.lookalike = true
			a.add(RuleLookalikeLink, record.Critical, 0.95,
				fmt.Sprintf("link %q opens %s, which imitates %s (%s): %s", short(l.Text), host, mt.Target, mt.Brand, mt.Detail),
				map[string]any{"url": l.URL, "domain": host, "target": mt.Target, "technique": mt.Technique})
		case mt.Lookalike() || (!mt.Official && registryish(u)):
			a.unofficial = append(a.unofficial, host)
			a.add(RuleUnofficialLink, record.Medium, 0.6,
				fmt.Sprintf("link %q opens %s, a package-registry-like site that is not an official registry", short(l.Text), host),
				map[string]any{"url": l.URL, "domain": host, "technique": mt.Technique})
		case !mt.Official && mt.Known == "":
			a.offsite = append(a.offsite, host)
		}
		if mt.Official && oauthConsent(host, u.Path) && !slices.Contains(a.oauth, l.URL) {
			a.oauth = append(a.oauth, l.URL)
			ev := map[string]any{"url": l.URL, "domain": host}
			if c := u.Query().Get("client_id"); c != "" {
				ev["client_id"] = short(c)
			}
			if sc := u.Query().Get("scope"); sc != "" {
				ev["scope"] = short(sc)
			}
			a.add(RuleOAuthConsent, record.Medium, 0.7,
				fmt.Sprintf("link %q opens %s%s, where an app asks to be granted access to the reader's account: the lure of OAuth-app phishing", short(l.Text), host, u.Path), ev)
		}
		if th := textHost(l.Text); th != "" && th != host && registrable(th) != registrable(host) {
			sev := record.Medium
			if a.d.Domains.Judge(th).Official {
				sev = record.High
			}
			a.add(RuleLinkMismatch, sev, 0.8, fmt.Sprintf("link text shows %s but opens %s", th, host),
				map[string]any{"text": short(l.Text), "url": l.URL})
		}
	}
}

// registryish reports hosts whose name speaks of packages, registries or
// repositories ("secure-package-repo.com"): a mail pointing there for an
// upgrade or a login imitates a registry even without naming one. Paths are
// not considered: honest newsletters link to ".../new-package-release".
func registryish(u *url.URL) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(u.Hostname()), func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		if registryWords[w] {
			return true
		}
	}
	return false
}

// registryWords are whole words of a host name that speak of package
// registries ("reports" and "pipelines" are not "repo" and "pip").
var registryWords = map[string]bool{
	"package": true, "packages": true, "registry": true, "registries": true, "repo": true, "repos": true,
	"repository": true, "npm": true, "pypi": true, "pip": true, "gem": true, "gems": true, "nuget": true,
	"crate": true, "crates": true, "module": true, "modules": true, "pkg": true, "pkgs": true,
}

// Request phrases: what phishing asks the reader to do.
var (
	credentialPhrases = []string{"two-factor", "two factor", "2fa", "verify your account", "verify your identity", "reset your password",
		"update your credentials", "confirm your account", "re-authenticate", "reauthenticate", "log in to your account", "sign in to your account",
		"update their two-factor", "update your two-factor", "authentication credentials", "access token", "api token", "publish token"}
	upgradePhrases = []string{"upgrade your dependencies", "update your dependencies", "upgrade your packages", "update your packages",
		"upgrade the dependency", "install the update", "install the patch", "secure repository", "npm install", "pip install",
		"--registry", "--index-url", "curl ", "| sh", "| bash", "powershell -", "run the following command", "run this command"}
	urgencyPhrases = []string{"immediate action", "immediately", "urgent", "within 24 hours", "within 48 hours", "will be locked",
		"temporarily locked", "suspended", "final notice", "as soon as possible", "requires immediate attention", "account will be",
		"failure to", "expires today"}
)

func (a *judgement) requests() {
	cred := matched(a.text, credentialPhrases)
	up := matched(a.text, upgradePhrases)
	urg := matched(a.text, urgencyPhrases)
	if len(cred) > 0 {
		a.asks = append(a.asks, "credentials/2FA")
		a.add(RuleCredential, record.Info, 0.5, "asks about credentials or 2FA: "+quoteList(cred), map[string]any{"phrases": cred})
	}
	if len(up) > 0 {
		a.asks = append(a.asks, "dependency upgrade or command")
		a.add(RuleUpgrade, record.Info, 0.5, "asks to upgrade, install or run something: "+quoteList(up), map[string]any{"phrases": up})
	}
	if al := matched(a.text, alertPhrases); len(al) > 0 {
		a.alert = true
		if len(cred) == 0 {
			a.asks = append(a.asks, "an account-security action")
		}
	}
	if len(urg) > 0 {
		a.add(RuleUrgency, record.Info, 0.5, "urgency or lockout threat: "+quoteList(urg), map[string]any{"phrases": urg})
	}
}

// riskyExt are attachment extensions that execute or hide executables.
var riskyExt = map[string]bool{
	".exe": true, ".scr": true, ".com": true, ".bat": true, ".cmd": true, ".ps1": true, ".vbs": true, ".vbe": true, ".js": true,
	".jse": true, ".wsf": true, ".hta": true, ".msi": true, ".lnk": true, ".iso": true, ".img": true, ".vhd": true, ".jar": true,
	".sh": true, ".docm": true, ".xlsm": true, ".pptm": true, ".html": true, ".htm": true, ".svg": true, ".zip": true, ".7z": true,
	".rar": true, ".tgz": true, ".apk": true, ".dmg": true, ".pkg": true,
}

func (a *judgement) attachments() {
	for _, at := range a.m.Attachments {
		ext := strings.ToLower(path.Ext(at.Name))
		if riskyExt[ext] || at.ContentType == "application/x-msdownload" || at.ContentType == "application/x-sh" {
			a.add(RuleRiskyAttachment, record.High, 0.8, fmt.Sprintf("risky attachment %q (%s)", at.Name, at.ContentType),
				map[string]any{"name": at.Name, "content_type": at.ContentType, "size": at.Size})
		}
	}
}

// combine raises the requests to their real weight: a request is what
// genuine registry mail also makes (2FA codes, advisories); it is phishing
// when it points at an unofficial or lookalike destination or comes from
// a sender that is not who it claims.
func (a *judgement) combine() {
	a.relayed()
	if len(a.asks) == 0 {
		return
	}
	dest := a.lookalike || len(a.unofficial) > 0 || len(a.oauth) > 0
	if !dest && !a.senderBad {
		return
	}
	var why []string
	if a.lookalike {
		why = append(why, "a link to a lookalike domain")
	}
	if len(a.unofficial) > 0 {
		why = append(why, "links to registry-like sites that are not official ("+strings.Join(uniq(a.unofficial), ", ")+")")
	}
	if len(a.oauth) > 0 {
		why = append(why, "a link granting an app access to the account")
	}
	if a.senderBad {
		why = append(why, "a sender impersonating a registry")
	}
	sev := record.High
	if a.lookalike || a.senderBad || len(a.oauth) > 0 {
		sev = record.Critical
	}
	a.add(RulePhishing, sev, 0.9,
		fmt.Sprintf("asks for %s with %s", strings.Join(a.asks, " and "), strings.Join(why, " and ")),
		map[string]any{"asks": a.asks, "unofficial_hosts": uniq(a.unofficial), "lookalike_link": a.lookalike, "sender_impersonation": a.senderBad})
}

// codeHostBrands are the brands whose notification mail relays text
// other users wrote (issues, comments, mentions, pull requests).
var codeHostBrands = map[string]bool{"GitHub": true, "GitLab": true, "Bitbucket": true, "Codeberg": true}

// alertPhrases are the account-security lures of phishing relayed
// through notifications ("Security alert: unusual activity on your
// account").
var alertPhrases = []string{"security alert", "security notice", "unusual activity", "suspicious activity", "unusual sign-in",
	"unusual login", "unauthorized access to your", "your account has been", "your account was", "your account will",
	"account has been flagged", "has been compromised", "will be suspended", "will be deleted", "action required",
	"reauthorize", "re-authorize", "revoke the", "authorize the app", "authorize the application"}

// relayed: a genuine code-host notification carries what another user
// wrote. An account-security lure in it with a link off the code host is
// phishing through the code host's own mail (the sender authenticates,
// the body is the attacker's).
func (a *judgement) relayed() {
	if a.relay == "" || !a.alert && !slices.Contains(a.asks, "credentials/2FA") {
		return
	}
	hosts := uniq(append(append([]string{}, a.offsite...), a.unofficial...))
	if len(hosts) == 0 && len(a.oauth) == 0 && !a.lookalike {
		return
	}
	ev := map[string]any{"code_host": a.relay, "asks": a.asks}
	why := "links off " + a.relay
	if len(hosts) > 0 {
		ev["hosts"] = hosts
		why += " (" + strings.Join(hosts, ", ") + ")"
	}
	if len(a.oauth) > 0 {
		why += ", links to an app's access grant"
	}
	if a.lookalike {
		why += ", links to a lookalike domain"
	}
	a.add(RuleRelayedLure, record.High, 0.85,
		fmt.Sprintf("a genuine %s notification relays another user's text asking for %s and %s: %s does not send account alerts through issues or mentions",
			a.relay, strings.Join(a.asks, " and "), why, a.relay), ev)
}

// oauthConsent reports the OAuth consent and device-login pages of code
// hosts and clouds (the host is official).
func oauthConsent(host, p string) bool {
	p = strings.ToLower(strings.TrimRight(p, "/"))
	reg := registrable(host)
	switch reg {
	case "github.com":
		return p == "/login/oauth/authorize" || p == "/login/device" || strings.HasPrefix(p, "/login/device/") ||
			strings.HasPrefix(p, "/apps/") && strings.HasSuffix(p, "/installations/new")
	case "gitlab.com":
		return p == "/oauth/authorize"
	case "bitbucket.org":
		return p == "/site/oauth2/authorize"
	case "microsoftonline.com":
		return strings.HasSuffix(p, "/oauth2/authorize") || strings.HasSuffix(p, "/oauth2/v2.0/authorize") || strings.HasSuffix(p, "/deviceauth")
	case "microsoft.com":
		return p == "/devicelogin"
	case "google.com":
		return host == "accounts.google.com" && (strings.HasPrefix(p, "/o/oauth2") || p == "/device")
	}
	return false
}

// helpers

func containsWord(s, w string) bool {
	for i := strings.Index(s, w); i >= 0; {
		before := i == 0 || !isAlnum(s[i-1])
		after := i+len(w) == len(s) || !isAlnum(s[i+len(w)])
		if before && after {
			return true
		}
		j := strings.Index(s[i+1:], w)
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

func isAlnum(c byte) bool {
	return ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || ('A' <= c && c <= 'Z')
}

func matched(text string, phrases []string) []string {
	var out []string
	for _, p := range phrases {
		if strings.Contains(text, p) {
			out = append(out, strings.TrimSpace(p))
			if len(out) == maxEvidenceListItems {
				break
			}
		}
	}
	return out
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func short(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// textHost returns the host a link's visible text shows, if it looks like
// a URL or a bare domain.
func textHost(t string) string {
	t = strings.TrimSpace(strings.ToLower(t))
	if t == "" || strings.ContainsAny(t, " \t\n") {
		return ""
	}
	if !strings.Contains(t, "://") {
		if !strings.Contains(t, ".") {
			return ""
		}
		t = "https://" + t
	}
	u, err := url.Parse(t)
	if err != nil || !strings.Contains(u.Hostname(), ".") {
		return ""
	}
	return u.Hostname()
}

// registrable returns the registrable domain (eTLD+1) of a host, or the
// host itself when it has none (an IP address, a bare suffix).
func registrable(h string) string {
	if r, err := publicsuffix.EffectiveTLDPlusOne(strings.TrimSuffix(h, ".")); err == nil {
		return r
	}
	return h
}

// textURLs finds http(s) URLs in plain text.
func textURLs(s string) []string {
	var out []string
	for i := 0; i < len(s) && len(out) < maxLinksJudged; {
		j := strings.Index(s[i:], "http")
		if j < 0 {
			break
		}
		start := i + j
		rest := s[start:]
		if !strings.HasPrefix(rest, "http://") && !strings.HasPrefix(rest, "https://") {
			i = start + 4
			continue
		}
		end := strings.IndexAny(rest, " \t\r\n<>\"'()[]")
		if end < 0 {
			end = len(rest)
		}
		out = append(out, strings.TrimRight(rest[:end], ".,;:!?"))
		i = start + end
	}
	return out
}
