package codescan

// litMatcher is an Aho–Corasick automaton over ASCII-case-folded bytes,
// compiled to a complete transition table (a DFA). Bytes that occur in no
// pattern share one symbol class, so the table has one column per distinct
// folded byte of the patterns plus one. A scan costs one table lookup per
// byte whatever the number of patterns; states with outputs are flagged in
// the high bit of the transition so the loop needs no second lookup.
type litMatcher struct {
	class    [256]uint8 // byte → symbol class (0: in no pattern); upper case folded
	nclass   int
	delta    []uint32 // (state*nclass + class) → next state*nclass, | outFlag when it has outputs
	outStart []int32  // outputs of state s: outs[outStart[s]:outStart[s+1]]
	outs     []int32  // pattern ids
	plen     []int32  // pattern id → length
	maxLen   int      // of the longest pattern
}

const outFlag = 1 << 31

func fold(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// newLitMatcher builds the automaton; patterns must be non-empty and are
// matched case-insensitively (ASCII). Duplicates are allowed.
func newLitMatcher(patterns []string) *litMatcher {
	m := &litMatcher{plen: make([]int32, len(patterns))}
	// Symbol classes.
	var seen [256]bool
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			seen[fold(p[i])] = true
		}
	}
	n := 1
	for c := 0; c < 256; c++ {
		if seen[c] {
			m.class[c] = uint8(n)
			n++
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		m.class[c] = m.class[c+'a'-'A']
	}
	m.nclass = n

	// Trie, with transitions in a flat slice (0 = none; the root is 0 and
	// is never a child).
	next := make([]int32, n)
	var own [][]int32
	own = append(own, nil)
	fail := []int32{0}
	for id, p := range patterns {
		m.plen[id] = int32(len(p))
		m.maxLen = max(m.maxLen, len(p))
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := int32(m.class[fold(p[i])])
			t := next[int(s)*n+int(c)]
			if t == 0 {
				t = int32(len(own))
				own = append(own, nil)
				fail = append(fail, 0)
				next = append(next, make([]int32, n)...)
				next[int(s)*n+int(c)] = t
			}
			s = t
		}
		own[s] = append(own[s], int32(id))
	}
	states := len(own)

	// Breadth-first: failure links and the complete transition function.
	order := make([]int32, 0, states)
	for c := 1; c < n; c++ {
		if t := next[c]; t != 0 {
			order = append(order, t)
		}
	}
	for i := 0; i < len(order); i++ {
		s := order[i]
		for c := 1; c < n; c++ {
			t := next[int(s)*n+c]
			if t == 0 {
				next[int(s)*n+c] = next[int(fail[s])*n+c]
				continue
			}
			fail[t] = next[int(fail[s])*n+c]
			order = append(order, t)
		}
	}
	// Outputs: a state's own patterns, then those of its failure chain
	// (already complete for shallower states in breadth-first order).
	outs := make([][]int32, states)
	for _, s := range order {
		o := append([]int32(nil), own[s]...)
		o = append(o, outs[fail[s]]...)
		outs[s] = o
	}
	m.outStart = make([]int32, states+1)
	for s := 0; s < states; s++ {
		m.outStart[s] = int32(len(m.outs))
		m.outs = append(m.outs, outs[s]...)
	}
	m.outStart[states] = int32(len(m.outs))

	m.delta = make([]uint32, states*n)
	for s := 0; s < states; s++ {
		for c := 0; c < n; c++ {
			var t int32
			if c != 0 {
				t = next[s*n+c]
			}
			v := uint32(t) * uint32(n)
			if len(outs[t]) > 0 {
				v |= outFlag
			}
			m.delta[s*n+c] = v
		}
	}
	return m
}

// splitMin is the length from which scan runs four streams: below it the
// bytes the later streams re-read (up to the longest pattern each) cost
// more than the overlap gains.
const splitMin = 512

// streams is how many automata scan walks at once.
const streams = 4

