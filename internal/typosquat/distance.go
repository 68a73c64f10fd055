package typosquat

// opKind is one elementary edit turning a target into a candidate.
type opKind uint8

const (
	opInsert    opKind = iota + 1 // candidate has an extra character
	opDelete                      // candidate lacks a character
	opSubst                       // candidate has another character
	opTranspose                   // candidate swaps two adjacent characters
)

// edit is one operation with its position in the candidate and the
// characters involved: for opInsert a is the extra character; for opDelete
// a is the missing one; for opSubst the target has a and the candidate b;
// for opTranspose the target has a then b.
type edit struct {
	kind opKind
	pos  int
	a, b byte
}

// maxEditLen bounds the strings the edit-distance techniques consider.
const maxEditLen = 96

// osa computes the optimal-string-alignment (restricted Damerau-Levenshtein)
// distance between candidate c and target t, up to limit. When the
// distance is at most limit it also returns the edits (appended to ops);
// otherwise it returns limit+1 and no edits.
func osa(c, t string, limit int, ops []edit) (int, []edit) {
	n, m := len(c), len(t)
	if d := n - m; d > limit || -d > limit {
		return limit + 1, ops
	}
	if n > maxEditLen || m > maxEditLen {
		return limit + 1, ops
	}
	// Strip the common prefix and suffix: most pairs differ in one place.
	p := 0
	for p < n && p < m && c[p] == t[p] {
		p++
	}
	s := 0
	for s < n-p && s < m-p && c[n-1-s] == t[m-1-s] {
		s++
	}
	cc, tt := c[p:n-s], t[p:m-s]
	n, m = len(cc), len(tt)
	if n == 0 && m == 0 {
		return 0, ops
	}
	var stack [(maxEditLen + 1) * (maxEditLen + 1)]uint8
	w := m + 1
	d := stack[:(n+1)*w]
	for i := 0; i <= n; i++ {
		d[i*w] = uint8(i)
	}
	for j := 0; j <= m; j++ {
		d[j] = uint8(j)
	}
	for i := 1; i <= n; i++ {
		rowMin := d[i*w]
		for j := 1; j <= m; j++ {
			cost := uint8(1)
			if cc[i-1] == tt[j-1] {
				cost = 0
			}
			v := d[(i-1)*w+j-1] + cost
			if x := d[(i-1)*w+j] + 1; x < v {
				v = x
			}
			if x := d[i*w+j-1] + 1; x < v {
				v = x
			}
			if i > 1 && j > 1 && cc[i-1] == tt[j-2] && cc[i-2] == tt[j-1] {
				if x := d[(i-2)*w+j-2] + 1; x < v {
					v = x
				}
			}
			d[i*w+j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if int(rowMin) > limit {
			return limit + 1, ops
		}
	}
	dist := int(d[n*w+m])
	if dist > limit {
		return limit + 1, ops
	}
	// Backtrace, collecting edits from the end.
	start := len(ops)
	i, j := n, m
	for i > 0 || j > 0 {
		cur := d[i*w+j]
		switch {
		case i > 0 && j > 0 && cc[i-1] == tt[j-1] && d[(i-1)*w+j-1] == cur:
			i, j = i-1, j-1
		case i > 1 && j > 1 && cc[i-1] == tt[j-2] && cc[i-2] == tt[j-1] && d[(i-2)*w+j-2]+1 == cur:
			ops = append(ops, edit{opTranspose, p + i - 2, tt[j-2], tt[j-1]})
			i, j = i-2, j-2
		case i > 0 && j > 0 && d[(i-1)*w+j-1]+1 == cur:
			ops = append(ops, edit{opSubst, p + i - 1, tt[j-1], cc[i-1]})
			i, j = i-1, j-1
		case i > 0 && d[(i-1)*w+j]+1 == cur:
			ops = append(ops, edit{opInsert, p + i - 1, cc[i-1], 0})
			i--
		default:
			ops = append(ops, edit{opDelete, p + i, tt[j-1], 0})
			j--
		}
	}
	// Reverse into candidate order.
	for a, b := start, len(ops)-1; a < b; a, b = a+1, b-1 {
		ops[a], ops[b] = ops[b], ops[a]
	}
	return dist, ops
}
