package malicious

import (
	"slices"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// Advisory is a known-malicious record as it applies to one package.
type Advisory struct {
	ID        string
	Aliases   []string
	Summary   string
	Published time.Time
	Modified  time.Time
	Basis     string
	// Package is the record's entry for the package looked up.
	Package Affected
}

// Meta describes a database: when and from what it was imported, and
// what it holds.
type Meta struct {
	// Imported is when the database was written.
	Imported time.Time `json:"imported"`
	// Sources are the inputs of the import (and, after --merge imports,
	// of the earlier ones still represented), most recent last.
	Sources []Source `json:"sources"`
	// Records is the number of known-malicious records (not withdrawn).
	Records int `json:"records"`
	// Withdrawn is the number of withdrawn records remembered so that an
	// older copy is never imported again.
	Withdrawn int `json:"withdrawn"`
	// Newest is the latest "modified" time among the records: how fresh
	// the data is, whatever the import time.
	Newest time.Time `json:"newest_modified,omitzero"`
	// Ecosystems counts records and distinct packages per ecosystem.
	Ecosystems map[ecosystem.Ecosystem]EcoCount `json:"ecosystems"`
}

// EcoCount is the content of a database in one ecosystem.
type EcoCount struct {
	Records  int `json:"records"`
	Packages int `json:"packages"`
}

// Source is one input of an import.
type Source struct {
	Path      string    `json:"path"`
	Kind      string    `json:"kind"` // "directory", "zip" or "file"
	Imported  time.Time `json:"imported"`
	Documents int       `json:"documents"` // OSV documents read
	Records   int       `json:"records"`   // of which known-malicious (withdrawn included)
}

// key is a package identity in the index: ecosystem and canonical name.
type key struct {
	eco  ecosystem.Ecosystem
	name string
}

// DB is a loaded known-malicious database. It is immutable once built and
// safe for concurrent use.
type DB struct {
	meta       Meta
	records    []*Record // sorted by id
	tombstones map[string]time.Time
	// index maps a package to the first of its refs; the others follow
	// through ref.next. One map entry per package and one slice for all
	// refs keep loading fast (no allocation per package).
	index map[key]int32
	refs  []ref
}

// ref is one affected package of a record: the record, the index of the
// entry in its Packages, and the next ref of the same package (-1: none).
type ref struct {
	rec  *Record
	pkg  int32
	next int32
}

func (r ref) affected() *Affected { return &r.rec.Packages[r.pkg] }

func (r ref) advisory() Advisory {
	return Advisory{
		ID: r.rec.ID, Aliases: r.rec.Aliases, Summary: r.rec.Summary, Published: r.rec.Published,
		Modified: r.rec.Modified, Basis: r.rec.Basis, Package: *r.affected(),
	}
}

// Build makes a database of records (withdrawn ones become tombstones)
// and earlier tombstones. meta supplies Imported and Sources; the counts
// are computed.
func Build(records []*Record, tombstones map[string]time.Time, meta Meta) *DB {
	db := &DB{tombstones: make(map[string]time.Time, len(tombstones)), records: make([]*Record, 0, len(records))}
	for id, t := range tombstones {
		db.tombstones[id] = t
	}
	for _, r := range records {
		if !r.Withdrawn.IsZero() {
			if t, ok := db.tombstones[r.ID]; !ok || r.Modified.After(t) {
				db.tombstones[r.ID] = r.Modified
			}
		}
	}
	for _, r := range records {
		if !r.Withdrawn.IsZero() || len(r.Packages) == 0 {
			continue
		}
		if t, ok := db.tombstones[r.ID]; ok {
			if !r.Modified.After(t) {
				continue // withdrawn since
			}
			delete(db.tombstones, r.ID) // published again after the withdrawal
		}
		db.records = append(db.records, r)
	}
	if !slices.IsSortedFunc(db.records, byID) { // Load gives them sorted
		slices.SortFunc(db.records, byID)
	}
	meta.Records = len(db.records)
	meta.Withdrawn = len(db.tombstones)
	meta.Newest = time.Time{}
	var counts [numEcosystems]EcoCount
	db.index = make(map[key]int32, len(db.records))
	db.refs = make([]ref, 0, len(db.records))
	// Backwards, so that each package's chain lists its records in id
	// order.
	for n := len(db.records) - 1; n >= 0; n-- {
		r := db.records[n]
		if r.Modified.After(meta.Newest) {
			meta.Newest = r.Modified
		}
		var seen uint32
		for i := range r.Packages {
			a := &r.Packages[i]
			o := ecoOrdinal(a.Ecosystem)
			k := key{a.Ecosystem, a.Ecosystem.Canonical(a.Name)}
			next, ok := db.index[k]
			if !ok {
				next = -1
				counts[o].Packages++
			}
			if seen&(1<<o) == 0 {
				seen |= 1 << o
				counts[o].Records++
			}
			db.index[k] = int32(len(db.refs))
			db.refs = append(db.refs, ref{r, int32(i), next})
		}
	}
	meta.Ecosystems = map[ecosystem.Ecosystem]EcoCount{}
	for i, e := range ecosystem.All() {
		if counts[i] != (EcoCount{}) {
			meta.Ecosystems[e] = counts[i]
		}
	}
	db.meta = meta
	return db
}

// Meta returns the database's description (a copy).
func (db *DB) Meta() Meta {
	m := db.meta
	m.Sources = append([]Source(nil), m.Sources...)
	m.Ecosystems = make(map[ecosystem.Ecosystem]EcoCount, len(db.meta.Ecosystems))
	for e, c := range db.meta.Ecosystems {
		m.Ecosystems[e] = c
	}
	return m
}

// Len returns the number of known-malicious records.
func (db *DB) Len() int { return len(db.records) }

// Records returns the known-malicious records, sorted by id. The slice
// and the records are shared: do not modify them.
func (db *DB) Records() []*Record { return db.records }

// Tombstones returns a copy of the withdrawn ids and the modified time of
// their withdrawal.
func (db *DB) Tombstones() map[string]time.Time {
	out := make(map[string]time.Time, len(db.tombstones))
	for id, t := range db.tombstones {
		out[id] = t
	}
	return out
}

// Lookup returns the advisories that mark version of the package
// malicious; with version "" every advisory naming the package (any
// version). name is canonicalized with eco.Canonical; version is taken as
// one exact version (see Pinned for manifest constraints). The result is
// nil when there is none (without allocating: most lookups miss). The
// advisories share their slices with the database: do not modify them.
func (db *DB) Lookup(eco ecosystem.Ecosystem, name, version string) []Advisory {
	if db == nil {
		return nil
	}
	i, ok := db.index[key{eco, eco.Canonical(name)}]
	if !ok {
		return nil
	}
	var out []Advisory
	for ; i >= 0; i = db.refs[i].next {
		if r := db.refs[i]; r.affected().Covers(version) {
			out = append(out, r.advisory())
		}
	}
	return out
}

// Known reports whether any record names the package (any version),
// without building advisories.
func (db *DB) Known(eco ecosystem.Ecosystem, name string) bool {
	if db == nil {
		return false
	}
	_, ok := db.index[key{eco, eco.Canonical(name)}]
	return ok
}

func byID(a, b *Record) int { return strings.Compare(a.ID, b.ID) }

// numEcosystems is the number of supported ecosystems (ecosystem.All).
const numEcosystems = 6

// ecoOrdinal is e's position in ecosystem.All.
func ecoOrdinal(e ecosystem.Ecosystem) int {
	switch e {
	case ecosystem.NPM:
		return 0
	case ecosystem.PyPI:
		return 1
	case ecosystem.NuGet:
		return 2
	case ecosystem.RubyGems:
		return 3
	case ecosystem.Go:
		return 4
	}
	return 5
}
