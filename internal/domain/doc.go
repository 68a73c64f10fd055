// Package domain is pkgward's lookalike-domain engine: it tells whether a
// host name (or the host of a URL or e-mail address) imitates a protected
// domain — the package registries of npm, PyPI, NuGet, RubyGems, Go and
// crates, their file hosts and documentation, the code hosts, and the
// user's own domains — the way phishing mail sends maintainers to
// npmjs.help, pypj.org or npmjs.com.account-verify.io.
//
// The protected domains are embedded (data/protected.tsv, apex domains
// only: a listed domain and every host under it are official). A host is
// split with the public-suffix list (golang.org/x/net/publicsuffix) into
// subdomains, the label before the public suffix and the suffix; IDNA
// names are mapped and decoded (golang.org/x/net/idna) and compared
// through confusable skeletons (internal/confusable). The techniques
// (edit.go, techniques.go) are homoglyphs, TLD swaps, hyphenation, single
// edits (two on long labels), brand plus keyword, file-host lookalikes,
// the protected domain written in a subdomain or in a URL's user-info, and
// registry lures made only of registry and lure words; short labels get
// fewer techniques (see minEditLabel). data/known.tsv lists the few honest
// third-party sites a technique would otherwise report.
//
// Everything is pure: no DNS, WHOIS or other I/O. An Engine is immutable
// after New and safe for concurrent use.
package domain
