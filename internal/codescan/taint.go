package codescan

import (
	"bytes"
	"strings"
)

// A small, bounded data-flow pass within one file: a name assigned from a
// decoding call (base64, hex, zlib, marshal…) or from a network read
// (requests.get, urlopen, fetch, http.Get…) is marked, names assigned from
// marked names inherit the mark, and a sink (exec, eval, spawn,
// exec.Command, os.system, subprocess, Invoke-Expression…) whose argument
// is a marked name fires. It reads statements in file order, so a later
// assignment of something else clears the mark; parsing (JSON, YAML)
// clears it too: parsed data is data, not code.
//
// Bounds: only files holding both a source and a sink marker are read; a
// statement longer than maxStmt bytes (minified code) is skipped; at most
// maxMarks names are tracked.

const (
	taintDecoded = 1 << iota
	taintFetched
	taintSecret  // a credential store's path or content (taint_send.go)
	taintSysinfo // the user's or machine's identity (taint_send.go)
)

const (
	maxStmt  = 2048
	maxMarks = 128
	// maxLine: statements on longer lines (minified bundles, where one-letter
	// names are reused everywhere) are not read.
	maxLine = 1000
	// flowBytes: a mark reaches this far past its assignment (about 40
	// lines); flows in real payloads are short, names in big files reused.
	flowBytes = 3000
)

type taintLang struct {
	decoded, fetched []string // markers of a source in an assignment's right side ("a&b": both)
	sinks            []string // calls whose arguments are checked
	parse            []string // a right side holding one of these is data
	fold             bool     // PowerShell: case is ignored
	braces           bool     // statements also end at { and }
}

var taintLangs = map[lang]*taintLang{
	langPython: {
		decoded: []string{"b64decode(", "b32decode(", "b85decode(", "a85decode(", "decodebytes(", "codecs.decode(", "zlib.decompress(",
			"gzip.decompress(", "lzma.decompress(", "bz2.decompress(", "marshal.loads(", "bytes.fromhex(", "bytearray.fromhex(",
			"unhexlify(", "a2b_base64(", "a2b_hex("},
		fetched: []string{"requests.get(", "requests.post(", "requests.request(", "urlopen(", "httpx.get(", "httpx.post(", ".recv("},
		sinks: []string{"exec(", "eval(", "os.system(", "os.popen(", "subprocess.run(", "subprocess.call(", "subprocess.Popen(",
			"subprocess.check_output(", "subprocess.check_call(", "subprocess.getoutput(", "subprocess.getstatusoutput("},
		parse: []string{"json.loads(", "json.load(", ".json()", "yaml.safe_load(", "yaml.load(", "tomllib.loads(", "ast.literal_eval("},
	},
	langJS: {
		decoded: []string{"atob(", "Buffer.from(&base64", "Buffer.from(&'hex'", "Buffer.from(&\"hex\"", "inflateSync(", "gunzipSync(",
			"unzipSync(", "brotliDecompressSync(", "unescape(", "String.fromCharCode("},
		fetched: []string{"fetch(", "axios(", "axios.get(", "axios.post(", "got(", "got.get(", "https.get(", "http.get(", "https.request(",
			"http.request(", "('https').get(", "(\"https\").get(", "('http').get(", "(\"http\").get(", "('https').request(",
			"(\"https\").request(", "('http').request(", "(\"http\").request("},
		sinks: []string{"eval(", "Function(", "runInThisContext(", "runInNewContext(", "execSync(", "spawn(", "spawnSync(", "execFile(",
			"execFileSync(", "exec(", "child_process.exec(", "cp.exec(", "childProcess.exec(", "'child_process').exec(", "\"child_process\").exec("},
		parse:  []string{"JSON.parse(", ".json()", "yaml.load(", "YAML.parse("},
		braces: true,
	},
	langGo: {
		decoded: []string{"DecodeString(", "hex.Decode(", "zlib.NewReader(", "gzip.NewReader(", "flate.NewReader("},
		fetched: []string{"http.Get(", "http.Post(", "http.PostForm(", ".Do(", "net.Dial(", "net.DialTimeout(", "net.LookupTXT("},
		sinks:   []string{"exec.Command(", "exec.CommandContext(", "syscall.Exec(", "os.StartProcess("},
		parse:   []string{"json.Unmarshal(", "json.NewDecoder(", "yaml.Unmarshal(", "toml.Unmarshal("},
		braces:  true,
	},
	langRuby: {
		decoded: []string{"decode64(", "Zlib::Inflate.inflate(", "Zlib.inflate(", "unpack1('m", "unpack1(\"m", "unpack('m", "unpack(\"m",
			"pack('H*')", "pack(\"H*\")"},
		fetched: []string{"Net::HTTP.get(", "Net::HTTP.get_response(", "URI.open(", ").open", "HTTParty.get(", "RestClient.get(", "Faraday.get(", "open-uri"},
		sinks:   []string{"eval(", "eval ", "instance_eval(", "system(", "system ", "exec(", "exec ", "spawn(", "IO.popen(", "Kernel.exec("},
		parse:   []string{"JSON.parse(", "YAML.safe_load(", "YAML.load(", "Psych.safe_load("},
		braces:  true,
	},
	langPowerShell: {
		decoded: []string{"frombase64string(", "deflatestream", "gzipstream"},
		fetched: []string{"downloadstring(", "downloaddata(", "invoke-webrequest", "invoke-restmethod", "iwr ", "irm "},
		sinks:   []string{"invoke-expression", "iex ", "iex(", "[scriptblock]::create(", "|iex", "| iex"}, // pipes: see sinks
		parse:   []string{"convertfrom-json"},
		fold:    true,
		braces:  true,
	},
}

