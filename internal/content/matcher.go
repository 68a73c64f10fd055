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
	// Trie.
	type node struct {
		next [alphabet]int32
		fail int32
		own  []int32
	}
	nodes := []node{{}}
	m := &matcher{plen: make([]int32, len(patterns))}
	for id, p := range patterns {
		m.plen[id] = int32(len(p))
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := symbolOf[p[i]]
			if c == 0 {
				panic("content: pattern with a byte outside the matcher alphabet") // phrases are validated
			}
			if nodes[s].next[c] == 0 {
				nodes = append(nodes, node{})
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].own = append(nodes[s].own, int32(id))
	}
	// Breadth-first: failure links and the complete transition function.
	order := make([]int32, 0, len(nodes))
	for c := 1; c < alphabet; c++ {
		if t := nodes[0].next[c]; t != 0 {
			nodes[t].fail = 0
			order = append(order, t)
		}
	}
	for i := 0; i < len(order); i++ {
		s := order[i]
		for c := 1; c < alphabet; c++ {
			t := nodes[s].next[c]
			if t == 0 {
				nodes[s].next[c] = nodes[nodes[s].fail].next[c]
				continue
			}
			nodes[t].fail = nodes[nodes[s].fail].next[c]
			order = append(order, t)
		}
	}
	m.delta = make([]int32, len(nodes)*alphabet)
	for s := range nodes {
		copy(m.delta[s*alphabet:], nodes[s].next[:])
		m.delta[s*alphabet] = 0 // "other" returns to the root
	}
	// Outputs: a state's own patterns, then those of its failure chain.
	outs := make([][]int32, len(nodes))
	outs[0] = nodes[0].own
	for _, s := range order {
		outs[s] = append(append([]int32(nil), nodes[s].own...), outs[nodes[s].fail]...)
	}
	m.outStart = make([]int32, len(nodes)+1)
	for s := range nodes {
		m.outStart[s] = int32(len(m.outs))
		m.outs = append(m.outs, outs[s]...)
	}
	m.outStart[len(nodes)] = int32(len(m.outs))
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