// scan calls emit(patternID, end) for every occurrence of every pattern in
// data, end being the index just past the occurrence, in order of end.
// scratch holds the later streams' hits until the first one is done; the
// caller keeps it between calls so that it is allocated once.
//
// A table-driven automaton is bound by the latency of one lookup per byte,
// each depending on the one before. Long data is therefore cut in four
// parts walked in the same loop by four automata, whose lookups overlap.
// Each automaton but the first starts in the root state far enough before
// its part (longest pattern − 1 bytes) to see every occurrence ending in
// it, and reports only those; the hits and their order are those of one
// walk.
func (m *litMatcher) scan(data []byte, scratch *[]uint64, emit func(id int32, end int)) {
	if len(m.plen) == 0 {
		return
	}
	if len(data) < splitMin || len(data) < 4*streams*m.maxLen {
		m.run(data, 0, 0, emit)
		return
	}
	c := len(data) / streams // part j is data[j*c:(j+1)*c], the last to the end
	back := m.maxLen - 1
	d0 := data[:c]
	d1 := data[c-back : 2*c-back]
	d2 := data[2*c-back : 3*c-back]
	d3 := data[3*c-back : 4*c-back]
	delta := m.delta
	class := &m.class
	pend := (*scratch)[:0]
	var q0, q1, q2, q3 uint32
	for i := 0; i < len(d0) && i < len(d1) && i < len(d2) && i < len(d3); i++ {
		v0 := delta[q0+uint32(class[d0[i]])]
		v1 := delta[q1+uint32(class[d1[i]])]
		v2 := delta[q2+uint32(class[d2[i]])]
		v3 := delta[q3+uint32(class[d3[i]])]
		if (v0|v1|v2|v3)&outFlag != 0 {
			if v0&outFlag != 0 {
				v0 &^= outFlag
				for _, id := range m.outsOf(v0) {
					emit(id, i+1)
				}
			}
			// Part j's stream is back bytes behind: its end i+1 is
			// j*c-back+i+1, in part j when i >= back.
			if v1&outFlag != 0 {
				v1 &^= outFlag
				pend = m.hold(pend, 1, v1, i, back, c)
			}
			if v2&outFlag != 0 {
				v2 &^= outFlag
				pend = m.hold(pend, 2, v2, i, back, c)
			}
			if v3&outFlag != 0 {
				v3 &^= outFlag
				pend = m.hold(pend, 3, v3, i, back, c)
			}
		}
		q0, q1, q2, q3 = v0, v1, v2, v3
	}
	for j, q := range [...]uint32{q1, q2, q3} {
		j++
		for _, x := range pend {
			if int(x>>56) == j {
				emit(int32(x>>32&0xffffff), int(uint32(x)))
			}
		}
		hi := (j + 1) * c
		if j == streams-1 {
			hi = len(data)
		}
		m.run(data[:hi], (j+1)*c-back, q, emit)
	}
	*scratch = pend[:0]
}

// outsOf returns the pattern ids ending in the state of transition v
// (outFlag cleared).
func (m *litMatcher) outsOf(v uint32) []int32 {
	st := v / uint32(m.nclass)
	return m.outs[m.outStart[st]:m.outStart[st+1]]
}

// hold keeps for later the hits of stream j at its i-th byte that end in
// its own part.
func (m *litMatcher) hold(pend []uint64, j int, v uint32, i, back, c int) []uint64 {
	if i < back {
		return pend
	}
	end := j*c - back + i + 1
	for _, id := range m.outsOf(v) {
		pend = append(pend, uint64(j)<<56|uint64(id)<<32|uint64(end))
	}
	return pend
}

// run walks data from index from in state s, reporting as scan does.
func (m *litMatcher) run(data []byte, from int, s uint32, emit func(id int32, end int)) {
	delta := m.delta
	class := &m.class
	n := uint32(m.nclass)
	for i := from; i < len(data); i++ {
		v := delta[s+uint32(class[data[i]])]
		if v&outFlag != 0 {
			v &^= outFlag
			st := v / n
			for _, id := range m.outs[m.outStart[st]:m.outStart[st+1]] {
				emit(id, i+1)
			}
		}
		s = v
	}
}
