// Command corpusgen regenerates pkgward's embedded popularity corpora
// (internal/corpus/data/<ecosystem>.tsv.gz and meta.json).
//
// Sources:
//   - npm, pypi, nuget, go: the team's shared snapshot under -shared/popular/.
//   - rubygems, crates, go (in addition): Debian's archive, read from the
//     output of `apt-cache dumpavail` (or a file given with -dumpavail).
//     Debian has no download counts, so popularity is approximated by the
//     number of distinct Debian source packages that depend on a package
//     (see docs/corpora.md).
//
// Usage, from the repository root:
//
//	go run ./tools/corpusgen [-shared ../shared/data] [-out internal/corpus/data] [-dumpavail FILE] [-date YYYY-MM-DD]
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Ranking labels written to meta.json "ranked_by".
const (
	rankedByDownloads = "monthly downloads"
	rankedByRank      = "download rank"
	rankedByDebian    = "debian reverse dependencies"
	rankedByUnranked  = "list order (unranked)"
)

// nugetTiedRank is the rank every NuGet name gets: the shared list has no
// popularity order (it is alphabetical), so all names share one rank.
const nugetTiedRank = 1000

// entry is one row of an output corpus.
type entry struct {
	Name      string
	Rank      int
	Downloads int64
}

// meta is one element of meta.json.
type meta struct {
	Ecosystem string `json:"ecosystem"`
	Source    string `json:"source"`
	Date      string `json:"date"`
	Size      int    `json:"size"`
	RankedBy  string `json:"ranked_by"`
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("corpusgen: ")
	shared := flag.String("shared", "../shared/data", "shared data directory (holds popular/*.tsv)")
	out := flag.String("out", "internal/corpus/data", "output directory")
	dumpavail := flag.String("dumpavail", "", "file with `apt-cache dumpavail` output (default: run apt-cache dumpavail)")
	date := flag.String("date", time.Now().Format("2006-01-02"), "snapshot date written to meta.json (YYYY-MM-DD)")
	flag.Parse()
	if _, err := time.Parse("2006-01-02", *date); err != nil {
		log.Fatalf("-date: %v", err)
	}
	if err := run(*shared, *out, *dumpavail, *date); err != nil {
		log.Fatal(err)
	}
}

