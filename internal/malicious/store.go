package malicious

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
)

// The store file:
//
//	magic     "PKGWMAL\n"
//	version   uvarint (1)
//	header    uvarint length + JSON {"imported", "sources"}
//	records   uvarint count, then per record:
//	            id, summary, basis (strings); published, modified (times)
//	            aliases: uvarint count + strings
//	            unsupported entries: uvarint
//	            packages: uvarint count, then per package:
//	              ecosystem, name (strings); all (byte)
//	              versions: uvarint count + strings
//	              ranges: uvarint count, then type (string) and
//	                events: uvarint count + (kind byte, version string)
//	tombstones uvarint count, then id (string) and modified (time)
//	checksum  CRC-32C of everything above, 4 bytes little endian
//
// A string is a uvarint length and its bytes; a time is a varint of Unix
// nanoseconds, 0 for none. The counts per ecosystem are not stored: Load
// recomputes them while it indexes.

const (
	storeMagic   = "PKGWMAL\n"
	storeVersion = 1
	// MaxStoreSize bounds the store file Load reads (the whole OSV
	// malicious-packages data set takes a few tens of megabytes).
	MaxStoreSize = 1 << 30
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is returned (wrapped) by Load for a file that is not a
// store, is truncated or fails its checksum.
var ErrCorrupt = errors.New("not a pkgward known-malicious database, or damaged")

// DefaultPath is where the database lives unless told otherwise:
// <user cache directory>/pkgward/malicious.db.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory for the known-malicious database: %w", err)
	}
	return filepath.Join(dir, "pkgward", "malicious.db"), nil
}

type header struct {
	Imported time.Time `json:"imported"`
	Sources  []Source  `json:"sources"`
}

// Save writes the database to path atomically: to a temporary file in
// the same directory, synced, then renamed over path, so a reader sees
// the old database or the new one, never a part. Missing directories are
// created.
func (db *DB) Save(path string) error {
	return writeAtomic(path, db.encode)
}

// writeAtomic writes path through write, via a temporary file and rename.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// encoder writes the store format and its checksum.
type encoder struct {
	w   io.Writer
	crc uint32
	buf []byte
	err error
}

func (e *encoder) flush() {
	if e.err == nil && len(e.buf) > 0 {
		e.crc = crc32.Update(e.crc, castagnoli, e.buf)
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
}

func (e *encoder) uvarint(v uint64) {
	e.buf = binary.AppendUvarint(e.buf, v)
	if len(e.buf) > 1<<15 {
		e.flush()
	}
}

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.buf = append(e.buf, s...)
	if len(e.buf) > 1<<15 {
		e.flush()
	}
}

func (e *encoder) time(t time.Time) {
	var n int64
	if !t.IsZero() {
		n = t.UnixNano()
	}
	e.buf = binary.AppendVarint(e.buf, n)
}

