package codescan

import (
	"bytes"
	"math"
	"path"
	"strings"
)

// JavaScript detectors that need the shape of the module: code at module
// scope (it runs when the module is required), and the share of
// javascript-obfuscator's _0x identifiers among all identifiers.

// jsTopLevel calls fn at each position of code at module scope: outside
// every brace (function bodies, blocks, classes, objects) except the body
// of a function expression invoked where it stands ((function(){…})(),
// (async () => {…})(), !function(){…}()), and not in the body of an arrow
// function written without braces on the same statement. fn returns false
// to stop.
func jsTopLevel(d []byte, spans []span, first *[256]bool, fn func(i int) bool) {
	type saved struct {
		paren int
		arrow bool
	}
	var stack []saved // one per enclosing IIFE body
	depth, mod, paren, arrow, stmt := 0, 0, 0, false, 0
	si := 0
	for i := 0; i < len(d); i++ {
		for si < len(spans) && int(spans[si].e) <= i {
			si++
		}
		if si < len(spans) && int(spans[si].s) <= i {
			i = int(spans[si].e) - 1
			continue
		}
		c := d[i]
		top := depth == mod
		switch c {
		case '{':
			if top && len(stack) < 8 && iifeHead(d[stmt:i]) {
				stack = append(stack, saved{paren, arrow})
				mod++
				paren, arrow, stmt = 0, false, i+1
			}
			depth++
		case '}':
			switch {
			case depth == mod && mod > 0:
				mod--
				paren, arrow = stack[len(stack)-1].paren, stack[len(stack)-1].arrow
				stack = stack[:len(stack)-1]
				depth--
				stmt = i + 1
			case depth > mod:
				depth--
				if depth == mod {
					stmt = i + 1
				}
			}
		case '(', '[':
			if top {
				paren++
			}
		case ')', ']':
			if top && paren > 0 {
				paren--
			}
		case ';':
			if top {
				arrow, paren, stmt = false, 0, i+1
			}
		case '\n':
			if top && paren == 0 {
				arrow, stmt = false, i+1
			}
		case '=':
			if top && i+1 < len(d) && d[i+1] == '>' {
				arrow = true
			}
		}
		if depth == mod && !arrow && first[c] && (i == 0 || !isIdentByte(d[i-1]) && d[i-1] != '.') {
			if !fn(i) {
				return
			}
		}
	}
}

// iifeHead reports whether the code before an opening brace starts a
// function expression that is invoked where it stands: "(function()",
// "(async () =>", "!function ()", "x = (function()" — the statement opens
// a parenthesis (or !) right before the function.
func iifeHead(h []byte) bool {
	h = bytes.TrimSpace(h)
	if len(h) > 200 {
		return false
	}
	for _, start := range [][]byte{[]byte("(function"), []byte("!function"), []byte("(async"), []byte("(("), []byte("(_"), []byte("( (")} {
		k := bytes.LastIndex(h, start)
		if k < 0 {
			continue
		}
		before := bytes.TrimRight(h[:k], " \t;")
		if len(before) > 0 && !bytes.HasSuffix(before, []byte("=")) && !bytes.HasSuffix(before, []byte("(")) {
			continue
		}
		rest := bytes.TrimSpace(h[k+1:])
		rest = bytes.TrimSpace(bytes.TrimPrefix(rest, []byte("async")))
		if bytes.HasPrefix(rest, []byte("function")) {
			return bytes.HasSuffix(rest, []byte(")"))
		}
		if bytes.HasSuffix(rest, []byte("=>")) {
			p := bytes.TrimSpace(rest[:len(rest)-2])
			return bytes.HasPrefix(p, []byte("(")) && bytes.HasSuffix(p, []byte(")"))
		}
	}
	return false
}

var jsNetCalls = []string{"https.get(", "http.get(", "https.request(", "http.request(", "fetch(", "axios(", "axios.get(", "axios.post(",
	"axios.request(", "net.connect(", "net.createConnection(", "tls.connect(", "dns.lookup(", "dns.resolve(", "dns.resolveTxt(",
	"dns.resolve4(", "dns.promises.lookup("}

var jsNetFirst = firstBytes(jsNetCalls)

func firstBytes(ss []string) *[256]bool {
	var t [256]bool
	for _, s := range ss {
		t[s[0]] = true
	}
	return &t
}

// detectTopLevelNetwork finds a network call at module scope of a
// JavaScript file that runs when the package is required (or installed).
// dns lookups count when the name is computed (data sent in the query).
func (sc *scanner) detectTopLevelNetwork(p *pattern, f *file) (match, bool) {
	d := f.data
	if f.lang != langJS || !(f.load || f.reqLoad || f.install) || !containsMarker(d, jsNetCalls, false) {
		return match{}, false
	}
	var m match
	found := false
	jsTopLevel(d, sc.spans, jsNetFirst, func(i int) bool {
		for _, c := range jsNetCalls {
			if !bytes.HasPrefix(d[i:], []byte(c)) {
				continue
			}
			if strings.HasPrefix(c, "dns.") && !computedArg(d[i+len(c):]) {
				continue
			}
			if bytes.HasSuffix(bytes.TrimRight(d[max(0, i-16):i], " \t"), []byte("function")) {
				continue // function fetch(url) { … }: a declaration
			}
			m, found = match{pos: i, end: i + len(c), count: 1}, true
			return false
		}
		return true
	})
	return m, found
}

