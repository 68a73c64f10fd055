package typosquat

import "encoding/binary"

// canonTable finds a target by its canonical name. The targets of a
// prepared file are found through the file's own open-addressed table
// (slots: one little-endian uint32 per slot, the id plus one, 0 for an
// empty slot, at hashString(canon) and the slots after it), which is
// mapped from the executable with the rest of the file, so that a start
// builds no map of the corpus; the names added after it (the user's, or
// every name when Build indexes a corpus itself) are in more.
type canonTable struct {
	slots []byte
	mask  uint64
	more  map[string]int32
}

// canonSlots is the number of slots of the prepared table for n targets:
// a power of two at least twice n, so that probes stay short and an
// empty slot always ends them.
func canonSlots(n int) int {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return size
}

// encodeCanonTable appends the prepared table of targets to b.
func encodeCanonTable(b []byte, targets []target) []byte {
	size := canonSlots(len(targets))
	slots := make([]uint32, size)
	for i := range targets {
		j := hashString(targets[i].canon) & uint64(size-1)
		for slots[j] != 0 {
			j = (j + 1) & uint64(size-1)
		}
		slots[j] = uint32(i) + 1
	}
	for _, v := range slots {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// lookup returns the id of the target whose canonical name is canon.
func (ix *Index) lookup(canon string) (int32, bool) {
	c := &ix.canon
	if id, ok := c.more[canon]; ok {
		return id, true
	}
	if c.slots == nil {
		return 0, false
	}
	for j := hashString(canon) & c.mask; ; j = (j + 1) & c.mask {
		v := binary.LittleEndian.Uint32(c.slots[4*j:])
		if v == 0 {
			return 0, false
		}
		if ix.targets[v-1].canon == canon {
			return int32(v - 1), true
		}
	}
}

// add records a target added after the prepared table.
func (c *canonTable) add(canon string, id int32) {
	if c.more == nil {
		c.more = map[string]int32{}
	}
	c.more[canon] = id
}

// canonLen returns the number of canonical names recorded.
func (ix *Index) canonLen() int {
	n := len(ix.canon.more)
	for j := 0; j+4 <= len(ix.canon.slots); j += 4 {
		if binary.LittleEndian.Uint32(ix.canon.slots[j:]) != 0 {
			n++
		}
	}
	return n
}
