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
// functions and methods those call or hand to a call as a function value
// (time.AfterFunc(0, f), once.Do(f); gorefs.go), transitively, across the
// files of the package directory. That code, and only that code, is
// import-time: it runs in every program that imports the package. A
// function an init function only stores (a driver or a backend registered
// in a struct field or a map) runs when the program calls it, so it is
// ordinary code.
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
	f       *file
	roots   []rng
	region  []rng // import-time code found so far
	os      string
	arch    string          // the file name's build constraint ("x_linux_arm64.go"), if any
	imports map[string]bool // the names the file imports packages as
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
			pkg[k].os, pkg[k].arch = goFileTags(f.path)
			var fs []goFunc
			pkg[k].roots, fs, f.spans = goDecls(f.data, nil)
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
	tw.spans = nil
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
// package functions called from the region, or passed to a call there as
// a function value (gorefs.go), transitively. A call resolves
// by name, without types: a function call to the package's functions of
// that name, a method call to its methods of that name, except a call
// through an imported package (exec.Command(…).Run() is not the package's
// Run), and only to files that build with the caller's (a file of
// service_aix.go's chain does not call into service_darwin.go).
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
		file     int
		r        rng
		os, arch string // the build the chain runs in, as far as known
	}
	var work []item
	for k := range pkg {
		for _, r := range pkg[k].roots {
			work = append(work, item{k, r, pkg[k].os, pkg[k].arch})
		}
	}
	done := make([]bool, len(funcs))
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		src := &pkg[it.file]
		reach := func(name, root string, selector bool) {
			ids := byName[name]
			if selector {
				if src.goImport(root) {
					return
				}
				ids = byMethod[name]
			}
			for _, id := range ids {
				to := &pkg[funcs[id].file]
				if done[id] || !goTagsMatch(it.os, to.os) || !goTagsMatch(it.arch, to.arch) {
					continue
				}
				done[id] = true
				work = append(work, item{funcs[id].file, funcs[id].body, cmpOr(it.os, to.os), cmpOr(it.arch, to.arch)})
			}
		}
		live := goLive(src.f.data, it.r)
		for _, r := range live {
			src.region = append(src.region, r)
			goCalls(src.f.data, r, reach)
		}
		goFuncValues(src.f.data, it.r, live, reach)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// goImport reports whether the file imports a package under name.
func (g *goSrc) goImport(name string) bool {
	if name == "" {
		return false
	}
	if g.imports == nil {
		g.imports = goImports(g.f.data)
	}
	return g.imports[name]
}

// goImports returns the names a Go file imports packages as: the alias, or
// the path's last element without a major version (".v3", "/v2") and a
// "go-" prefix or "-go" suffix. It reads gofmt'd import declarations (a
// line starting "import"); a name it misses only makes a call resolve to
// the package's methods, which grades more code as import-time, not less.
func goImports(d []byte) map[string]bool {
	names := map[string]bool{}
	add := func(line []byte) {
		line = bytes.TrimSpace(line)
		q := bytes.IndexByte(line, '"')
		if q < 0 {
			return
		}
		e := bytes.IndexByte(line[q+1:], '"')
		if e < 0 {
			return
		}
		if alias := string(bytes.TrimSpace(line[:q])); alias != "" {
			if alias != "_" && alias != "." {
				names[alias] = true
			}
			return
		}
		p := string(line[q+1 : q+1+e])
		segs := strings.Split(p, "/")
		last := segs[len(segs)-1]
		if len(segs) > 1 && isMajorSeg(last) {
			last = segs[len(segs)-2]
		}
		if k := strings.Index(last, ".v"); k > 0 {
			last = last[:k]
		}
		last = strings.TrimSuffix(strings.TrimPrefix(last, "go-"), "-go")
		names[last] = true
	}
	block := false
	for len(d) > 0 {
		line := d
		if k := bytes.IndexByte(d, '\n'); k >= 0 {
			line, d = d[:k], d[k+1:]
		} else {
			d = nil
		}
		switch {
		case block && bytes.HasPrefix(bytes.TrimSpace(line), []byte(")")):
			block = false
		case block:
			add(line)
		case bytes.HasPrefix(line, []byte("import (")) || bytes.HasPrefix(line, []byte("import(")):
			block = true
		case bytes.HasPrefix(line, []byte("import ")):
			add(line[len("import "):])
		case bytes.HasPrefix(line, []byte("func ")) || bytes.HasPrefix(line, []byte("var ")) || bytes.HasPrefix(line, []byte("type ")):
			return names // imports come first
		}
	}
	return names
}

