package malicious

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// importPaths imports paths into a fresh database.
func importPaths(t *testing.T, limits Limits, paths ...string) (*DB, Stats) {
	t.Helper()
	im := NewImporter(limits)
	for _, p := range paths {
		if err := im.Add(context.Background(), p); err != nil {
			t.Fatalf("Add(%s): %v", p, err)
		}
	}
	return im.Build(testNow), im.Stats()
}

func ids(db *DB) []string {
	var out []string
	for _, r := range db.Records() {
		out = append(out, r.ID)
	}
	return out
}

// fixtureIDs are the known-malicious records of testdata/osv that a
// database keeps: not the withdrawn one, not the Maven one, not the
// ordinary vulnerability.
var fixtureIDs = []string{
	"GHSA-mh6f-8j2x-4483",
	"MAL-2024-1001", "MAL-2024-1002", "MAL-2024-1004", "MAL-2024-1005",
	"MAL-2024-2001", "MAL-2024-2002", "MAL-2024-3001", "MAL-2024-4001",
	"MAL-2024-5001", "MAL-2024-6001", "MAL-2024-6002",
}

func TestImportDirectory(t *testing.T) {
	db, st := importPaths(t, Limits{}, filepath.Join("testdata", "osv"))
	want := Stats{
		Documents: 15, Malicious: 14, Withdrawn: 1, Skipped: 1, Unsupported: 1, Ignored: 1,
		Ecosystems: map[ecosystem.Ecosystem]int{
			ecosystem.NPM: 6, ecosystem.PyPI: 2, ecosystem.NuGet: 1, ecosystem.RubyGems: 1,
			ecosystem.Go: 1, ecosystem.Crates: 2,
		},
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("stats = %+v\nwant    %+v", st, want)
	}
	if got := ids(db); !reflect.DeepEqual(got, fixtureIDs) {
		t.Errorf("records = %q\nwant %q", got, fixtureIDs)
	}
	m := db.Meta()
	if m.Records != 12 || m.Withdrawn != 1 || !m.Imported.Equal(testNow) || !m.Newest.Equal(time.Date(2025, 2, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("meta = %+v", m)
	}
	if len(m.Sources) != 1 || m.Sources[0].Kind != "directory" || m.Sources[0].Documents != 15 || m.Sources[0].Records != 14 || !filepath.IsAbs(m.Sources[0].Path) {
		t.Errorf("sources = %+v", m.Sources)
	}
	wantEco := map[ecosystem.Ecosystem]EcoCount{
		ecosystem.NPM:      {Records: 6, Packages: 7}, // flatmap-stream and event-stream in one record
		ecosystem.PyPI:     {Records: 2, Packages: 2},
		ecosystem.NuGet:    {Records: 1, Packages: 1},
		ecosystem.RubyGems: {Records: 1, Packages: 1},
		ecosystem.Go:       {Records: 1, Packages: 1},
		ecosystem.Crates:   {Records: 2, Packages: 2},
	}
	if !reflect.DeepEqual(m.Ecosystems, wantEco) {
		t.Errorf("ecosystems = %+v\nwant %+v", m.Ecosystems, wantEco)
	}
	if db.Lookup(ecosystem.NPM, "left-pad-strict", "") != nil {
		t.Error("withdrawn record reported")
	}
	if db.Lookup(ecosystem.NPM, "lodash", "4.17.15") != nil {
		t.Error("vulnerability reported as malicious")
	}
}

func TestImportSingleFile(t *testing.T) {
	db, st := importPaths(t, Limits{}, filepath.Join("testdata", "osv", "NuGet", "MAL-2024-3001.json"))
	if st.Documents != 1 || st.Malicious != 1 || db.Len() != 1 || db.Meta().Sources[0].Kind != "file" {
		t.Errorf("stats %+v, %d records, sources %+v", st, db.Len(), db.Meta().Sources)
	}
}

// zipEntry is one entry of a test archive.
type zipEntry struct {
	name string
	body string
	dir  bool
}

func writeZip(t *testing.T, path string, entries []zipEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.dir {
			if _, err := zw.Create(e.name); err != nil {
				t.Fatal(err)
			}
			continue
		}
		// CreateHeader keeps the name as given, "../" and all.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func osvJSON(id, modified, eco, name string, extra string) string {
	return fmt.Sprintf(`{"id":%q,"modified":%q,"published":"2024-01-01T00:00:00Z","summary":"Malicious code in %s (%s)",`+
		`"affected":[{"package":{"ecosystem":%q,"name":%q}%s}]}`, id, modified, name, eco, eco, name, extra)
}

func TestImportZip(t *testing.T) {
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "all.zip")
	fixture, err := os.ReadFile(filepath.Join("testdata", "osv", "npm", "MAL-2024-1002.json"))
	if err != nil {
		t.Fatal(err)
	}
	writeZip(t, zipPath, []zipEntry{
		{name: "MAL-2024-1002.json", body: string(fixture)},
		{name: "sub/", dir: true},
		{name: "sub/MAL-2025-1.json", body: osvJSON("MAL-2025-1", "2025-01-01T00:00:00Z", "npm", "evil-one", "")},
		// An older copy of the same id, later in the archive: loses.
		{name: "sub/old/MAL-2025-1.json", body: osvJSON("MAL-2025-1", "2024-01-01T00:00:00Z", "npm", "evil-one-old", "")},
		// A withdrawal of an id, newer than its publication.
		{name: "MAL-2025-2.json", body: osvJSON("MAL-2025-2", "2025-01-01T00:00:00Z", "PyPI", "evil-two", "")},
		{name: "w/MAL-2025-2.json", body: strings.Replace(osvJSON("MAL-2025-2", "2025-02-01T00:00:00Z", "PyPI", "evil-two", ""), `"published"`, `"withdrawn":"2025-02-01T00:00:00Z","published"`, 1)},
		// Unsafe names: ignored, even though they would be malicious.
		{name: "../escape.json", body: osvJSON("MAL-2025-3", "2025-01-01T00:00:00Z", "npm", "escape", "")},
		{name: "/abs/path.json", body: osvJSON("MAL-2025-4", "2025-01-01T00:00:00Z", "npm", "abs", "")},
		{name: `..\windows.json`, body: osvJSON("MAL-2025-5", "2025-01-01T00:00:00Z", "npm", "win", "")},
		{name: "C:/drive.json", body: osvJSON("MAL-2025-6", "2025-01-01T00:00:00Z", "npm", "drive", "")},
		{name: "README.md", body: "# not a record"},
	})
	db, st := importPaths(t, Limits{}, zipPath)
	if got, want := ids(db), []string{"MAL-2024-1002", "MAL-2025-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("records = %q, want %q", got, want)
	}
	want := Stats{Documents: 5, Malicious: 5, Withdrawn: 1, Duplicates: 2, Ignored: 1, UnsafePaths: 4,
		Ecosystems: map[ecosystem.Ecosystem]int{ecosystem.NPM: 3, ecosystem.PyPI: 1}}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("stats = %+v\nwant    %+v", st, want)
	}
	if advs := db.Lookup(ecosystem.NPM, "evil-one", ""); len(advs) != 1 {
		t.Errorf("evil-one: %+v", advs)
	}
	if advs := db.Lookup(ecosystem.NPM, "evil-one-old", ""); advs != nil {
		t.Errorf("older copy kept: %+v", advs)
	}
	if advs := db.Lookup(ecosystem.PyPI, "evil-two", ""); advs != nil {
		t.Errorf("withdrawn record kept: %+v", advs)
	}
	if src := db.Meta().Sources; len(src) != 1 || src[0].Kind != "zip" || src[0].Documents != 5 {
		t.Errorf("sources = %+v", src)
	}

	// A zip inside a directory is read too; the same error naming comes
	// through for a malformed entry.
	bad := filepath.Join(dir, "tree", "PyPI")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	writeZip(t, filepath.Join(bad, "all.zip"), []zipEntry{
		{name: "MAL-1.json", body: osvJSON("MAL-1", "2025-01-01T00:00:00Z", "PyPI", "a", "")},
		{name: "MAL-2.json", body: "{\n\"id\": \"MAL-2\",\n oops}"},
	})
	im := NewImporter(Limits{})
	err = im.Add(context.Background(), filepath.Join(dir, "tree"))
	var ie *record.InputError
	if !errors.As(err, &ie) || ie.File != filepath.Join(bad, "all.zip")+"!/MAL-2.json" || ie.Line != 3 {
		t.Errorf("error = %v (%#v)", err, ie)
	}
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(osvJSON("MAL-1", "2025-01-01T00:00:00Z", "npm", strings.Repeat("a", 100), "")), 0o644); err != nil {
		t.Fatal(err)
	}
	bomb := filepath.Join(dir, "bomb.zip")
	writeZip(t, bomb, []zipEntry{{name: "MAL-1.json", body: `{"id":"MAL-1","summary":"` + strings.Repeat(" ", 1<<20) + `"}`}})
	many := filepath.Join(dir, "many")
	if err := os.MkdirAll(many, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("MAL-%d.json", i)), []byte(osvJSON(fmt.Sprintf("MAL-%d", i), "2025-01-01T00:00:00Z", "npm", "x", "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	notZip := filepath.Join(dir, "not.zip")
	if err := os.WriteFile(notZip, []byte("PK\x03\x04garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		path   string
		limits Limits
		file   string
		msg    string
	}{
		{"missing", filepath.Join(dir, "nope"), Limits{}, filepath.Join(dir, "nope"), "no such file"},
		{"file too large", big, Limits{MaxFileSize: 64}, big, "larger than 64 bytes"},
		{"zip entry too large", bomb, Limits{MaxFileSize: 1 << 16}, bomb + "!/MAL-1.json", "larger than 65536 bytes"},
		{"too many documents", many, Limits{MaxDocuments: 3}, filepath.Join(many, "MAL-3.json"), "more than 3 documents"},
		{"too many bytes", many, Limits{MaxBytes: 300, Workers: 1}, "", "exceeds 300 bytes"},
		{"malformed", filepath.Join("testdata", "bad"), Limits{}, "", ""},
		{"broken zip", notZip, Limits{}, notZip, "not a readable zip file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := NewImporter(tt.limits)
			err := im.Add(context.Background(), tt.path)
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError", err)
			}
			if tt.file != "" && ie.File != tt.file || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("error = %v, want file %q and %q", err, tt.file, tt.msg)
			}
		})
	}
	// The first malformed file in walk order is the one reported, whatever
	// the parallelism.
	for range 5 {
		im := NewImporter(Limits{Workers: 8})
		err := im.Add(context.Background(), filepath.Join("testdata", "bad"))
		if err == nil || !strings.Contains(err.Error(), filepath.Join("testdata", "bad", "array.json")) {
			t.Fatalf("error = %v, want array.json (first in order)", err)
		}
	}
}

func TestImportCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	im := NewImporter(Limits{})
	if err := im.Add(ctx, filepath.Join("testdata", "osv")); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestImportMerge(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first")
	second := filepath.Join(dir, "second")
	for _, d := range []string{first, second} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path, body string) {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	withdrawn := func(s, when string) string {
		return strings.Replace(s, `"published"`, `"withdrawn":"`+when+`","published"`, 1)
	}
	write(filepath.Join(first, "a.json"), osvJSON("MAL-A", "2025-01-01T00:00:00Z", "npm", "keep-me", ""))
	write(filepath.Join(first, "b.json"), osvJSON("MAL-B", "2025-01-01T00:00:00Z", "npm", "withdraw-me", ""))
	write(filepath.Join(first, "c.json"), withdrawn(osvJSON("MAL-C", "2025-03-01T00:00:00Z", "npm", "stays-withdrawn", ""), "2025-03-01T00:00:00Z"))
	write(filepath.Join(first, "d.json"), osvJSON("MAL-D", "2025-01-01T00:00:00Z", "npm", "updated", `,"versions":["1.0.0"]`))
	old, _ := importPaths(t, Limits{}, first)

	write(filepath.Join(second, "b.json"), withdrawn(osvJSON("MAL-B", "2025-02-01T00:00:00Z", "npm", "withdraw-me", ""), "2025-02-01T00:00:00Z"))
	write(filepath.Join(second, "c.json"), osvJSON("MAL-C", "2025-01-01T00:00:00Z", "npm", "stays-withdrawn", "")) // older copy
	write(filepath.Join(second, "d.json"), osvJSON("MAL-D", "2025-02-01T00:00:00Z", "npm", "updated", `,"versions":["2.0.0"]`))
	write(filepath.Join(second, "e.json"), osvJSON("MAL-E", "2025-01-01T00:00:00Z", "PyPI", "new-one", ""))
	im := NewImporter(Limits{})
	im.Seed(old)
	if err := im.Add(context.Background(), second); err != nil {
		t.Fatal(err)
	}
	db := im.Build(testNow.Add(time.Hour))
	if got, want := ids(db), []string{"MAL-A", "MAL-D", "MAL-E"}; !reflect.DeepEqual(got, want) {
		t.Errorf("records = %q, want %q", got, want)
	}
	ts := db.Tombstones()
	keys := make([]string, 0, len(ts))
	for k := range ts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, []string{"MAL-B", "MAL-C"}) {
		t.Errorf("tombstones = %v", ts)
	}
	if advs := db.Lookup(ecosystem.NPM, "updated", "1.0.0"); advs != nil {
		t.Errorf("old copy of MAL-D still answers: %+v", advs)
	}
	if advs := db.Lookup(ecosystem.NPM, "updated", "2.0.0"); len(advs) != 1 {
		t.Errorf("new copy of MAL-D: %+v", advs)
	}
	src := db.Meta().Sources
	if len(src) != 2 || !src[0].Imported.Equal(testNow) || !src[1].Imported.Equal(testNow.Add(time.Hour)) {
		t.Errorf("sources = %+v", src)
	}
}
