// Package content is the content analyzer: it reads the text a package
// shows people — its name, description, README (Markdown or HTML) and
// keywords — and the links in it and in its homepage and repository
// fields, and reports the lures and links of the spam campaigns that
// flood package registries with "free Robux generator" pages pointing to
// phishing sites.
//
// It owns:
//
//   - extraction (document.go, markdown.go, html.go, bareurl.go, tame.go):
//     a Document of visible text and external links, built by walking the
//     goldmark syntax tree of Markdown and tokenizing HTML (blocks, inline
//     tags and whole HTML READMEs) with golang.org/x/net/html; URLs
//     written as plain text are found in the text outside links. All of
//     it is bounded: the first MaxInput bytes are read, at most MaxLinks
//     links kept, and shapes on which the Markdown parser is superlinear
//     are tamed first, so any input costs linear time;
//   - text normalization (normalize.go) and the lure phrase model
//     (phrases.txt, phrases.go, matcher.go, lure.go): weighted phrases in
//     categories with roles, matched by an Aho–Corasick automaton over
//     normalized text, combined into windows and graded;
//   - link rules (shortener.go, ip.go, idn.go, tracking.go, urls.go and the
//     link checks in analyzer.go);
//   - the Analyzer (analyzer.go), which implements analysis.Analyzer, runs
//     all rules on a package record and combines them: a lure next to a
//     hidden or disguised link is graded up, weak link signals alone stay
//     info or low.
//
// Rule ids: lure-text, shortener-link, ip-link, punycode-link,
// link-text-mismatch, lookalike-link, link-density, tracking-link and
// content-truncated; docs/content.md and docs/rules.md describe them.
// Lookalike domains are judged by internal/domain, through the
// DomainJudge interface. The analyzer is pure: no I/O, no printing.
package content