func isMajorSeg(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	for _, c := range []byte(s[1:]) {
		if !isDigitByte(c) {
			return false
		}
	}
	return true
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
// comment) in d[r.s:r.e] holding one of the bytes of want; fn returns the
// position to go on from (> i), or -1 to stop.
func goCode(d []byte, r rng, want *[256]bool, fn func(i int) int) {
	for i := r.s; i < r.e; {
		c := d[i]
		if goLex[c] {
			if e := goSkip(d, i); e > i {
				i = e
				continue
			}
		}
		if !want[c] {
			i++
			continue
		}
		n := fn(i)
		if n < 0 {
			return
		}
		i = n
	}
}

// Byte sets for goCode.
var (
	goLex      = byteSet("/\"'`")
	goBrackets = ptr(byteSet("()[]{}"))
	goLitStops = ptr(byteSet("()[]{},;\n"))
	goParen    = ptr(byteSet("("))
	goF        = ptr(byteSet("f"))
)

func ptr[T any](v T) *T { return &v }

// goLive returns the parts of r that run when r runs: r without the
// bodies of the function literals it only stores (a callback in a struct
// field, a registered hook); a literal called where it stands
// ("func() {…}()", also after go or defer) or written as a whole argument
// of a call (once.Do(func() {…}), gorefs.go) runs and stays.
func goLive(d []byte, r rng) []rng {
	var out []rng
	from := r.s
	var args map[int]bool // where the whole arguments of calls start, once needed
	goCode(d, r, goF, func(i int) int {
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
		if args == nil {
			args = map[int]bool{}
			goArgStarts(d, r, func(j int) { args[j] = true })
		}
		if args[i] && goArgEnds(d, body.e, r.e) {
			return i + 4 // handed to a call: taken to run
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
	goCode(d, rng{i, limit}, goLitStops, func(j int) int {
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
// "x.name(" as a selector, with the identifier the selector chain starts
// from: "exec" for exec.Command(…).Run()).
func goCalls(d []byte, r rng, fn func(name, root string, selector bool)) {
	goCode(d, r, goParen, func(i int) int {
		s := i
		for s > r.s && isWordByte(d[s-1]) {
			s--
		}
		if s < i && !isDigitByte(d[s]) {
			sel := s > r.s && d[s-1] == '.'
			root := ""
			if sel {
				root = goChainRoot(d, r.s, s-1)
			}
			fn(string(d[s:i]), root, sel)
		}
		return i + 1
	})
}

// goChainRoot returns the identifier a selector chain ending with the "."
// at dot starts from ("exec" for exec.Command(x).Output), or "" when it
// does not start from one.
func goChainRoot(d []byte, lo, dot int) string {
	for {
		e := dot
		for e > lo && (d[e-1] == ')' || d[e-1] == ']') {
			e = goMatchBack(d, lo, e-1)
		}
		s := e
		for s > lo && isWordByte(d[s-1]) {
			s--
		}
		if s == e {
			return ""
		}
		if s > lo && d[s-1] == '.' {
			dot = s - 1
			continue
		}
		return string(d[s:e])
	}
}

// goMatchBack returns the position of the bracket opening the one closed at
// i, not before lo (brackets inside literals are not told apart: a wrong
// guess only makes a call resolve to the package's methods).
func goMatchBack(d []byte, lo, i int) int {
	depth := 0
	for j := i; j >= lo; j-- {
		switch d[j] {
		case ')', ']', '}':
			depth++
		case '(', '[', '{':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return lo
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// goDecls reads the top-level declarations of a Go file in one pass: the
// roots of package initialization (init bodies, package-level var specs
// that call something) and the functions and methods with a body. It
// appends to spans the comments and string literals, exactly as tokGo
// does, so that the scan does not lex the file again.
func goDecls(d []byte, spans []span) (roots []rng, funcs []goFunc, _ []span) {
	const (
		top  = iota
		recv // in a method's receiver
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
	// name reads a function's name at i and enters its signature.
	name := func(i int) int {
		k := i
		for k < len(d) && isWordByte(d[k]) {
			k++
		}
		fn.name = string(d[i:k])
		mode = sig
		return k
	}
	n := len(d)
	for i := 0; i < n; {
		c := d[i]
		// Most bytes are inside bodies, with nothing to track.
		switch goClass[c] {
		case goBoring:
			i++
			continue
		case goKeyword:
			if mode != top || depth > 0 {
				i++
				continue
			}
		case goEnd:
			if mode == body || mode == top {
				i++
				continue
			}
		}
		if e := goSkip(d, i); e > i {
			k := ctxString
			if c == '/' {
				k = ctxComment
			}
			spans = append(spans, span{int32(i), int32(e), k})
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
			case mode == recv && depth == 0:
				i = name(skipBlanks(d, i+1))
				continue
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
				fn.method, mode = true, recv
				i = j // the receiver's brackets are tracked as any
				continue
			}
			i = name(j)
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
	return roots, funcs, spans
}

// goClass sorts the bytes goDecls looks at: brackets and the starts of
// comments and literals in any mode, line and statement ends in a
// signature or a var declaration, the first letters of "func" and "var"
// at the top level.
const (
	goBoring = iota
	goAlways
	goEnd
	goKeyword
)

var goClass = func() (t [256]uint8) {
	for _, c := range []byte("()[]{}/\"'`") {
		t[c] = goAlways
	}
	t['\n'], t[';'] = goEnd, goEnd
	t['f'], t['v'] = goKeyword, goKeyword
	return t
}()
