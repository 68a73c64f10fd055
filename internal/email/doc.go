// Package email reads an e-mail message (RFC 5322 with MIME: multipart,
// HTML, quoted-printable, base64, encoded headers, legacy charsets) into a
// Message, safely and within fixed bounds, and judges whether it is
// package-ecosystem phishing: mail that imitates a registry or code host,
// asks for credentials, 2FA or a dependency "upgrade" from a given URL,
// links to lookalike or unofficial registries, threatens lockout, or
// carries risky attachments.
//
// Parsing (message.go) is a source and never judges; Analyze (analyze.go)
// is pure and never does I/O: the lookalike-domain judgements come from
// internal/domain, the link extraction and lure language from
// internal/content.
package email
