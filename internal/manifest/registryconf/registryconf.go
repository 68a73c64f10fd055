package registryconf

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// Kind says what a Setting configures.
type Kind string

// The kinds of settings.
const (
	// Registry is the default registry or index packages are fetched from
	// (npm registry=, pip index-url, a Gemfile's first global source, a
	// Cargo source replacing crates.io, a NuGet source when it is the only
	// one).
	Registry Kind = "registry"
	// ScopeRegistry is a registry used only for some packages: an npm
	// @scope:registry, a Poetry or uv source marked explicit, a Pipfile
	// source other than the first, a Cargo [registries] entry, a NuGet
	// source bound by packageSourceMapping, a Gemfile source block.
	ScopeRegistry Kind = "scope-registry"
	// ExtraIndex is an index searched in addition to the default one for
	// every package: pip --extra-index-url, a second NuGet source without
	// packageSourceMapping, a second global Gemfile source, a Poetry
	// supplemental source.
	ExtraIndex Kind = "extra-index"
	// Proxy is a Go module proxy (one entry of GOPROXY).
	Proxy Kind = "proxy"
	// Checksum is a setting of integrity or TLS verification, with its
	// value as written: GOSUMDB, the patterns of GONOSUMDB, GOPRIVATE,
	// GONOSUMCHECK and GOINSECURE, GOFLAGS=-insecure, npm/yarn strict-ssl,
	// pip trusted-host, Pipfile verify_ssl, Yarn enableStrictSsl,
	// checksumBehavior and unsafeHttpWhitelist.
	Checksum Kind = "checksum"
	// Credential is an authentication setting: only its key is kept, and
	// its value only when it refers to an environment variable.
	Credential Kind = "credential"
)

// Secret says what was withheld from a Setting.
type Secret string

// The kinds of withheld secrets.
const (
	NoSecret Secret = ""
	// SecretURLPassword: the URL's user information had a password,
	// replaced by "***".
	SecretURLPassword Secret = "url-password"
	// SecretURLUser: the URL's user information was a user name without a
	// password, which registries read as a token; replaced by "***".
	SecretURLUser Secret = "url-user"
	// SecretURLQuery: a query parameter that carries credentials (token=,
	// access_token=, sig=, …) had a value, replaced by "***".
	SecretURLQuery Secret = "url-query"
	// SecretLiteral: a credential key had a literal value, not kept.
	SecretLiteral Secret = "literal"
	// SecretEncrypted: a credential key had an encrypted value (NuGet
	// Password), not kept.
	SecretEncrypted Secret = "encrypted"
)

// InURL reports whether the secret was removed from the Setting's URL.
func (s Secret) InURL() bool {
	return s == SecretURLPassword || s == SecretURLUser || s == SecretURLQuery
}

// Setting is one registry-related setting of a configuration file.
type Setting struct {
	Ecosystem ecosystem.Ecosystem
	File      string // display path, slash-separated, relative to the scan root
	Line      int    // 1-based
	Kind      Kind
	// Key names the setting as the format spells it: "registry",
	// "@acme:registry", "global.extra-index-url", "GOPROXY",
	// "packageSources.internal", "//npm.example.com/:_authToken".
	Key string
	// URL is the registry, index or proxy URL, with any credentials it
	// carried replaced by "***" (see Secret); "" when the setting names
	// none.
	URL string
	// Value is a value that is not a URL: a host, a module path pattern,
	// "false", "off", or the environment variable a credential refers to.
	// It never holds a secret.
	Value string
	// Secret says what was withheld from URL or Value, if anything.
	Secret Secret
}

// Source renders the "file:line" location of s.
func (s Setting) Source() string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return s.File
}

// Parser reads one configuration format.
type Parser interface {
	// Name is a stable id such as "config/.npmrc".
	Name() string
	// Matches reports, from the slash-separated path alone, whether the
	// parser reads this file.
	Matches(path string) bool
	// Parse returns the file's settings in file order. Errors are
	// *record.InputError naming the file and, where known, the line.
	Parse(ctx context.Context, in manifest.Input) ([]Setting, error)
}