func (e *encoder) strs(ss []string) {
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (db *DB) encode(w io.Writer) error {
	e := &encoder{w: w}
	e.buf = append(e.buf, storeMagic...)
	e.uvarint(storeVersion)
	h, err := json.Marshal(header{Imported: db.meta.Imported, Sources: db.meta.Sources})
	if err != nil {
		return err
	}
	e.str(string(h))
	e.uvarint(uint64(len(db.records)))
	for _, r := range db.records {
		e.str(r.ID)
		e.str(r.Summary)
		e.str(r.Basis)
		e.time(r.Published)
		e.time(r.Modified)
		e.strs(r.Aliases)
		e.uvarint(uint64(r.Unsupported))
		e.uvarint(uint64(len(r.Packages)))
		for _, a := range r.Packages {
			e.str(string(a.Ecosystem))
			e.str(a.Name)
			if a.All {
				e.buf = append(e.buf, 1)
			} else {
				e.buf = append(e.buf, 0)
			}
			e.strs(a.Versions)
			e.uvarint(uint64(len(a.Ranges)))
			for _, rg := range a.Ranges {
				e.str(rg.Type)
				e.uvarint(uint64(len(rg.Events)))
				for _, ev := range rg.Events {
					e.buf = append(e.buf, byte(ev.Kind))
					e.str(ev.Version)
				}
			}
		}
	}
	ids := make([]string, 0, len(db.tombstones))
	for id := range db.tombstones {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	e.uvarint(uint64(len(ids)))
	for _, id := range ids {
		e.str(id)
		e.time(db.tombstones[id])
	}
	e.flush()
	if e.err != nil {
		return e.err
	}
	_, err = w.Write(binary.LittleEndian.AppendUint32(nil, e.crc))
	return err
}

// Load reads the database at path. A missing file gives an error
// wrapping fs.ErrNotExist; a damaged one wraps ErrCorrupt.
func Load(path string) (*DB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > MaxStoreSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, MaxStoreSize)
	}
	data, crc, err := readStore(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	db, err := decode(data, crc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return db, nil
}

// readStore reads a whole store file of the given size into a string
// (strings.Builder hands its buffer over without a copy) and computes the
// checksum of all but its last 4 bytes on the way.
func readStore(r io.Reader, size int64) (string, uint32, error) {
	var sb strings.Builder
	sb.Grow(int(size))
	buf := make([]byte, 1<<16)
	var crc uint32
	var n int64
	for {
		k, err := r.Read(buf)
		if k > 0 {
			if n+int64(k) > size {
				return "", 0, errors.New("the file grew while it was read")
			}
			body := min(int64(k), max(size-4-n, 0))
			crc = crc32.Update(crc, castagnoli, buf[:body])
			sb.Write(buf[:k])
			n += int64(k)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", 0, err
		}
	}
	if n != size {
		return "", 0, errors.New("the file shrank while it was read")
	}
	return sb.String(), crc, nil
}

// Decode reads a database from the bytes of a store file.
func Decode(data []byte) (*DB, error) {
	var crc uint32
	if len(data) >= 4 {
		crc = crc32.Checksum(data[:len(data)-4], castagnoli)
	}
	return decode(string(data), crc)
}

// decode reads a database from a store file whose body (all but the last
// 4 bytes) has checksum crc. Every decoded string is a slice of data, so
// decoding allocates no string.
func decode(data string, crc uint32) (*DB, error) {
	if len(data) < len(storeMagic)+4 || data[:len(storeMagic)] != storeMagic {
		return nil, fmt.Errorf("%w: bad magic", ErrCorrupt)
	}
	if crc != binary.LittleEndian.Uint32([]byte(data[len(data)-4:])) {
		return nil, fmt.Errorf("%w: checksum mismatch (truncated or modified)", ErrCorrupt)
	}
	d := &decoder{s: data[:len(data)-4], i: len(storeMagic)}
	if v := d.uvarint(); d.err == nil && v != storeVersion {
		return nil, fmt.Errorf("database format version %d, this pkgward reads version %d: import again", v, storeVersion)
	}
	var h header
	if hs := d.str(); d.err == nil {
		if err := json.Unmarshal([]byte(hs), &h); err != nil {
			return nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
		}
	}
	n := d.count(8)
	records := make([]*Record, 0, n)
	slab := make([]Record, n)
	var pkgs slabOf[Affected]
	var strs slabOf[string]
	for i := 0; i < n && d.err == nil; i++ {
		r := &slab[i]
		r.ID = d.str()
		r.Summary = d.str()
		r.Basis = d.str()
		r.Published = d.time()
		r.Modified = d.time()
		r.Aliases = d.strs(&strs)
		r.Unsupported = int(min(d.uvarint(), math.MaxInt32))
		np := d.count(4)
		if np > 0 {
			r.Packages = pkgs.take(np)
		}
		for j := 0; j < np && d.err == nil; j++ {
			a := &r.Packages[j]
			a.Ecosystem = ecosystem.Ecosystem(d.str())
			if d.err == nil && !a.Ecosystem.Valid() {
				d.fail("unknown ecosystem %q", a.Ecosystem)
			}
			a.Name = d.str()
			a.All = d.byte() == 1
			a.Versions = d.strs(&strs)
			nr := d.count(2)
			if nr > 0 {
				a.Ranges = make([]Range, nr)
			}
			for k := 0; k < nr && d.err == nil; k++ {
				a.Ranges[k].Type = d.str()
				ne := d.count(2)
				a.Ranges[k].Events = make([]Event, ne)
				for l := 0; l < ne && d.err == nil; l++ {
					a.Ranges[k].Events[l] = Event{Kind: EventKind(d.byte()), Version: d.str()}
				}
			}
		}
		records = append(records, r)
	}
	tombstones := map[string]time.Time{}
	nt := d.count(2)
	for i := 0; i < nt && d.err == nil; i++ {
		id := d.str()
		tombstones[id] = d.time()
	}
	if d.err == nil && d.i != len(d.s) {
		d.fail("%d bytes after the end", len(d.s)-d.i)
	}
	if d.err != nil {
		return nil, d.err
	}
	return Build(records, tombstones, Meta{Imported: h.Imported, Sources: h.Sources}), nil
}

// decoder reads the store format; the first error sticks.
type decoder struct {
	s   string
	i   int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: at byte %d: %s", ErrCorrupt, d.i, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for k := 0; k < binary.MaxVarintLen64; k++ {
		if d.i >= len(d.s) {
			d.fail("truncated")
			return 0
		}
		b := d.s[d.i]
		d.i++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
		shift += 7
	}
	d.fail("bad varint")
	return 0
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if d.i >= len(d.s) {
		d.fail("truncated")
		return 0
	}
	d.i++
	return d.s[d.i-1]
}

// count reads a count of items that take at least min bytes each, and
// refuses one the rest of the file cannot hold.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.s)-d.i)/uint64(min) {
		d.fail("count %d exceeds the file", n)
	}
	if d.err != nil || n > math.MaxInt32 {
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.s)-d.i) {
		d.fail("string of %d bytes exceeds the file", n)
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

func (d *decoder) strs(slab *slabOf[string]) []string {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	out := slab.take(n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) time() time.Time {
	n := d.varint()
	if n == 0 || d.err != nil {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// slabOf hands out small slices carved from larger allocations.
type slabOf[T any] struct{ buf []T }

func (s *slabOf[T]) take(n int) []T {
	if n > len(s.buf) {
		s.buf = make([]T, max(n, 1024))
	}
	out := s.buf[:n:n]
	s.buf = s.buf[n:]
	return out
}

// Exists reports whether a database file is at path (it may still be
// unreadable).
func Exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
