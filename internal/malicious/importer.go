package malicious

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// Limits bound an import. The zero value of a field means its default.
type Limits struct {
	// MaxFileSize bounds one OSV document, a file or a zip entry
	// (default 16 MiB; malicious-package records are a few kilobytes).
	MaxFileSize int64
	// MaxDocuments bounds the documents of one import (default 10
	// million; OSV's largest ecosystem has well under one million).
	MaxDocuments int
	// MaxBytes bounds the bytes of all documents of one import, after
	// decompression (default 32 GiB).
	MaxBytes int64
	// Workers is the number of documents decoded in parallel (default
	// GOMAXPROCS).
	Workers int
}

func (l Limits) withDefaults() Limits {
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = 16 << 20
	}
	if l.MaxDocuments <= 0 {
		l.MaxDocuments = 10_000_000
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = 32 << 30
	}
	if l.Workers <= 0 {
		l.Workers = runtime.GOMAXPROCS(0)
	}
	return l
}

// Stats counts what an import read.
type Stats struct {
	// Documents is the number of OSV documents read (files, zip entries).
	Documents int `json:"documents"`
	// Malicious is the number of malicious records read, withdrawn ones
	// included.
	Malicious int `json:"malicious"`
	// Withdrawn is the number of those that are withdrawn (never
	// reported; kept as tombstones).
	Withdrawn int `json:"withdrawn"`
	// Skipped is the number of records that are not malicious (ordinary
	// vulnerabilities).
	Skipped int `json:"skipped"`
	// Unsupported is the number of malicious records naming no package in
	// an ecosystem pkgward knows (Maven, Packagist, …).
	Unsupported int `json:"unsupported"`
	// Duplicates is the number of copies of an id replaced by a newer
	// copy (or by a later one with the same modified time).
	Duplicates int `json:"duplicates"`
	// Ignored is the number of files and zip entries not read: not
	// .json or .zip, symbolic links, special files.
	Ignored int `json:"ignored"`
	// UnsafePaths is the number of zip entries ignored because their name
	// is absolute or climbs out of the archive ("../x.json").
	UnsafePaths int `json:"unsafe_paths"`
	// Ecosystems counts the malicious, not withdrawn records read per
	// ecosystem.
	Ecosystems map[ecosystem.Ecosystem]int `json:"ecosystems"`
}

// Importer collects OSV records from directories, zip files and JSON
// files, keeps the malicious ones (latest copy of each id) and builds a
// database. It is not safe for concurrent use.
type Importer struct {
	limits     Limits
	byID       map[string]*candidate
	tombstones map[string]time.Time
	seq        int
	docs       int
	bytes      atomic.Int64
	stats      Stats
	sources    []Source
}

type candidate struct {
	rec    *Record
	seq    int
	seeded bool // from the database being merged into
}

// NewImporter returns an importer with limits (zero fields: defaults).
func NewImporter(limits Limits) *Importer {
	return &Importer{
		limits:     limits.withDefaults(),
		byID:       map[string]*candidate{},
		tombstones: map[string]time.Time{},
		stats:      Stats{Ecosystems: map[ecosystem.Ecosystem]int{}},
	}
}

// Seed starts the import from an existing database (pkgward db import
// --merge): its records, withdrawals and sources are kept unless the
// imported data has newer copies.
func (im *Importer) Seed(db *DB) {
	for _, r := range db.records {
		im.byID[r.ID] = &candidate{rec: r, seq: -1, seeded: true}
	}
	for id, t := range db.tombstones {
		im.tombstones[id] = t
	}
	im.sources = append(im.sources, db.meta.Sources...)
}

// Stats returns the counts so far.
func (im *Importer) Stats() Stats { return im.stats }

// maxSources bounds the import history a database keeps.
const maxSources = 32

// Build returns the database of everything imported, stamped imported.
func (im *Importer) Build(imported time.Time) *DB {
	records := make([]*Record, 0, len(im.byID))
	for _, c := range im.byID {
		records = append(records, c.rec)
	}
	sources := append([]Source(nil), im.sources...)
	for i := range sources {
		if sources[i].Imported.IsZero() {
			sources[i].Imported = imported
		}
	}
	if len(sources) > maxSources {
		sources = sources[len(sources)-maxSources:]
	}
	return Build(records, im.tombstones, Meta{Imported: imported, Sources: sources})
}

