package malicious

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func readFixture(t *testing.T, path string) (*Record, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ParseOSV(path, data)
}

func TestParseOSVFixtures(t *testing.T) {
	type pkg struct {
		eco      ecosystem.Ecosystem
		name     string
		all      bool
		versions []string
		ranges   int
	}
	tests := []struct {
		file        string
		id          string
		basis       string
		withdrawn   bool
		aliases     []string
		summary     string
		packages    []pkg
		unsupported int
	}{
		{"npm/MAL-2024-1001.json", "MAL-2024-1001", BasisMALID, false, []string{"GHSA-4rq4-7v2x-9c3m"},
			"Malicious code in crossenv (npm)", []pkg{{ecosystem.NPM, "crossenv", true, nil, 0}}, 0},
		{"npm/MAL-2024-1002.json", "MAL-2024-1002", BasisMALID, false, []string{"GHSA-pjwm-rvh2-c87w", "CVE-2021-27292-not-real"},
			"Embedded malware in ua-parser-js", []pkg{{ecosystem.NPM, "ua-parser-js", false, []string{"0.7.29", "0.8.0", "1.0.0"}, 0}}, 0},
		// A range introduced at 0 and never closed: every version, the
		// versions list notwithstanding.
		{"npm/MAL-2024-1004.json", "MAL-2024-1004", BasisMALID, false, nil,
			"Malicious code in @acme-internal/billing (npm)", []pkg{{ecosystem.NPM, "@Acme-Internal/Billing", true, nil, 0}}, 0},
		// Two SEMVER ranges kept, the GIT range dropped.
		{"npm/MAL-2024-1005.json", "MAL-2024-1005", BasisMALID, false, nil,
			"Malicious code in rc (npm)", []pkg{{ecosystem.NPM, "rc", false, nil, 2}}, 0},
		{"PyPI/MAL-2024-2001.json", "MAL-2024-2001", BasisMALID, false, nil,
			"Malicious code in Py_Crypt.Tool (PyPI)", []pkg{{ecosystem.PyPI, "Py_Crypt.Tool", true, nil, 0}}, 0},
		{"PyPI/MAL-2024-2002.json", "MAL-2024-2002", BasisMALID, false, []string{"PYSEC-2024-0000-not-real"},
			"Malicious code in ctx-utils (PyPI)", []pkg{
				{ecosystem.PyPI, "ctx-utils", false, []string{"2.0.0rc1", "2.0.0", "2.0.1"}, 1},
				{ecosystem.NPM, "ctx-utils", false, []string{"2.0.0"}, 0},
			}, 0},
		// No versions, no ranges: every version.
		{"NuGet/MAL-2024-3001.json", "MAL-2024-3001", BasisMALID, false, nil,
			"Malicious code in Coinbase.Core (NuGet)", []pkg{{ecosystem.NuGet, "Coinbase.Core", true, nil, 0}}, 0},
		{"RubyGems/MAL-2024-4001.json", "MAL-2024-4001", BasisMALID, false, nil,
			"Malicious code in atlas-client (RubyGems)", []pkg{{ecosystem.RubyGems, "atlas-client", true, nil, 0}}, 0},
		{"Go/MAL-2024-5001.json", "MAL-2024-5001", BasisMALID, false, nil,
			"Malicious code in github.com/boltdb-go/bolt (Go)", []pkg{{ecosystem.Go, "github.com/boltdb-go/bolt", false, []string{"1.3.1"}, 0}}, 0},
		{"crates.io/MAL-2024-6001.json", "MAL-2024-6001", BasisMALID, false, []string{"RUSTSEC-2022-0042"},
			"Malicious code in rustdecimal (crates.io)", []pkg{{ecosystem.Crates, "rustdecimal", true, nil, 0}}, 0},
		// Package given only as a purl; summary from the details.
		{"crates.io/MAL-2024-6002.json", "MAL-2024-6002", BasisMALID, false, nil,
			"Malicious build script in fast_log_utils (crates.io)", []pkg{{ecosystem.Crates, "fast_log_utils", false, []string{"0.1.0"}, 0}}, 0},
		{"withdrawn/npm/MAL-2024-1003.json", "MAL-2024-1003", BasisMALID, true, nil,
			"Malicious code in left-pad-strict (npm)", []pkg{{ecosystem.NPM, "left-pad-strict", true, nil, 0}}, 0},
		{"Maven/MAL-2024-7001.json", "MAL-2024-7001", BasisMALID, false, nil,
			"Malicious code in com.example:evil-logger (Maven)", nil, 1},
		// An ordinary vulnerability whose text says "malicious": not malicious.
		{"ghsa/GHSA-29mw-wpgm-hmr9.json", "GHSA-29mw-wpgm-hmr9", "", false, []string{"CVE-2020-8203"},
			"Prototype pollution in lodash via a malicious payload", []pkg{{ecosystem.NPM, "lodash", false, nil, 1}}, 0},
		// A GitHub malware advisory: CWE-506.
		{"ghsa/GHSA-mh6f-8j2x-4483.json", "GHSA-mh6f-8j2x-4483", BasisCWE506, false, nil,
			"Critical severity vulnerability that affects event-stream and flatmap-stream", []pkg{
				{ecosystem.NPM, "flatmap-stream", true, nil, 0},
				{ecosystem.NPM, "event-stream", false, []string{"3.3.6"}, 0},
			}, 0},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.file, "/", "_"), func(t *testing.T) {
			r, err := readFixture(t, filepath.Join("testdata", "osv", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if r.ID != tt.id || r.Basis != tt.basis || !r.Withdrawn.IsZero() != tt.withdrawn || r.Summary != tt.summary || r.Unsupported != tt.unsupported {
				t.Errorf("got id %q basis %q withdrawn %v summary %q unsupported %d", r.ID, r.Basis, r.Withdrawn, r.Summary, r.Unsupported)
			}
			if !reflect.DeepEqual(r.Aliases, tt.aliases) {
				t.Errorf("aliases = %q, want %q", r.Aliases, tt.aliases)
			}
			if r.Modified.IsZero() || r.Modified.Location() != time.UTC {
				t.Errorf("modified = %v", r.Modified)
			}
			var got []pkg
			for _, a := range r.Packages {
				got = append(got, pkg{a.Ecosystem, a.Name, a.All, a.Versions, len(a.Ranges)})
			}
			if !reflect.DeepEqual(got, tt.packages) {
				t.Errorf("packages = %+v\nwant %+v", got, tt.packages)
			}
		})
	}
}

