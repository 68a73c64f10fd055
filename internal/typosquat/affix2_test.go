package typosquat

import (
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// TestTwoWordsAdded: a popular name with an affix word and one more word
// warns in the layouts squatters use, below a one-word affix; the layouts
// of honest names, names that belong to another corpus name, family words
// and family heads stay allowed.
func TestTwoWordsAdded(t *testing.T) {
	npm := Build(ecosystem.NPM, []corpus.Entry{
		{Name: "express", Rank: 30}, {Name: "lodash", Rank: 5}, {Name: "mongoose", Rank: 4067}, {Name: "acorn", Rank: 4000},
		{Name: "sass", Rank: 900}, {Name: "node-sass", Rank: 300}, {Name: "yaml", Rank: 200}, {Name: "css", Rank: 400},
		{Name: "babel", Rank: 700}, {Name: "sass-loader", Rank: 50}, {Name: "css-loader", Rank: 40}, {Name: "babel-loader", Rank: 60},
		{Name: "cardinal", Rank: 30000}, {Name: "express-orm", Rank: 3000},
		// A family head: three corpus names "vitest-X".
		{Name: "vitest", Rank: 100}, {Name: "vitest-mock", Rank: 9000}, {Name: "vitest-dom", Rank: 9001}, {Name: "vitest-fetch", Rank: 9002},
	}, DefaultOptions())
	pypi := Build(ecosystem.PyPI, []corpus.Entry{{Name: "requests", Rank: 2}, {Name: "django", Rank: 50},
		{Name: "django-redis", Rank: 900}, {Name: "django-environ", Rank: 901}, {Name: "django-storages", Rank: 902}}, DefaultOptions())
	tests := []struct {
		ix     *Index
		name   string
		target string // "" = no finding expected
		affix  string
	}{
		// The affix word first and the other word last, or both after the name.
		{npm, "node-mongoose-orm", "mongoose", "node+orm"},
		{npm, "mongoose-orm-js", "mongoose", "js+orm"},
		{npm, "mongoose-js-orm", "mongoose", "js+orm"},
		{npm, "node-lodash-compat", "lodash", "node+compat"},
		{pypi, "requests-darwin-lite", "requests", "lite+darwin"},
		{pypi, "python-requests-darwin", "requests", "python+darwin"},
		// Two affix words: the affix table's, graded below one too.
		{npm, "node-mongoose-js", "mongoose", "node+js"},
		// Two generic words, one the affix table does not strip ("http").
		{npm, "node-express-http", "express", "node+http"},
		{npm, "express-http-client", "express", "http+client"},
		// Layouts of honest names: a vendor's prefix, a compound whose head
		// noun is a corpus name.
		{npm, "acme-mongoose-js", "", ""},
		{npm, "acme-js-mongoose", "", ""},
		{npm, "js-acme-mongoose", "", ""},
		{pypi, "acme-py-requests", "", ""},
		// Another corpus name with one word: its own extension.
		{npm, "node-sass-orm", "", ""},
		{npm, "node-express-orm", "express-orm", "node"}, // the one-word affix of express-orm, and no finding for express
		// A word the corpus names extensions with ("X-loader").
		{npm, "node-yaml-loader", "", ""},
		// A family head extended the way its family is.
		{npm, "vitest-orm-js", "", ""},
		{pypi, "django-blog-utils", "", ""},
		// Graded below one affix word: "node-acorn" warns, two words do not.
		{npm, "node-acorn", "acorn", "node"},
		{npm, "node-acorn-orm", "", ""},
		{npm, "node-cardinal-orm", "", ""}, // rank 30000
		{npm, "@acme/node-mongoose-orm", "", ""},
	}
	for _, tt := range tests {
		fs := tt.ix.Check(tt.name)
		if tt.target == "" {
			if len(fs) != 0 {
				t.Errorf("Check(%q) = %+v, want none", tt.name, fs)
			}
			continue
		}
		if len(fs) == 0 {
			t.Errorf("Check(%q): no finding, want %s", tt.name, tt.target)
			continue
		}
		for _, f := range fs[1:] {
			if f.Evidence["target"] != tt.target {
				t.Errorf("Check(%q): another finding %+v", tt.name, f)
			}
		}
		f := fs[0]
		if f.Evidence["target"] != tt.target || f.Evidence["technique"] != TechAffix || f.Evidence["affix"] != tt.affix || f.Severity != record.Medium {
			t.Errorf("Check(%q) = %+v, want a medium affix finding for %s with affix %s", tt.name, f, tt.target, tt.affix)
		}
		if tt.affix != "node" && f.Confidence >= 0.6 {
			t.Errorf("Check(%q): confidence %v, want below a one-word affix's 0.6", tt.name, f.Confidence)
		}
	}
}