// add files one parsed record.
func (im *Importer) add(r *Record, seq int) {
	if !r.Malicious() {
		im.stats.Skipped++
		return
	}
	im.stats.Malicious++
	withdrawn := !r.Withdrawn.IsZero()
	if withdrawn {
		im.stats.Withdrawn++
	} else if len(r.Packages) == 0 {
		im.stats.Unsupported++
		return
	} else {
		seen := map[ecosystem.Ecosystem]bool{}
		for _, a := range r.Packages {
			if !seen[a.Ecosystem] {
				seen[a.Ecosystem] = true
				im.stats.Ecosystems[a.Ecosystem]++
			}
		}
	}
	old, ok := im.byID[r.ID]
	if !ok {
		im.byID[r.ID] = &candidate{rec: r, seq: seq}
		return
	}
	if !old.seeded {
		im.stats.Duplicates++
	}
	if newer(r, seq, old.rec, old.seq) {
		im.byID[r.ID] = &candidate{rec: r, seq: seq}
	}
}

// newer decides between two copies of one id: the later modified time
// wins; at equal times a withdrawal wins, then the copy read later.
func newer(a *Record, aseq int, b *Record, bseq int) bool {
	if !a.Modified.Equal(b.Modified) {
		return a.Modified.After(b.Modified)
	}
	aw, bw := !a.Withdrawn.IsZero(), !b.Withdrawn.IsZero()
	if aw != bw {
		return aw
	}
	return aseq > bseq
}

// document is one OSV document to read.
type document struct {
	seq  int
	name string // display name: a path, or "archive.zip!/entry.json"
	open func() (io.ReadCloser, error)
	size int64 // declared size, -1 if unknown
}

type parsed struct {
	seq int
	rec *Record
	err error
}

// Add imports path: a directory (every *.json and *.zip under it, hidden
// directories skipped), a zip file (its *.json entries) or one JSON file.
// Any document that cannot be read or is not an OSV record stops the
// import with an *record.InputError naming it (the first such document
// in enumeration order); the importer must then be discarded.
func (im *Importer) Add(ctx context.Context, path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return &record.InputError{File: path, Msg: unwrapPathError(err)}
	}
	if st.IsDir() {
		// The walk does not follow links: start it from the directory a
		// symlinked argument names, or it would read nothing.
		if resolved, err := filepath.EvalSymlinks(path); err == nil {
			path = resolved
		}
	}
	src := Source{Path: path}
	if abs, err := filepath.Abs(path); err == nil {
		src.Path = abs
	}
	// stop ends the enumeration at the first failed document; the
	// documents before it are still read, so that the error reported is
	// the first in enumeration order whatever the parallelism.
	parent := ctx
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var errSeq atomic.Int64
	errSeq.Store(math.MaxInt64)
	docs := make(chan document, im.limits.Workers*4)
	results := make(chan parsed, im.limits.Workers*4)
	var closers []io.Closer
	var prodErr, limitErr error
	go func() {
		defer close(docs)
		defer func() {
			if limitErr != nil {
				prodErr = limitErr
			}
		}()
		emit := func(d document) bool {
			im.docs++
			if im.docs > im.limits.MaxDocuments {
				limitErr = &record.InputError{File: d.name, Msg: fmt.Sprintf("more than %d documents in one import", im.limits.MaxDocuments)}
				return false
			}
			d.seq = im.seq
			im.seq++
			select {
			case docs <- d:
				return true
			case <-ctx.Done():
				return false
			}
		}
		switch {
		case st.IsDir():
			src.Kind = "directory"
			prodErr = im.walk(ctx, path, emit, &closers)
		case st.Mode().IsRegular():
			isZip, err := sniffZip(path)
			if err != nil {
				prodErr = &record.InputError{File: path, Msg: unwrapPathError(err)}
				return
			}
			if isZip {
				src.Kind = "zip"
				prodErr = im.zipEntries(ctx, path, emit, &closers)
			} else {
				src.Kind = "file"
				emit(fileDocument(path, st.Size()))
			}
		default:
			prodErr = &record.InputError{File: path, Msg: "not a directory, zip file or JSON file"}
		}
	}()
	var wg sync.WaitGroup
	for range im.limits.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range docs {
				if parent.Err() != nil || int64(d.seq) > errSeq.Load() {
					continue
				}
				rec, err := im.read(d)
				if err != nil {
					for {
						cur := errSeq.Load()
						if int64(d.seq) >= cur || errSeq.CompareAndSwap(cur, int64(d.seq)) {
							break
						}
					}
					stop()
				}
				results <- parsed{seq: d.seq, rec: rec, err: err}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var firstErr error
	firstSeq := -1
	files, malicious := 0, 0
	for p := range results {
		if p.err != nil {
			if firstSeq < 0 || p.seq < firstSeq {
				firstErr, firstSeq = p.err, p.seq
			}
			continue
		}
		if firstErr != nil {
			continue
		}
		files++
		if p.rec.Malicious() {
			malicious++
		}
		im.stats.Documents++
		im.add(p.rec, p.seq)
	}
	for _, c := range closers {
		c.Close()
	}
	switch {
	case prodErr != nil:
		return prodErr
	case firstErr != nil:
		return firstErr
	}
	if err := parent.Err(); err != nil {
		return err
	}
	src.Documents, src.Records = files, malicious
	im.sources = append(im.sources, src)
	return nil
}