func TestParseOSVErrors(t *testing.T) {
	tests := []struct {
		file string
		line int
		msg  string
	}{
		{"malformed.json", 6, "malformed JSON"},
		{"wrong-type.json", 5, "versions is a JSON string"},
		{"array.json", 1, "not a JSON object"},
		{"no-id.json", 0, "no id"},
		{"bad-time.json", 0, "modified"},
		{"empty.json", 0, "empty file"},
		{"truncated.json", 1, "malformed JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			_, err := readFixture(t, path)
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			if ie.File != path || ie.Line != tt.line || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("error = %q (file %q line %d), want line %d and %q", err, ie.File, ie.Line, tt.line, tt.msg)
			}
		})
	}
}

func TestParseOSVEdges(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		check func(t *testing.T, r *Record)
	}{
		{"ecosystem suffix and case", `{"id":"MAL-1","affected":[{"package":{"ecosystem":"pypi:extra","name":"x"}}]}`,
			func(t *testing.T, r *Record) {
				if len(r.Packages) != 1 || r.Packages[0].Ecosystem != ecosystem.PyPI {
					t.Errorf("packages = %+v", r.Packages)
				}
			}},
		{"pkgward alias is not an OSV ecosystem", `{"id":"MAL-1","affected":[{"package":{"ecosystem":"python","name":"x"}}]}`,
			func(t *testing.T, r *Record) {
				if len(r.Packages) != 0 || r.Unsupported != 1 {
					t.Errorf("packages = %+v unsupported %d", r.Packages, r.Unsupported)
				}
			}},
		{"origins mark a non-MAL id", `{"id":"XYZ-1","database_specific":{"malicious-packages-origins":[{"source":"x"}]},"affected":[{"package":{"ecosystem":"npm","name":"x"}}]}`,
			func(t *testing.T, r *Record) {
				if r.Basis != BasisOrigins {
					t.Errorf("basis = %q", r.Basis)
				}
			}},
		{"odd database_specific is not a mark", `{"id":"GHSA-1","database_specific":{"cwe_ids":"CWE-506"}}`,
			func(t *testing.T, r *Record) {
				if r.Basis != "" {
					t.Errorf("basis = %q", r.Basis)
				}
			}},
		{"same package twice is merged", `{"id":"MAL-1","affected":[{"package":{"ecosystem":"npm","name":"X"},"versions":["1.0.0"]},{"package":{"ecosystem":"npm","name":"x"},"versions":["1.0.1","1.0.0"]}]}`,
			func(t *testing.T, r *Record) {
				if len(r.Packages) != 1 || !reflect.DeepEqual(r.Packages[0].Versions, []string{"1.0.0", "1.0.1"}) {
					t.Errorf("packages = %+v", r.Packages)
				}
			}},
		{"ranges with no usable event say nothing", `{"id":"MAL-1","affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{}]}]}]}`,
			func(t *testing.T, r *Record) {
				if len(r.Packages) != 0 || r.Unsupported != 1 {
					t.Errorf("packages = %+v", r.Packages)
				}
			}},
		{"GIT range only: every version", `{"id":"MAL-1","affected":[{"package":{"ecosystem":"Go","name":"example.com/x"},"ranges":[{"type":"GIT","events":[{"introduced":"abc"}]}]}]}`,
			func(t *testing.T, r *Record) {
				if len(r.Packages) != 1 || !r.Packages[0].All {
					t.Errorf("packages = %+v", r.Packages)
				}
			}},
		{"scoped purl", `{"id":"MAL-1","affected":[{"package":{"purl":"pkg:npm/%40evil/pkg@1.0.0?x=y"}}]}`,
			func(t *testing.T, r *Record) {
				if len(r.Packages) != 1 || r.Packages[0].Name != "@evil/pkg" {
					t.Errorf("packages = %+v", r.Packages)
				}
			}},
		{"byte order mark", "\xef\xbb\xbf{\"id\":\"MAL-1\"}", func(t *testing.T, r *Record) {
			if r.ID != "MAL-1" {
				t.Errorf("id = %q", r.ID)
			}
		}},
		{"long summary is clipped", `{"id":"MAL-1","summary":"` + strings.Repeat("é", 1000) + `"}`, func(t *testing.T, r *Record) {
			if len(r.Summary) > maxSummaryLen || !strings.HasPrefix(r.Summary, "é") || strings.ContainsRune(r.Summary, '\uFFFD') {
				t.Errorf("summary of %d bytes", len(r.Summary))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseOSV("x.json", []byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}