func run(shared, out, dumpavail, date string) error {
	var (
		raw        []byte
		err        error
		debianDesc string
	)
	if dumpavail == "" {
		raw, err = exec.Command("apt-cache", "dumpavail").Output()
		if err != nil {
			return fmt.Errorf("apt-cache dumpavail: %w", err)
		}
		debianDesc = "Debian archive (" + osRelease() + ") binary package index, read with `apt-cache dumpavail`"
	} else {
		raw, err = os.ReadFile(dumpavail)
		if err != nil {
			return err
		}
		debianDesc = "Debian archive package index (file " + filepath.Base(dumpavail) + ", `apt-cache dumpavail` format)"
	}
	stanzas, err := parseStanzas(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("parsing dumpavail: %w", err)
	}
	arc := newArchive(stanzas)
	popular := filepath.Join(shared, "popular")

	type job struct {
		eco      string
		build    func() ([]entry, error)
		source   string
		rankedBy string
	}
	shot := "pkgward shared data (" + sharedDate(shared) + ") popular/"
	const revdeps = "popularity proxy = number of distinct Debian source packages that depend on it (Depends, Pre-Depends, Recommends, Build-Depends* if present) or were built with it (Built-Using, Static-Built-Using, X-Cargo-Built-Using); no download counts"
	jobs := []job{
		{"npm", func() ([]entry, error) { return loadNPM(filepath.Join(popular, "npm.tsv")) },
			shot + "npm.tsv: the npm packages with the most downloads in a month, with those monthly download counts",
			rankedByDownloads},
		{"pypi", func() ([]entry, error) { return loadPyPI(filepath.Join(popular, "pypi.tsv")) },
			shot + "pypi.tsv: the most downloaded PyPI projects with their download rank (no counts)",
			rankedByRank},
		{"nuget", func() ([]entry, error) { return loadNuGet(filepath.Join(popular, "nuget.tsv"), arc) },
			shot + "nuget.tsv: widely used NuGet packages, names only, alphabetical; plus the NuGet packages Debian ships as nupkg-<id>.<version> (" + debianDesc + "). No popularity order: every name has rank " + strconv.Itoa(nugetTiedRank),
			rankedByUnranked},
		{"rubygems", func() ([]entry, error) { return withRubyStdGems(rankByRevdeps(arc.gems(), arc)), nil },
			debianDesc + ": gems packaged as ruby-<gem> (and gem2deb packages named after their gem, e.g. rake); " + revdeps + "; ties alphabetical; then Ruby's default and bundled gems missing from Debian (Ruby 3.3/3.4 standard library documentation), alphabetical",
			rankedByDebian},
		{"go", func() ([]entry, error) { return buildGo(filepath.Join(popular, "go.tsv"), arc) },
			shot + "go.tsv (widely used modules, alphabetical) united with module paths derived from Debian golang-*-dev packages (" + debianDesc + "); " + revdeps + "; tiers: modules with >= 2 dependents by count, then shared-list modules with fewer (mostly not in Debian) all tied, then the other Debian modules by count; ties otherwise alphabetical",
			rankedByDebian + " (shared-list modules without Debian data tied)"},
		{"crates", func() ([]entry, error) { return rankByRevdeps(arc.crates(), arc), nil },
			debianDesc + ": crates packaged as librust-<crate>-dev (version-suffixed copies such as librust-rand-0.8-dev folded into the crate); " + revdeps + "; ties alphabetical",
			rankedByDebian},
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var metas []meta
	var total int64
	for _, j := range jobs {
		rows, err := j.build()
		if err != nil {
			return fmt.Errorf("%s: %w", j.eco, err)
		}
		rows = dedupe(j.eco, rows)
		path := filepath.Join(out, j.eco+".tsv.gz")
		n, err := writeTSVGz(path, rows)
		if err != nil {
			return fmt.Errorf("%s: %w", j.eco, err)
		}
		total += n
		log.Printf("%-8s %6d names  %8d bytes  %s", j.eco, len(rows), n, path)
		metas = append(metas, meta{Ecosystem: j.eco, Source: j.source, Date: date, Size: len(rows), RankedBy: j.rankedBy})
	}
	buf, err := json.MarshalIndent(metas, "", "  ")
	if err != nil {
		return err
	}
	buf = append(buf, '\n')
	if err := os.WriteFile(filepath.Join(out, "meta.json"), buf, 0o644); err != nil {
		return err
	}
	log.Printf("total %d bytes", total+int64(len(buf)))
	return nil
}

// sharedDate returns the snapshot date the shared README gives ("taken
// YYYY-MM-DD").
func sharedDate(shared string) string {
	b, err := os.ReadFile(filepath.Join(shared, "README.md"))
	if err == nil {
		if m := takenDate.FindSubmatch(b); m != nil {
			return "taken " + string(m[1])
		}
	}
	return "snapshot date unknown"
}

var takenDate = regexp.MustCompile(`taken (\d{4}-\d{2}-\d{2})`)

func osRelease() string {
	b, err := os.ReadFile("/etc/os-release")
	if err != nil {
		return "unknown release"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return "unknown release"
}

// ---------------------------------------------------------------------------
// Output

// writeTSVGz writes rows (already sorted) as gzip'd TSV; returns the file size.
func writeTSVGz(path string, rows []entry) (int64, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriter(zw)
	fmt.Fprint(w, "name\trank\tdownloads\n")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%d\t%d\n", r.Name, r.Rank, r.Downloads)
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int64(buf.Len()), os.WriteFile(path, buf.Bytes(), 0o644)
}

// canonical returns the name under which an ecosystem compares names.
func canonical(eco, name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	switch eco {
	case "pypi": // PEP 503
		return pep503.ReplaceAllString(n, "-")
	case "crates", "rubygems":
		// crates.io treats - and _ as the same name; Debian cannot tell
		// gem names' _ from -, so fold them for gems too.
		return strings.ReplaceAll(n, "_", "-")
	}
	return n
}

var pep503 = regexp.MustCompile(`[-_.]+`)

// dedupe keeps, per canonical name, the best-ranked row, and sorts by rank
// then name.
func dedupe(eco string, rows []entry) []entry {
	sortRows(rows)
	seen := map[string]bool{}
	out := rows[:0]
	for _, r := range rows {
		if r.Name == "" {
			continue
		}
		k := canonical(eco, r.Name)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, r)
	}
	return out
}

func sortRows(rows []entry) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Rank != rows[j].Rank {
			return rows[i].Rank < rows[j].Rank
		}
		return strings.ToLower(rows[i].Name) < strings.ToLower(rows[j].Name)
	})
}

