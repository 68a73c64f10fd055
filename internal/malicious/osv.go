package malicious

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// Bounds on the strings of one record. An OSV record is bounded as a
// whole by Limits.MaxFileSize; these keep the store compact and the
// evidence readable.
const (
	maxIDLen      = 128
	maxNameLen    = 512
	maxVersionLen = 256
	maxSummaryLen = 1024
	maxAliases    = 64
)

// Why a record counts as malicious (Record.Basis).
const (
	// BasisMALID: the id has the "MAL-" prefix of OSV's malicious-packages
	// database.
	BasisMALID = "mal-id"
	// BasisOrigins: database_specific names "malicious-packages-origins",
	// the provenance block of the OpenSSF malicious-packages format.
	BasisOrigins = "malicious-packages-origins"
	// BasisCWE506: database_specific.cwe_ids lists CWE-506 (Embedded
	// Malicious Code), as GitHub's malware advisories do.
	BasisCWE506 = "cwe-506"
)

// Record is an OSV record reduced to what pkgward keeps.
type Record struct {
	ID        string
	Aliases   []string
	Summary   string
	Published time.Time
	Modified  time.Time
	// Withdrawn is set when the record was withdrawn: it is never reported.
	Withdrawn time.Time
	// Basis says why the record is malicious (a Basis* constant); "" when
	// it is not (an ordinary vulnerability).
	Basis string
	// Packages are the affected packages in the ecosystems pkgward knows.
	Packages []Affected
	// Unsupported counts affected entries left out: an ecosystem pkgward
	// does not know (Maven, Packagist, …) or no usable package name.
	Unsupported int
}

// Malicious reports whether the record marks packages as malicious.
func (r *Record) Malicious() bool { return r.Basis != "" }

// Affected is one affected package of a record and the versions the
// record covers.
type Affected struct {
	Ecosystem ecosystem.Ecosystem
	// Name is the package name as the record writes it.
	Name string
	// All is set when every version is affected: no versions and no
	// version ranges listed, or a range introduced at "0" and never fixed.
	// Versions and Ranges are then empty.
	All      bool
	Versions []string
	// Ranges are the SEMVER and ECOSYSTEM ranges, their events sorted in
	// version order (GIT ranges cannot be matched to versions and are
	// dropped).
	Ranges []Range
}

// Range is an OSV version range.
type Range struct {
	Type   string // "SEMVER" or "ECOSYSTEM"
	Events []Event
}

// EventKind is the kind of a range event.
type EventKind uint8

// Event kinds, in the spelling of the OSV schema.
const (
	Introduced EventKind = iota + 1
	Fixed
	LastAffected
	Limit
)

var eventNames = [...]string{Introduced: "introduced", Fixed: "fixed", LastAffected: "last_affected", Limit: "limit"}

func (k EventKind) String() string {
	if k >= Introduced && k <= Limit {
		return eventNames[k]
	}
	return fmt.Sprintf("event(%d)", k)
}

// Event is one event of a range.
type Event struct {
	Kind    EventKind
	Version string
}

// osvRecord is the subset of the OSV schema that is decoded.
type osvRecord struct {
	ID               string          `json:"id"`
	Modified         string          `json:"modified"`
	Published        string          `json:"published"`
	Withdrawn        string          `json:"withdrawn"`
	Aliases          []string        `json:"aliases"`
	Summary          string          `json:"summary"`
	Details          string          `json:"details"`
	Affected         []osvAffected   `json:"affected"`
	DatabaseSpecific json.RawMessage `json:"database_specific"`
}

type osvAffected struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
		Purl      string `json:"purl"`
	} `json:"package"`
	Versions []string   `json:"versions"`
	Ranges   []osvRange `json:"ranges"`
}

type osvRange struct {
	Type   string     `json:"type"`
	Events []osvEvent `json:"events"`
}

type osvEvent struct {
	Introduced   string `json:"introduced"`
	Fixed        string `json:"fixed"`
	LastAffected string `json:"last_affected"`
	Limit        string `json:"limit"`
}

type osvDatabaseSpecific struct {
	Origins json.RawMessage `json:"malicious-packages-origins"`
	CWEIDs  []string        `json:"cwe_ids"`
}

