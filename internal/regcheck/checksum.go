package regcheck

import (
	"fmt"
	"net"
	"strings"

	"github.com/pkgward/pkgward/internal/manifest/registryconf"
	"github.com/pkgward/pkgward/internal/record"
)

// publicModuleHosts are the hosts most public Go modules live on: a
// GONOSUMDB, GOPRIVATE or GOINSECURE pattern covering a whole one of them
// switches verification off for public code, not for private modules.
var publicModuleHosts = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true, "codeberg.org": true, "gitee.com": true,
	"golang.org": true, "google.golang.org": true, "gopkg.in": true, "go.googlesource.com": true,
	"go.uber.org": true, "k8s.io": true, "sigs.k8s.io": true, "cloud.google.com": true,
	"go.opentelemetry.io": true, "go.etcd.io": true,
}

// checksum judges a checksum setting.
func checksum(s registryconf.Setting) (record.Finding, bool) {
	key := s.Key
	v := strings.TrimSpace(strings.Trim(strings.TrimSpace(s.Value), `"'`))
	lv := strings.ToLower(v)
	shown := Name(s)
	found := func(sev record.Severity, conf float64, format string, args ...any) (record.Finding, bool) {
		return record.Finding{
			Rule: RuleChecksumDisabled, Severity: sev, Confidence: conf,
			Message:  fmt.Sprintf(format, args...),
			Evidence: map[string]any{"key": key, "value": redact(v)},
		}, true
	}
	base := key
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		base = base[i+1:] // "global.trusted-host", "source.pypi.verify_ssl"
	}
	base = strings.TrimLeft(base, ":-") // ":ssl_verify_mode", "--trusted-host"
	switch upper := strings.ToUpper(key); {
	case upper == "GOSUMDB":
		if lv == "off" {
			return found(record.High, 0.95, "GOSUMDB=off: the go command no longer checks downloaded modules against the checksum database, so a proxy or origin can serve altered code for a module not yet in go.sum")
		}
	case upper == "GONOSUMDB" || upper == "GOPRIVATE":
		if broadPattern(v) {
			return found(record.High, 0.9, "%s: the pattern %q covers public modules, which are then no longer checked against the checksum database; list only your private module paths (github.com/your-org/*)", shown, v)
		}
	case upper == "GOINSECURE":
		if broadPattern(v) {
			return found(record.High, 0.9, "%s: the pattern %q covers public modules, which are then fetched without TLS verification and not checked against the checksum database", shown, v)
		}
		if v != "" {
			return found(record.Medium, 0.8, "%s: modules matching %q are fetched without TLS verification and not checked against the checksum database; serve them over https instead", shown, v)
		}
	case upper == "GONOSUMCHECK":
		if v != "" {
			return found(record.Low, 0.5, "%s: the go command does not read GONOSUMCHECK, so this switches nothing off, but it states the intent to skip checksum verification; use GONOSUMDB with your private module paths only", shown)
		}
	case upper == "GOFLAGS":
		if strings.Contains(lv, "insecure") {
			return found(record.High, 0.9, "GOFLAGS=%s: older go commands fetch modules without TLS verification and without checksum checks; GOINSECURE replaced it, for private hosts only", v)
		}
	case base == "strict-ssl" || upper == "NPM_CONFIG_STRICT_SSL":
		if isFalse(lv) {
			return found(record.High, 0.95, "%s: TLS certificates of the registry are not verified, so anyone on the network path can serve altered packages", shown)
		}
	case base == "enableStrictSsl":
		if isFalse(lv) {
			return found(record.High, 0.95, "%s: Yarn does not verify the registry's TLS certificates, so anyone on the network path can serve altered packages", shown)
		}
	case base == "checksumBehavior":
		if lv == "ignore" || lv == "update" || lv == "reset" {
			return found(record.High, 0.95, "%s: Yarn does not fail when a package's checksum differs from the one in yarn.lock (the default is throw)", shown)
		}
	case base == "unsafeHttpWhitelist":
		if !isLoopback(strings.TrimPrefix(v, "*.")) {
			return found(record.Medium, 0.8, "%s: Yarn accepts plain http for %s, so anyone on the network path can change what it serves", shown, v)
		}
	case base == "trusted-host" || upper == "PIP_TRUSTED_HOST" || base == "allow-insecure-host":
		if h := hostOf(v); h != "" && !isLoopback(h) {
			return found(record.High, 0.9, "%s: %s is trusted without TLS verification, so anyone on the network path can serve altered packages for it", shown, h)
		}
	case base == "verify_ssl":
		if isFalse(lv) {
			return found(record.High, 0.95, "%s: pipenv does not verify the TLS certificate of this source", shown)
		}
	case base == "ssl_verify_mode":
		if lv == "0" {
			return found(record.High, 0.95, "%s: RubyGems does not verify TLS certificates (OpenSSL VERIFY_NONE)", shown)
		}
	}
	return record.Finding{}, false
}

// broadPattern reports whether a GONOSUMDB/GOPRIVATE/GOINSECURE glob
// pattern (path.Match syntax, matched against path prefixes) covers public
// modules: "*", a pattern whose host part is a wildcard or a whole
// top-level domain ("*.com"), or a whole public module host ("github.com",
// "github.com/*").
func broadPattern(p string) bool {
	p = strings.Trim(strings.TrimSpace(p), "/")
	if p == "" {
		return false
	}
	elems := strings.Split(p, "/")
	for len(elems) > 1 && isWildcard(elems[len(elems)-1]) {
		elems = elems[:len(elems)-1]
	}
	if len(elems) > 1 {
		return false
	}
	host := strings.ToLower(elems[0])
	if isWildcard(host) {
		return true
	}
	if rest, ok := strings.CutPrefix(host, "*."); ok && !strings.Contains(rest, ".") {
		return true // *.com, *.io
	}
	return publicModuleHosts[host]
}

func isWildcard(e string) bool { return strings.Trim(e, "*?") == "" || e == "*.*" }

// hostOf returns the host of a trusted-host value ("host", "host:port",
// or a URL).
func hostOf(v string) string {
	if net.ParseIP(v) != nil {
		return v
	}
	if _, u := parseURL(v); u != nil {
		return u.Hostname()
	}
	h := v
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.Trim(h, "[]")
}

// isFalse reports whether a boolean setting's value is false as the tools
// spell it.
func isFalse(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "0", "no", "off":
		return true
	}
	return false
}