// ---------------------------------------------------------------------------
// Shared lists

// readTSV returns the non-header rows of a TSV file, split on tabs.
func readTSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if first {
			first = false
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows, sc.Err()
}

func loadNPM(path string) ([]entry, error) {
	rows, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(rows))
	for i, r := range rows {
		e := entry{Name: strings.TrimSpace(r[0]), Rank: i + 1}
		if len(r) > 1 {
			if e.Downloads, err = strconv.ParseInt(strings.TrimSpace(r[1]), 10, 64); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", path, i+2, err)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func loadPyPI(path string) ([]entry, error) {
	rows, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(rows))
	for i, r := range rows {
		if len(r) < 2 {
			return nil, fmt.Errorf("%s line %d: want name and rank", path, i+2)
		}
		rank, err := strconv.Atoi(strings.TrimSpace(r[1]))
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, i+2, err)
		}
		out = append(out, entry{Name: strings.TrimSpace(r[0]), Rank: rank})
	}
	return out, nil
}

func loadNuGet(path string, arc *archive) ([]entry, error) {
	rows, err := readTSV(path)
	if err != nil {
		return nil, err
	}
	var out []entry
	known := map[string]bool{}
	for _, r := range rows {
		n := strings.TrimSpace(r[0])
		known[strings.ToLower(n)] = true
		out = append(out, entry{Name: n, Rank: nugetTiedRank})
	}
	for _, n := range arc.nupkgs() {
		if !known[strings.ToLower(n)] {
			out = append(out, entry{Name: n, Rank: nugetTiedRank})
		}
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Debian control-file parsing

// stanza is one paragraph of a Debian control file; keys are lower-cased
// field names, continuation lines are joined with "\n".
type stanza map[string]string

func parseStanzas(r io.Reader) ([]stanza, error) {
	var (
		out  []stanza
		cur  stanza
		last string
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur, last = nil, ""
	}
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last != "" {
				cur[last] += "\n" + strings.TrimSpace(line)
			}
			continue
		}
		if line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if cur == nil {
			cur = stanza{}
		}
		last = strings.ToLower(strings.TrimSpace(k))
		cur[last] = strings.TrimSpace(v)
	}
	flush()
	return out, sc.Err()
}

// relationNames returns the package names in a relationship field such as
// Depends ("a (>= 1), b:any | c [amd64] <!nocheck>"), ignoring versions,
// architecture qualifiers and restrictions.
func relationNames(v string) []string {
	var out []string
	for _, clause := range strings.Split(v, ",") {
		for _, alt := range strings.Split(clause, "|") {
			alt = strings.TrimSpace(alt)
			if i := strings.IndexAny(alt, " \t\n(<[:"); i >= 0 {
				alt = alt[:i]
			}
			if alt != "" {
				out = append(out, alt)
			}
		}
	}
	return out
}

// Fields naming binary packages the package needs.
var binaryRelFields = []string{"depends", "pre-depends", "recommends", "build-depends", "build-depends-indep", "build-depends-arch"}

// Fields naming source packages the package was built from.
var sourceRelFields = []string{"built-using", "static-built-using", "x-cargo-built-using"}