// taintHit is where a marked name reaches a sink.
type taintHit struct {
	pos, end int
	name     string
	from     int // position of the assignment that marked it
	kind     int
}

// detectTaint runs the pass and fires when a name marked with the kind the
// pattern asks for (decoded-var-exec, fetched-var-exec) reaches a sink.
// The pattern's literals are the source markers of its kind (injected when
// the rules are compiled) and its also group the sinks, so the literal
// automaton has found them: the pass starts at the line of the first
// source and skips ahead to the next one whenever no mark is live.
func (sc *scanner) detectTaint(p *pattern, f *file) (match, bool) {
	want := taintKind(p.detector)
	ctx := ctxCode
	if want == taintSecret {
		ctx |= ctxString // paths are strings
	}
	if want == taintSysinfo && distinctSources(sc, p) < 2 {
		return match{}, false // one fact (a host name) is telemetry
	}
	var src []int
	for _, hi := range sc.cand[p.id] {
		if h := sc.hits[hi]; h.ctx&ctx != 0 {
			src = append(src, int(h.start))
		}
	}
	h, ok := taintFlow(f.lang, f.data, sc.spans, want, src, &sc.mask)
	if !ok {
		return match{}, false
	}
	line := 1 + bytes.Count(f.data[:h.from], []byte("\n"))
	if sendKind(want) {
		return sentMatch(f.data, h, line), true
	}
	return match{pos: h.pos, end: h.end, count: 1, extra: map[string]any{"variable": h.name, "assigned_line": line}}, true
}

// taintFlow returns the first sink reached by a name marked with kind
// want. src holds the positions of its source markers in increasing order
// (the literal automaton's hits).
func taintFlow(l lang, d []byte, spans []span, want int, src []int, buf *[]byte) (taintHit, bool) {
	tl := taintLangs[l]
	if tl == nil || len(d) == 0 {
		return taintHit{}, false
	}
	if len(src) == 0 {
		return taintHit{}, false
	}
	*buf = maskCode(d, spans, (*buf)[:0])
	t := &tainter{tl: tl, r: d, m: *buf, marks: map[string]taintMark{}, lastMark: -1, want: want, src: src}
	t.markers, t.sinkList = taintMarkers(want, l)
	t.clear, t.send = tl.parse, sendKind(want)
	if t.send {
		t.clear = sendScrub // parsed credentials are still credentials
	}
	var hit taintHit
	found := false
	t.statements(src, func(s, e int, opened bool) bool {
		if e-s > maxStmt {
			t.carry = 0
			return true
		}
		if h, ok := t.statement(s, e, opened); ok && h.kind&want != 0 {
			hit, found = h, true
			return false
		}
		return true
	})
	return hit, found
}

type taintMark struct {
	kind int
	from int // position of the assignment
	n    int // identity facts it holds (taintSysinfo)
}

