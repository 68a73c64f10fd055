package content

// matcher is an Aho–Corasick automaton over normalized text, compiled to a
// complete transition table (a DFA) over a 38-symbol alphabet: 'a'–'z',
// '0'–'9', ' ', and "other" (newlines and non-ASCII letters), on which
// every state returns to the root since patterns never contain it. A scan
// costs one table lookup per byte plus the matches reported, whatever the
// number of patterns.
type matcher struct {
	delta    []int32 // state*alphabet + symbol → next state
	outStart []int32 // outputs of state s: outs[outStart[s]:outStart[s+1]]
	outs     []int32 // pattern ids, longest first within a state
	plen     []int32 // pattern id → length in bytes
}

const alphabet = 38

var symbolOf = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = uint8(c-'a') + 1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c-'0') + 27
	}
	t[' '] = 37
	return t
}()

func newMatcher(patterns []string) *matcher {
	// The trie is built in the transition table itself, sized for the
	// most states the patterns can make (one per byte, plus the root), so
	// that nothing is copied or grown: the table is compiled at start.
	states := 1
	for _, p := range patterns {
		states += len(p)
	}
	m := &matcher{plen: make([]int32, len(patterns)), delta: make([]int32, states*alphabet)}
	own := make([][]int32, 1, states)
	n := int32(1)
	for id, p := range patterns {
		m.plen[id] = int32(len(p))
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := int32(symbolOf[p[i]])
			if c == 0 {
				panic("content: pattern with a byte outside the matcher alphabet") // phrases are validated
			}
			if m.delta[s*alphabet+c] == 0 {
				m.delta[s*alphabet+c] = n
				n++
				own = append(own, nil)
			}
			s = m.delta[s*alphabet+c]
		}
		own[s] = append(own[s], int32(id))
	}
	m.delta = m.delta[: int(n)*alphabet : int(n)*alphabet]
	// Breadth-first: failure links and the complete transition function.
	// A state's row is read (for its failure state's transitions) only
	// after that state, shallower, was completed.
	fail := make([]int32, n)
	order := make([]int32, 0, n)
	for c := int32(1); c < alphabet; c++ {
		if t := m.delta[c]; t != 0 {
			order = append(order, t)
		}
	}
	for i := 0; i < len(order); i++ {
		s := order[i]
		row, frow := m.delta[s*alphabet:(s+1)*alphabet], m.delta[fail[s]*alphabet:]
		for c := int32(1); c < alphabet; c++ {
			t := row[c]
			if t == 0 {
				row[c] = frow[c]
				continue
			}
			fail[t] = frow[c]
			order = append(order, t)
		}
	}
	// "other" (symbol 0) returns to the root from every state: it is
	// never set above.
	// Outputs: a state's own patterns, then those of its failure chain.
	outs := make([][]int32, n)
	outs[0] = own[0]
	for _, s := range order {
		outs[s] = append(append([]int32(nil), own[s]...), outs[fail[s]]...)
	}
	m.outStart = make([]int32, n+1)
	for s := range outs {
		m.outStart[s] = int32(len(m.outs))
		m.outs = append(m.outs, outs[s]...)
	}
	m.outStart[n] = int32(len(m.outs))
	return m
}

// scan reports every occurrence of every pattern in text, in order of end
// position: fn(pattern, start, end) with text[start:end] the occurrence.
// It stops when fn returns false.
func (m *matcher) scan(text []byte, fn func(pat, start, end int) bool) {
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = m.delta[int(s)*alphabet+int(symbolOf[text[i]])]
		for _, p := range m.outs[m.outStart[s]:m.outStart[s+1]] {
			if !fn(int(p), i+1-int(m.plen[p]), i+1) {
				return
			}
		}
	}
}
