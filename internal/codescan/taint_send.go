package codescan

import (
	"bytes"
	"slices"
	"strings"
)

// Exfiltration through the data-flow pass (taint.go): the same statements,
// marks and propagation, with other sources and sinks. A name assigned
// from something naming a credential store (a path holding .ssh/id_rsa,
// '.aws', .npmrc, an app's Local Storage…) or from a call
// returning the user's or machine's identity (user name, host name, MAC
// address) is marked; names assigned from it, and what a file opened from
// it reads, inherit the mark; a network call given a marked name as its
// body, data, query or URL fires. Given only in a header or as auth
// (a token used for what it is for), or hashed or signed first, it does
// not.

const (
	detTaintSecret  = "secret-var-send"
	detTaintSysinfo = "sysinfo-var-send"
)

type sendLang struct {
	sysinfo []string // calls returning the user's or machine's identity
	sends   []string // network calls whose arguments are checked
}

// secretSources name credential stores; matched in the raw statement
// (strings included), the same in every language.
var secretSources = []string{".ssh/", ".ssh\\", "'.ssh'", "\".ssh\"", "id_rsa", "id_ed25519", "id_ecdsa", "id_dsa",
	".aws/credentials", ".aws\\", "'.aws'", "\".aws\"", ".npmrc", ".pypirc", ".git-credentials", ".netrc", ".kube/config",
	".docker/config.json", "Local Storage", "Login Data", "logins.json", "key4.db", "wallet.dat",
	"application_default_credentials.json", "accessTokens.json", ".gnupg"}

var secretSourcesFolded = func() []string {
	out := make([]string, len(secretSources))
	for i, s := range secretSources {
		out[i] = strings.ToLower(s)
	}
	return out
}()

// secretNot: a statement naming these reads what is meant to be shared.
var secretNot = []string{".pub", "known_hosts"}

// sendScrub: what these return is no longer the secret (digests,
// signatures), in any language.
var sendScrub = []string{"hmac", "Hmac", "HMAC", "createSign", ".sign(", "Sign(", "sha256", "Sha256", "SHA256", "sha1(", "md5", "hashlib",
	"createHash", "digest("}

var sendLangs = map[lang]*sendLang{
	langPython: {
		sysinfo: []string{"getpass.getuser(", "os.getlogin(", "socket.gethostname(", "platform.node(", "uuid.getnode(", "os.uname(",
			"getuser(", "gethostname(", "getnode(", "pwd.getpwuid("},
		sends: []string{"requests.post(", "requests.put(", "requests.patch(", "requests.get(", "requests.request(", "httpx.post(",
			"httpx.put(", "httpx.get(", "urlopen(", "Request(", ".post(", ".put(", ".sendall(", ".send(", ".sendto(", ".sendmail("},
	},
	langJS: {
		sysinfo: []string{"os.userInfo(", "os.hostname(", "os.networkInterfaces(", "os.default.userInfo(", "os.default.hostname(",
			"os.default.networkInterfaces("},
		sends: []string{"fetch(", "axios(", "axios.post(", "axios.put(", "axios.get(", "got(", "got.post(", "https.get(", "http.get(",
			".request(", "('https').get(", "(\"https\").get(", "('http').get(", "(\"http\").get(", ".end(", ".send(", "sendBeacon(", ".post("},
	},
	langGo: {
		sysinfo: []string{"os.Hostname(", "user.Current(", "net.Interfaces(", "os.Getenv(\"USER", "os.Getenv(\"USERNAME"},
		sends:   []string{"http.Post(", "http.PostForm(", "http.NewRequest(", "http.Get(", "http.NewRequestWithContext("},
	},
	langRuby: {
		sysinfo: []string{"Etc.getlogin", "Socket.gethostname", "Etc.getpwuid", "ENV['USER']", "ENV[\"USER\"]"},
		sends:   []string{"Net::HTTP.post(", "Net::HTTP.post_form(", "HTTParty.post(", "RestClient.post(", "Faraday.post(", ".post("},
	},
	langPowerShell: {
		sysinfo: []string{"$env:username", "$env:computername", "[environment]::username", "[environment]::machinename",
			"get-netadapter", "win32_computersystem"},
		sends: []string{"invoke-webrequest", "invoke-restmethod", "uploadstring(", "uploaddata(", "uploadvalues(", "iwr ", "irm "},
	},
}

