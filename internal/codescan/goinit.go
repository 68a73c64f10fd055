package codescan

import (
	"bytes"
	"path"
	"slices"
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
// import-time twin: that code alone, with the newlines of the rest of the
// file kept so that lines are the file's own, which the rules read as
// import-time. The file itself is read as ordinary code;
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
			var fs []goFunc
			pkg[k].roots, fs = goDecls(f.data)
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

// goTwin returns the import-time twin of f: its bytes inside region, and
// of the rest only the newlines, so that the twin is as small as its
// initialization code and a line of the twin is the file's line.
func goTwin(f *file, region []rng) *file {
	slices.SortFunc(region, func(a, b rng) int { return a.s - b.s })
	d := make([]byte, 0, 256)
	at := 0
	for _, r := range region {
		if r.e <= at {
			continue
		}
		s := max(at, r.s)
		d = appendNewlines(d, f.data[at:s])
		d = append(d, f.data[s:r.e]...)
		at = r.e
	}
	d = appendNewlines(d, f.data[at:])
	tw := *f
	tw.data = d
	tw.load = true
	tw.twinOf = f
	return &tw
}

// appendNewlines appends the newlines of b to d.
func appendNewlines(d, b []byte) []byte {
	for {
		k := bytes.IndexByte(b, '\n')
		if k < 0 {
			return d
		}
		d = append(d, '\n')
		b = b[k+1:]
	}
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
		for _, r := range goLive(src.f.data, it.r) {
			src.region = append(src.region, r)
			goCalls(src.f.data, r, func(name string, selector bool) {
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

// goSkip returns the end of the comment or string literal starting at i
// (lexed as tokGo does), or i when none starts there.
func goSkip(d []byte, i int) int {
	switch d[i] {
	case '/':
		if e, ok := cComment(d, i); ok {
			return e
		}
	case '"', '\'':
		return scanQuoted(d, i, d[i], true)
	case '`':
		if k := bytes.IndexByte(d[i+1:], '`'); k >= 0 {
			return i + 2 + k
		}
		return len(d)
	}
	return i
}

// goCode calls fn with each position of code (not in a string or a
// comment) in d[r.s:r.e]; fn returns the position to go on from (> i), or
// -1 to stop.
func goCode(d []byte, r rng, fn func(i int) int) {
	for i := r.s; i < r.e; {
		if e := goSkip(d, i); e > i {
			i = e
			continue
		}
		n := fn(i)
		if n < 0 {
			return
		}
		i = n
	}
}

// goLive returns the parts of r that run when r runs: r without the
// bodies of the function literals it only passes or stores (a callback,
// a registered hook); a literal called where it stands ("func() {…}()",
// also after go or defer) runs and stays.
func goLive(d []byte, r rng) []rng {
	var out []rng
	from := r.s
	goCode(d, r, func(i int) int {
		if !hasWord(d, i, "func") || (i > r.s && isWordByte(d[i-1])) {
			return i + 1
		}
		body, end := goLitBody(d, i+4, r.e)
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
func goLitBody(d []byte, i, limit int) (rng, int) {
	i = skipBlanks(d, i)
	if i >= limit || d[i] != '(' {
		return rng{}, i
	}
	i = goMatch(d, i, limit)
	depth := 0
	var body rng
	end := limit
	goCode(d, rng{i, limit}, func(j int) int {
		switch d[j] {
		case '(', '[':
			depth++
		case ')', ']', ',', ';', '\n', '}':
			if depth <= 0 {
				end = j
				return -1
			}
			if d[j] == ')' || d[j] == ']' {
				depth--
			}
		case '{':
			if depth > 0 || prevWord(d, j, "struct") || prevWord(d, j, "interface") {
				return goMatch(d, j, limit)
			}
			body = rng{j, goMatch(d, j, limit)}
			end = body.e
			return -1
		}
		return j + 1
	})
	return body, end
}

// goCalls reports the identifiers called in d[r.s:r.e] ("name(", and
// "x.name(" as a selector).
func goCalls(d []byte, r rng, fn func(name string, selector bool)) {
	goCode(d, r, func(i int) int {
		if d[i] != '(' {
			return i + 1
		}
		s := i
		for s > r.s && isWordByte(d[s-1]) {
			s--
		}
		if s < i && !isDigitByte(d[s]) {
			fn(string(d[s:i]), s > r.s && d[s-1] == '.')
		}
		return i + 1
	})
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// goDecls reads the top-level declarations of a Go file in one pass: the
// roots of package initialization (init bodies, package-level var specs
// that call something) and the functions and methods with a body.
func goDecls(d []byte) (roots []rng, funcs []goFunc) {
	const (
		top  = iota
		sig  // in a function's signature, before its body
		body // in a function's body
		vars // in a var declaration
	)
	mode, depth := top, 0
	var fn goFunc
	block := false // a var ( … ) block
	spec, call := 0, false
	endSpec := func(e int) {
		if call {
			roots = append(roots, rng{spec, e})
		}
		spec, call = e+1, false
	}
	n := len(d)
	for i := 0; i < n; {
		c := d[i]
		if !goSpecial[c] && (c != 'f' && c != 'v' || mode != top || depth > 0) {
			i++ // most bytes: inside bodies, nothing to track
			continue
		}
		if e := goSkip(d, i); e > i {
			i = e
			continue
		}
		switch {
		case c == '(' || c == '[' || c == '{':
			if mode == vars && c == '(' && i > 0 {
				if p := d[i-1]; (isWordByte(p) && !prevWord(d, i, "func")) || p == ')' || p == ']' || p == '}' {
					call = true
				}
			}
			if mode == sig && c == '{' && depth == 0 && !prevWord(d, i, "struct") && !prevWord(d, i, "interface") {
				mode, fn.body.s = body, i
			}
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
			switch {
			case mode == body && depth == 0:
				fn.body.e = i + 1
				if fn.name == "init" && !fn.method {
					roots = append(roots, fn.body)
				} else if fn.name != "" && fn.name != "_" {
					funcs = append(funcs, fn)
				}
				mode = top
			case mode == vars && block && depth == 0:
				endSpec(i)
				mode = top
			case depth < 0:
				depth = 0
			}
		case c == '\n' || c == ';':
			switch {
			case mode == sig && depth == 0:
				mode = top // no body: an assembly or linkname declaration
			case mode == vars && depth == 0 && !block:
				endSpec(i)
				mode = top
			case mode == vars && depth == 1 && block:
				endSpec(i)
			}
		case mode != top || depth > 0 || (i > 0 && isWordByte(d[i-1])):
		case hasWord(d, i, "func"):
			fn = goFunc{}
			j := skipBlanks(d, i+4)
			if j < n && d[j] == '(' {
				fn.method = true
				j = skipBlanks(d, goMatch(d, j, n))
			}
			k := j
			for k < n && isWordByte(d[k]) {
				k++
			}
			fn.name = string(d[j:k])
			mode = sig
			i = k
			continue
		case hasWord(d, i, "var"):
			j := skipBlanks(d, i+3)
			block = j < n && d[j] == '('
			spec, call = j, false
			if block {
				spec = j + 1
				depth++
				i = j + 1
			} else {
				i = j
			}
			mode = vars
			continue
		}
		i++
	}
	if mode == vars {
		endSpec(n)
	}
	return roots, funcs
}

// goSpecial are the bytes goDecls looks at in any mode: brackets, line
// and statement ends, and the starts of comments and literals.
var goSpecial = func() (t [256]bool) {
	for _, c := range []byte("()[]{}\n;/\"'`") {
		t[c] = true
	}
	return t
}()

// hasWord reports whether d holds keyword w at i, followed by a space, a
// tab or a parenthesis.
func hasWord(d []byte, i int, w string) bool {
	if i+len(w) >= len(d) || string(d[i:i+len(w)]) != w {
		return false
	}
	c := d[i+len(w)]
	return c == ' ' || c == '\t' || c == '('
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
// skipping strings and comments (limit when it is not closed before).
func goMatch(d []byte, i, limit int) int {
	depth, end := 0, limit
	goCode(d, rng{i, limit}, func(j int) int {
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
