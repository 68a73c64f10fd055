package typosquat

import (
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// ranked builds corpus entries with the given ranks.
func ranked(pairs ...any) []corpus.Entry {
	var out []corpus.Entry
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, corpus.Entry{Name: pairs[i].(string), Rank: pairs[i+1].(int)})
	}
	return out
}

// TestModel covers the scoring model and the techniques added with it,
// each case against a small corpus built for it.
func TestModel(t *testing.T) {
	npm := Build(ecosystem.NPM, ranked(
		"debug", 3, "react", 234, "socks", 728, "typescript", 98, "lodash", 50, "web3", 9925,
		"simplemde", 30000, "@azure/arm-compute", 20468, "@azure/core-http", 7580, "@acme/billing-api", 0,
		"@near-js/accounts", 900, "@near-js/providers", 950, "@jest/types", 118, "@nest/core", 4000, "@jest/core", 700,
		"@x/core", 10, "@y/core", 20, "@vue/types", 30, "@babel/types", 40,
		"eslint-plugin-react", 80, "eslint-plugin-import", 90, "eslint-plugin-vue", 95,
		"discord.js", 12524, "bitcoinjs-lib", 11506, "axios", 215, "sqlite", 14755, "fabric", 11324,
		"colors", 1475, "cesium", 21528, "d3", 2888,
		"tar", 420, "gulp", 6307, "mongodb", 2523, "vitest", 980, "eslint-config-standard", 4870, "p-reduce", 3218,
		"lodash.flow", 7015, "@nestia/core", 43970, "@eslint/core", 473, "d3-node", 29042,
		"path-type", 273, "path-key", 40, "path-exists", 60, "path-parse", 70, "vuex", 6548, "jsep", 2839, "uuid", 60, "eslint", 30, "left-pad", 7199,
	), DefaultOptions())
	pypi := Build(ecosystem.PyPI, ranked("django", 13, "django-rq", 4942, "requests", 6), DefaultOptions())
	gems := Build(ecosystem.RubyGems, ranked(
		"aws-sdk-core", 300, "aws-sdk-kms", 330, "aws-sdk-s3", 340, "net-ssh", 100, "net-sftp", 509, "net-scp", 200,
		"console", 359, "public-suffix", 266, "rack", 3,
	), DefaultOptions())
	crates := Build(ecosystem.Crates, ranked("serde", 2, "serde-json", 5, "serde-derive", 6), DefaultOptions())
	gomods := Build(ecosystem.Go, ranked("k8s.io/utils", 747, "k8s.io/client-go", 749, "github.com/mitchellh/mapstructure", 32,
		"github.com/gogits/chardet", 1495, "github.com/sirupsen/logrus", 9), DefaultOptions())
	tests := []struct {
		ix        *Index
		name      string
		technique string // "" = no finding at medium or above
		sev       record.Severity
	}{
		// Edit kinds: a swap blocks where a changed letter only warns.
		{npm, "sokcs", TechTransposition, record.High},
		{npm, "socke", TechSubstitution, record.Medium}, // rank 728, 5 letters: a common edit needs one point more
		{npm, "lodasj", TechSubstitution, record.High},  // rank 50: it has it
		{npm, "lodahs", TechTransposition, record.High},
		// The first letter: common edits there never block.
		{npm, "mocks", TechSubstitution, record.Medium},
		{npm, "ntypescript", TechInsertion, record.Medium},
		{npm, "typescriptt", TechRepetition, record.High},
		// A swap of a less popular short name still warns.
		{npm, "we3b", TechTransposition, record.Medium},
		// Long names far down the corpus warn on one edit.
		{npm, "asimplemde", TechInsertion, record.Medium},
		// Short popular names at distance 2: a moved letter.
		{npm, "degbu", TechInsertion, record.Medium},
		{npm, "rceat", TechInsertion, record.Medium},
		{npm, "dbeug", TechTransposition, record.High},  // one swap
		{npm, "rezct", TechSubstitution, record.Medium}, // a changed letter of a 5-letter rank-234 name
		// Short names outside the top 400: a letter added inside a
		// three-letter name, a neighbouring key struck.
		{npm, "tiar", TechInsertion, record.Medium},
		{npm, "tars", "", 0}, // a letter added at the end
		{npm, "tad", "", 0},  // a changed letter of a three-letter name
		{npm, "hulp", TechSubstitution, record.Medium},
		{npm, "gulk", "", 0},                                // 'p' and 'k' are not neighbours
		{npm, "viex", TechVowelSwap, record.Medium},         // a neighbouring vowel
		{npm, "jssep", TechRepetition, record.Medium},       // a letter doubled inside the name
		{npm, "jsepp", "", 0},                               // at its end
		{npm, "path-typd", TechSubstitution, record.Medium}, // a neighbouring key inside a family still warns
		// Compound edits beyond the distance-2 index: a swap plus a letter
		// left out or added; doubled letters plus one more edit.
		{npm, "mogobd", TechOmission, record.Medium},
		{npm, "bitset", "", 0},                             // a swap plus a changed letter: another name
		{npm, "mongobd", TechTransposition, record.Medium}, // one swap from mongodb: no compound finding beside it
		{npm, "eslintcconfigstahndard", TechRepetition, record.Medium},
		{npm, "apr-reduce", "", 0},   // "rr" only once the delimiter is gone
		{npm, "lodash.floor", "", 0}, // doubled letters plus a changed one
		// A delimiter moved inside a word.
		{npm, "d3n-ode", TechDelimiter, record.Medium},
		{npm, "d3node", "", 0}, // removed: rank 29042 is too far down
		// Unscoped copies of scoped packages (dependency confusion).
		{npm, "arm-compute", TechScopeDropped, record.Medium},
		{npm, "core-http", TechScopeDropped, record.Medium},
		{npm, "billing-api", TechScopeDropped, record.High}, // the user's own scoped package
		{npm, "core", "", 0}, // generic, and several scopes publish it
		{npm, "types", "", 0},
		// Typo'd scopes.
		{npm, "@neat-js/accounts", TechScopeLookalike, record.High},
		{npm, "@meer-js/accounts", TechScopeLookalike, record.Medium}, // two edits
		{npm, "@meer-js/unknown", "", 0},                              // no such package in the real scope
		{npm, "@best/types", TechScopeLookalike, record.Medium},       // a 4-letter scope only warns
		{npm, "@nest/types", "", 0},                                   // @nest is a corpus scope: another organization
		{npm, "@desia/core", TechScopeLookalike, record.Medium},       // two edits from a long scope: even a generic name
		{npm, "@eslinted/core", "", 0},                                // the real scope inside it: an organization's own name
		// Version, platform and language affixes, graded by the target's
		// popularity and the affix.
		{npm, "discord.js12.5.3", TechVersionSuffix, record.Medium},
		{npm, "bitcoinjs-lib-v6", TechVersionSuffix, record.Medium},
		{npm, "axios-http", TechAffix, record.Medium},
		{npm, "node-sqlite", TechAffix, record.Medium},
		{npm, "fabric-js", TechAffix, record.Medium},
		{npm, "cesiumjs", TechAffix, record.Medium}, // rank 21528: only "js" after the name reaches that far
		{npm, "node-cesium", "", 0},                 // other words do not
		{npm, "d3.js", TechAffix, record.Medium},    // the name as written in prose
		{npm, "d3-js", "", 0},
		{npm, "fabric-ts", "", 0},    // a format word counts less: 1 + 1 + 1
		{npm, "fabric-utils", "", 0}, // a common word too
		{npm, "axios-utils", TechAffix, record.Medium},
		{npm, "colorsss", TechRepetition, record.Medium}, // two doubled letters
		{npm, "uuid5", TechInsertion, record.Medium},     // a plain number: the old rule
		{npm, "eslint-plugin-x", "", 0},
		{pypi, "django-q", TechOmission, record.Medium}, // an honest plugin warns at most
		{pypi, "python-requests", TechAffix, record.Medium},
		// Families: siblings are not squats, but the family's own names
		// still have their squats.
		{gems, "aws-sdk-sns", "", 0},
		{gems, "net-smtp", "", 0},
		{gems, "aws-sdk-kmss", TechRepetition, record.Medium}, // capped: a family member
		{npm, "eslint-plugin-reactt", TechRepetition, record.Medium},
		// A whole word added is an affix game, not a typo.
		{gems, "io-console", "", 0},
		// Generic affix words: a project's own parts.
		{crates, "serde_core", "", 0},
		{crates, "serde-python", "", 0}, // "python" is not a crates affix
		// RubyGems: Debian writes "_" as "-".
		{gems, "public_suffix", "", 0},
		{gems, "publicsuffix", TechDelimiter, record.High},
		// Go: no affixes across path elements; forks and successors.
		{gomods, "k8s.io/api", "", 0},
		{gomods, "github.com/go-viper/mapstructure/v2", "", 0},
		{gomods, "codeberg.org/someone/logrus", "", 0},
		{gomods, "gitea.com/go-chi/binding", "", 0},
		{gomods, "xorm.io/xorm", "", 0},
		{gomods, "githb.com/foo/bar", TechHost, record.High},
		{gomods, "gitlaab.com/foo/bar", TechHost, record.High},
		{gomods, "github.com/gogs/chardet", "", 0}, // a renamed organization, two edits on a short owner
		{gomods, "github.com/sirupsen-go/logrus", TechOwner, record.High},
	}
	for _, tt := range tests {
		t.Run(string(tt.ix.Ecosystem())+"/"+tt.name, func(t *testing.T) {
			var got []record.Finding
			for _, f := range tt.ix.Check(tt.name) {
				if f.Severity >= record.Medium {
					got = append(got, f)
				}
			}
			if tt.technique == "" {
				if len(got) != 0 {
					t.Fatalf("got %+v, want no warning", got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("no finding, want %s", tt.technique)
			}
			f := got[0]
			if tech, _ := f.Evidence["technique"].(string); len(tech) < len(tt.technique) || tech[:len(tt.technique)] != tt.technique {
				t.Errorf("technique = %q, want %q (%s)", tech, tt.technique, f.Message)
			}
			if f.Severity != tt.sev {
				t.Errorf("severity = %v, want %v (%s)", f.Severity, tt.sev, f.Message)
			}
		})
	}
}

// TestHonestDependencies: dependencies of well-known projects that the
// embedded corpora used to flag (issue 9, item 8) pass with them.
func TestHonestDependencies(t *testing.T) {
	names := map[ecosystem.Ecosystem][]string{
		ecosystem.RubyGems: {"public_suffix", "mini_magick", "mini_portile2", "net-smtp", "ostruct", "racc", "base64",
			"io-console", "aws-sdk-sns", "net-imap", "bigdecimal"},
		ecosystem.Crates: {"serde_core"},
		ecosystem.Go:     {"github.com/go-viper/mapstructure/v2", "k8s.io/api", "gitea.com/go-chi/session"},
	}
	for eco, ns := range names {
		c, err := corpus.Embedded(eco)
		if err != nil {
			t.Fatal(err)
		}
		ix := Build(eco, c.Entries, DefaultOptions())
		for _, n := range ns {
			for _, f := range ix.Check(n) {
				if f.Severity >= record.Medium {
					t.Errorf("%s %s: %s %s", eco, n, f.Severity, f.Message)
				}
			}
		}
	}
}

// TestNearestExplanation: a compound edit of one target is not reported
// beside a one-edit match of another ("reqeusts" is a swap of "requests",
// not a compound edit of "grequests"); alone, it is.
func TestNearestExplanation(t *testing.T) {
	both := Build(ecosystem.PyPI, ranked("requests", 6, "grequests", 6371), DefaultOptions())
	alone := Build(ecosystem.PyPI, ranked("grequests", 6371), DefaultOptions())
	if fs := both.Check("reqeusts"); len(fs) != 1 || fs[0].Evidence["target"] != "requests" {
		t.Errorf("with requests: %+v, want the one finding for requests", fs)
	}
	if fs := alone.Check("reqeusts"); len(fs) != 1 || fs[0].Evidence["target"] != "grequests" {
		t.Errorf("without requests: %+v, want the compound finding for grequests", fs)
	}
}