// taintKind returns the kind of source a data-flow detector follows (0:
// not one).
func taintKind(det string) int {
	switch det {
	case detTaintDecoded:
		return taintDecoded
	case detTaintFetched:
		return taintFetched
	case detTaintSecret:
		return taintSecret
	case detTaintSysinfo:
		return taintSysinfo
	}
	return 0
}

// taintMarkers returns the source markers and the sinks of a kind in a
// language.
func taintMarkers(kind int, l lang) (srcs, sinks []string) {
	tl := taintLangs[l]
	if tl == nil {
		return nil, nil
	}
	switch kind {
	case taintDecoded:
		return tl.decoded, tl.sinks
	case taintFetched:
		return tl.fetched, tl.sinks
	}
	sl := sendLangs[l]
	if sl == nil {
		return nil, nil
	}
	if kind == taintSecret {
		if tl.fold {
			return secretSourcesFolded, sl.sends
		}
		return secretSources, sl.sends
	}
	return sl.sysinfo, sl.sends
}

// sendKind reports whether a kind is followed to network sends.
func sendKind(kind int) bool { return kind == taintSecret || kind == taintSysinfo }

// sentArg returns the key of a marked name anywhere among the values of
// a network call's arguments (masked args, raw the same with strings),
// except under a key naming headers, authentication, certificates or a
// proxy, and except keys and the names of calls.
func (t *tainter) sentArg(args, raw []byte) (string, bool) {
	under := []bool{false}
	var key []byte
	var sent []string // identity: the marked names sent, and their facts
	facts := 0
	for i := 0; i < len(args); {
		c := args[i]
		switch {
		case c == '(' || c == '[' || c == '{':
			under = append(under, under[len(under)-1] || excludedKey(key))
			key = nil
			i++
		case c == ')' || c == ']' || c == '}':
			if len(under) > 1 {
				under = under[:len(under)-1]
			}
			key = nil
			i++
		case c == ',' || c == ';':
			key = nil
			i++
		case c == '\'' || c == '"' || c == '`':
			j := bytes.IndexByte(args[i+1:], c)
			if j < 0 {
				return "", false
			}
			j += i + 1
			if q := skipBlank(args, j+1); q < len(args) && (args[q] == ':' || args[q] == '=') {
				key = raw[i+1 : j] // a quoted key: {'Authorization': t}, @{"Auth"=…}
			}
			i = j + 1
		case t.tl.fold && c == '-' && i+1 < len(args) && isIdentByte(args[i+1]):
			j := i + 1
			for j < len(args) && isIdentByte(args[j]) {
				j++
			}
			key = args[i+1 : j] // a PowerShell parameter: -Headers @{…}
			i = j
		case isIdentByte(c):
			j := i
			for j < len(args) && isIdentByte(args[j]) {
				j++
			}
			q := skipBlank(args, j)
			dot := i > 0 && args[i-1] == '.'
			switch {
			case dot || (c >= '0' && c <= '9'):
			case q < len(args) && (args[q] == ':' || args[q] == '=' && (q+1 >= len(args) || args[q+1] != '=')):
				key = args[i:j] // data=x, body: x
			case q < len(args) && args[q] == '(':
			case !under[len(under)-1] && !excludedKey(key):
				if k := t.key(args[i:j]); t.has(k) {
					if t.want != taintSysinfo {
						return k, true
					}
					if mk, _ := t.get(k); !slices.Contains(sent, k) {
						sent, facts = append(sent, k), facts+max(mk.n, 1)
						if facts >= 2 {
							return k, true
						}
					}
				}
			}
			i = j
		default:
			i++
		}
	}
	return "", false
}

// sendArgs returns the masked arguments of a network call whose name ends
// at i: up to its closing parenthesis, past the braces that end
// statements (fetch(u, { body: x })), or the rest of the line for
// PowerShell commands; ok is false for a definition (fetch(u) {).
func (t *tainter) sendArgs(i int, sink string) ([]byte, bool) {
	rest := t.m[i:min(len(t.m), i+maxStmt)]
	if sink[len(sink)-1] != '(' {
		if n := bytes.IndexByte(rest, '\n'); n >= 0 {
			rest = rest[:n]
		}
		return rest, true
	}
	c := closeParen(rest)
	if c == len(rest) {
		return nil, false
	}
	if after := bytes.TrimLeft(rest[c+1:], " \t"); len(after) > 0 && after[0] == '{' {
		return nil, false
	}
	return rest[:c], true
}