// archive indexes a Debian package list.
type archive struct {
	pkgs      map[string]stanza   // binary package name -> stanza (first seen)
	names     []string            // binary package names, sorted
	providers map[string][]string // virtual name -> real packages providing it
	bySource  map[string][]string // source name -> binary packages
	// referrers of each binary package: source package name -> true.
	refs map[string]map[string]bool
}

func newArchive(stanzas []stanza) *archive {
	a := &archive{
		pkgs:      map[string]stanza{},
		providers: map[string][]string{},
		bySource:  map[string][]string{},
		refs:      map[string]map[string]bool{},
	}
	var sources []stanza // Sources-index stanzas (have Binary:), if any
	for _, st := range stanzas {
		p := st["package"]
		if p == "" {
			continue
		}
		if _, isSrc := st["binary"]; isSrc {
			sources = append(sources, st)
			continue
		}
		if _, dup := a.pkgs[p]; dup {
			continue
		}
		a.pkgs[p] = st
		a.names = append(a.names, p)
		a.bySource[sourceOf(st)] = append(a.bySource[sourceOf(st)], p)
		for _, v := range relationNames(st["provides"]) {
			a.providers[v] = append(a.providers[v], p)
		}
	}
	sort.Strings(a.names)
	addRefs := func(st stanza, src string) {
		for _, f := range binaryRelFields {
			for _, n := range relationNames(st[f]) {
				for _, t := range a.resolve(n) {
					a.ref(t, src)
				}
			}
		}
		for _, f := range sourceRelFields {
			for _, s := range relationNames(st[f]) {
				for _, t := range a.bySource[s] {
					a.ref(t, src)
				}
			}
		}
	}
	for _, p := range a.names {
		st := a.pkgs[p]
		addRefs(st, sourceOf(st))
	}
	for _, st := range sources {
		addRefs(st, st["package"])
	}
	return a
}

func (a *archive) ref(target, src string) {
	m := a.refs[target]
	if m == nil {
		m = map[string]bool{}
		a.refs[target] = m
	}
	m[src] = true
}

// resolve returns the real packages that satisfy a relation on name.
func (a *archive) resolve(name string) []string {
	var out []string
	if _, ok := a.pkgs[name]; ok {
		out = append(out, name)
	}
	return append(out, a.providers[name]...)
}

// sourceOf returns the source package name of a binary stanza.
func sourceOf(st stanza) string {
	if s := st["source"]; s != "" {
		if i := strings.IndexAny(s, " ("); i >= 0 {
			s = s[:i]
		}
		return s
	}
	return st["package"]
}

// mapped is a set of Debian binary packages standing for one registry name.
type mapped struct {
	name string
	pkgs []string
}

// group collects package->name derivations into per-name package sets,
// keyed by the ecosystem's canonical name (the first spelling wins).
func group(eco string, derive func(pkg string, st stanza) (string, bool), a *archive) []mapped {
	idx := map[string]int{}
	var out []mapped
	for _, p := range a.names {
		n, ok := derive(p, a.pkgs[p])
		if !ok || n == "" {
			continue
		}
		k := canonical(eco, n)
		i, seen := idx[k]
		if !seen {
			i = len(out)
			idx[k] = i
			out = append(out, mapped{name: n})
		}
		out[i].pkgs = append(out[i].pkgs, p)
	}
	return out
}

// revdeps counts the distinct source packages, other than the name's own
// sources, that refer to any of the name's binary packages.
func (a *archive) revdeps(m mapped) int {
	own := map[string]bool{}
	for _, p := range m.pkgs {
		own[sourceOf(a.pkgs[p])] = true
	}
	refs := map[string]bool{}
	for _, p := range m.pkgs {
		for s := range a.refs[p] {
			if !own[s] {
				refs[s] = true
			}
		}
	}
	return len(refs)
}

