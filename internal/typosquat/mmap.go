package typosquat

// mmap is a compact multimap from a 64-bit key hash to target ids. Most keys
// have exactly one id, stored inline; the rest spill into over.
type mmap struct {
	m    map[uint64]uint32
	over [][]int32
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

// get appends the ids stored under k to buf.
func (mm *mmap) get(k uint64, buf []int32) []int32 {
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
