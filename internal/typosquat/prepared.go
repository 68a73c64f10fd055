package typosquat

import (
	_ "embed" // the prepared files
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"unsafe"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// A prepared index is what Build computes from an embedded corpus before
// the Options apply: the targets (deduplicated, with their canonical names
// and strip keys) and their keys' lengths. `go generate
// ./internal/typosquat` writes one per ecosystem into prepared/ECO.idx
// (EncodePrepared); BuildEmbedded decodes it instead of parsing the corpus
// and computing the keys, which was most of the start of `pkgward check`.
// TestPreparedUpToDate fails when one is missing or stale.
//
// A prepared file is a 28-byte header and the payload, uncompressed: the
// binary embeds it as a string, so its pages are mapped from the
// executable and the names point into them, with nothing to decompress or
// copy at start.
//
//	magic   "PWTX"
//	version uint32, little-endian: preparedVersion
//	crc     uint32: the CRC-32 of the corpus TSV it was built from
//	size    uint32: that TSV's length (crc and size: corpus.Fingerprint)
//	count   uint32: targets
//	length  uint32: payload length
//	check   uint32: the CRC-32C (Castagnoli) of the payload
//
// The payload is count records of preparedRecord bytes, then the strings
// they point into, in order: each target's name, then its canonical name
// and its strip key when they are not the name (or the canonical name
// without its "@"); then the canonical-name table (canonTable: canonSlots
// little-endian uint32 slots). A file for another corpus or version, or one that does
// not decode to exactly what its header says, is refused and the corpus
// is indexed by Build. Bump preparedVersion when what Build derives from a
// name changes (canonical form, strip key, skeleton, key lengths).
const (
	preparedMagic   = "PWTX"
	preparedVersion = 3
	preparedHeader  = 28
	preparedRecord  = 24 // rank int32, downloads uint64, 3 × uint16 lengths, 2 kinds, 4 key lengths
	maxPrepared     = 256 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// String kinds of a record's canonical name and strip key.
const (
	sameAsName   = 0 // canon: the name
	sameAsCanon  = 0 // strip: the canonical name
	canonAfterAt = 1 // strip: the canonical name without its leading "@"
	explicit     = 2 // in the string pool
)

// The prepared files, one per ecosystem of ecosystem.All.
var (
	//go:embed prepared/npm.idx
	preparedNPM string
	//go:embed prepared/pypi.idx
	preparedPyPI string
	//go:embed prepared/go.idx
	preparedGo string
	//go:embed prepared/rubygems.idx
	preparedRubyGems string
	//go:embed prepared/nuget.idx
	preparedNuGet string
	//go:embed prepared/crates.idx
	preparedCrates string

	prepared = map[ecosystem.Ecosystem]string{
		ecosystem.NPM: preparedNPM, ecosystem.PyPI: preparedPyPI, ecosystem.Go: preparedGo,
		ecosystem.RubyGems: preparedRubyGems, ecosystem.NuGet: preparedNuGet, ecosystem.Crates: preparedCrates,
	}
)

// preparedFile returns eco's embedded prepared file. The bytes are the
// executable's own, mapped read-only: never write to them.
func preparedFile(eco ecosystem.Ecosystem) ([]byte, error) {
	s, ok := prepared[eco]
	if !ok {
		return nil, fmt.Errorf("no prepared index for %s", eco)
	}
	return unsafe.Slice(unsafe.StringData(s), len(s)), nil
}

// BuildEmbedded is Build over eco's embedded corpus followed by user: the
// same index, from the prepared file when it matches the corpus.
func BuildEmbedded(eco ecosystem.Ecosystem, user []corpus.Entry, opt Options) (*Index, error) {
	if ix, err := buildPrepared(eco, user, opt); err == nil {
		return ix, nil
	}
	c, err := corpus.Embedded(eco)
	if err != nil {
		return nil, err
	}
	return Build(eco, append(c.Entries[:len(c.Entries):len(c.Entries)], user...), opt), nil
}

func buildPrepared(eco ecosystem.Ecosystem, user []corpus.Entry, opt Options) (*Index, error) {
	crc, size, err := corpus.Fingerprint(eco)
	if err != nil {
		return nil, err
	}
	b, err := preparedFile(eco)
	if err != nil {
		return nil, err
	}
	ix, err := decodePrepared(eco, b, crc, size, opt, len(user))
	if err != nil {
		return nil, err
	}
	ix.addEntries(user)
	ix.finish()
	return ix, nil
}

// EncodePrepared returns the prepared file of a corpus whose TSV has the
// fingerprint (crc, size).
func EncodePrepared(eco ecosystem.Ecosystem, entries []corpus.Entry, crc, size uint32) ([]byte, error) {
	ix := newIndex(eco, DefaultOptions(), len(entries))
	ix.canon.more = make(map[string]int32, len(entries))
	ix.addEntries(entries)
	payload := make([]byte, len(ix.targets)*preparedRecord)
	for i := range ix.targets {
		t, k := &ix.targets[i], ix.klen[i]
		if len(t.name) > 0xffff || len(t.canon) > 0xffff || len(t.strip) > 0xffff || t.rank < 0 || t.rank > 1<<31-1 || t.downloads < 0 {
			return nil, fmt.Errorf("target %q does not fit a record", t.name)
		}
		canonKind, stripKind := uint8(explicit), uint8(explicit)
		if t.canon == t.name {
			canonKind = sameAsName
		}
		switch {
		case t.strip == t.canon:
			stripKind = sameAsCanon
		case len(t.canon) > 0 && t.canon[0] == '@' && t.strip == t.canon[1:]:
			stripKind = canonAfterAt
		}
		r := payload[i*preparedRecord:]
		binary.LittleEndian.PutUint32(r, uint32(t.rank))
		binary.LittleEndian.PutUint64(r[4:], uint64(t.downloads))
		binary.LittleEndian.PutUint16(r[12:], uint16(len(t.name)))
		binary.LittleEndian.PutUint16(r[14:], uint16(len(t.canon)))
		binary.LittleEndian.PutUint16(r[16:], uint16(len(t.strip)))
		r[18], r[19], r[20], r[21], r[22], r[23] = canonKind, stripKind, k.skel, k.words, k.digits, k.flat
		payload = append(payload, t.name...)
		if canonKind == explicit {
			payload = append(payload, t.canon...)
		}
		if stripKind == explicit {
			payload = append(payload, t.strip...)
		}
	}
	payload = encodeCanonTable(payload, ix.targets)
	out := make([]byte, preparedHeader, preparedHeader+len(payload))
	copy(out, preparedMagic)
	binary.LittleEndian.PutUint32(out[4:], preparedVersion)
	binary.LittleEndian.PutUint32(out[8:], crc)
	binary.LittleEndian.PutUint32(out[12:], size)
	binary.LittleEndian.PutUint32(out[16:], uint32(len(ix.targets)))
	binary.LittleEndian.PutUint32(out[20:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(out[24:], crc32.Checksum(payload, castagnoli))
	return append(out, payload...), nil
}

var errPrepared = errors.New("prepared index does not decode to what its header says")

// decodePrepared returns the index of a prepared file, with room for
// extra more targets and before finish, refusing a file that is not for
// the corpus (crc, size) or not well-formed.
func decodePrepared(eco ecosystem.Ecosystem, b []byte, crc, size uint32, opt Options, extra int) (*Index, error) {
	if len(b) < preparedHeader || string(b[:4]) != preparedMagic {
		return nil, errors.New("not a prepared index")
	}
	if v := binary.LittleEndian.Uint32(b[4:]); v != preparedVersion {
		return nil, fmt.Errorf("prepared index version %d, want %d", v, preparedVersion)
	}
	if binary.LittleEndian.Uint32(b[8:]) != crc || binary.LittleEndian.Uint32(b[12:]) != size {
		return nil, errors.New("prepared index is stale: it was built from another corpus")
	}
	count, length := int(binary.LittleEndian.Uint32(b[16:])), int(binary.LittleEndian.Uint32(b[20:]))
	if length > maxPrepared || count > length/preparedRecord || length != len(b)-preparedHeader {
		return nil, errPrepared
	}
	payload := b[preparedHeader:]
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(b[24:]) {
		return nil, errors.New("prepared index is corrupt: its checksum does not match")
	}
	// payload is never written: the names share its memory.
	all := unsafe.String(unsafe.SliceData(payload), len(payload))
	table := 4 * canonSlots(count)
	if table > length-count*preparedRecord {
		return nil, errPrepared
	}
	strEnd := length - table
	ix := newIndex(eco, opt, count+extra)
	if extra > 0 {
		ix.canon.more = make(map[string]int32, extra)
	}
	ix.targets = ix.targets[:count]
	ix.klen = ix.klen[:count]
	pos := count * preparedRecord
	next := func(n int) (string, bool) {
		if n > strEnd-pos {
			return "", false
		}
		s := all[pos : pos+n]
		pos += n
		return s, true
	}
	for i := range count {
		r := payload[i*preparedRecord:]
		t := &ix.targets[i]
		t.rank, t.downloads = int(int32(binary.LittleEndian.Uint32(r))), int64(binary.LittleEndian.Uint64(r[4:]))
		nName, nCanon, nStrip := int(binary.LittleEndian.Uint16(r[12:])), int(binary.LittleEndian.Uint16(r[14:])), int(binary.LittleEndian.Uint16(r[16:]))
		ok := true
		if t.name, ok = next(nName); !ok || t.rank < 0 || t.downloads < 0 {
			return nil, errPrepared
		}
		switch r[18] {
		case sameAsName:
			t.canon = t.name
		case explicit:
			t.canon, ok = next(nCanon)
		default:
			ok = false
		}
		if !ok || len(t.canon) != nCanon || t.canon == "" {
			return nil, errPrepared
		}
		switch r[19] {
		case sameAsCanon:
			t.strip = t.canon
		case canonAfterAt:
			if t.canon[0] != '@' {
				return nil, errPrepared
			}
			t.strip = t.canon[1:]
		case explicit:
			t.strip, ok = next(nStrip)
		default:
			ok = false
		}
		if !ok || len(t.strip) != nStrip {
			return nil, errPrepared
		}
		for _, n := range r[20:24] {
			if n > maxKeyLen && n != noKey {
				return nil, errPrepared
			}
		}
		ix.klen[i] = keyLens{skel: r[20], words: r[21], digits: r[22], flat: r[23]}
	}
	if pos != strEnd {
		return nil, errPrepared
	}
	// The table: every slot empty or a target, each target once (an
	// empty slot then ends every probe). Where a name sits
	// is checked by lookup itself, on the strings.
	slots := payload[strEnd:]
	seen := make([]uint64, count/64+1) // each target once: none unreachable
	used := 0
	for j := 0; j < len(slots); j += 4 {
		switch v := binary.LittleEndian.Uint32(slots[j:]); {
		case v > uint32(count):
			return nil, errPrepared
		case v != 0:
			id := v - 1
			if seen[id/64]&(1<<(id%64)) != 0 {
				return nil, errPrepared
			}
			seen[id/64] |= 1 << (id % 64)
			used++
		}
	}
	if used != count {
		return nil, errPrepared
	}
	ix.canon.slots, ix.canon.mask = slots, uint64(len(slots)/4-1)
	return ix, nil
}
