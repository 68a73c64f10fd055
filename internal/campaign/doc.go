// Package campaign clusters package records into campaigns: series of
// packages published by one actor, such as the 144,000 generated NuGet,
// npm and PyPI packages of 2023 that lured readers to phishing pages with
// "free robux generator 2024" names, near-identical READMEs and shared
// links.
//
// Records stream in one at a time (Builder.Add, or Sign concurrently and
// Builder.AddSignature in order); the builder keeps only a signature of
// each (no text): the tokens of its name template (NameTemplate: years,
// numbers and random suffixes replaced by placeholders), its normalized
// links (ExtractURLs, NormalizeURL: host and path, query kept apart as a
// tracking-parameter hint), its authors, publication time, the lure terms
// of its name and text, and a 64-value one-permutation MinHash of the
// word 3-shingles of its description and README.
//
// Cluster then links records with a union-find over candidate pairs. The
// candidates come from buckets: 16 LSH bands of the MinHash, the exact
// name template and the template with each position wildcarded, each
// link, each registrable domain that is not a code host or shortener,
// each author. Each member of a bucket is compared with at most
// Options.Compares of its Options.Window predecessors not already in its
// cluster, so huge buckets cost linear time. A pair is linked only on
// strong evidence (Builder.accept): near-duplicate texts (similarity ≥
// 0.55); related texts (≥ 0.25) plus a shared link, domain, author or
// similar name template; a shared link or domain plus a similar name
// template, the same author, or lure texts on both sides; or generated
// names of one template by one author. A shared author, a shared code-host
// link or a name pattern alone never links two records.
//
// Honest families link too: a monorepo's packages share a repository and
// a name template, @types packages share a template and text, a prolific
// author's packages share an author. A cluster is therefore reported as a
// campaign only when it has at least Options.MinSize (5) members and
// spam evidence: half its members have lure-like names or texts (a lure
// score of 3: e.g. "free" + "robux", or "free" + "generator" +
// "unlimited"), or half link through a URL shortener or with per-package
// tracking parameters on a shared link and half have generated names
// (years, random suffixes). Other clusters are returned as Families for
// inspection, never as campaigns. Finally the members of a campaign that
// carry none of its evidence themselves (no lure, and no link, domain,
// author or name pattern shared by a tenth of the members) are dropped:
// they only chained in through a neighbour.
//
// Floods without lure text — token farms (<words>-<random>) and worm
// waves (<given-name>-<food><digits>-<word>) — are campaigns by their name
// shape (shape.go): one shape with random parts and no common word, linked
// by a shared author, description or manifest, and sharing two signals
// (few accounts, a 24-hour burst, identical descriptions or manifests).
// Organization families (@types/*, eslint-config-*) share a word and are
// never shape campaigns.
//
// At gate time a package is matched against known campaigns without
// re-clustering (Matcher, match.go): NewMatcher indexes what the store
// keeps of each campaign (Known: indicators, members, and the compact
// signatures of members, CompactSig); Match applies the evidence rules of
// Builder.accept against the campaign as a whole. MatchAnalyzer, and
// RefAnalyzer over a MatcherRef that a server swaps when the campaigns
// change, give matching packages the campaign-member finding.
//
// Each campaign has a stable id (a hash of its sorted members), its
// shared indicators, a confidence, and yields a campaign-member finding
// for each member. The package is pure: no I/O.
package campaign
