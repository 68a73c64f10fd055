package typosquat

import (
	"sync"
	"sync/atomic"
)

// mmap is a compact multimap from a 64-bit key hash to target ids: an
// open-addressed table (key and value side by side, so a probe touches one
// cache line) filled while the index is built and then only read. Most
// keys have exactly one id, stored inline; the rest spill into over.
//
// seal builds a one-bit-per-key filter (16 bits per key, about 6% false
// positives) from the keys' high bits. Nearly every probe of a query
// misses, and the filter, small enough to stay in cache, answers most of
// them without touching the table.
type mmap struct {
	slots  []slot
	mask   uint64
	n      int // keys stored
	over   [][]int32
	filter []uint64
	shift  uint
}

type slot struct {
	key uint64 // 0: empty (a zero key hash is stored as 1)
	val uint32
}

const overflowBit = 1 << 31

// newMmap returns a table sized for about n keys; it grows if needed.
func newMmap(n int) mmap {
	var mm mmap
	mm.alloc(n)
	return mm
}

func (mm *mmap) alloc(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	mm.slots = make([]slot, size)
	mm.mask = uint64(size - 1)
}

func fixKey(k uint64) uint64 {
	if k == 0 {
		return 1
	}
	return k
}

// grow doubles the table when it is half full, keeping probes short.
func (mm *mmap) grow() {
	old := mm.slots
	mm.alloc(len(old))
	for _, s := range old {
		if s.key != 0 {
			i := s.key & mm.mask
			for mm.slots[i].key != 0 {
				i = (i + 1) & mm.mask
			}
			mm.slots[i] = s
		}
	}
}

func (mm *mmap) add(k uint64, id int32) {
	k = fixKey(k)
	if 2*(mm.n+1) > len(mm.slots) {
		mm.grow()
	}
	i := k & mm.mask
	for {
		s := &mm.slots[i]
		switch {
		case s.key == 0:
			*s = slot{k, uint32(id)}
			mm.n++
			return
		case s.key != k:
			i = (i + 1) & mm.mask
			continue
		case s.val&overflowBit == 0:
			if int32(s.val) == id {
				return
			}
			mm.over = append(mm.over, []int32{int32(s.val), id})
			s.val = overflowBit | uint32(len(mm.over)-1)
		default:
			l := mm.over[s.val&^overflowBit]
			if l[len(l)-1] != id {
				mm.over[s.val&^overflowBit] = append(l, id)
			}
		}
		return
	}
}

// seal builds the filter; call it once all keys are added.
func (mm *mmap) seal() {
	bits := uint(6)
	for 1<<bits < 16*mm.n {
		bits++
	}
	mm.filter = make([]uint64, 1<<(bits-6))
	mm.shift = 64 - bits
	for _, s := range mm.slots {
		if s.key != 0 {
			b := s.key >> mm.shift
			mm.filter[b>>6] |= 1 << (b & 63)
		}
	}
}

// get appends the ids stored under k to buf.
func (mm *mmap) get(k uint64, buf []int32) []int32 {
	k = fixKey(k)
	b := k >> mm.shift
	if mm.filter[b>>6]&(1<<(b&63)) == 0 {
		return buf
	}
	for i := k & mm.mask; ; i = (i + 1) & mm.mask {
		s := &mm.slots[i]
		if s.key == k {
			if s.val&overflowBit == 0 {
				return append(buf, int32(s.val))
			}
			return append(buf, mm.over[s.val&^overflowBit]...)
		}
		if s.key == 0 {
			return buf
		}
	}
}

// lazyMmap is a multimap split by key length (the length field of a
// finished hash, see hash.go), each part an mmap built by fill on the first
// get of a key of that length. A check of one name touches the parts of
// two or three lengths, so a short-lived process (pkgward check) builds a
// fraction of the table; a long run (sweep, serve) builds every part once.
// Safe for concurrent use.
type lazyMmap struct {
	// fill allocates mm and adds the keys of length n (capped at
	// maxKeyLen); with whole set, every key, once (n is then 0).
	fill  func(n int, mm *mmap)
	whole bool
	mu    sync.Mutex
	parts [maxKeyLen + 1]lazyPart
}

type lazyPart struct {
	ready atomic.Bool
	mm    mmap
}

// get appends the ids stored under k to buf, building k's part first if
// needed.
func (l *lazyMmap) get(k uint64, buf []int32) []int32 {
	n := 0
	if !l.whole {
		n = keyLen(fixKey(k))
	}
	p := &l.parts[n]
	if !p.ready.Load() {
		l.build(p, n)
	}
	return p.mm.get(k, buf)
}

// build fills and seals part n once.
func (l *lazyMmap) build(p *lazyPart, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p.ready.Load() {
		return
	}
	l.fill(n, &p.mm)
	if p.mm.slots == nil {
		p.mm.alloc(0)
	}
	p.mm.seal()
	p.ready.Store(true)
}

// buildAll builds every part not built yet.
func (l *lazyMmap) buildAll() {
	parts := len(l.parts)
	if l.whole {
		parts = 1
	}
	for n := range parts {
		if p := &l.parts[n]; !p.ready.Load() {
			l.build(p, n)
		}
	}
}

// len returns the number of keys in the parts built so far.
func (l *lazyMmap) len() int {
	n := 0
	for i := range l.parts {
		if p := &l.parts[i]; p.ready.Load() {
			n += p.mm.n
		}
	}
	return n
}