// read reads and parses one document, within the limits.
func (im *Importer) read(d document) (*Record, error) {
	limit := im.limits.MaxFileSize
	if d.size > limit {
		return nil, &record.InputError{File: d.name, Msg: fmt.Sprintf("larger than %d bytes", limit)}
	}
	rc, err := d.open()
	if err != nil {
		return nil, &record.InputError{File: d.name, Msg: unwrapPathError(err)}
	}
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	rc.Close()
	if err != nil {
		return nil, &record.InputError{File: d.name, Msg: unwrapPathError(err)}
	}
	if int64(len(data)) > limit {
		return nil, &record.InputError{File: d.name, Msg: fmt.Sprintf("larger than %d bytes", limit)}
	}
	if total := im.bytes.Add(int64(len(data))); total > im.limits.MaxBytes {
		return nil, &record.InputError{File: d.name, Msg: fmt.Sprintf("the import exceeds %d bytes", im.limits.MaxBytes)}
	}
	return ParseOSV(d.name, data)
}

func fileDocument(path string, size int64) document {
	return document{name: path, size: size, open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// walk emits the JSON files under root and the entries of its zip files,
// in lexical order.
func (im *Importer) walk(ctx context.Context, root string, emit func(document) bool, closers *[]io.Closer) error {
	stop := errors.New("stop")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return &record.InputError{File: p, Msg: unwrapPathError(err)}
		}
		if ctx.Err() != nil {
			return stop
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() { // symbolic links, devices, sockets
			im.stats.Ignored++
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".json":
			info, err := d.Info()
			if err != nil {
				return &record.InputError{File: p, Msg: unwrapPathError(err)}
			}
			if !emit(fileDocument(p, info.Size())) {
				return stop
			}
		case ".zip":
			if err := im.zipEntries(ctx, p, emit, closers); err != nil {
				return err
			}
		default:
			im.stats.Ignored++
		}
		return nil
	})
	if err == stop {
		return nil
	}
	return err
}

// zipEntries emits the *.json entries of the zip file at path. Entries
// whose names are absolute or climb out of the archive are ignored
// (counted in UnsafePaths): nothing is ever extracted, but such a name is
// a sign of a crafted archive and is not trusted as a record.
func (im *Importer) zipEntries(ctx context.Context, path string, emit func(document) bool, closers *[]io.Closer) error {
	zr, err := zip.OpenReader(path)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return &record.InputError{File: path, Msg: "not a readable zip file: " + unwrapPathError(err)}
	}
	*closers = append(*closers, zr)
	for _, f := range zr.File {
		if ctx.Err() != nil {
			return nil
		}
		name := f.Name
		if strings.HasSuffix(name, "/") || f.FileInfo().IsDir() {
			continue
		}
		if !safeEntryName(name) {
			im.stats.UnsafePaths++
			continue
		}
		if !f.Mode().IsRegular() || !strings.EqualFold(filepath.Ext(name), ".json") {
			im.stats.Ignored++
			continue
		}
		size := int64(-1)
		if f.UncompressedSize64 <= uint64(1<<62) {
			size = int64(f.UncompressedSize64)
		}
		if !emit(document{name: path + "!/" + name, size: size, open: f.Open}) {
			return nil
		}
	}
	return nil
}

// safeEntryName reports whether a zip entry name stays inside the
// archive: relative, no "..", no drive letter, no NUL.
func safeEntryName(name string) bool {
	n := strings.ReplaceAll(name, `\`, "/")
	if n == "" || strings.HasPrefix(n, "/") || strings.ContainsRune(n, 0) || (len(n) >= 2 && n[1] == ':') {
		return false
	}
	for _, el := range strings.Split(n, "/") {
		if el == ".." {
			return false
		}
	}
	return true
}

// sniffZip reports whether the file at path starts like a zip archive.
func sniffZip(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var b [4]byte
	n, err := io.ReadFull(f, b[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, err
	}
	return n == 4 && (bytes.Equal(b[:], []byte("PK\x03\x04")) || bytes.Equal(b[:], []byte("PK\x05\x06"))), nil
}

// unwrapPathError drops the path an *fs.PathError repeats (the
// InputError names the file already).
func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
