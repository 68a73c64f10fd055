package artifact

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// TestNotReadWhole: an archive that could not be read whole is never
// graded as if it had been: high when the unread part may hold
// install-time files, and Incomplete / Err say what happened.
func TestNotReadWhole(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	noise := make([]byte, 100<<10)
	for i := range noise {
		noise[i] = byte(rnd.IntN(256))
	}
	text := make([]byte, 100<<10) // compresses about 4:1
	for i := range text {
		text[i] = byte('a' + rnd.IntN(4))
	}
	var many []ent
	for i := range 20 {
		many = append(many, file(fmt.Sprintf("package/f%02d.js", i), "x"))
	}
	var long []ent
	for i := range 40 {
		long = append(long, file(fmt.Sprintf("package/f%02d.js", i), string(noise[i*2000:(i+1)*2000])))
	}
	good := tgzOf(t, long...)
	pj := `{"name":"a","version":"1.0.0","scripts":{"postinstall":"node install.js"}}`
	big := strings.Repeat("x", 4096)
	tests := []struct {
		name, file string
		data       []byte
		lim        Limits
		rule       string
		sev        record.Severity
		reason     string // "" when read whole
		malformed  bool
	}{
		{"read_whole", "x.tgz", tgzOf(t, many...), Limits{}, "", 0, "", false},
		{"tar_too_many_entries", "x.tgz", tgzOf(t, many...), Limits{MaxFiles: 10}, RuleTooManyFiles, record.High, IncompleteLimit, false},
		{"tar_too_large", "x.tgz", tgzOf(t, file("package/a.bin", string(noise)), file("package/b.bin", string(noise))),
			Limits{MaxTotal: 150 << 10}, RuleTooLarge, record.High, IncompleteLimit, false},
		{"tar_truncated", "x.tgz", good[:len(good)/2], Limits{}, RuleCorrupt, record.High, IncompleteTruncated, true},
		{"zip_not_read_too_many", "x.whl", zipOf(t, many...), Limits{MaxFiles: 10}, RuleTooManyFiles, record.High, IncompleteLimit, false},
		{"zip_not_read_too_large", "x.whl", zipOf(t, file("a.bin", string(noise))), Limits{MaxTotal: 50 << 10}, RuleTooLarge, record.High, IncompleteLimit, false},
		{"zip_rest_holds_setup.py", "x.zip", zipOf(t, file("a.txt", string(text)), file("b.txt", string(text)), file("x-1/setup.py", "import os")),
			Limits{MaxTotal: 150 << 10}, RuleTooLarge, record.High, IncompleteLimit, false},
		{"zip_rest_is_data_only", "x.zip", zipOf(t, file("a.txt", string(text)), file("b.txt", string(text)), file("c.txt", "text")),
			Limits{MaxTotal: 150 << 10}, RuleTooLarge, record.Medium, IncompleteLimit, false},
		{"zip_unreadable_pth", "x.whl", rawZip(t, rawEnt{"evil.pth", 99, []byte("import os"), []byte("????")}), Limits{}, RuleCorrupt, record.High, IncompleteEntry, true},
		{"zip_unreadable_data", "x.whl", rawZip(t, rawEnt{"x/data.txt", 99, []byte("text"), []byte("????")}), Limits{}, RuleCorrupt, record.Medium, IncompleteEntry, true},
		{"install_script_over_file_limit", "x.tgz", tgzOf(t, file("package/package.json", pj), file("package/install.js", big)),
			Limits{MaxFile: 1024}, RuleFileTooLarge, record.High, "", false},
		{"other_file_over_file_limit", "x.tgz", tgzOf(t, file("package/package.json", pj), file("package/data.txt", big)),
			Limits{MaxFile: 1024}, RuleFileTooLarge, record.Low, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := readBytes(t, tc.file, tc.data, tc.lim)
			if tc.rule != "" {
				var got []string
				found := false
				for _, f := range tree.Findings {
					got = append(got, f.Rule+":"+f.Severity.String())
					if f.Rule == tc.rule && f.Severity == tc.sev {
						found = true
					}
				}
				if !found {
					t.Errorf("want %s:%s, got %q", tc.rule, tc.sev, got)
				}
				for _, f := range tree.Findings {
					ev := f.Evidence
					if f.Rule == tc.rule && f.Severity == record.High && ev["unread"] == nil && ev["unread_install_time"] == nil && ev["install_time"] == nil {
						t.Errorf("high without saying what was not read: %+v", f)
					}
				}
			}
			in := tree.Incomplete
			switch {
			case tc.reason == "" && in != nil:
				t.Errorf("read whole but Incomplete %+v", in)
			case tc.reason != "" && (in == nil || in.Reason != tc.reason || in.Malformed != tc.malformed):
				t.Errorf("Incomplete %+v, want reason %s, malformed %v", in, tc.reason, tc.malformed)
			case in != nil && in.InstallTime != (tc.sev == record.High):
				t.Errorf("InstallTime %v with a %s finding", in.InstallTime, tc.sev)
			}
			if err := tree.Err(); errors.Is(err, ErrTruncated) != tc.malformed {
				t.Errorf("Err() = %v, malformed %v", err, tc.malformed)
			}
		})
	}
}

// TestTruncatedAfterTheTar: a tgz whose tar is whole but whose gzip
// stream is cut (no trailer) or fails its CRC is malformed (npm refuses
// it), though nothing was left unread.
func TestTruncatedAfterTheTar(t *testing.T) {
	good := tgzOf(t, file("package/package.json", `{"name":"a"}`))
	badCRC := append([]byte(nil), good...)
	badCRC[len(badCRC)-8] ^= 0xff
	for name, data := range map[string][]byte{"no_trailer": good[:len(good)-8], "bad_crc": badCRC} {
		t.Run(name, func(t *testing.T) {
			tree := readBytes(t, "x.tgz", data, Limits{})
			if tree.Lookup("package.json") == nil {
				t.Fatalf("files %q", paths(tree))
			}
			if !errors.Is(tree.Err(), ErrTruncated) || tree.Incomplete.InstallTime {
				t.Errorf("Err %v, Incomplete %+v, findings %+v", tree.Err(), tree.Incomplete, tree.Findings)
			}
		})
	}
	if tree := readBytes(t, "x.tgz", good, Limits{}); tree.Err() != nil || tree.Incomplete != nil {
		t.Errorf("whole tgz: %v %+v", tree.Err(), tree.Incomplete)
	}
}