type tainter struct {
	tl       *taintLang
	r, m     []byte // the source, and the same with strings and comments blanked
	marks    map[string]taintMark
	carry    int      // kinds of the previous statement when it ended at an opening brace
	pos      int      // start of the current statement
	lastMark int      // position of the latest mark (-1: none)
	opened   bool     // the current statement ends at an opening brace
	want     int      // the kind of source followed
	markers  []string // its markers
	src      []int    // positions of its markers, increasing
	sinkList []string // the sinks of the kind followed
	clear    []string // a statement holding one of these assigns data, not a source
	send     bool     // the sinks are network sends (taint_send.go)
	si       int      // next of src not before the current statement
	n        int      // facts of the value being assigned (taintSysinfo)
}

// get returns the live mark of a name.
func (t *tainter) get(key string) (taintMark, bool) {
	mk, ok := t.marks[key]
	if !ok || t.pos-mk.from > flowBytes {
		return taintMark{}, false
	}
	return mk, true
}

// getB is get for the name id, without making its key when the language
// keeps case (a map lookup by string(id) does not allocate).
func (t *tainter) getB(id []byte) (taintMark, bool) {
	if t.tl.fold {
		return t.get(t.key(id))
	}
	mk, ok := t.marks[string(id)]
	if !ok || t.pos-mk.from > flowBytes {
		return taintMark{}, false
	}
	return mk, true
}

// marked reports whether the name id has a mark, live or not.
func (t *tainter) marked(id []byte) bool {
	if t.tl.fold {
		_, ok := t.marks[t.key(id)]
		return ok
	}
	_, ok := t.marks[string(id)]
	return ok
}

// set marks a name, within the bound on marks.
func (t *tainter) set(key string, kind, from int) {
	if _, ok := t.marks[key]; ok || len(t.marks) < maxMarks {
		t.marks[key] = taintMark{kind: kind, from: from, n: t.n}
		t.lastMark = from
	}
}

// live reports whether a mark made before position i may still be read.
func (t *tainter) live(i int) bool {
	return t.lastMark >= 0 && i-t.lastMark <= flowBytes
}

// maskCode appends to buf a copy of d with the inside of string literals
// (quotes kept) and comments (newlines kept) replaced by spaces.
func maskCode(d []byte, spans []span, buf []byte) []byte {
	m := append(buf, d...)
	for _, sp := range spans {
		s, e := int(sp.s), int(sp.e)
		if sp.k == ctxString {
			s, e = s+1, e-1
		}
		for i := s; i < e && i < len(m); i++ {
			if sp.k == ctxString || m[i] != '\n' {
				m[i] = ' '
			}
		}
	}
	return m
}

// stmtBytes are the bytes statements reacts to.
var stmtBytes = byteSet("()[];\n{}")

// statements calls fn on each statement of the masked source: ended by a
// newline outside brackets, a semicolon, and in brace languages a brace
// (opened tells an opening brace ended it). Whenever no mark is live it
// skips to the line of the next source marker (src, increasing); lines
// longer than maxLine are skipped whole.
func (t *tainter) statements(src []int, fn func(s, e int, opened bool) bool) {
	m := t.m
	si := 0
	depth, s := 0, 0
	lineEnd := -1 // end of the current line, once it is known not to be long
	for i := 0; i < len(m); i++ {
		if i == s && depth == 0 && !t.live(i) {
			for si < len(src) && src[si] < i {
				si++
			}
			if si == len(src) {
				return
			}
			if ls := bytes.LastIndexByte(m[i:src[si]], '\n'); ls >= 0 {
				i, s = i+ls+1, i+ls+1
				lineEnd = -1
			}
		}
		if i > lineEnd {
			ls := i
			if i > 0 && m[i-1] != '\n' {
				ls = bytes.LastIndexByte(m[:i], '\n') + 1
			}
			le := len(m)
			if k := bytes.IndexByte(m[i:], '\n'); k >= 0 {
				le = i + k
			}
			if le-ls > maxLine {
				i, s, depth = le, le+1, 0
				continue
			}
			lineEnd = le
		}
		c := m[i]
		end, opened := false, false
		switch c {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case ';':
			end = true
		case '\n':
			end = depth == 0 || i-s > maxStmt
		case '{', '}':
			switch {
			case t.tl.braces:
				end, opened, depth = true, c == '{', 0
			case c == '{':
				depth++
			case depth > 0:
				depth--
			}
		}
		if end {
			if i > s {
				t.pos = s
				if !fn(s, i, opened) {
					return
				}
			}
			if i-s > maxStmt {
				depth = 0
			}
			s = i + 1
			continue
		}
		// The bytes up to the next one the walk reacts to neither start a
		// statement (s <= i) nor pass the end of the line (a newline is
		// one of them).
		for i+1 < len(m) && !stmtBytes[m[i+1]] {
			i++
		}
	}
	if s < len(m) {
		t.pos = s
		fn(s, len(m), false)
	}
}

