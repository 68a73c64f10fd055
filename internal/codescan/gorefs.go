package codescan

// Function values that package initialization hands to a call. Go code
// can start a function without calling it by name where it stands:
// time.AfterFunc(0, payload), once.Do(payload), go run(payload) with a
// run that calls its argument, errgroup's g.Go(func() {…}). Whatever the
// callee does with it, a function passed as a whole argument of a call is
// taken to run: the package's function (or method, for a method value
// x.payload) of that name, and a function literal written as the
// argument, are import-time when the call is. A function stored instead
// (assigned, put in a map, a struct field or a composite literal passed
// to a registration call: Register(&Info{NewFs: NewFs})), or handed to a
// call that registers it (http.HandleFunc("/", func(…) {…}), AddHook(h):
// goRegisters), runs when the program calls it, and stays ordinary.

// goArgBytes are the bytes goArgStarts tracks.
var goArgBytes = ptr(byteSet("()[]{},"))

// goArgStarts calls fn with the position of the first byte of each whole
// argument of the calls in d[r.s:r.e]: just after a call's "(" or after a
// "," directly inside one, blanks and newlines skipped. A "(" is a call's
// when an identifier (not a keyword such as func, if or return), ")" or
// "]" stands before it.
func goArgStarts(d []byte, r rng, fn func(j int)) {
	var stack []bool // open brackets: whether each is a call's parenthesis
	goCode(d, r, goArgBytes, func(i int) int {
		switch d[i] {
		case '(':
			call := goCallParen(d, r.s, i) && !goRegisters(goCallee(d, r.s, i))
			stack = append(stack, call)
			if call {
				fn(skipSpace(d, i+1, r.e))
			}
		case '[', '{':
			stack = append(stack, false)
		case ')', ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if len(stack) > 0 && stack[len(stack)-1] {
				fn(skipSpace(d, i+1, r.e))
			}
		}
		return i + 1
	})
}

// goCallParen reports whether the "(" at i opens a call's arguments.
func goCallParen(d []byte, lo, i int) bool {
	e := i
	for e > lo && (d[e-1] == ' ' || d[e-1] == '\t') {
		e--
	}
	if e == lo {
		return false
	}
	if p := d[e-1]; p == ')' || p == ']' {
		return true
	}
	s := e
	for s > lo && isWordByte(d[s-1]) {
		s--
	}
	if s == e || isDigitByte(d[s]) {
		return false
	}
	switch string(d[s:e]) {
	case "func", "if", "for", "switch", "return", "case", "range", "select", "go", "defer", "else", "var", "const", "type", "map", "chan", "interface", "struct":
		return false
	}
	return true
}

// goCallee returns the name called by the "(" at i: the identifier just
// before it ("HandleFunc" of http.HandleFunc(…)), or "".
func goCallee(d []byte, lo, i int) string {
	e := i
	for e > lo && (d[e-1] == ' ' || d[e-1] == '\t') {
		e--
	}
	s := e
	for s > lo && isWordByte(d[s-1]) {
		s--
	}
	return string(d[s:e])
}

// goRegisters reports a call that files a function away to be called
// later, not now: http.HandleFunc("/", h), mux.Handle, Register(…),
// AddHook, OnStart, flag.Func, signal.Notify-style Subscribe, a Set…
// setter, an http.HandlerFunc conversion. Its function arguments stay
// ordinary code, as a function stored in a map or a field does.
func goRegisters(name string) bool {
	switch name {
	case "Func", "BoolFunc", "Var", "HandlerFunc", "Subscribe", "Listen":
		return true
	}
	for _, p := range []string{"Handle", "Register", "Add", "On", "Set", "Hook", "MustRegister"} {
		if len(name) > len(p) && name[:len(p)] == p && !isLowerByte(name[len(p)]) || name == p {
			return true
		}
	}
	return false
}

func isLowerByte(c byte) bool { return 'a' <= c && c <= 'z' }

// skipSpace skips blanks and newlines from i, up to limit.
func skipSpace(d []byte, i, limit int) int {
	for i < limit && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// goArgEnds reports whether the argument ending at e (exclusive) is
// whole: the next byte of code, after blanks and newlines, ends the
// argument list or the argument.
func goArgEnds(d []byte, e, limit int) bool {
	k := skipSpace(d, e, limit)
	return k < limit && (d[k] == ',' || d[k] == ')')
}

// goFuncValues reports the names passed as whole arguments of the calls in
// d[r.s:r.e] at positions inside live: "payload" in f(0, payload) as a
// function, "run" in once.Do(d.run) as a selector, with the identifier
// its chain starts from ("d").
func goFuncValues(d []byte, r rng, live []rng, fn func(name, root string, selector bool)) {
	goArgStarts(d, r, func(j int) {
		if j >= r.e || !isWordByte(d[j]) || isDigitByte(d[j]) || !inRanges(live, j) {
			return
		}
		// An identifier, or a selector chain of identifiers (d.run).
		start, k := j, j
		for {
			for k < r.e && isWordByte(d[k]) {
				k++
			}
			if k+1 < r.e && d[k] == '.' && isWordByte(d[k+1]) && !isDigitByte(d[k+1]) {
				start = k + 1
				k++
				continue
			}
			break
		}
		if !goArgEnds(d, k, r.e) {
			return
		}
		root := ""
		if start > j {
			end := j
			for isWordByte(d[end]) {
				end++
			}
			root = string(d[j:end])
		}
		fn(string(d[start:k]), root, start > j)
	})
}

// inRanges reports whether position i is inside one of rs.
func inRanges(rs []rng, i int) bool {
	for _, r := range rs {
		if r.s <= i && i < r.e {
			return true
		}
	}
	return false
}
