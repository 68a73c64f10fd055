package malicious

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/record"
)

// FuzzParseOSV feeds hostile documents to ParseOSV and checks that what
// it accepts is well formed, can be looked up and survives the store.
func FuzzParseOSV(f *testing.F) {
	for _, dir := range []string{"testdata/osv", "testdata/bad"} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".json" {
				if data, err := os.ReadFile(p); err == nil {
					f.Add(data)
				}
			}
			return nil
		})
	}
	f.Add([]byte(`{"id":"MAL-1","affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0-\u0000"},{"fixed":"v"},{"last_affected":"0"}]}]}]}`))
	f.Add([]byte(`{"id":"MAL-1","affected":[{"package":{"purl":"pkg:golang/a/b/%zz"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseOSV("fuzz.json", data)
		if err != nil {
			if r != nil {
				t.Fatal("record and error")
			}
			return
		}
		if r.ID == "" || len(r.ID) > maxIDLen || !utf8.ValidString(r.Summary) || len(r.Summary) > maxSummaryLen {
			t.Fatalf("bad record %+v", r)
		}
		for _, a := range r.Packages {
			if !a.Ecosystem.Valid() || a.Name == "" || !utf8.ValidString(a.Name) {
				t.Fatalf("bad package %+v", a)
			}
			if a.All && (len(a.Versions) > 0 || len(a.Ranges) > 0) {
				t.Fatalf("all versions with a list: %+v", a)
			}
			if !a.All && len(a.Versions) == 0 && len(a.Ranges) == 0 {
				t.Fatalf("nothing affected: %+v", a)
			}
			for _, v := range append([]string{"", "0", "1.0.0", "v2.0.0-rc.1", "1.0.post1"}, a.Versions...) {
				a.Covers(v)
			}
			for _, v := range a.Versions {
				if !a.Covers(v) {
					t.Fatalf("listed version %q not covered: %+v", v, a)
				}
			}
			a.Describe()
		}
		db := Build([]*Record{r}, nil, Meta{})
		for _, a := range r.Packages {
			if !r.Malicious() {
				break
			}
			if r.Withdrawn.IsZero() && db.Lookup(a.Ecosystem, a.Name, "") == nil {
				t.Fatalf("%s %q not found", a.Ecosystem, a.Name)
			}
			NewAnalyzer(db).Analyze(&record.Package{Ecosystem: a.Ecosystem, Name: a.Name, Version: "^1.0.0"})
		}
		var buf bytes.Buffer
		if err := db.encode(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if !reflect.DeepEqual(back.Records(), db.Records()) {
			t.Fatalf("store round trip:\n%+v\n%+v", back.Records(), db.Records())
		}
	})
}

// FuzzDecode checks the store decoder on damaged files that still carry
// a valid checksum: an error, never a panic or a huge allocation.
func FuzzDecode(f *testing.F) {
	rec, err := ParseOSV("x.json", []byte(`{"id":"MAL-1","aliases":["GHSA-1"],"modified":"2024-01-01T00:00:00Z",`+
		`"affected":[{"package":{"ecosystem":"npm","name":"x"},"versions":["1.0.0"],"ranges":[{"type":"SEMVER","events":[{"introduced":"2.0.0"}]}]}]}`))
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Build([]*Record{rec}, map[string]time.Time{"MAL-2": {}}, Meta{}).encode(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes()[:buf.Len()-4])
	f.Add([]byte(storeMagic))
	f.Fuzz(func(t *testing.T, body []byte) {
		db, err := Decode(reencodeCRC(bytes.Clone(body)))
		if err == nil {
			for _, r := range db.Records() {
				for _, a := range r.Packages {
					db.Lookup(a.Ecosystem, a.Name, "1.0.0")
				}
			}
		}
	})
}