// All returns every parser. A file is read by the first parser whose
// Matches accepts it (independently of the dependency parsers: a Gemfile or
// pyproject.toml is read by both).
func All() []Parser {
	return []Parser{
		// npm
		npmrc{}, yarnrc{}, yarnrcYML{},
		// PyPI
		pipConf{}, requirementsOptions{}, pipfile{}, pyproject{}, uvTOML{},
		// NuGet
		nugetConfig{},
		// RubyGems
		gemfileSources{}, gemrc{},
		// crates
		cargoConfig{},
		// Go (and pip/npm variables) in environment files
		envFile{},
	}
}

// builder collects the Settings of one file.
type builder struct {
	eco  ecosystem.Ecosystem
	file string
	out  []Setting
}

func (b *builder) add(line int, kind Kind, key, value string) {
	b.out = append(b.out, Setting{Ecosystem: b.eco, File: b.file, Line: line, Kind: kind, Key: key, Value: value})
}

// addURL adds a setting naming a URL, redacting its credentials; an
// empty URL names nothing and is not added.
func (b *builder) addURL(line int, kind Kind, key, raw string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return
	}
	u, sec := RedactURL(raw)
	b.out = append(b.out, Setting{Ecosystem: b.eco, File: b.file, Line: line, Kind: kind, Key: key, URL: u, Secret: sec})
}

// addCredential adds a credential setting; value is never kept unless it
// refers to environment variables.
func (b *builder) addCredential(line int, key, value string) {
	s := Setting{Ecosystem: b.eco, File: b.file, Line: line, Kind: Credential, Key: key}
	v := strings.TrimSpace(value)
	switch {
	case v == "":
	case isEnvRef(v):
		s.Value = v
	default:
		s.Secret = SecretLiteral
	}
	b.out = append(b.out, s)
}

// RedactURL returns raw with the credentials it carries replaced by "***":
// the password of its user information (or the user name when there is no
// password: registries such as Gemfury read it as a token), and the values
// of query parameters that carry credentials (token, access_token,
// api_key, password, sig, …). References to environment variables
// (${TOKEN}, $TOKEN, %TOKEN%) are not secrets and are kept. The Secret
// result says what was replaced, the first replacement winning. The rest of
// raw is kept as written, so RedactURL also works on text that is not a
// valid URL.
func RedactURL(raw string) (string, Secret) {
	secret := NoSecret
	s := raw
	start := -1
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	} else if strings.HasPrefix(s, "//") {
		start = 2
	}
	if start >= 0 {
		end := len(s)
		if j := strings.IndexAny(s[start:], "/?#"); j >= 0 {
			end = start + j
		}
		auth := s[start:end]
		if at := strings.LastIndexByte(auth, '@'); at >= 0 {
			user, pass, hasPass := strings.Cut(auth[:at], ":")
			switch {
			case pass != "" && !isEnvRef(pass):
				pass, secret = "***", SecretURLPassword
			case pass == "" && user != "" && !isEnvRef(user):
				user, secret = "***", SecretURLUser
			}
			info := user
			if hasPass {
				info += ":" + pass
			}
			s = s[:start] + info + auth[at:] + s[end:]
		}
	}
	q := strings.IndexByte(s, '?')
	if q < 0 {
		return s, secret
	}
	fragment := ""
	query := s[q+1:]
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, fragment = query[:h], query[h:]
	}
	params := strings.Split(query, "&")
	for i, p := range params {
		name, value, ok := strings.Cut(p, "=")
		if ok && value != "" && sensitiveParam(name) && !isEnvRef(value) {
			params[i] = name + "=***"
			if secret == NoSecret {
				secret = SecretURLQuery
			}
		}
	}
	return s[:q+1] + strings.Join(params, "&") + fragment, secret
}

