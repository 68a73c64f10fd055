package codescan

import (
	"path"
	"strings"
)

// Go has no install hook: `go get` and `go build` run nothing of a module.
// The code of a Go package that runs without being called is its package
// initialization: the bodies of its init functions and the initializers
// of its package-level variables that call something, and the package's
// functions and methods those call (transitively, across the files of the
// package directory). That code, and only that code, is import-time: it
// runs in every program that imports the package. A function an init
// function only names (a driver or a backend registered as a value) runs
// when the program calls it, so it is ordinary code.
//
// goImportTime finds that code and gives each file holding some of it an
// import-time twin: a copy of the file with every byte outside that code
// blanked (newlines kept, so offsets and lines are the file's own), which
// the rules read as import-time. The file itself is read as ordinary code;
// report keeps, per rule, the stronger of the two findings.

// rng is a byte range [s, e) of a file.
type rng struct{ s, e int }

// goFunc is a top-level function or method with a body.
type goFunc struct {
	file   int // index into the package's files
	name   string
	method bool
	body   rng
}

// goSrc is one Go file of a package being analyzed.
type goSrc struct {
	f      *file
	spans  []span
	roots  []rng
	region []rng // import-time code found so far
}

// goPackageDir reports whether a Go file is built into importers by its
// path: not a test, not under testdata, vendor or a directory the go tool
// ignores ("_x", ".x").
func goPackageDir(p string) bool {
	if strings.HasSuffix(p, "_test.go") {
		return false
	}
	segs := strings.Split(p, "/")
	for _, s := range segs[:len(segs)-1] {
		if s == "testdata" || s == "vendor" || strings.HasPrefix(s, "_") || strings.HasPrefix(s, ".") {
			return false
		}
	}
	return true
}

// goImportTime returns files with an import-time twin after each Go file
// that holds package initialization code.
func goImportTime(files []*file) []*file {
	byDir := map[string][]int{}
	for i, f := range files {
		if f.lang == langGo && !f.piece && len(f.data) > 0 && goPackageDir(f.path) {
			d := path.Dir(f.path)
			byDir[d] = append(byDir[d], i)
		}
	}
	if len(byDir) == 0 {
		return files
	}
	twins := map[*file]*file{}
	for _, idx := range byDir {
		pkg := make([]goSrc, len(idx))
		var funcs []goFunc
		anyRoot := false
		for k, i := range idx {
			f := files[i]
			pkg[k].f = f
			pkg[k].spans = tokGo(f.data, nil)
			var fs []goFunc
			pkg[k].roots, fs = goDecls(f.data, pkg[k].spans)
			for j := range fs {
				fs[j].file = k
			}
			funcs = append(funcs, fs...)
			anyRoot = anyRoot || len(pkg[k].roots) > 0
		}
		if !anyRoot {
			continue
		}
		goClosure(pkg, funcs)
		for k := range pkg {
			if len(pkg[k].region) > 0 {
				twins[pkg[k].f] = goTwin(pkg[k].f, pkg[k].region)
			}
		}
	}
	if len(twins) == 0 {
		return files
	}
	out := make([]*file, 0, len(files)+len(twins))
	for _, f := range files {
		out = append(out, f)
		if tw := twins[f]; tw != nil {
			out = append(out, tw)
		}
	}
	return out
}

// goTwin returns the import-time twin of f: its bytes inside region, the
// rest blanked.
func goTwin(f *file, region []rng) *file {
	d := make([]byte, len(f.data))
	for i, c := range f.data {
		if c == '\n' {
			d[i] = '\n'
		} else {
			d[i] = ' '
		}
	}
	for _, r := range region {
		copy(d[r.s:r.e], f.data[r.s:r.e])
	}
	tw := *f
	tw.data = d
	tw.load = true
	tw.twinOf = f
	return &tw
}

// goClosure fills each file's region with its roots and the bodies of the
// package functions called from the region, transitively.
func goClosure(pkg []goSrc, funcs []goFunc) {
	byName := map[string][]int{}   // function name → funcs
	byMethod := map[string][]int{} // method name → funcs
	for i, fn := range funcs {
		if fn.method {
			byMethod[fn.name] = append(byMethod[fn.name], i)
		} else {
			byName[fn.name] = append(byName[fn.name], i)
		}
	}
	type item struct {
		file int
		r    rng
	}
	var work []item
	for k := range pkg {
		for _, r := range pkg[k].roots {
			work = append(work, item{k, r})
		}
	}
	done := make([]bool, len(funcs))
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		src := &pkg[it.file]
		for _, r := range goLive(src.f.data, src.spans, it.r) {
			src.region = append(src.region, r)
			goCalls(src.f.data, src.spans, r, func(name string, selector bool) {
				ids := byName[name]
				if selector {
					ids = byMethod[name]
				}
				for _, id := range ids {
					if !done[id] {
						done[id] = true
						work = append(work, item{funcs[id].file, funcs[id].body})
					}
				}
			})
		}
	}
}