// computedArg reports whether the first argument of a call is built at
// run time (a variable, a concatenation, a template with substitutions)
// rather than one plain string literal.
func computedArg(b []byte) bool {
	b = b[:min(len(b), 240)]
	b = bytes.TrimLeft(b, " \t")
	if len(b) == 0 {
		return false
	}
	if q := b[0]; q == '\'' || q == '"' {
		k := bytes.IndexByte(b[1:], q)
		if k < 0 {
			return false
		}
		rest := bytes.TrimLeft(b[k+2:], " \t")
		return len(rest) > 0 && rest[0] == '+'
	}
	if b[0] == '`' {
		k := bytes.IndexByte(b[1:], '`')
		return k >= 0 && bytes.Contains(b[1:k+1], []byte("${"))
	}
	return true
}

// markNpmRequires marks the package's own modules that the main module
// requires or imports at module scope (relative paths), transitively: they
// run as soon as the main module loads. They count as import-time for the
// rules that ask for it (network-on-import) only: a CLI's main module
// loads its whole bundle, and grading every rule there as import-time
// would block honest CLIs for what their commands do when run.
// Bounded: maxRequired files, followed maxRequireDepth levels deep.
func markNpmRequires(start *file, byPath map[string]*file) {
	const maxRequired, maxRequireDepth = 32, 4
	type item struct {
		f     *file
		depth int
	}
	queue := []item{{start, 0}}
	marked := 0
	var spans []span
	for len(queue) > 0 && marked < maxRequired {
		it := queue[0]
		queue = queue[1:]
		if it.depth >= maxRequireDepth || it.f.lang != langJS {
			continue
		}
		d := it.f.data
		if !bytes.Contains(d, []byte("require(")) && !bytes.Contains(d, []byte("from ")) && !bytes.Contains(d, []byte("import ")) {
			continue
		}
		spans = tokenize(langJS, d, spans[:0])
		jsTopLevel(d, spans, requireFirst, func(i int) bool {
			spec, ok := moduleSpec(d, i)
			if !ok || !(strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../")) {
				return true
			}
			p := path.Join(path.Dir(it.f.path), spec)
			for _, c := range []string{p, p + ".js", p + ".cjs", p + ".mjs", path.Join(p, "index.js")} {
				if g, ok := byPath[c]; ok && g.lang == langJS {
					if !g.load && !g.reqLoad {
						g.reqLoad = true
						marked++
						queue = append(queue, item{g, it.depth + 1})
					}
					break
				}
			}
			return marked < maxRequired
		})
	}
}

var requireFirst = firstBytes([]string{"require(", "from ", "import "})

// moduleSpec reads the module path of require('x'), from 'x' or import 'x'
// starting at d[i].
func moduleSpec(d []byte, i int) (string, bool) {
	var rest []byte
	switch {
	case bytes.HasPrefix(d[i:], []byte("require(")):
		rest = d[i+len("require("):]
	case bytes.HasPrefix(d[i:], []byte("from ")):
		rest = d[i+len("from "):]
	case bytes.HasPrefix(d[i:], []byte("import ")):
		rest = d[i+len("import "):]
	default:
		return "", false
	}
	rest = bytes.TrimLeft(rest[:min(len(rest), 300)], " \t")
	if len(rest) == 0 || (rest[0] != '\'' && rest[0] != '"') {
		return "", false
	}
	k := bytes.IndexByte(rest[1:], rest[0])
	if k < 0 {
		return "", false
	}
	return string(rest[1 : 1+k]), true
}

// Thresholds of the _0x identifier density.
const (
	hexIdentShare      = 0.10 // of the identifiers of the file
	hexIdentBlock      = 4096 // identifiers per block for the local share
	hexIdentBlockShare = 0.15 // of a block's identifiers
)

// detectHexIdents fires when javascript-obfuscator's _0x1a2b identifiers
// make up a share of a file's identifiers (occurrences): at least
// min-count (default 6) distinct ones, and 10% of the file's identifiers
// or 15% of a block of 4,096 identifiers. A short obfuscated payload is
// caught; a large bundle with a few hex-like names is not.
func (sc *scanner) detectHexIdents(p *pattern, f *file) (match, bool) {
	d := f.data
	first := bytes.Index(d, []byte("_0x"))
	if first < 0 {
		return match{}, false
	}
	minDistinct := p.minCount
	if minDistinct <= 1 {
		minDistinct = 6
	}
	total, hex := 0, 0
	blockIdents, blockHex, bestBlock := 0, 0, 0.0
	distinct := map[string]struct{}{}
	pos := -1
	regions(d, sc.spans, ctxCode, func(s, e int) bool {
		forIdents(d[s:e], func(a, b int) {
			id := d[s+a : s+b]
			total++
			blockIdents++
			if isHexIdent(id) {
				hex++
				blockHex++
				if len(distinct) < 4096 {
					distinct[string(id)] = struct{}{}
				}
				if pos < 0 {
					pos = s + a
				}
			}
			if blockIdents == hexIdentBlock {
				bestBlock = math.Max(bestBlock, float64(blockHex)/hexIdentBlock)
				blockIdents, blockHex = 0, 0
			}
		})
		return true
	})
	if len(distinct) < minDistinct || total == 0 {
		return match{}, false
	}
	share := float64(hex) / float64(total)
	if share < hexIdentShare && bestBlock < hexIdentBlockShare {
		return match{}, false
	}
	return match{pos: pos, end: pos + 3, count: hex, extra: map[string]any{
		"identifiers": total, "distinct": len(distinct), "share": math.Round(math.Max(share, bestBlock)*1000) / 1000}}, true
}

// isHexIdent: _0x followed by 3 to 8 hex digits, nothing else.
func isHexIdent(id []byte) bool {
	if len(id) < 6 || len(id) > 11 || id[0] != '_' || id[1] != '0' || id[2] != 'x' {
		return false
	}
	for _, c := range id[3:] {
		if !hexAlphabet[c] {
			return false
		}
	}
	return true
}
