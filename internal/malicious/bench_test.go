package malicious

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// synthEcosystems spreads synthetic records roughly as OSV's
// malicious-packages data is spread (npm first, then PyPI).
var synthEcosystems = []string{"npm", "npm", "npm", "npm", "npm", "npm", "npm", "PyPI", "PyPI", "NuGet", "RubyGems", "Go", "crates.io"}

// synthRecord is a MAL record of the size and shape OSV publishes
// (details and origins included, about 1.5 kB).
func synthRecord(i int) (eco, name, body string) {
	eco = synthEcosystems[i%len(synthEcosystems)]
	name = fmt.Sprintf("evil-pkg-%d", i)
	if eco == "Go" {
		name = fmt.Sprintf("github.com/evil%d/pkg", i)
	}
	affected := `"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]`
	if i%10 == 0 { // a hijacked package: some versions only
		affected = fmt.Sprintf(`"versions":["1.0.%d","1.1.%d"]`, i%7, i%5)
	}
	body = fmt.Sprintf(`{
  "schema_version": "1.5.0",
  "id": "MAL-2024-%d",
  "modified": "2024-%02d-%02dT10:00:00Z",
  "published": "2024-%02d-%02dT09:00:00Z",
  "aliases": ["GHSA-%04x-%04x-%04x"],
  "summary": "Malicious code in %s (%s)",
  "details": "\n---\n_-= Per source details. Do not edit below this line.=-_\n\n## Source: ossf-package-analysis (%040x)\nThe package executes a script on install that collects environment variables, the host name and the user name and sends them to a remote server. %s\n",
  "affected": [{
    "package": {"ecosystem": %q, "name": %q},
    %s,
    "database_specific": {"malicious-packages-origins": [{"source": "ossf-package-analysis", "sha256": "%064x", "import_time": "2024-01-01T00:00:00Z", "versions": ["1.0.0"]}]}
  }],
  "credits": [{"name": "OpenSSF: Package Analysis", "type": "FINDER"}],
  "database_specific": {"malicious-packages-origins": [{"source": "ossf-package-analysis", "sha256": "%064x", "import_time": "2024-01-01T00:00:00Z", "versions": ["1.0.0"]}]}
}
`, i, 1+i%12, 1+i%28, 1+i%12, 1+i%28, i%65536, (i*7)%65536, (i*13)%65536, name, eco, i,
		strings.Repeat("Obfuscated payload. ", 10), eco, name, affected, i, i)
	return eco, name, body
}

// writeSynth writes n records under dir/<ecosystem>/<name>/MAL-*.json,
// as the malicious-packages repository lays them out.
func writeSynth(tb testing.TB, dir string, n int) {
	tb.Helper()
	for i := range n {
		eco, name, body := synthRecord(i)
		d := filepath.Join(dir, eco, strings.ReplaceAll(name, "/", "_"))
		if err := os.MkdirAll(d, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("MAL-2024-%d.json", i)), []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// synthDB builds a database of n synthetic records in memory.
func synthDB(tb testing.TB, n int) *DB {
	tb.Helper()
	im := NewImporter(Limits{})
	for i := range n {
		_, _, body := synthRecord(i)
		r, err := ParseOSV("synth.json", []byte(body))
		if err != nil {
			tb.Fatal(err)
		}
		im.add(r, i)
	}
	return im.Build(testNow)
}

// BenchmarkImport20k imports 20,000 MAL records from a directory tree
// and writes the store: the whole of `pkgward db import`.
func BenchmarkImport20k(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join(dir, "osv")
	writeSynth(b, src, 20000)
	out := filepath.Join(dir, "malicious.db")
	b.ResetTimer()
	for b.Loop() {
		im := NewImporter(Limits{})
		if err := im.Add(context.Background(), src); err != nil {
			b.Fatal(err)
		}
		db := im.Build(testNow)
		if db.Len() != 20000 {
			b.Fatalf("%d records", db.Len())
		}
		if err := db.Save(out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad measures what every check pays to open the database.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{20000, 200000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "malicious.db")
			if err := synthDB(b, n).Save(path); err != nil {
				b.Fatal(err)
			}
			st, _ := os.Stat(path)
			b.ResetTimer()
			for b.Loop() {
				if _, err := Load(path); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(st.Size())/float64(n), "file-bytes/record")
		})
	}
}

// BenchmarkLookup looks up package versions in a database of 200,000
// records: 9 in 10 names unknown (the common case), 1 in 10 known.
func BenchmarkLookup(b *testing.B) {
	db := synthDB(b, 200000)
	type q struct {
		eco           ecosystem.Ecosystem
		name, version string
	}
	var qs []q
	for i := range 1000 {
		if i%10 == 0 {
			eco, name, _ := synthRecord(i * 37)
			e, _ := ecosystem.Parse(eco)
			qs = append(qs, q{e, name, "1.0.3"})
			continue
		}
		qs = append(qs, q{ecosystem.NPM, fmt.Sprintf("some-fine-package-%d", i), "4.18.2"})
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		x := qs[i%len(qs)]
		db.Lookup(x.eco, x.name, x.version)
		i++
	}
}