// rankByRevdeps ranks names by reverse-dependency count, descending, ties
// broken alphabetically; every name gets its own rank.
func rankByRevdeps(ms []mapped, a *archive) []entry {
	type scored struct {
		name string
		n    int
	}
	s := make([]scored, 0, len(ms))
	for _, m := range ms {
		s = append(s, scored{m.name, a.revdeps(m)})
	}
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].n != s[j].n {
			return s[i].n > s[j].n
		}
		return strings.ToLower(s[i].name) < strings.ToLower(s[j].name)
	})
	out := make([]entry, len(s))
	for i, x := range s {
		out[i] = entry{Name: x.name, Rank: i + 1}
	}
	return out
}

// ---------------------------------------------------------------------------
// Homepage helpers

// homepageParts returns the lower-cased host and the path segments of a
// Homepage URL, with ".git" and empty segments removed.
func homepageParts(h string) (host string, segs []string, ok bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return "", nil, false
	}
	u, err := url.Parse(h)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return "", nil, false
	}
	host = strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	for _, s := range strings.Split(u.Path, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	if n := len(segs); n > 0 {
		segs[n-1] = strings.TrimSuffix(segs[n-1], ".git")
		if segs[n-1] == "" {
			segs = segs[:n-1]
		}
	}
	return host, segs, true
}

// foldDash compares names modulo case and -/_.
func foldDash(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "_", "-")
}

// ---------------------------------------------------------------------------
// RubyGems

// nonGem lists ruby-* packages that are not gems on rubygems.org.
var nonGem = map[string]bool{
	"ruby-rubygems": true, // RubyGems itself (the gem is rubygems-update)
	"ruby-build":    true, // rbenv plugin, not a gem
	"ruby-full":     true, // metapackage for the interpreter
	"ruby-gnome":    true, // metapackage of the ruby-gnome bindings
}

// gemRenames maps Debian names (ruby- stripped) of well-known gems whose
// rubygems.org name neither the package name nor the Homepage gives.
var gemRenames = map[string]string{
	"concurrent":        "concurrent-ruby",
	"dataobjects":       "data_objects",
	"dbus":              "ruby-dbus",
	"enum":              "ruby-enum",
	"ntlm":              "rubyntlm",
	"org":               "org-ruby",
	"prof":              "ruby-prof",
	"progressbar":       "ruby-progressbar",
	"rd":                "rdtool",
	"whitequark-parser": "parser",
	"yajl":              "yajl-ruby",
	"zip":               "rubyzip",
}

// multiGemSources are non-"ruby-" source packages known to build real gems.
var multiGemSources = map[string]bool{
	"rails": true, "rubygems": true, "nanoc": true, "asciidoctor": true,
	"coderay": true, "grpc": true, "protobuf": true, "rdtool": true,
}

// gemName derives the rubygems.org name of a Debian package, if it ships a gem.
//
// Kept: ruby-<name> packages (minus -doc/-dev, transitional and
// rails-assets-* packages, and language bindings built from a non-Ruby
// source package), and gem2deb-built packages without the ruby- prefix
// (Ruby-Versions field) whose Homepage names the package (e.g. rake).
func gemName(pkg string, st stanza) (string, bool) {
	if strings.HasSuffix(pkg, "-doc") || strings.HasSuffix(pkg, "-dev") || nonGem[pkg] {
		return "", false
	}
	if strings.Contains(strings.ToLower(firstLine(st["description"])), "transitional") {
		return "", false
	}
	stripped, prefixed := strings.CutPrefix(pkg, "ruby-")
	if !prefixed {
		stripped = pkg
	}
	fromHome, homeOK := gemFromHomepage(stripped, st["homepage"])
	if !prefixed {
		// gem2deb-built package named after the gem itself (rake, lolcat).
		if _, ok := st["ruby-versions"]; ok && homeOK && foldDash(fromHome) == foldDash(pkg) {
			return fromHome, true
		}
		return "", false
	}
	if strings.HasPrefix(stripped, "rails-assets-") { // rails-assets.org, not rubygems.org
		return "", false
	}
	src := sourceOf(st)
	_, gem2deb := st["ruby-versions"]
	if !strings.HasPrefix(src, "ruby-") && !gem2deb && !homeOK && !multiGemSources[src] {
		// e.g. ruby-selinux from libselinux: a binding, not a gem.
		return "", false
	}
	if r, ok := gemRenames[stripped]; ok {
		return r, true
	}
	if homeOK {
		return fromHome, true
	}
	return stripped, true
}