// ParseOSV decodes one OSV record (JSON) read from file. Errors are
// *record.InputError naming file and, for JSON errors, the line.
func ParseOSV(file string, data []byte) (*Record, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, &record.InputError{File: file, Msg: "empty file: not an OSV record"}
	}
	if trimmed[0] != '{' {
		return nil, &record.InputError{File: file, Line: lineOf(data, int64(len(data)-len(trimmed))),
			Msg: "not an OSV record: the document is not a JSON object"}
	}
	var o osvRecord
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, jsonError(file, data, err)
	}
	fail := func(format string, args ...any) (*Record, error) {
		return nil, &record.InputError{File: file, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case o.ID == "":
		return fail("not an OSV record: no id")
	case len(o.ID) > maxIDLen || !utf8.ValidString(o.ID) || strings.ContainsAny(o.ID, " \t\r\n"):
		return fail("invalid id %q", clip(o.ID, 40))
	}
	r := &Record{ID: o.ID, Summary: summary(o.Summary, o.Details)}
	var err error
	if r.Modified, err = parseTime(o.Modified); err != nil {
		return fail("%s: modified: %v", o.ID, err)
	}
	if r.Published, err = parseTime(o.Published); err != nil {
		return fail("%s: published: %v", o.ID, err)
	}
	if r.Withdrawn, err = parseTime(o.Withdrawn); err != nil {
		return fail("%s: withdrawn: %v", o.ID, err)
	}
	for _, a := range o.Aliases {
		if a != "" && len(a) <= maxIDLen && utf8.ValidString(a) && len(r.Aliases) < maxAliases && a != o.ID && !slices.Contains(r.Aliases, a) {
			r.Aliases = append(r.Aliases, a)
		}
	}
	r.Basis = basis(o.ID, o.DatabaseSpecific)
	m := merger{index: map[pkgKey]int{}}
	for i := range o.Affected {
		a, ok := affected(&o.Affected[i])
		if !ok {
			r.Unsupported++
			continue
		}
		r.Packages = m.add(r.Packages, a)
	}
	return r, nil
}

// pkgKey identifies a package within a record.
type pkgKey struct {
	eco  ecosystem.Ecosystem
	name string // canonical
}

// merger folds affected entries for the same package in linear time: a
// record may list one package twice, with different versions, and a
// hostile one lists 100,000 packages.
type merger struct {
	index    map[pkgKey]int              // package → index in the list
	versions map[int]map[string]struct{} // versions of entries merged into
}

// add adds a to list, folding it into an earlier entry for the same
// package.
func (m *merger) add(list []Affected, a Affected) []Affected {
	k := pkgKey{a.Ecosystem, a.Ecosystem.Canonical(a.Name)}
	i, ok := m.index[k]
	if !ok {
		m.index[k] = len(list)
		return append(list, a)
	}
	b := &list[i]
	if b.All || a.All {
		b.All, b.Versions, b.Ranges = true, nil, nil
		return list
	}
	if m.versions == nil {
		m.versions = map[int]map[string]struct{}{}
	}
	seen, ok := m.versions[i]
	if !ok {
		seen = make(map[string]struct{}, len(b.Versions))
		for _, v := range b.Versions {
			seen[v] = struct{}{}
		}
		m.versions[i] = seen
	}
	for _, v := range a.Versions {
		if _, dup := seen[v]; !dup {
			seen[v] = struct{}{}
			b.Versions = append(b.Versions, v)
		}
	}
	b.Ranges = append(b.Ranges, a.Ranges...)
	return list
}

// basis decides whether a record is malicious. Only the id and the
// machine-readable database_specific fields count: summaries and details
// are free text ("malware scanner bypass", "malicious input") and would
// turn ordinary vulnerabilities into false malware reports.
func basis(id string, dbSpecific json.RawMessage) string {
	if strings.HasPrefix(id, "MAL-") {
		return BasisMALID
	}
	if len(dbSpecific) == 0 || dbSpecific[0] != '{' {
		return ""
	}
	var ds osvDatabaseSpecific
	if err := json.Unmarshal(dbSpecific, &ds); err != nil {
		// database_specific is free-form: a shape other than the one the
		// malicious-packages and GitHub databases use is not a mark.
		return ""
	}
	if len(ds.Origins) > 0 && string(ds.Origins) != "null" {
		return BasisOrigins
	}
	for _, c := range ds.CWEIDs {
		if strings.EqualFold(strings.TrimSpace(c), "CWE-506") {
			return BasisCWE506
		}
	}
	return ""
}

