package typosquat

// mmap is a compact multimap from a 64-bit key hash to target ids. Most keys
// have exactly one id, stored inline; the rest spill into over.
//
// Nearly every probe of a query misses, so a one-bit-per-key filter (16
// bits per key, about 3% false positives) answers most of them from a
// cache-friendly bitset before the map is touched; seal builds it.
type mmap struct {
	m      map[uint64]uint32
	over   [][]int32
	filter []uint64
	shift  uint
}

const overflowBit = 1 << 31

func newMmap(n int) mmap { return mmap{m: make(map[uint64]uint32, n)} }

func (mm *mmap) add(k uint64, id int32) {
	v, ok := mm.m[k]
	switch {
	case !ok:
		mm.m[k] = uint32(id)
	case v&overflowBit == 0:
		if int32(v) == id {
			return
		}
		mm.over = append(mm.over, []int32{int32(v), id})
		mm.m[k] = overflowBit | uint32(len(mm.over)-1)
	default:
		l := mm.over[v&^overflowBit]
		if l[len(l)-1] == id {
			return
		}
		mm.over[v&^overflowBit] = append(l, id)
	}
}

// seal builds the filter; call it once all keys are added.
func (mm *mmap) seal() {
	bits := uint(6)
	for 1<<bits < 32*len(mm.m) {
		bits++
	}
	mm.filter = make([]uint64, 1<<(bits-6))
	mm.shift = 64 - bits
	for k := range mm.m {
		b := k >> mm.shift
		mm.filter[b>>6] |= 1 << (b & 63)
	}
}

// get appends the ids stored under k to buf.
func (mm *mmap) get(k uint64, buf []int32) []int32 {
	if mm.filter != nil {
		b := k >> mm.shift
		if mm.filter[b>>6]&(1<<(b&63)) == 0 {
			return buf
		}
	}
	v, ok := mm.m[k]
	if !ok {
		return buf
	}
	if v&overflowBit == 0 {
		return append(buf, int32(v))
	}
	return append(buf, mm.over[v&^overflowBit]...)
}

func (mm *mmap) len() int { return len(mm.m) }
