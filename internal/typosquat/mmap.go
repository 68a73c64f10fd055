package typosquat

// mmap is a compact multimap from a 64-bit key hash to target ids, built
// once and then only read. Most keys have exactly one id, stored inline;
// the rest spill into over.
//
// Keys are collected in a Go map while the index is built; seal then lays
// them out in an open-addressed table (key and value side by side, so a
// probe touches one cache line) and builds a one-bit-per-key filter (16
// bits per key, about 6% false positives) from the keys' high bits. Nearly
// every probe of a query misses, and the filter, small enough to stay in
// cache, answers most of them without touching the table.
type mmap struct {
	build  map[uint64]uint32
	over   [][]int32
	slots  []slot
	mask   uint64
	filter []uint64
	shift  uint
}

type slot struct {
	key uint64 // 0: empty (a zero key hash is stored as 1)
	val uint32
}

const overflowBit = 1 << 31

func newMmap(n int) mmap { return mmap{build: make(map[uint64]uint32, n)} }

func fixKey(k uint64) uint64 {
	if k == 0 {
		return 1
	}
	return k
}

func (mm *mmap) add(k uint64, id int32) {
	k = fixKey(k)
	v, ok := mm.build[k]
	switch {
	case !ok:
		mm.build[k] = uint32(id)
	case v&overflowBit == 0:
		if int32(v) == id {
			return
		}
		mm.over = append(mm.over, []int32{int32(v), id})
		mm.build[k] = overflowBit | uint32(len(mm.over)-1)
	default:
		l := mm.over[v&^overflowBit]
		if l[len(l)-1] == id {
			return
		}
		mm.over[v&^overflowBit] = append(l, id)
	}
}

// seal freezes the map: it builds the table and the filter and drops the
// build map. No add may follow.
func (mm *mmap) seal() {
	n := len(mm.build)
	size := 8
	for size < 2*n {
		size <<= 1
	}
	mm.slots = make([]slot, size)
	mm.mask = uint64(size - 1)
	bits := uint(6)
	for 1<<bits < 16*n {
		bits++
	}
	mm.filter = make([]uint64, 1<<(bits-6))
	mm.shift = 64 - bits
	for k, v := range mm.build {
		b := k >> mm.shift
		mm.filter[b>>6] |= 1 << (b & 63)
		i := k & mm.mask
		for mm.slots[i].key != 0 {
			i = (i + 1) & mm.mask
		}
		mm.slots[i] = slot{k, v}
	}
	mm.build = nil
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