// sensitiveParams are query parameter names (lower case, "-" read as "_")
// whose values are credentials.
var sensitiveParams = map[string]bool{
	"token": true, "access_token": true, "auth_token": true, "authtoken": true, "private_token": true,
	"api_key": true, "apikey": true, "key": true, "password": true, "passwd": true, "pwd": true,
	"pass": true, "secret": true, "client_secret": true, "auth": true, "sig": true, "signature": true,
	"x_amz_signature": true, "x_amz_credential": true, "x_amz_security_token": true, "x_goog_signature": true,
}

func sensitiveParam(name string) bool {
	return sensitiveParams[strings.ReplaceAll(strings.ToLower(name), "-", "_")]
}

// isEnvRef reports whether v consists of references to environment
// variables (${NAME}, ${NAME:-}, $NAME, %NAME%) and at most punctuation
// between them, such as "${USER}:${PASS}": such a value names where the
// secret is, it is not one. A reference with a non-empty default
// (${NAME:-fallback}) is not: the default is written in the file.
func isEnvRef(v string) bool {
	found := false
	rest := v
	for rest != "" {
		n := envRefLen(rest)
		if n > 0 {
			found = true
			rest = rest[n:]
			continue
		}
		r, size := utf8.DecodeRuneInString(rest)
		if r == '_' || r >= utf8.RuneSelf || 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9' {
			return false
		}
		rest = rest[size:]
	}
	return found
}

// envRefLen returns the length of the environment variable reference that
// s starts with, or 0.
func envRefLen(s string) int {
	switch {
	case strings.HasPrefix(s, "${"):
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return 0
		}
		body := s[2:end]
		name, def, hasDef := strings.Cut(body, "-")
		name = strings.TrimSuffix(name, ":")
		if !isVarName(name) || (hasDef && def != "") {
			return 0
		}
		return end + 1
	case strings.HasPrefix(s, "$"):
		n := 1
		for n < len(s) && isVarByte(s[n], n == 1) {
			n++
		}
		if n == 1 {
			return 0
		}
		return n
	case strings.HasPrefix(s, "%"):
		end := strings.IndexByte(s[1:], '%')
		if end <= 0 || !isVarName(s[1:1+end]) {
			return 0
		}
		return end + 2
	}
	return 0
}

func isVarName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isVarByte(s[i], i == 0) {
			return false
		}
	}
	return true
}

func isVarByte(c byte, first bool) bool {
	return c == '_' || 'a' <= c|0x20 && c|0x20 <= 'z' || !first && '0' <= c && c <= '9'
}

// line is one physical line of a file.
type line struct {
	n    int // 1-based
	text string
}

// splitLines splits data into physical lines at "\n", "\r\n" or "\r",
// dropping a leading UTF-8 byte order mark.
func splitLines(data []byte) []line {
	s := strings.TrimPrefix(string(data), "\ufeff")
	var out []line
	n := 1
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			out = append(out, line{n, s})
			break
		}
		out = append(out, line{n, s[:i]})
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
		n++
	}
	return out
}

// checkText refuses data that is not text: NUL bytes or invalid UTF-8,
// naming the first line where it occurs.
func checkText(file string, data []byte) error {
	if utf8.Valid(data) && !strings.ContainsRune(string(data), 0) {
		return nil
	}
	for _, l := range splitLines(data) {
		if !utf8.ValidString(l.text) || strings.ContainsRune(l.text, 0) {
			return manifest.Errorf(file, l.n, "not a text file (NUL byte or invalid UTF-8)")
		}
	}
	return manifest.Errorf(file, 1, "not a text file (NUL byte or invalid UTF-8)")
}

// sorted returns the settings in line order (stable), for formats read by
// structure rather than line by line.
func (b *builder) sorted() []Setting {
	sort.SliceStable(b.out, func(i, j int) bool { return b.out[i].Line < b.out[j].Line })
	return b.out
}
