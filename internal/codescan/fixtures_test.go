package codescan

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/record"
)

// treeFromDir reads a testdata directory into an artifact.Tree, the way
// the archive reader presents a package: slash paths relative to the
// package root, in a stable order, Binary set for content with NUL bytes.
func treeFromDir(t testing.TB, dir string) *artifact.Tree {
	t.Helper()
	tr := &artifact.Tree{Format: "dir"}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		tr.Files = append(tr.Files, artifact.File{
			Path:   filepath.ToSlash(rel),
			Size:   int64(len(data)),
			Mode:   info.Mode().Perm(),
			Data:   data,
			Binary: bytes.IndexByte(data, 0) >= 0,
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(tr.Files, func(i, j int) bool { return tr.Files[i].Path < tr.Files[j].Path })
	return tr
}

// fixtures says, for each testdata package, which rules must fire (with
// an optional minimum severity: "rule>=high") and which must stay quiet
// (no finding of that rule at low or above; info never changes a
// verdict). Every benign package must also have no finding at low or
// above from any rule.
var fixtures = []struct {
	dir   string
	fire  []string
	quiet []string
}{
	{"malicious/install-script", []string{"install-script>=low"}, nil},
	{"benign/install-script", nil, []string{"install-script"}},
	{"malicious/setup-py-exec", []string{"setup-py-exec>=high"}, nil},
	{"benign/setup-py-exec", nil, []string{"setup-py-exec"}},
	{"malicious/nuget-install-script", []string{"nuget-install-script>=high", "download-exec>=high"}, nil},
	{"benign/nuget-install-script", nil, []string{"nuget-install-script", "download-exec"}},
	{"malicious/msbuild-exec", []string{"msbuild-exec>=high", "download-exec>=high"}, nil},
	{"benign/msbuild-exec", nil, []string{"msbuild-exec", "download-exec"}},
	{"malicious/gem-extension", []string{"gem-extension>=high"}, nil},
	{"benign/gem-extension", nil, []string{"gem-extension"}},
	{"malicious/cargo-build-script", []string{"cargo-build-script>=high"}, nil},
	{"benign/cargo-build-script", nil, []string{"cargo-build-script"}},
	{"malicious/credential-read", []string{"credential-read>=critical"}, nil},
	{"benign/credential-read", nil, []string{"credential-read"}},
	{"malicious/cloud-metadata", []string{"cloud-metadata>=high"}, nil},
	{"benign/cloud-metadata", nil, []string{"cloud-metadata"}},
	{"malicious/browser-data", []string{"browser-data>=critical", "exfil-endpoint>=critical"}, nil},
	{"benign/browser-data", nil, []string{"browser-data"}},
	{"malicious/crypto-wallet", []string{"crypto-wallet>=high"}, nil},
	{"benign/crypto-wallet", nil, []string{"crypto-wallet", "web-api-hook"}},
	{"malicious/env-dump", []string{"env-dump>=critical"}, nil},
	{"benign/env-dump", nil, []string{"env-dump"}},
	{"malicious/sysinfo-exfil", []string{"sysinfo-exfil>=medium"}, nil},
	{"benign/sysinfo-exfil", nil, []string{"sysinfo-exfil"}},
	{"malicious/hosts-file-write", []string{"hosts-file-write>=medium"}, nil},
	{"benign/hosts-file-write", nil, []string{"hosts-file-write"}},
	{"malicious/exfil-endpoint", []string{"exfil-endpoint>=high"}, nil},
	{"benign/exfil-endpoint", nil, []string{"exfil-endpoint"}},
	{"malicious/raw-ip-url", []string{"raw-ip-url>=high"}, nil},
	{"benign/raw-ip-url", nil, []string{"raw-ip-url"}},
	{"malicious/download-exec", []string{"download-exec>=high"}, nil},
	{"benign/download-exec", nil, []string{"download-exec"}},
	{"malicious/reverse-shell", []string{"reverse-shell>=critical"}, nil},
	{"benign/reverse-shell", nil, []string{"reverse-shell"}},
	{"malicious/eval-decoded", []string{"eval-decoded>=high"}, nil},
	{"benign/eval-decoded", nil, []string{"eval-decoded"}},
	{"malicious/encoded-blob", []string{"encoded-blob>=high", "eval-decoded>=high"}, nil},
	{"benign/encoded-blob", nil, []string{"encoded-blob", "high-entropy-string"}},
	{"malicious/high-entropy-string", []string{"high-entropy-string>=low"}, nil},
	{"benign/high-entropy-string", nil, []string{"high-entropy-string"}},
	{"malicious/obfuscator-identifiers", []string{"obfuscator-identifiers>=high"}, nil},
	{"benign/obfuscator-identifiers", nil, []string{"obfuscator-identifiers"}},
	{"malicious/wallet-address-swap", []string{"wallet-address-swap>=medium"}, nil},
	{"benign/wallet-address-swap", nil, []string{"wallet-address-swap"}},
	{"malicious/web-api-hook", []string{"web-api-hook>=low"}, nil},
	{"benign/web-api-hook", nil, []string{"web-api-hook"}},
	{"malicious/chalk-debug-hijack", []string{"wallet-address-swap>=critical", "web-api-hook>=critical"}, nil},
	{"malicious/worm-npm-publish", []string{"worm-npm-publish>=critical"}, nil},
	{"benign/worm-npm-publish", nil, []string{"worm-npm-publish"}},
	{"malicious/workflow-write", []string{"workflow-write>=critical"}, nil},
	{"benign/workflow-write", nil, []string{"workflow-write"}},
	{"malicious/secret-scanner-download", []string{"secret-scanner-download>=high"}, nil},
	{"benign/secret-scanner-download", nil, []string{"secret-scanner-download"}},
	{"malicious/shai-hulud-worm", []string{"worm-npm-publish>=critical", "workflow-write>=critical", "secret-scanner-download>=high"}, nil},
	{"malicious/bundled-executable", []string{"bundled-executable>=critical"}, nil},
	{"benign/bundled-executable", nil, []string{"bundled-executable"}},
	{"benign/platform-binary", nil, []string{"bundled-executable"}},
	{"malicious/import-time-python", []string{"download-exec>=high"}, nil},
	{"benign/import-time-python", nil, []string{"download-exec"}},
	{"malicious/import-time-npm", []string{"browser-data>=high"}, nil},
	{"benign/import-time-npm", nil, []string{"browser-data"}},
	{"malicious/import-time-ruby", []string{"download-exec>=high"}, nil},
	{"benign/import-time-ruby", nil, []string{"download-exec"}},
	{"malicious/import-time-go", []string{"credential-read>=high"}, nil}, // benign twin: TestGoGrading (a benign fixture would join the benchmark corpus)
	{"malicious/go-exec-payload", []string{"go-exec-payload>=critical"}, nil},
	{"benign/go-exec-payload", nil, []string{"go-exec-payload"}},
	{"malicious/autostart-persistence", []string{"autostart-persistence>=critical"}, nil},
	{"benign/autostart-persistence", nil, []string{"autostart-persistence"}},
	{"malicious/bidi-control", []string{"bidi-control>=medium"}, nil},
	{"benign/bidi-control", nil, []string{"bidi-control"}},
	{"malicious/silent-exec", []string{"silent-exec>=high"}, nil},
	{"benign/silent-exec", nil, []string{"silent-exec"}},
	{"malicious/pyarmor-packed", []string{"pyarmor-packed>=high"}, nil},
	{"benign/pyarmor-packed", nil, []string{"pyarmor-packed"}},
	{"malicious/escaped-strings", []string{"escaped-strings>=high"}, nil},
	{"benign/escaped-strings", nil, []string{"escaped-strings", "encoded-blob"}},
	{"malicious/confusable-identifier", []string{"confusable-identifier>=high"}, nil},
	{"benign/confusable-identifier", nil, []string{"confusable-identifier"}},
	{"malicious/image-payload", []string{"image-payload>=high"}, nil},
	{"benign/image-payload", nil, []string{"image-payload"}},
	{"malicious/dynamic-import", []string{"dynamic-import>=critical", "setup-py-exec>=high"}, nil},
	{"benign/dynamic-import", nil, []string{"dynamic-import", "setup-py-exec"}},
	{"malicious/native-loader-abuse", []string{"native-loader-abuse>=high"}, nil},
	{"benign/native-loader-abuse", nil, []string{"native-loader-abuse"}},
	{"malicious/clipboard-hijack", []string{"clipboard-hijack>=high"}, nil},
	{"benign/clipboard-hijack", nil, []string{"clipboard-hijack"}},
	{"malicious/input-capture", []string{"input-capture>=high"}, nil},
	{"benign/input-capture", nil, []string{"input-capture"}},
	{"malicious/gem-install-hook", []string{"gem-install-hook>=high"}, nil},
	{"benign/gem-install-hook", nil, []string{"gem-install-hook"}},
	{"malicious/network-on-import", []string{"network-on-import>=high"}, nil},
	{"benign/network-on-import", nil, []string{"network-on-import"}},
	{"malicious/obfuscator-rotation", []string{"obfuscator-identifiers>=high"}, nil},
	{"benign/obfuscator-rotation", nil, []string{"obfuscator-identifiers"}},
	{"benign/minified-bundle", nil, []string{"obfuscator-identifiers", "eval-decoded", "web-api-hook", "wallet-address-swap", "encoded-blob", "high-entropy-string"}},
}

func parseExpect(s string) (string, record.Severity) {
	id, sev, ok := strings.Cut(s, ">=")
	if !ok {
		return s, record.Info
	}
	v, err := record.ParseSeverity(sev)
	if err != nil {
		panic(err)
	}
	return id, v
}

func describe(fs []record.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("\n  " + f.Severity.String() + " " + f.Rule + ": " + f.Message)
	}
	return b.String()
}

// checkGrade asserts the highest severity of rule among got: at least
// want and, when most is above info, at most most; want -1 asks for the
// rule to stay below low.
func checkGrade(t *testing.T, got []record.Finding, rule string, want, most record.Severity) {
	t.Helper()
	best, fired := record.Severity(-1), false
	for _, f := range got {
		if f.Rule == rule && (!fired || f.Severity > best) {
			best, fired = f.Severity, true
		}
	}
	if want < 0 {
		if fired && best >= record.Low {
			t.Errorf("want %s quiet, got %s%s", rule, best, describe(got))
		}
		return
	}
	if !fired || best < want {
		t.Errorf("want %s at %s or above, got %v (fired %v)%s", rule, want, best, fired, describe(got))
	}
	if most > record.Info && best > most {
		t.Errorf("want %s at %s at most, got %s%s", rule, most, best, describe(got))
	}
}

func TestFixtures(t *testing.T) {
	rs := DefaultRules()
	for _, fx := range fixtures {
		t.Run(strings.ReplaceAll(fx.dir, "/", "_"), func(t *testing.T) {
			got := Scan(treeFromDir(t, filepath.Join("testdata", fx.dir)), rs)
			best := map[string]record.Severity{}
			for _, f := range got {
				if s, ok := best[f.Rule]; !ok || f.Severity > s {
					best[f.Rule] = f.Severity
				}
			}
			for _, e := range fx.fire {
				id, min := parseExpect(e)
				s, ok := best[id]
				if !ok || s < min {
					t.Errorf("want %s at %s or above, got %v (fired: %v)%s", id, min, s, ok, describe(got))
				}
			}
			for _, id := range fx.quiet {
				if s, ok := best[id]; ok && s >= record.Low {
					t.Errorf("want %s quiet, got %s%s", id, s, describe(got))
				}
			}
			if strings.HasPrefix(fx.dir, "benign/") {
				for _, f := range got {
					if f.Severity >= record.Low {
						t.Errorf("benign package has a finding at low or above:%s", describe([]record.Finding{f}))
					}
				}
			}
		})
	}
}

// TestEveryRuleHasFixtures: each reported rule has a malicious fixture
// that fires it and a benign twin that keeps it quiet.
func TestEveryRuleHasFixtures(t *testing.T) {
	fired, quiet := map[string]bool{}, map[string]bool{}
	for _, fx := range fixtures {
		for _, e := range fx.fire {
			id, _ := parseExpect(e)
			fired[id] = true
		}
		for _, id := range fx.quiet {
			quiet[id] = true
		}
	}
	for _, r := range DefaultRules().Rules() {
		if !fired[r.ID] {
			t.Errorf("rule %s: no malicious fixture fires it", r.ID)
		}
		if !quiet[r.ID] {
			t.Errorf("rule %s: no benign twin checks it stays quiet", r.ID)
		}
	}
	// Every fixture directory is in the table.
	for _, kind := range []string{"malicious", "benign"} {
		ents, err := os.ReadDir(filepath.Join("testdata", kind))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			name := kind + "/" + e.Name()
			if !slices.ContainsFunc(fixtures, func(f struct {
				dir   string
				fire  []string
				quiet []string
			}) bool {
				return f.dir == name
			}) {
				t.Errorf("testdata/%s is not in the fixtures table", name)
			}
		}
	}
}

// TestScanConcurrent: one RuleSet, many goroutines (run with -race).
func TestScanConcurrent(t *testing.T) {
	rs := DefaultRules()
	var trees []*artifact.Tree
	for _, fx := range fixtures {
		trees = append(trees, treeFromDir(t, filepath.Join("testdata", fx.dir)))
	}
	want := make([]int, len(trees))
	for i, tr := range trees {
		want[i] = len(Scan(tr, rs))
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for i, tr := range trees {
				if len(Scan(tr, rs)) != want[i] {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("concurrent scans disagree")
		}
	}
}