// gemFromHomepage returns the gem name a Homepage gives: rubygems.org/gems/<name>
// always; github.com/<owner>/<repo> when repo equals name modulo case and -/_.
func gemFromHomepage(name, home string) (string, bool) {
	host, segs, ok := homepageParts(home)
	if !ok {
		return "", false
	}
	switch {
	case host == "rubygems.org" && len(segs) == 2 && segs[0] == "gems":
		return segs[1], true
	case host == "github.com" && len(segs) == 2:
		// Not "ruby-"+name: repositories named ruby-<gem> ship both
		// gems named <gem> (ruby-mime-types) and ruby-<gem> (ruby-dbus).
		if foldDash(segs[1]) == foldDash(name) {
			return segs[1], true
		}
	}
	return "", false
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func (a *archive) gems() []mapped {
	return group("rubygems", gemName, a)
}

// ---------------------------------------------------------------------------
// crates

var versionSuffix = regexp.MustCompile(`^(.+)-([0-9]+(?:\.[0-9]+)*)$`)

// crateName derives the crate name of a librust-<name>-dev package. Feature
// packages (librust-<name>+<feature>-dev) map to their crate, so that
// depending on a feature counts for the crate; callers that list crates
// use crateName on base packages only.
func crateName(pkg string, st stanza, a *archive) (string, bool) {
	mid, ok := strings.CutPrefix(pkg, "librust-")
	if !ok {
		return "", false
	}
	mid, ok = strings.CutSuffix(mid, "-dev")
	if !ok || mid == "" {
		return "", false
	}
	if base, _, feat := strings.Cut(mid, "+"); feat {
		// Feature package: its crate is that of the base package.
		if a != nil {
			if bst, ok := a.pkgs["librust-"+base+"-dev"]; ok {
				return crateName("librust-"+base+"-dev", bst, a)
			}
		}
		mid = base
		st = nil
	}
	name := mid
	// librust-rand-0.8-dev (version 0.8.5-1) is a second copy of "rand";
	// librust-md-5-dev (version 0.10.1-1) is the crate "md-5".
	if m := versionSuffix.FindStringSubmatch(mid); m != nil && st != nil {
		v := st["version"]
		if _, after, ok := strings.Cut(v, ":"); ok {
			v = after
		}
		if v == m[2] || strings.HasPrefix(v, m[2]+".") || strings.HasPrefix(v, m[2]+"-") || strings.HasPrefix(v, m[2]+"+") || strings.HasPrefix(v, m[2]+"~") {
			name = m[1]
		}
	}
	if st != nil {
		if h, ok := crateFromHomepage(name, st["homepage"]); ok {
			name = h
		}
	}
	return name, true
}

// crateFromHomepage returns the crate's own spelling from a Homepage of the
// form crates.io/crates/<name>, docs.rs/<name> or docs.rs/crate/<name>, or
// github.com/<owner>/<name>, when it equals name modulo case and -/_.
func crateFromHomepage(name, home string) (string, bool) {
	host, segs, ok := homepageParts(home)
	if !ok {
		return "", false
	}
	var cand string
	switch {
	case host == "crates.io" && len(segs) == 2 && segs[0] == "crates":
		cand = segs[1]
	case host == "docs.rs" && len(segs) >= 2 && segs[0] == "crate":
		cand = segs[1]
	case host == "github.com" && len(segs) == 2:
		cand = segs[1]
	default:
		return "", false
	}
	if foldDash(cand) != foldDash(name) {
		return "", false
	}
	return strings.ToLower(cand), true
}

func (a *archive) crates() []mapped {
	return group("crates", func(p string, st stanza) (string, bool) {
		return crateName(p, st, a)
	}, a)
}

// ---------------------------------------------------------------------------
// Go

// vanityHosts serve Go modules at host/<path> and are used as given in a
// Homepage (after golang.org, which only counts under /x/).
var vanityHosts = map[string]bool{
	"google.golang.org": true, "gopkg.in": true, "go.uber.org": true,
	"k8s.io": true, "sigs.k8s.io": true, "modernc.org": true,
	"mvdan.cc": true, "filippo.io": true, "go.etcd.io": true,
	"go.opentelemetry.io": true, "gotest.tools": true, "go.mongodb.org": true,
}

// forgeHosts host repositories as host/<owner>/<repo>.
var forgeHosts = map[string]bool{
	"github.com": true, "gitlab.com": true, "bitbucket.org": true, "codeberg.org": true,
}

// githubOwnerVanity and githubRepoVanity map GitHub owners and repositories
// to the vanity paths their modules are published under.
var githubOwnerVanity = map[string]string{
	"kubernetes":      "k8s.io/",
	"kubernetes-sigs": "sigs.k8s.io/",
	"uber-go":         "go.uber.org/",
}

var githubRepoVanity = map[string]string{
	"grpc/grpc-go":                    "google.golang.org/grpc",
	"protocolbuffers/protobuf-go":     "google.golang.org/protobuf",
	"dominikh/go-tools":               "honnef.co/go/tools",
	"golang/appengine":                "google.golang.org/appengine",
	"googleapis/google-api-go-client": "google.golang.org/api",
}

var gopkgVersion = regexp.MustCompile(`^(.+)\.(v[0-9]+)$`)

// goModule derives a module path from a golang-*-dev package.
func goModule(pkg string, st stanza) (string, bool) {
	mid, ok := strings.CutPrefix(pkg, "golang-")
	if !ok {
		return "", false
	}
	mid, ok = strings.CutSuffix(mid, "-dev")
	if !ok || mid == "" {
		return "", false
	}
	home := st["homepage"]
	if rest, ok := strings.CutPrefix(mid, "gopkg-"); ok {
		return gopkgModule(rest, home)
	}
	if m, ok := goFromHomepage(home); ok {
		return m, true
	}
	if x, ok := strings.CutPrefix(mid, "golang-x-"); ok && !strings.Contains(x, "-") {
		return "golang.org/x/" + x, true
	}
	return "", false
}

// gopkgModule derives gopkg.in/<path> from a golang-gopkg-<rest>-dev
// package. gopkg.in/pkg.vN is github.com/go-pkg/pkg and
// gopkg.in/user/pkg.vN is github.com/user/pkg, which resolves the ambiguous
// dashes in Debian's name when the Homepage is a GitHub repository.
func gopkgModule(rest, home string) (string, bool) {
	host, segs, ok := homepageParts(home)
	if ok && host == "gopkg.in" && (len(segs) == 1 || len(segs) == 2) && gopkgVersion.MatchString(segs[len(segs)-1]) {
		return "gopkg.in/" + strings.Join(segs, "/"), true
	}
	m := gopkgVersion.FindStringSubmatch(rest)
	if m == nil {
		return "", false
	}
	body, ver := m[1], m[2]
	if ok && host == "github.com" && len(segs) >= 2 {
		owner, repo := strings.ToLower(segs[0]), strings.ToLower(segs[1])
		switch body {
		case owner + "-" + repo:
			return "gopkg.in/" + owner + "/" + repo + "." + ver, true
		case repo:
			if owner == "go-"+repo {
				return "gopkg.in/" + repo + "." + ver, true
			}
		}
	}
	switch strings.Count(body, "-") {
	case 0:
		return "gopkg.in/" + body + "." + ver, true
	case 1:
		return "gopkg.in/" + strings.Replace(body, "-", "/", 1) + "." + ver, true
	}
	return "", false
}

// goFromHomepage derives a module path from a Homepage URL: forge
// repositories of exactly owner/repo, golang.org/x/<repo>, well-known vanity
// hosts, and godoc.org / pkg.go.dev pages of such paths.
func goFromHomepage(home string) (string, bool) {
	host, segs, ok := homepageParts(home)
	if !ok {
		return "", false
	}
	if (host == "godoc.org" || host == "pkg.go.dev") && len(segs) >= 2 {
		host, segs = strings.ToLower(segs[0]), segs[1:]
	}
	switch {
	case forgeHosts[host] && len(segs) == 2:
		if host == "github.com" {
			if v, ok := githubRepoVanity[strings.ToLower(segs[0]+"/"+segs[1])]; ok {
				return v, true
			}
			if v, ok := githubOwnerVanity[strings.ToLower(segs[0])]; ok {
				return v + segs[1], true
			}
		}
		return host + "/" + segs[0] + "/" + segs[1], true
	case host == "golang.org" && len(segs) == 2 && segs[0] == "x":
		return "golang.org/x/" + segs[1], true
	case vanityHosts[host] && len(segs) >= 1 && len(segs) <= 2:
		return host + "/" + strings.Join(segs, "/"), true
	}
	return "", false
}

func (a *archive) goModules() []mapped {
	return group("go", goModule, a)
}

// buildGo ranks Go modules in three tiers:
//  1. modules with at least goSharedFloor Debian reverse dependencies, by
//     count descending (ties alphabetical, distinct ranks);
//  2. modules of the shared list with fewer (mostly: not packaged by Debian
//     at all). The list vouches that they are widely used but gives no
//     order, so they share one rank;
//  3. the remaining Debian-only modules, by count descending.
//
// Tier 2 comes before tier 3 because Debian packages many obscure modules
// (dependencies of one application) that have 0-1 dependents.
func buildGo(sharedPath string, a *archive) ([]entry, error) {
	rows, err := readTSV(sharedPath)
	if err != nil {
		return nil, err
	}
	type scored struct {
		name   string
		n      int // Debian reverse dependencies; -1 when not in Debian
		shared bool
	}
	var all []scored
	idx := map[string]int{} // canonical -> index in all
	for _, m := range a.goModules() {
		idx[canonical("go", m.name)] = len(all)
		all = append(all, scored{name: m.name, n: a.revdeps(m)})
	}
	for _, r := range rows {
		n := strings.TrimSpace(r[0])
		if n == "" {
			continue
		}
		if i, ok := idx[canonical("go", n)]; ok {
			all[i].name = n // the shared list spells module paths exactly
			all[i].shared = true
			continue
		}
		idx[canonical("go", n)] = len(all)
		all = append(all, scored{name: n, n: -1, shared: true})
	}
	tier := func(s scored) int {
		switch {
		case s.n >= goSharedFloor:
			return 1
		case s.shared:
			return 2
		}
		return 3
	}
	sort.SliceStable(all, func(i, j int) bool {
		ti, tj := tier(all[i]), tier(all[j])
		if ti != tj {
			return ti < tj
		}
		if ti != 2 && all[i].n != all[j].n {
			return all[i].n > all[j].n
		}
		return strings.ToLower(all[i].name) < strings.ToLower(all[j].name)
	})
	out := make([]entry, len(all))
	tied := 0
	for i, s := range all {
		r := i + 1
		if tier(s) == 2 {
			if tied == 0 {
				tied = r
			}
			r = tied
		}
		out[i] = entry{Name: s.name, Rank: r}
	}
	return out, nil
}

// goSharedFloor: see buildGo.
const goSharedFloor = 2

// ---------------------------------------------------------------------------
// NuGet

var nupkgVersion = regexp.MustCompile(`^(.+?)\.[0-9]+(?:\.[0-9]+)*$`)

// nupkgs returns NuGet package ids shipped by Debian's nupkg-<id>.<version>
// packages (e.g. nupkg-newtonsoft.json.6.0.8 -> newtonsoft.json).
func (a *archive) nupkgs() []string {
	var out []string
	for _, p := range a.names {
		if id, ok := nupkgID(p); ok {
			out = append(out, id)
		}
	}
	return out
}

func nupkgID(pkg string) (string, bool) {
	rest, ok := strings.CutPrefix(pkg, "nupkg-")
	if !ok {
		return "", false
	}
	m := nupkgVersion.FindStringSubmatch(rest)
	if m == nil {
		return "", false
	}
	return m[1], true
}
