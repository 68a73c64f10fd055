package campaign

import (
	"encoding/binary"
	"strings"
)

// CompactSig is the serializable part of a Signature that matching a
// package against a known campaign needs (Matcher): a few hundred bytes
// of JSON per member, no text. The store keeps it for some or all of a
// campaign's members; a CompactSig read back is untrusted and bounded by
// NewMatcher.
type CompactSig struct {
	Member Member `json:"member"`
	// Template is the name template (NameTemplate).
	Template []string `json:"template,omitempty"`
	// URLs are the normalized links (Link.URL); Domains the registrable
	// domains of the links that are evidence of a common operator (no
	// code host, no shortener).
	URLs    []string `json:"urls,omitempty"`
	Domains []string `json:"domains,omitempty"`
	// Authors are the lower-case e-mail addresses (or names) of authors
	// and maintainers.
	Authors []string `json:"authors,omitempty"`
	// Published is the publication time in Unix seconds, 0 when unknown.
	Published int64 `json:"published,omitempty"`
	// Lure is the mask of lure terms of the name, keywords and text.
	Lure uint64 `json:"lure,omitempty"`
	// MinHash is the text's MinHash (NumHashes little-endian uint32), nil
	// when the text is too short to compare (DefaultOptions MinShingles).
	MinHash []byte `json:"minhash,omitempty"`
	// Shape is the name shape ("a-a-r"), "" for none.
	Shape string `json:"shape,omitempty"`
	// Desc and Manifest hash an identical-description candidate and the
	// script and dependency names; 0 for none.
	Desc     uint32 `json:"desc,omitempty"`
	Manifest uint32 `json:"manifest,omitempty"`
}

// Compact returns the compact form of s.
func (s *Signature) Compact() CompactSig {
	c := CompactSig{
		Member:    s.Member,
		Template:  s.template,
		Authors:   s.authors,
		Published: s.published,
		Lure:      s.lure,
		Shape:     s.shape,
		Desc:      fold32(s.desc),
		Manifest:  fold32(s.manifest),
	}
	for _, l := range s.links {
		c.URLs = append(c.URLs, l.URL)
		if evidenceDomain(l) && !contains(c.Domains, l.Domain) {
			c.Domains = append(c.Domains, l.Domain)
		}
	}
	if s.shingles >= DefaultOptions().MinShingles {
		c.MinHash = make([]byte, 4*NumHashes)
		for i, v := range s.minhash {
			binary.LittleEndian.PutUint32(c.MinHash[4*i:], v)
		}
	}
	return c
}

// evidenceDomain reports a link whose registrable domain is evidence of
// a common operator: neither a shortener nor a code host (as the
// Builder's domEvidence).
func evidenceDomain(l Link) bool {
	return !IsShortener(l.Host) && !isCodeHost(l.Domain) && !isCodeHost(l.Host)
}

// repoHosts are the code hosts whose owner/repository URLs identify one
// project: sharing such a URL exactly is evidence, unlike a code host's
// other pages (licenses, badges, documentation).
var repoHosts = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true, "codeberg.org": true,
	"gitee.com": true, "sr.ht": true, "git.sr.ht": true, "sourceforge.net": true,
}

// evidenceURL reports whether sharing the normalized URL u is evidence
// of a common operator: any URL off the code hosts with a path or on a
// host that is not one (a phishing page, a shortener code), and on a
// code host only a repository URL (host/owner/repo...). Bare code-host
// URLs ("github.com"), license and badge pages are shared by thousands of
// honest packages.
func evidenceURL(u string) bool {
	host, path, _ := strings.Cut(u, "/")
	if !isCodeHost(host) {
		return host != "" && (path != "" || !IsShortener(host))
	}
	if !repoHosts[host] {
		return false
	}
	owner, repo, _ := strings.Cut(path, "/")
	return owner != "" && repo != ""
}

// minhash decodes c's MinHash; ok is false when it has none or it is
// malformed.
func (c *CompactSig) minhash() (mh [NumHashes]uint32, ok bool) {
	if len(c.MinHash) != 4*NumHashes {
		return mh, false
	}
	for i := range mh {
		mh[i] = binary.LittleEndian.Uint32(c.MinHash[4*i:])
	}
	return mh, true
}

// KnownFrom returns what a matcher needs of the campaign c: its id,
// size, confidence, indicators and members, with the signatures of sigs
// that belong to c's members (by Member.Key) as its Sigs.
func KnownFrom(c *Campaign, sigs []CompactSig) Known {
	in := make(map[string]bool, len(c.Members))
	for _, m := range c.Members {
		in[m.Key()] = true
	}
	k := Known{ID: c.ID, Size: c.Size, Confidence: c.Confidence, Indicators: c.Indicators, Members: c.Members}
	for _, s := range sigs {
		if in[s.Member.Key()] {
			k.Sigs = append(k.Sigs, s)
		}
	}
	return k
}
