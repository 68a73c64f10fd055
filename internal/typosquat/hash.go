package typosquat

// Keys are hashed with a polynomial hash so that the hash of a string with
// one or two characters deleted can be computed in O(1) from prefix
// hashes. A collision can only add a candidate, never hide one: every hit
// is verified on the real strings.

const hashBase = 0x100000001b3

// A finished hash carries the key's length (capped at maxKeyLen) in bits
// lenShift to lenShift+6, so that a table split by key length (lazyMmap)
// can tell from a hash alone which part holds it. The other 57 bits are
// the mixed hash; mmap takes its slot from the low bits and its filter bit
// from the high bits, both clear of the length field.
const (
	lenShift  = 32
	maxKeyLen = 127
	lenField  = uint64(maxKeyLen) << lenShift
)

// finish mixes a raw polynomial hash with the string length
// (splitmix64 finalizer) so that short keys spread over the map, and
// stores the length in the length field.
func finish(h uint64, n int) uint64 {
	h += uint64(n) * 0x9e3779b97f4a7c15
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h&^lenField | uint64(min(n, maxKeyLen))<<lenShift
}

// keyLen returns the key length recorded in a finished hash.
func keyLen(k uint64) int { return int(k & lenField >> lenShift) }

// hashString hashes s as a whole.
func hashString(s string) uint64 {
	var h uint64
	for i := 0; i < len(s); i++ {
		h = h*hashBase + uint64(s[i])
	}
	return finish(h, len(s))
}

// hasher holds prefix hashes and powers of one string, for O(1) hashes of
// its deletion variants.
type hasher struct {
	s    string
	pre  []uint64 // pre[i] = raw hash of s[:i]
	pow  []uint64 // pow[i] = hashBase^i
	full uint64
}

func (h *hasher) reset(s string) {
	h.s = s
	n := len(s)
	if cap(h.pre) < n+1 {
		h.pre = make([]uint64, n+1)
		h.pow = make([]uint64, n+1)
	}
	h.pre = h.pre[:n+1]
	h.pow = h.pow[:n+1]
	h.pre[0], h.pow[0] = 0, 1
	for i := 0; i < n; i++ {
		h.pre[i+1] = h.pre[i]*hashBase + uint64(s[i])
		h.pow[i+1] = h.pow[i] * hashBase
	}
	h.full = h.pre[n]
}

// sub returns the raw hash of s[a:b].
func (h *hasher) sub(a, b int) uint64 { return h.pre[b] - h.pre[a]*h.pow[b-a] }

// whole returns the finished hash of s.
func (h *hasher) whole() uint64 { return finish(h.full, len(h.s)) }

// del1 returns the finished hash of s with the byte at i deleted.
func (h *hasher) del1(i int) uint64 {
	n := len(h.s)
	raw := h.pre[i]*h.pow[n-1-i] + h.sub(i+1, n)
	return finish(raw, n-1)
}

// del2 returns the finished hash of s with the bytes at i < j deleted.
func (h *hasher) del2(i, j int) uint64 {
	n := len(h.s)
	raw := h.pre[i]*h.pow[n-2-i] + h.sub(i+1, j)*h.pow[n-1-j] + h.sub(j+1, n)
	return finish(raw, n-2)
}

// swap returns the finished hash of s with the bytes at i and i+1
// swapped: the polynomial hash changes by the two bytes' difference at
// their two weights.
func (h *hasher) swap(i int) uint64 {
	n := len(h.s)
	a, b := uint64(h.s[i]), uint64(h.s[i+1])
	raw := h.full + (b-a)*h.pow[n-1-i] + (a-b)*h.pow[n-2-i]
	return finish(raw, n)
}
