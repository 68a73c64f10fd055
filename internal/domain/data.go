package domain

import (
	"embed"
	"fmt"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/pkgward/pkgward/internal/confusable"
)

//go:embed data/protected.tsv data/known.tsv
var dataFS embed.FS

// Roles of protected domains (the role column of data/protected.tsv).
const (
	RoleWeb        = "web"
	RoleAPI        = "api"
	RoleFiles      = "files"
	RoleCodeHost   = "code-host"
	RoleDocs       = "docs"
	RolePages      = "pages"      // users' own sites live under it (x.github.io)
	RoleCloud      = "cloud"      // a cloud provider's console and sites
	RoleCI         = "ci"         // a CI service
	RoleChat       = "chat"       // a chat platform
	RoleFoundation = "foundation" // an ecosystem's foundation
	RoleUser       = "user"       // a domain of yours, from the configuration
)

// entry is one protected domain.
type entry struct {
	domain    string // ASCII, as listed
	reg       string // its registrable domain (eTLD+1)
	label     string // the label before the public suffix ("npmjs")
	flat      string // label without "-" and "_"
	suffix    string // the public suffix ("com")
	skel      string // confusable skeleton of domain
	labelSkel string // confusable skeleton of label
	brand     string // "npm", "PyPI", or the user's label
	eco       string // ecosystem id, "" for every ecosystem
	role      string
	generic   bool // the label is a common word: no label techniques
	manyTLDs  bool // a TLD swap is only medium
	ccTLDs    bool // a swap to a country suffix is not reported
	noKeyword bool // no brand+keyword technique
	word      bool // the brand's name is an ordinary word (see protected.tsv)
	tokens    []string
	aliases   []string // whole-token names of the brand ("aws")
	wordAlias []string // whole-token names that are ordinary words ("rust")
	named     bool     // a brand of yours with a name (brands: in the configuration)
}

// Entry is a protected domain as the engine holds it (for documentation
// and tests).
type Entry struct {
	Domain, Brand, Ecosystem, Role string
}

// parseProtected reads data/protected.tsv.
func parseProtected() ([]entry, error) {
	data, err := dataFS.ReadFile("data/protected.tsv")
	if err != nil {
		return nil, err
	}
	var out []entry
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("protected.tsv:%d: %d columns, want 5", n+1, len(f))
		}
		e := entry{domain: f[0], brand: f[1], eco: f[2], role: f[3]}
		if e.eco == "-" {
			e.eco = ""
		}
		if h, err := ParseHost(e.domain); err != nil || h != e.domain {
			return nil, fmt.Errorf("protected.tsv:%d: %q is not a normalized host name", n+1, e.domain)
		}
		switch e.role {
		case RoleWeb, RoleAPI, RoleFiles, RoleCodeHost, RoleDocs, RolePages, RoleCloud, RoleCI, RoleChat, RoleFoundation:
		default:
			return nil, fmt.Errorf("protected.tsv:%d: unknown role %q", n+1, e.role)
		}
		for _, fl := range strings.Split(f[4], ",") {
			switch {
			case fl == "-":
			case fl == "generic":
				e.generic = true
			case fl == "many-tlds":
				e.manyTLDs = true
			case fl == "no-keyword":
				e.noKeyword = true
			case fl == "cctlds":
				e.ccTLDs = true
			case fl == "word":
				e.word, e.noKeyword = true, true
			case strings.HasPrefix(fl, "word-alias="):
				e.wordAlias = append(e.wordAlias, strings.TrimPrefix(fl, "word-alias="))
			case strings.HasPrefix(fl, "alias="):
				e.aliases = append(e.aliases, strings.TrimPrefix(fl, "alias="))
			case strings.HasPrefix(fl, "token="):
				e.tokens = append(e.tokens, strings.TrimPrefix(fl, "token="))
			default:
				return nil, fmt.Errorf("protected.tsv:%d: unknown flag %q", n+1, fl)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// parseKnown reads data/known.tsv: registrable domain → what it is.
func parseKnown() (map[string]string, error) {
	data, err := dataFS.ReadFile("data/known.tsv")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string)
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		d, note, ok := strings.Cut(line, "\t")
		if !ok || d == "" || note == "" {
			return nil, fmt.Errorf("known.tsv:%d: want domain<TAB>description", n+1)
		}
		out[d] = note
	}
	return out, nil
}

// fill computes an entry's label, suffix and skeletons. A domain that is
// itself a public suffix (github.io) is split at its first dot.
func (e *entry) fill() {
	reg, err := publicsuffix.EffectiveTLDPlusOne(e.domain)
	if err != nil {
		reg = e.domain
	}
	e.reg = reg
	if label, rest, ok := strings.Cut(reg, "."); ok {
		e.label, e.suffix = label, rest
	}
	e.flat = stripDelims(e.label)
	e.skel = confusable.Skeleton(e.domain)
	e.labelSkel = confusable.Skeleton(e.label)
}

// possessive is "npm's", "PyPI's"; for the user's domains "your".
func (e *entry) possessive() string {
	if e.role == RoleUser && !e.named {
		return "your"
	}
	if e.named {
		return "your brand " + e.brand + "'s"
	}
	return e.brand + "'s"
}
