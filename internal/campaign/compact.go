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

// platforms are popular sites whose registrable domain spam and honest
// packages alike link to (social networks, stores, blogs): at the
// gate sharing one is no evidence of a common operator, though sharing an
// exact page on one is. Clustering counts them (a cluster needs more
// evidence besides); one package against a campaign must not. Hosts
// whose subdomains the public suffix list separates (blogspot.com,
// vercel.app) need no entry: their registrable domain is one user's.
var platforms = map[string]bool{
	"facebook.com": true, "fb.com": true, "instagram.com": true, "linkedin.com": true, "reddit.com": true,
	"tiktok.com": true, "telegram.org": true, "whatsapp.com": true, "pinterest.com": true,
	"tumblr.com": true, "twitch.tv": true, "vk.com": true, "threads.net": true, "bsky.app": true,
	"amazon.com": true, "apple.com": true, "substack.com": true, "notion.site": true,
	"notion.so": true, "dev.to": true, "hashnode.dev": true, "quora.com": true,
}

// platformHost reports a host on one of the platforms.
func platformHost(host string) bool {
	if platforms[host] {
		return true
	}
	i := strings.IndexByte(host, '.')
	return i >= 0 && platforms[host[i+1:]]
}

// matchDomain reports whether sharing the registrable domain d with a
// campaign is evidence at the gate: no code host, shortener or platform.
func matchDomain(d string) bool {
	return d != "" && !isCodeHost(d) && !IsShortener(d) && !platformHost(d)
}

// evidenceURL reports whether sharing the normalized URL u is evidence
// of a common operator: a page (a phishing page, a shortener's code) off
// the code hosts, a site's root only when its domain is evidence
// (matchDomain), and on a code host only a repository URL
// (host/owner/repo...). Bare code-host and platform URLs ("github.com"),
// license and badge pages are shared by thousands of honest packages.
func evidenceURL(u string) bool {
	host, path, _ := strings.Cut(u, "/")
	switch {
	case host == "":
		return false
	case path == "":
		return matchDomain(host)
	case !isCodeHost(host):
		return true
	case !repoHosts[host]:
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