// statement marks the names the statement assigns and reports a sink of a
// marked name. opened: the statement ends at an opening brace.
func (t *tainter) statement(s, e int, opened bool) (taintHit, bool) {
	for t.si < len(t.src) && t.src[t.si] < s {
		t.si++
	}
	hasSrc := t.si < len(t.src) && t.src[t.si] < e
	if !hasSrc && !t.live(s) {
		t.carry = 0
		return taintHit{}, false // nothing to mark, nothing marked to read
	}
	raw, m := t.r[s:e], t.m[s:e]
	kinds := 0
	if hasSrc {
		kinds = t.sourceKinds(raw)
	}
	parse := containsMarker(raw, t.clear, t.tl.fold)
	if parse {
		kinds = 0
	}
	// Sinks first see the marks made before this statement, then the
	// ones it makes (a = atob(x); eval(a) is two statements anyway).
	uses := 0
	if !parse {
		uses = t.usedKinds(m)
	}
	carry := 0
	if t.tl == taintLangs[langRuby] && len(bytes.TrimLeft(m, " \t\n")) > 0 && bytes.TrimLeft(m, " \t\n")[0] == '|' {
		carry = t.carry // the parameters of a block opened by the previous statement
	}
	t.carry, t.opened = 0, opened
	if opened {
		t.carry = kinds | uses
	}
	if k := (kinds | uses | carry) & (taintFetched | taintSecret); k != 0 {
		t.markParams(s, m, k) // callbacks receive responses, not decoded data
	}
	t.assignments(s, m, parse, kinds != 0)
	if t.send && kinds != 0 && !parse && t.tl.braces && bytes.IndexByte(m, '=') < 0 {
		t.markEnclosing(s) // name = { key: source(), … } over several statements
	}
	return t.sinks(s, m)
}

// sourceKinds returns the kind followed when the raw text holds one of its
// source markers.
func (t *tainter) sourceKinds(raw []byte) int {
	if containsMarker(raw, t.markers, t.tl.fold) && !(t.want == taintSecret && containsMarker(raw, secretNot, false)) {
		return t.want
	}
	return 0
}

// usedKinds returns the kinds of the marked names the statement reads.
func (t *tainter) usedKinds(m []byte) int {
	if len(t.marks) == 0 {
		return 0
	}
	k := 0
	forIdents(m, func(a, b int) {
		if a > 0 && m[a-1] == '.' {
			return
		}
		if mk, ok := t.getB(m[a:b]); ok {
			k |= mk.kind
		}
	})
	return k
}

func (t *tainter) key(id []byte) string {
	if t.tl.fold {
		return strings.ToLower(string(id))
	}
	return string(id)
}