// sentMatch points a flow to the network at what it sends (the
// assignment of the credential or identity, at line), and tells where it
// is sent.
func sentMatch(d []byte, h taintHit, line int) match {
	sent := 1 + bytes.Count(d[:h.pos], []byte("\n"))
	return match{pos: h.from, end: h.from + 1, count: 1, extra: map[string]any{"variable": h.name, "assigned_line": line, "sent_line": sent}}
}

// facts counts the identity facts a value assigned from d[s:e] holds:
// the source calls there (one call per place it ends: getpass.getuser(
// and getuser( are one) and the facts of the marked names it reads,
// plus old (+=).
func (t *tainter) facts(s, e, old int) int {
	if t.want != taintSysinfo {
		return 0
	}
	n := old
	raw := t.r[s:e]
	var ends []int
	for _, mk := range t.markers {
		for k := 0; ; {
			x := indexMarker(raw[k:], mk, t.tl.fold)
			if x < 0 {
				break
			}
			end := k + x + len(mk)
			if !slices.Contains(ends, end) {
				ends = append(ends, end)
			}
			k = end
		}
	}
	n += len(ends)
	m := t.m[s:e]
	var seen []string
	forIdents(m, func(a, b int) {
		if a > 0 && m[a-1] == '.' {
			return
		}
		k := t.key(m[a:b])
		if mk, ok := t.get(k); ok && !slices.Contains(seen, k) {
			seen = append(seen, k)
			n += mk.n
		}
	})
	return n
}

func indexMarker(b []byte, mk string, fold bool) int {
	if fold {
		return indexFold(b, []byte(mk))
	}
	return bytes.Index(b, []byte(mk))
}

// markEnclosing marks the name an object literal around position s is
// assigned to (info = { u: os.userInfo(), … }), up to three braces out
// and 512 bytes back: in brace languages the braces ended the
// statements, so the assignment was read without its value.
func (t *tainter) markEnclosing(s int) {
	lo := max(0, s-512)
	i := s
	for range 3 {
		depth := 0
		for i--; i >= lo; i-- {
			c := t.m[i]
			if c == '}' || c == ')' || c == ']' {
				depth++
			} else if c == '(' || c == '[' {
				depth--
			} else if c == '{' {
				if depth == 0 {
					break
				}
				depth--
			}
			if depth < 0 {
				return // inside a call or a list first: not an object's value
			}
		}
		if i < lo {
			return
		}
		j := i
		for j > 0 && (t.m[j-1] == ' ' || t.m[j-1] == '\t' || t.m[j-1] == '\n') {
			j--
		}
		if j > 0 && t.m[j-1] == ':' {
			continue // a nested object: look further out
		}
		if j == 0 || t.m[j-1] != '=' || (j > 1 && strings.IndexByte("=!<>", t.m[j-2]) >= 0) {
			return
		}
		b := t.m[i+1 : min(len(t.m), i+1+maxStmt)]
		end := i + 1 + closeBracket(b)
		eq := j - 1
		ls := bytes.LastIndexByte(t.m[:eq], '\n') + 1
		lhs := t.m[ls:eq]
		if len(lhs) > 0 && lhs[len(lhs)-1] == ':' {
			lhs = lhs[:len(lhs)-1] // Go :=
		}
		t.n = t.facts(i, end, 0)
		var names [4][]byte
		for _, name := range lhsNames(names[:0], lhs) {
			t.set(t.key(name), t.want, eq)
		}
		return
	}
}

func (t *tainter) has(key string) bool {
	_, ok := t.get(key)
	return ok
}

func skipBlank(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

// excludedKey: values under these keys go where a credential is meant
// to go (request headers, auth, client certificates, a proxy).
func excludedKey(k []byte) bool {
	if len(k) == 0 {
		return false
	}
	l := strings.ToLower(string(k))
	for _, w := range []string{"header", "auth", "cert", "verify", "proxy", "agent", "cookie", "sign"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// distinctSources counts the source calls among a pattern's hits: the
// distinct places they end (getpass.getuser( and getuser( are one call).
func distinctSources(sc *scanner, p *pattern) int {
	var seen []int32
	for _, hi := range sc.cand[p.id] {
		if e := sc.hits[hi].end; !containsInt32(seen, e) {
			seen = append(seen, e)
		}
	}
	return len(seen)
}
