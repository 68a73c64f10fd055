package typosquat

import (
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

func loadCorpus(b *testing.B, eco ecosystem.Ecosystem) []corpus.Entry {
	b.Helper()
	c, err := corpus.Embedded(eco)
	if err != nil {
		b.Fatal(err)
	}
	return c.Entries
}

// BenchmarkBuild measures building the index of each embedded corpus:
// what a command pays at start (Build), and the whole index as a long run
// builds it part by part (Build and Prepare).
func BenchmarkBuild(b *testing.B) {
	for _, eco := range ecosystem.All() {
		entries := loadCorpus(b, eco)
		b.Run(string(eco), func(b *testing.B) {
			for b.Loop() {
				Build(eco, entries, DefaultOptions())
			}
			b.ReportMetric(float64(len(entries)), "names")
		})
		b.Run(string(eco)+"/prepared", func(b *testing.B) {
			for b.Loop() {
				Build(eco, entries, DefaultOptions()).Prepare()
			}
		})
	}
}

// checkNames is a mix of what a check sees: mostly honest names that are
// not in the corpus, some squats, some corpus names.
var checkNames = []string{
	"my-internal-widget", "left-pad-extended", "reqeusts", "crossenv", "lodash",
	"express-session-redis-store", "1odash", "typescriptjs", "react-dom", "zz-totally-new-pkg",
	"@acme/build-tools", "axois", "chalk-animation-cli", "eslint-plugin-my-rules", "webpack-merge-lite",
	"node-fetch-retry", "moment-timezone-data", "babel-preset-acme", "vue-router-helper", "sha-hasher",
}

// BenchmarkCheckNPM measures one check against the npm corpus (target:
// under 5 µs per name on one core).
func BenchmarkCheckNPM(b *testing.B) {
	ix := Build(ecosystem.NPM, loadCorpus(b, ecosystem.NPM), DefaultOptions())
	ix.Prepare()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ix.Check(checkNames[i%len(checkNames)])
		i++
	}
}

// BenchmarkCheckPyPI measures one check of a typical PyPI name.
func BenchmarkCheckPyPI(b *testing.B) {
	ix := Build(ecosystem.PyPI, loadCorpus(b, ecosystem.PyPI), DefaultOptions())
	ix.Prepare()
	names := []string{"requests-toolbelt-extra", "reqeusts", "my-project-utils", "django-acme", "nunpy", "pyacme", "scikit-learn-extra", "x"}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ix.Check(names[i%len(names)])
		i++
	}
}

// BenchmarkBuildExtra measures building the derived tables a first check
// needs (scoped bare names, short distance-2 names, sound keys) and the npm
// scope table a first scoped name with an unknown scope needs.
func BenchmarkBuildExtra(b *testing.B) {
	for _, eco := range []ecosystem.Ecosystem{ecosystem.NPM, ecosystem.PyPI} {
		ix := Build(eco, loadCorpus(b, eco), DefaultOptions())
		b.Run(string(eco), func(b *testing.B) {
			for b.Loop() {
				x := &extra{}
				x.scopeRanks(ix)
				x.shortTable(ix)
				x.soundTable(ix)
				x.scopeTable(ix)
			}
		})
	}
}