// assignments finds name = rhs, name := rhs, a, b := rhs and name += rhs in
// the statement and marks or clears the names by what rhs holds.
func (t *tainter) assignments(s int, m []byte, parse, hasSrc bool) {
	nest := 0 // Python: = inside brackets is a keyword argument
	for i := 0; i < len(m); i++ {
		switch m[i] {
		case '(', '[', '{':
			nest++
		case ')', ']', '}':
			nest--
		}
		if m[i] != '=' {
			continue
		}
		prev, next := byte(0), byte(0)
		if i > 0 {
			prev = m[i-1]
		}
		if nest > 0 && prev != ':' && t.tl == taintLangs[langPython] {
			continue
		}
		if i+1 < len(m) {
			next = m[i+1]
		}
		if next == '=' || next == '>' || prev == '=' || prev == '!' || prev == '<' || prev == '>' {
			if next == '=' {
				i++
			}
			continue
		}
		add := prev == '+'
		j := i
		if prev == ':' || prev == '+' {
			j--
		}
		// The right side: up to a comma or closing bracket at its depth.
		rhsEnd, depth := len(m), 0
		for k := i + 1; k < len(m); k++ {
			switch m[k] {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				depth--
			case ',':
				if depth == 0 && !t.tl.fold {
					depth = -1
				}
			}
			if depth < 0 {
				rhsEnd = k
				break
			}
		}
		rs, re := s+i+1, s+rhsEnd
		rk := 0
		if !parse {
			rk = t.usedKinds(t.m[rs:re])
			if hasSrc {
				rk |= t.sourceKinds(t.r[rs:re])
			}
		}
		var names [4][]byte
		for _, name := range lhsNames(names[:0], m[:j]) {
			switch {
			case rk != 0:
				key := t.key(name)
				old, _ := t.get(key)
				t.n = t.facts(rs, re, old.n*b2i(add))
				t.set(key, rk|old.kind*b2i(add), s+i)
			case !add && t.marked(name):
				delete(t.marks, t.key(name))
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lhsNames appends to out the names assigned by the text before '=': the last
// identifier, and those before it separated by commas (Go a, b :=).
func lhsNames(out [][]byte, m []byte) [][]byte {
	i := len(m)
	for {
		for i > 0 && (m[i-1] == ' ' || m[i-1] == '\t') {
			i--
		}
		b := i
		for i > 0 && isIdentByte(m[i-1]) {
			i--
		}
		if i == b || (i > 0 && (m[i-1] == '.' || m[i-1] == ']' || m[i-1] == ')')) {
			return out
		}
		if '0' <= m[i] && m[i] <= '9' {
			return out
		}
		out = append(out, m[i:b])
		for i > 0 && (m[i-1] == ' ' || m[i-1] == '\t') {
			i--
		}
		if i == 0 || m[i-1] != ',' || len(out) >= 4 {
			return out
		}
		i--
	}
}

// markParams marks the parameters of callbacks (JavaScript arrows and
// functions, Ruby blocks) and Python "as" targets in a tainted statement.
func (t *tainter) markParams(s int, m []byte, kinds int) {
	mark := func(id []byte) {
		key := t.key(id)
		old, _ := t.get(key)
		t.set(key, kinds|old.kind, s)
	}
	markList := func(l []byte) {
		forIdents(l, func(a, b int) { mark(l[a:b]) })
	}
	switch t.tl {
	case taintLangs[langJS]:
		for k := 0; k+1 < len(m); k++ {
			if m[k] != '=' || m[k+1] != '>' {
				continue
			}
			j := k
			for j > 0 && m[j-1] == ' ' {
				j--
			}
			if j > 0 && m[j-1] == ')' {
				if o := bytes.LastIndexByte(m[:j-1], '('); o >= 0 {
					markList(m[o+1 : j-1])
				}
			} else {
				b := j
				for j > 0 && isIdentByte(m[j-1]) {
					j--
				}
				if j < b {
					mark(m[j:b])
				}
			}
		}
		for k := 0; ; {
			x := bytes.Index(m[k:], []byte("function"))
			if x < 0 {
				break
			}
			k += x + len("function")
			o := bytes.IndexByte(m[k:], '(')
			c := bytes.IndexByte(m[k:], ')')
			if o >= 0 && c > o {
				markList(m[k+o+1 : k+c])
			}
		}
	case taintLangs[langRuby]:
		if a := bytes.IndexByte(m, '|'); a >= 0 {
			if b := bytes.IndexByte(m[a+1:], '|'); b >= 0 {
				markList(m[a+1 : a+1+b])
			}
		}
	case taintLangs[langPython]:
		for k := 0; ; {
			x := bytes.Index(m[k:], []byte(" as "))
			if x < 0 {
				break
			}
			k += x + 4
			b := k
			for b < len(m) && isIdentByte(m[b]) {
				b++
			}
			if b > k {
				mark(m[k:b])
			}
		}
	}
}

// forIdents calls fn on each identifier of masked code (PowerShell
// variables with their $).
func forIdents(m []byte, fn func(a, b int)) {
	for i := 0; i < len(m); {
		c := m[i]
		if !isIdentByte(c) {
			i++
			continue
		}
		j := i
		for j < len(m) && isIdentByte(m[j]) {
			j++
		}
		if c < '0' || c > '9' {
			fn(i, j)
		}
		i = j
	}
}

// containsMarker reports whether b holds one of the markers; "a&b" needs
// both a and b. fold: markers are lower case and b's case is ignored.
func containsMarker(b []byte, markers []string, fold bool) bool {
	for _, mk := range markers {
		if strings.IndexByte(mk, '&') < 0 { // most markers: one part
			if fold && indexFold(b, []byte(mk)) >= 0 || !fold && bytes.Contains(b, []byte(mk)) {
				return true
			}
			continue
		}
		ok := true
		for part := range strings.SplitSeq(mk, "&") {
			if fold {
				ok = indexFold(b, []byte(part)) >= 0
			} else {
				ok = bytes.Contains(b, []byte(part))
			}
			if !ok {
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