// goLive returns the parts of r that run when r runs: r without the
// bodies of the function literals it only passes or stores (a callback,
// a registered hook); a literal called where it stands ("func() {…}()",
// also after go or defer) runs and stays.
func goLive(d []byte, spans []span, r rng) []rng {
	var out []rng
	from := r.s
	goCode(d, spans, r, func(i int) int {
		if !hasWord(d, i, "func") || (i > r.s && isWordByte(d[i-1])) {
			return i + 1
		}
		body, end := goLitBody(d, spans, i+4, r.e)
		if body.e == 0 {
			return max(end, i+1)
		}
		if k := skipBlanks(d, body.e); k < r.e && d[k] == '(' {
			return i + 4 // called in place: read on inside it
		}
		if body.s+1 > from {
			out = append(out, rng{from, body.s + 1})
		}
		from = body.e - 1
		return body.e
	})
	if from < r.e {
		out = append(out, rng{from, r.e})
	}
	return out
}

// goLitBody finds the body of a function literal (or the absence of one:
// a function type) from just after "func", within limit.
func goLitBody(d []byte, spans []span, i, limit int) (rng, int) {
	i = skipBlanks(d, i)
	if i >= limit || d[i] != '(' {
		return rng{}, i
	}
	i = goMatch(d, spans, i)
	depth := 0
	var body rng
	end := limit
	goCode(d, spans, rng{i, limit}, func(j int) int {
		switch d[j] {
		case '(', '[':
			depth++
		case ')', ']', ',', ';', '\n', '}':
			if depth <= 0 || d[j] == ',' && depth == 0 {
				end = j
				return -1
			}
			if d[j] == ')' || d[j] == ']' {
				depth--
			}
		case '{':
			if depth > 0 || prevWord(d, j, "struct") || prevWord(d, j, "interface") {
				return goMatch(d, spans, j)
			}
			body = rng{j, min(goMatch(d, spans, j), limit)}
			end = body.e
			return -1
		}
		return j + 1
	})
	return body, end
}

// goCode iterates over the code bytes of d[r.s:r.e] (not strings or
// comments), calling fn with each position; fn returns the position to
// continue from (> i), or -1 to stop.
func goCode(d []byte, spans []span, r rng, fn func(i int) int) {
	si := spanAfter(spans, r.s)
	for i := r.s; i < r.e; {
		for si < len(spans) && int(spans[si].e) <= i {
			si++
		}
		if si < len(spans) && int(spans[si].s) <= i {
			i = int(spans[si].e)
			continue
		}
		n := fn(i)
		if n < 0 {
			return
		}
		i = n
	}
}