// affected converts one affected entry; ok is false when its ecosystem is
// not supported or it names no package.
func affected(oa *osvAffected) (Affected, bool) {
	eco, name := oa.Package.Ecosystem, oa.Package.Name
	if (eco == "" || name == "") && oa.Package.Purl != "" {
		if e, n, ok := parsePurl(oa.Package.Purl); ok {
			if eco == "" {
				eco = e
			}
			if name == "" {
				name = n
			}
		}
	}
	e, err := ecosystem.Parse(osvEcosystem(eco))
	name = strings.TrimSpace(name)
	if err != nil || name == "" || len(name) > maxNameLen || !utf8.ValidString(name) || e.Canonical(name) == "" {
		return Affected{}, false
	}
	a := Affected{Ecosystem: e, Name: name}
	bounded := false // a SEMVER or ECOSYSTEM range was listed
	for _, or := range oa.Ranges {
		typ := strings.ToUpper(or.Type)
		if typ != "SEMVER" && typ != "ECOSYSTEM" {
			continue
		}
		bounded = true
		rg := Range{Type: typ}
		for _, ev := range or.Events {
			for _, x := range [...]Event{{Introduced, ev.Introduced}, {Fixed, ev.Fixed}, {LastAffected, ev.LastAffected}, {Limit, ev.Limit}} {
				if v := strings.TrimSpace(x.Version); v != "" && len(v) <= maxVersionLen && utf8.ValidString(v) {
					rg.Events = append(rg.Events, Event{x.Kind, v})
				}
			}
		}
		if len(rg.Events) == 0 {
			continue
		}
		sortEvents(e, rg.Events)
		if everything(rg.Events) {
			a.All = true
		}
		a.Ranges = append(a.Ranges, rg)
	}
	seen := make(map[string]struct{}, len(oa.Versions))
	for _, v := range oa.Versions {
		if v = strings.TrimSpace(v); v != "" && len(v) <= maxVersionLen && utf8.ValidString(v) {
			if _, dup := seen[v]; !dup {
				seen[v] = struct{}{}
				a.Versions = append(a.Versions, v)
			}
		}
	}
	if !bounded && len(a.Versions) == 0 {
		a.All = true
	}
	if a.All {
		a.Versions, a.Ranges = nil, nil
	}
	if !a.All && len(a.Versions) == 0 && len(a.Ranges) == 0 {
		// Ranges were listed but none had a usable event: nothing can
		// match, so the entry says nothing.
		return Affected{}, false
	}
	return a, true
}

// everything reports whether sorted events affect every version: an
// introduction at "0" and no later event.
func everything(evs []Event) bool {
	return len(evs) == 1 && evs[0].Kind == Introduced && evs[0].Version == "0"
}

// osvEcosystem maps an OSV ecosystem string to a spelling ecosystem.Parse
// accepts: OSV's own spellings are aliases there; suffixes such as
// "npm:registry" (OSV reserves "ECOSYSTEM:SUFFIX") are dropped. Spellings
// that are aliases in pkgward but not OSV ecosystems ("python", "node")
// are refused so that a record of another ecosystem is never misfiled.
func osvEcosystem(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i > 0 {
		s = s[:i]
	}
	for _, e := range ecosystem.All() {
		if strings.EqualFold(s, e.OSV()) {
			return s
		}
	}
	return ""
}

// parsePurl reads the ecosystem and name of a package URL
// ("pkg:npm/%40scope/name@1.0.0"), for entries that give only a purl.
func parsePurl(p string) (eco, name string, ok bool) {
	rest, found := strings.CutPrefix(p, "pkg:")
	if !found {
		return "", "", false
	}
	rest = strings.TrimLeft(rest, "/")
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	typ, path, found := strings.Cut(rest, "/")
	if !found || path == "" {
		return "", "", false
	}
	if i := strings.LastIndexByte(path, '@'); i > 0 {
		path = path[:i]
	}
	var parts []string
	for _, seg := range strings.Split(path, "/") {
		s, err := url.PathUnescape(seg)
		if err != nil || s == "" {
			return "", "", false
		}
		parts = append(parts, s)
	}
	name = strings.Join(parts, "/")
	switch strings.ToLower(typ) {
	case "npm":
		eco = "npm"
	case "pypi":
		eco = "PyPI"
	case "nuget":
		eco = "NuGet"
	case "gem":
		eco = "RubyGems"
	case "golang":
		eco = "Go"
	case "cargo":
		eco = "crates.io"
	default:
		return "", "", false
	}
	return eco, name, true
}

// summary is the record's summary, or the first line of its details when
// it has none, bounded.
func summary(s, details string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		s = strings.TrimSpace(details)
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = strings.TrimSpace(s[:i])
		}
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return clip(s, maxSummaryLen)
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// parseTime parses an OSV timestamp (RFC 3339, UTC); "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", clip(s, 40))
	}
	if t.Year() < 1971 || t.Year() > 2200 {
		return time.Time{}, fmt.Errorf("%q is out of range", s)
	}
	return t.UTC(), nil
}

// jsonError turns a decoding error into an InputError with the line.
func jsonError(file string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &record.InputError{File: file, Line: lineOf(data, se.Offset), Msg: "malformed JSON: " + se.Error()}
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "value"
		}
		return &record.InputError{File: file, Line: lineOf(data, te.Offset),
			Msg: fmt.Sprintf("not an OSV record: %s is a JSON %s, want %s", field, te.Value, te.Type)}
	}
	return &record.InputError{File: file, Msg: "malformed JSON: " + err.Error()}
}

// lineOf returns the 1-based line of byte offset off.
func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}
