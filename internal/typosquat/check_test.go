package typosquat

import (
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func entries(names ...string) []corpus.Entry {
	out := make([]corpus.Entry, len(names))
	for i, n := range names {
		out[i] = corpus.Entry{Name: n, Rank: i + 1}
	}
	return out
}

var testCorpora = map[ecosystem.Ecosystem][]corpus.Entry{
	ecosystem.PyPI: entries("boto3", "requests", "urllib3", "numpy", "aiohttp", "beautifulsoup4", "python-nmap",
		"prompt-toolkit", "importlib-resources", "colorama", "detectron2", "jellyfish", "django", "cryptography"),
	ecosystem.NPM: entries("lodash", "cross-env", "react", "typescript", "uglify-js", "mysql-import", "@types/node",
		"discord.js", "ethers", "ms", "moment", "js-sha3"),
	ecosystem.Go: entries("github.com/boltdb/bolt", "github.com/spf13/cobra", "golang.org/x/net", "gopkg.in/yaml.v3", "github.com/pkg/errors", "gitee.com/openeuler/go-gitee",
		"buf.build/go/protovalidate", "go.uber.org/zap", "github.com/redis/go-redis"),
	ecosystem.NuGet:    entries("Newtonsoft.Json", "Serilog"),
	ecosystem.Crates:   entries("rust_decimal", "serde"),
	ecosystem.RubyGems: entries("rails", "rest-client"),
}

func TestSoundKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"discordjs", "diskordjs"},
		{"deezcordjs", "diskordjs"},
		{"phalcon", "falkon"},
		{"requests", "rekwests"},
		{"pydddantic", "pydantik"},
		{"voyage", "voyage"}, // vowels are not folded
		{"@scope/x", ""},     // not a plain key
		{"naïve", ""},
	} {
		if got := soundKey(tc.in); got != tc.want {
			t.Errorf("soundKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFoldable: a key foldable calls unchanged is its own sound key (the
// sound table leaves such targets out and finds them by their strip key).
func TestFoldable(t *testing.T) {
	keys := []string{"discordjs", "lodash", "react", "express", "phalcon", "mongoose", "pieces", "typescript", "webpack", "q", "azure", "abc-d", "naïve", "vue3"}
	for _, a := range []string{"a", "e", "i", "h", "p", "c", "k", "s", "z", "1"} {
		for _, b := range []string{"a", "e", "i", "h", "p", "c", "o", "z", "-"} {
			keys = append(keys, "x"+a+b+"y", a+b, b+a+a)
		}
	}
	for _, k := range keys {
		if !foldable(k) && soundKey(k) != k {
			t.Errorf("foldable(%q) = false, but soundKey = %q", k, soundKey(k))
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		eco       ecosystem.Ecosystem
		name      string
		target    string // "" = no finding expected
		technique string // prefix of the evidence technique
		sev       record.Severity
	}{
		// The classic techniques against a top name.
		{ecosystem.PyPI, "reqeusts", "requests", TechTransposition, record.High},
		{ecosystem.PyPI, "requets", "requests", TechOmission, record.High},
		{ecosystem.PyPI, "requestss", "requests", TechRepetition, record.High},
		{ecosystem.PyPI, "requesnts", "requests", TechInsertion, record.High},
		{ecosystem.PyPI, "arequests", "requests", TechInsertion, record.Medium}, // the first letter: rarely a typo, often an honest name
		{ecosystem.PyPI, "tequests", "requests", TechSubstitution, record.Medium},
		{ecosystem.PyPI, "requezts", "requests", TechSubstitution, record.High},
		{ecosystem.PyPI, "raquests", "requests", TechVowelSwap, record.High},
		{ecosystem.PyPI, "reque5ts", "requests", TechHomoglyph, record.High},
		{ecosystem.PyPI, "request", "requests", TechPlural, record.Medium},
		{ecosystem.PyPI, "requester", "requests", TechInsertion, record.Medium},
		{ecosystem.PyPI, "aiohtttps", "aiohttp", TechRepetition, record.Medium},
		{ecosystem.PyPI, "jeIlyfish", "jellyfish", TechHomoglyph, record.High},
		{ecosystem.PyPI, "nmap-python", "python-nmap", TechWordOrder, record.Medium},
		{ecosystem.PyPI, "prompt-tool-kit", "prompt-toolkit", TechDelimiter, record.High},
		{ecosystem.PyPI, "detectron4", "detectron2", TechSubstitution, record.Medium}, // digits: numbered variants are common
		{ecosystem.PyPI, "urllib", "urllib3", TechOmission, record.Medium},
		{ecosystem.PyPI, "djangoo", "django", TechRepetition, record.High},
		{ecosystem.PyPI, "python-requests", "requests", TechAffix, record.Medium},
		{ecosystem.PyPI, "reqυests", "requests", TechHomoglyph, record.Critical}, // Greek upsilon
		// npm.
		{ecosystem.NPM, "crossenv", "cross-env", TechDelimiter, record.High},
		{ecosystem.NPM, "1odash", "lodash", TechHomoglyph, record.High},
		{ecosystem.NPM, "typescriptjs", "typescript", TechAffix, record.Medium},
		{ecosystem.NPM, "uglify.js", "uglify-js", TechDelimiter, record.High},
		{ecosystem.NPM, "import-mysql", "mysql-import", TechWordOrder, record.Medium},
		{ecosystem.NPM, "types-node", "@types/node", TechScope, record.Medium},
		{ecosystem.NPM, "@evil/lodash", "", "", 0}, // forks republish under their scope
		{ecosystem.NPM, "@types/nodee", "", "", 0}, // same scope: its owner published it
		{ecosystem.NPM, "ethesjs", "ethers", TechAffix, record.Medium},
		{ecosystem.NPM, "rnoment", "moment", TechHomoglyph, record.High},
		{ecosystem.NPM, "js-sha7", "js-sha3", TechBitFlip, record.Medium},
		{ecosystem.NPM, "uglifyjs", "uglify-js", TechDelimiter, record.High},
		{ecosystem.NPM, "--no-audit", "--no-audit", TechOption, record.High}, // an installer's option
		{ecosystem.NPM, "-g", "-g", TechOption, record.High},
		{ecosystem.PyPI, "--no-deps", "--no-deps", TechOption, record.High},
		{ecosystem.NPM, "-", "", "", 0}, // no option word
		{ecosystem.NPM, "deezcord.js", "discord.js", TechSoundAlike, record.Medium},
		{ecosystem.PyPI, "kryptografy", "cryptography", TechSoundAlike, record.Medium},
		{ecosystem.PyPI, "kolorama", "colorama", TechBitFlip, record.Medium}, // one edit: the edit model's
		{ecosystem.NPM, "--9", "", "", 0},                                    // nor a letter after the dashes
		// Go module paths.
		{ecosystem.Go, "github.com/boltdb-go/bolt", "github.com/boltdb/bolt", TechOwner, record.High},
		{ecosystem.Go, "github.com/spf13/cobraa", "", "", 0}, // only spf13 can publish there
		{ecosystem.Go, "github.com/spf31/cobra", "github.com/spf13/cobra", TechOwner, record.High},
		{ecosystem.Go, "githb.com/spf13/cobra", "github.com/spf13/cobra", TechHost, record.High},
		{ecosystem.Go, "githib.com/boltdb/bolt", "github.com/boltdb/bolt", TechHost, record.High},
		{ecosystem.Go, "github.com/someone/cobra", "github.com/spf13/cobra", TechRepoClone, record.Info}, // forks and successors: no warning
		// The same path on another forge is a fork or a mirror; a host
		// that imitates a forge, or a typo in the path, is a lookalike.
		{ecosystem.Go, "gitlab.com/pkg/errors", "", "", 0},
		{ecosystem.Go, "codeberg.org/spf13/cobra", "", "", 0},
		{ecosystem.Go, "gitea.com/openeuler/go-gitee", "", "", 0}, // gitea.com and gitee.com: one letter, two forges
		{ecosystem.Go, "github.co/pkg/errors", "github.com/pkg/errors", TechHost, record.High},
		{ecosystem.Go, "gitee.com/openeu1er/go-gitee", "gitee.com/openeuler/go-gitee", TechOwner, record.High},
		// Owner and repository swapped (up to word order): the old path of a
		// moved project, or a fork; other word moves still warn.
		{ecosystem.Go, "github.com/go-redis/redis/v8", "github.com/redis/go-redis", TechRepoClone, record.Info},
		{ecosystem.Go, "github.com/redis-go/redis", "github.com/redis/go-redis", TechRepoClone, record.Info},
		{ecosystem.Go, "github.com/go/redis-redis", "github.com/redis/go-redis", TechWordOrder, record.Medium},
		{ecosystem.Go, "github.com/cobra/spf13", "github.com/spf13/cobra", TechWordOrder, record.Medium}, // no word in common: no move
		// A vanity host has one owner; gopkg.in has many.
		{ecosystem.Go, "buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go", "", "", 0},
		{ecosystem.Go, "go.uber.org/zapp", "", "", 0},
		{ecosystem.Go, "go.ubr.org/zap", "go.uber.org/zap", TechHost, record.High},
		{ecosystem.Go, "gopkg.in/yamI.v3", "gopkg.in/yaml.v3", TechHomoglyph, record.High},
		// Others.
		{ecosystem.NuGet, "Newtonsоft.Json", "Newtonsoft.Json", TechHomoglyph, record.Critical},
		{ecosystem.Crates, "rustdecimal", "rust_decimal", TechDelimiter, record.High},
		{ecosystem.RubyGems, "restclient", "rest-client", TechDelimiter, record.High},
		// The RubyGems corpus has Debian's spelling: "_" is written "-".
		{ecosystem.RubyGems, "rest_client", "", "", 0},
		// Not squats.
		{ecosystem.PyPI, "requests", "", "", 0},                 // itself
		{ecosystem.PyPI, "Requests", "", "", 0},                 // itself, other case
		{ecosystem.PyPI, "beautifulsoup4", "", "", 0},           // itself
		{ecosystem.NPM, "mx", "", "", 0},                        // too short to judge
		{ecosystem.NPM, "@types/lodash", "", "", 0},             // known scope
		{ecosystem.NPM, "left-pad", "", "", 0},                  // unrelated
		{ecosystem.Go, "github.com/spf13/cobra/doc", "", "", 0}, // package of the module
		{ecosystem.Go, "github.com/spf13/cobra/v2", "", "", 0},  // major version
		{ecosystem.PyPI, "totally-unrelated-name", "", "", 0},
	}
	indexes := map[ecosystem.Ecosystem]*Index{}
	for eco, es := range testCorpora {
		indexes[eco] = Build(eco, es, DefaultOptions())
	}
	for _, tt := range tests {
		t.Run(string(tt.eco)+"/"+tt.name, func(t *testing.T) {
			fs := indexes[tt.eco].Check(tt.name)
			if tt.target == "" {
				if len(fs) != 0 {
					t.Fatalf("got %d findings, want none: %+v", len(fs), fs)
				}
				return
			}
			if len(fs) == 0 {
				t.Fatalf("no finding, want %s via %s", tt.target, tt.technique)
			}
			f := fs[0]
			if f.Rule != RuleTyposquat || f.Evidence["target"] != tt.target {
				t.Fatalf("first finding %+v, want target %s", f, tt.target)
			}
			if tech, _ := f.Evidence["technique"].(string); !strings.HasPrefix(tech, tt.technique) {
				t.Errorf("technique = %q, want %q", tech, tt.technique)
			}
			if f.Severity != tt.sev {
				t.Errorf("severity = %v, want %v (%s)", f.Severity, tt.sev, f.Message)
			}
			if f.Message == "" || f.Confidence <= 0 || f.Confidence > 1 {
				t.Errorf("bad message/confidence: %+v", f)
			}
		})
	}
}

func TestProtectedNames(t *testing.T) {
	ix := Build(ecosystem.NPM, []corpus.Entry{{Name: "acme-billing", Rank: 0}}, DefaultOptions())
	fs := ix.Check("acme-biling")
	if len(fs) != 1 || fs[0].Severity != record.High || fs[0].Evidence["protected"] != true {
		t.Fatalf("Check(acme-biling) = %+v, want one high finding on a protected name", fs)
	}
}

func FuzzCheck(f *testing.F) {
	ix := Build(ecosystem.NPM, testCorpora[ecosystem.NPM], DefaultOptions())
	gx := Build(ecosystem.Go, testCorpora[ecosystem.Go], DefaultOptions())
	sx := Build(ecosystem.NPM, entries("@near-js/accounts", "@azure/arm-compute", "@jest/types", "debug", "react"), DefaultOptions())
	for _, s := range []string{"lodash", "1odash", "@types/node", "@x/", "reаct", "github.com/a/b/c", "", "-", "\xff", "@meer-js/accounts", "arm-compute", "degbu", "discord.js12.5.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, x := range []*Index{ix, gx, sx} {
			for _, fd := range x.Check(name) {
				if fd.Evidence["target"] == "" || fd.Message == "" {
					t.Fatalf("incomplete finding for %q: %+v", name, fd)
				}
			}
		}
	})
}

// TestShortTargets: names shorter than MinLen are matched when they are
// among the ShortRank most popular, and then only by a swapped or doubled
// letter, which honest names rarely are; the common edits stay allowed.
func TestShortTargets(t *testing.T) {
	opt := DefaultOptions()
	popular := Build(ecosystem.NPM, []corpus.Entry{{Name: "tar", Rank: 3}, {Name: "gulp", Rank: 40}, {Name: "ms", Rank: 5}, {Name: "npx", Rank: 300}}, opt)
	unpopular := Build(ecosystem.NPM, []corpus.Entry{{Name: "tar", Rank: opt.ShortRank + 1}, {Name: "gulp", Rank: 20001}}, opt)
	tests := []struct {
		ix        *Index
		name      string
		technique string // "" = no finding expected
	}{
		{popular, "atr", TechTransposition},
		{popular, "tarr", TechRepetition},
		{popular, "gupl", TechTransposition},
		{popular, "gullp", TechRepetition},
		{popular, "tap", TechBitFlip},     // a top-100 target: any one edit warns
		{popular, "star", TechInsertion},  // (ranks 101-500: only swaps and doubled letters)
		{popular, "tars", ""},             // plural
		{popular, "smm", ""},              // "ms" is below ShortMinLen
		{popular, "nqx", ""},              // rank 300, a substitution: too common
		{popular, "npxx", TechRepetition}, // rank 300, a doubled letter
		{unpopular, "atr", ""},
		{unpopular, "gupl", ""},
	}
	for _, tt := range tests {
		fs := tt.ix.Check(tt.name)
		if tt.technique == "" {
			if len(fs) != 0 {
				t.Errorf("Check(%q) = %+v, want none", tt.name, fs)
			}
			continue
		}
		if len(fs) == 0 {
			t.Errorf("Check(%q): no finding, want %s", tt.name, tt.technique)
			continue
		}
		f := fs[0]
		if f.Evidence["technique"] != tt.technique || f.Severity != record.Medium || f.Evidence["length"] == nil {
			t.Errorf("Check(%q) = %+v, want a medium %s finding with the target's length", tt.name, f, tt.technique)
		}
	}
}