// spanAfter returns the index of the first span ending after p.
func spanAfter(spans []span, p int) int {
	lo, hi := 0, len(spans)
	for lo < hi {
		m := (lo + hi) / 2
		if int(spans[m].e) <= p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// goCalls reports the identifiers called in d[r.s:r.e] ("name(", and
// "x.name(" as a selector).
func goCalls(d []byte, spans []span, r rng, fn func(name string, selector bool)) {
	goCode(d, spans, r, func(i int) int {
		if d[i] != '(' {
			return i + 1
		}
		e := i
		s := e
		for s > r.s && isWordByte(d[s-1]) {
			s--
		}
		if s < e && !isDigitByte(d[s]) {
			fn(string(d[s:e]), s > r.s && d[s-1] == '.')
		}
		return i + 1
	})
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// goDecls reads the top-level declarations of a Go file: the roots of
// package initialization (init bodies, package-level var specs that call
// something) and the functions and methods with a body.
func goDecls(d []byte, spans []span) (roots []rng, funcs []goFunc) {
	n, depth := len(d), 0
	goCode(d, spans, rng{0, n}, func(i int) int {
		switch c := d[i]; {
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case depth > 0 || (i > 0 && isWordByte(d[i-1])):
		case hasWord(d, i, "func"):
			fn, end := goFuncDecl(d, spans, i+4)
			if fn.body.e > 0 {
				if fn.name == "init" && !fn.method {
					roots = append(roots, fn.body)
				} else if fn.name != "_" && fn.name != "" {
					funcs = append(funcs, fn)
				}
			}
			return max(end, i+1)
		case hasWord(d, i, "var"):
			var end int
			roots, end = goVarDecl(d, spans, i+3, roots)
			return max(end, i+1)
		}
		return i + 1
	})
	return roots, funcs
}

// hasWord reports whether d holds keyword w at i, followed by a space or
// a parenthesis.
func hasWord(d []byte, i int, w string) bool {
	if i+len(w) >= len(d) || string(d[i:i+len(w)]) != w {
		return false
	}
	c := d[i+len(w)]
	return c == ' ' || c == '\t' || c == '('
}

// goFuncDecl reads a function declaration from just after "func": its
// name, whether it is a method, and its body (body.e == 0: none). It
// returns the position after the declaration.
func goFuncDecl(d []byte, spans []span, i int) (goFunc, int) {
	var fn goFunc
	i = skipBlanks(d, i)
	if i < len(d) && d[i] == '(' {
		fn.method = true
		i = skipBlanks(d, goMatch(d, spans, i))
	}
	s := i
	for i < len(d) && isWordByte(d[i]) {
		i++
	}
	fn.name = string(d[s:i])
	// The body is the first "{" outside parentheses and brackets that
	// does not open a struct or interface type of the signature.
	depth := 0
	end := len(d)
	goCode(d, spans, rng{i, len(d)}, func(j int) int {
		switch d[j] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case '\n':
			if depth <= 0 {
				end = j // no body (an assembly or linkname declaration)
				return -1
			}
		case '{':
			if depth > 0 {
				return goMatch(d, spans, j)
			}
			if prevWord(d, j, "struct") || prevWord(d, j, "interface") {
				return goMatch(d, spans, j)
			}
			e := goMatch(d, spans, j)
			fn.body = rng{j, e}
			end = e
			return -1
		}
		return j + 1
	})
	return fn, end
}

// goVarDecl reads a var declaration from just after "var" and adds to
// roots each spec whose initializer calls something. It returns the
// position after the declaration.
func goVarDecl(d []byte, spans []span, i int, roots []rng) ([]rng, int) {
	i = skipBlanks(d, i)
	if i < len(d) && d[i] == '(' {
		e := goMatch(d, spans, i)
		// One spec a line at the block's own depth.
		start, depth := i+1, 0
		goCode(d, spans, rng{i + 1, max(e-1, i+1)}, func(j int) int {
			switch d[j] {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				depth--
			case '\n', ';':
				if depth <= 0 {
					roots = addCallRoot(d, spans, rng{start, j}, roots)
					start = j + 1
				}
			}
			return j + 1
		})
		roots = addCallRoot(d, spans, rng{start, max(e-1, start)}, roots)
		return roots, e
	}
	depth, e := 0, len(d)
	goCode(d, spans, rng{i, len(d)}, func(j int) int {
		switch d[j] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case '\n', ';':
			if depth <= 0 {
				e = j
				return -1
			}
		}
		return j + 1
	})
	return addCallRoot(d, spans, rng{i, e}, roots), e
}

// addCallRoot adds r to roots when its code calls something: an
// identifier, a closing bracket or brace followed by "(" (not "func(",
// which is a type or a literal's signature).
func addCallRoot(d []byte, spans []span, r rng, roots []rng) []rng {
	call := false
	goCode(d, spans, r, func(j int) int {
		if d[j] == '(' && j > r.s {
			c := d[j-1]
			if (isWordByte(c) && !prevWord(d, j, "func")) || c == ')' || c == ']' || c == '}' {
				call = true
				return -1
			}
		}
		return j + 1
	})
	if call {
		roots = append(roots, r)
	}
	return roots
}

// prevWord reports whether the identifier just before j (after optional
// blanks) is w.
func prevWord(d []byte, j int, w string) bool {
	e := j
	for e > 0 && (d[e-1] == ' ' || d[e-1] == '\t') {
		e--
	}
	s := e
	for s > 0 && isWordByte(d[s-1]) {
		s--
	}
	return string(d[s:e]) == w
}

func skipBlanks(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	return i
}

// goMatch returns the position after the bracket closing the one at i,
// skipping strings and comments (len(d) when it is not closed).
func goMatch(d []byte, spans []span, i int) int {
	depth, end := 0, len(d)
	goCode(d, spans, rng{i, len(d)}, func(j int) int {
		switch d[j] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				end = j + 1
				return -1
			}
		}
		return j + 1
	})
	return end
}
