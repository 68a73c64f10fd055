package domain

import "strings"

// wordClass says what a word of a domain label suggests.
type wordClass uint8

const (
	unknownWord wordClass = iota
	// infraWord: hosting and web words ("cdn", "files", "www", "org").
	infraWord
	// coreWord: registry words ("package", "registry", "repo", "pip").
	coreWord
	// lureWord: words of account, security and support lures ("login",
	// "verify", "support", "secure", "mirror").
	lureWord
)

// lureWords are the words phishing domains add to a brand: accounts,
// credentials, security, support, and the claim to be an official copy.
var lureWords = []string{
	"2fa", "account", "accounts", "admin", "alert", "alerts", "auth", "authenticate",
	"authentication", "authorize", "billing", "com", "confirm",
	"confirmation", "desk", "help", "helpdesk", "id", "identity", "io", "key", "keys",
	"login", "logins", "logon", "maintainer", "maintainers", "member", "members",
	"mfa", "mirror", "mirrors", "net", "notice", "notification", "notify", "oauth",
	"official", "org", "otp", "passwd", "password", "policy", "portal", "recover",
	"recovery", "renew", "reset", "safe", "secure", "security", "service",
	"services", "signin", "signon", "sso", "support", "team", "token", "tokens",
	"totp", "trust", "trusted", "unlock", "update", "updates", "user", "users",
	"validate", "validation", "verification", "verified", "verify", "www",
}

// accountWords are the lure words of account takeover: beside a brand
// that is an ordinary word ("python-login") only these count.
var accountWords = map[string]bool{
	"2fa": true, "account": true, "accounts": true, "alert": true, "alerts": true, "auth": true,
	"authenticate": true, "authentication": true, "authorize": true, "billing": true, "confirm": true,
	"login": true, "logins": true, "logon": true, "mfa": true, "oauth": true, "otp": true, "passwd": true,
	"password": true, "recover": true, "recovery": true, "reset": true, "secure": true, "security": true,
	"signin": true, "signon": true, "sso": true, "token": true, "tokens": true, "totp": true, "unlock": true,
	"validate": true, "validation": true, "verification": true, "verified": true, "verify": true,
}

// strongLures are the other lure words that make a brand-as-a-word
// domain high: support, officialdom and notices. The weak ones ("user",
// "team", "service", "www", "org") only make it medium.
var strongLures = map[string]bool{
	"support": true, "help": true, "helpdesk": true, "desk": true, "official": true, "mirror": true,
	"mirrors": true, "admin": true, "notice": true, "notification": true, "notify": true,
	"maintainer": true, "maintainers": true, "member": true, "members": true, "portal": true,
	"policy": true, "trust": true, "trusted": true, "safe": true, "renew": true,
}

// strongLure reports a strong lure word (or an account word) among ws.
func strongLure(ws []string) bool {
	for _, w := range ws {
		if strongLures[w] || accountWords[w] {
			return true
		}
	}
	return false
}

// accountContext reports an account or security word among ws.
func accountContext(ws []string) bool {
	for _, w := range ws {
		if accountWords[w] {
			return true
		}
	}
	return false
}

// coreWords name a package registry or what it serves.
var coreWords = []string{
	"cargo", "crate", "crates", "gem", "gems", "golang", "library", "libraries",
	"module", "modules", "npm", "npmjs", "nuget", "package", "packages", "pip",
	"pkg", "pkgs", "pypi", "registries", "registry", "repo", "repos",
	"repositories", "repository", "rubygems", "wheel", "wheels", "yarn",
}

// infraWords are hosting and web words that carry no lure on their own.
var infraWords = []string{
	"api", "app", "asset", "assets", "cache", "cdn", "center", "cloud", "content", "dev",
	"dist", "dl", "download", "downloads", "file", "files", "get", "host",
	"hosted", "hosting", "hub", "index", "js", "my", "new", "node", "online", "proxy",
	"py", "python", "release", "releases", "ruby", "rust", "simple", "site",
	"source", "src", "static", "upload", "uploads", "usercontent", "web",
}

// hostingWords mark a lookalike of a registry's file host
// (pypihosted → pythonhosted.org, githubcontent → githubusercontent.com).
var hostingWords = map[string]bool{
	"content": true, "files": true, "host": true, "hosted": true, "hosting": true,
	"usercontent": true, "static": true, "assets": true, "cdn": true,
}

// dictionary maps every known word to its class.
type dictionary struct {
	class  map[string]wordClass
	maxLen int
}

func newDictionary() *dictionary {
	d := &dictionary{class: make(map[string]wordClass)}
	add := func(ws []string, c wordClass) {
		for _, w := range ws {
			if c > d.class[w] {
				d.class[w] = c
			}
			d.maxLen = max(d.maxLen, len(w))
		}
	}
	add(infraWords, infraWord)
	add(coreWords, coreWord)
	add(lureWords, lureWord)
	return d
}

// segment splits s (ASCII, no delimiters) into known words, preferring the
// fewest words; it returns nil when s is not a concatenation of known words.
// A run of digits counts as a word of its own ("npmjs2024") with class
// infraWord.
func (d *dictionary) segment(s string) []string {
	n := len(s)
	if n == 0 || n > 63 {
		return nil
	}
	// best[i] is the fewest words covering s[:i] (0 = unreachable, else
	// count+1); from[i] is where the last word starts.
	var best, from [64]uint8
	best[0] = 1
	for i := 0; i < n; i++ {
		if best[i] == 0 {
			continue
		}
		if isDigit(s[i]) {
			j := i
			for j < n && isDigit(s[j]) {
				j++
			}
			relax(&best, &from, i, j)
		}
		for j := i + 1; j <= n && j-i <= d.maxLen; j++ {
			if _, ok := d.class[s[i:j]]; ok {
				relax(&best, &from, i, j)
			}
		}
	}
	if best[n] == 0 {
		return nil
	}
	words := make([]string, best[n]-1)
	for i, k := n, len(words)-1; i > 0; k-- {
		words[k] = s[from[i]:i]
		i = int(from[i])
	}
	return words
}

func relax(best, from *[64]uint8, i, j int) {
	if c := best[i] + 1; best[j] == 0 || c < best[j] {
		best[j], from[j] = c, uint8(i)
	}
}

// classOf returns the class of a word segment returned by segment.
func (d *dictionary) classOf(w string) wordClass {
	if c, ok := d.class[w]; ok {
		return c
	}
	if w != "" && isDigit(w[0]) {
		return infraWord
	}
	return unknownWord
}

// words describes the parts of a label around a brand: every part split on
// "-" and "_" and segmented into known words.
type words struct {
	known   []string // the known words, in order
	unknown []string // the parts that are not made of known words
	lure    bool     // a lure word among known
	core    bool     // a registry word among known
	cores   int      // number of registry words
	hosting bool     // a hosting word among known
}

// analyze segments the parts of a label (the brand already removed).
func (d *dictionary) analyze(parts ...string) words {
	var w words
	for _, p := range parts {
		for _, chunk := range strings.FieldsFunc(p, isDelimiter) {
			seg := d.segment(chunk)
			if seg == nil {
				w.unknown = append(w.unknown, chunk)
				continue
			}
			for _, s := range seg {
				w.known = append(w.known, s)
				switch d.classOf(s) {
				case lureWord:
					w.lure = true
				case coreWord:
					w.core = true
					w.cores++
				}
				if hostingWords[s] {
					w.hosting = true
				}
			}
		}
	}
	return w
}

func isDelimiter(r rune) bool { return r == '-' || r == '_' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
