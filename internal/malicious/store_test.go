package malicious

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestStoreRoundTrip(t *testing.T) {
	db, _ := importPaths(t, Limits{}, filepath.Join("testdata", "osv"))
	path := filepath.Join(t.TempDir(), "nested", "dir", "malicious.db")
	if err := db.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Meta(), db.Meta()) {
		t.Errorf("meta = %+v\nwant %+v", got.Meta(), db.Meta())
	}
	if len(got.Records()) != len(db.Records()) {
		t.Fatalf("%d records, want %d", len(got.Records()), len(db.Records()))
	}
	for i, r := range db.Records() {
		if !reflect.DeepEqual(got.Records()[i], r) {
			t.Errorf("record %d = %+v\nwant %+v", i, got.Records()[i], r)
		}
	}
	if !reflect.DeepEqual(got.Tombstones(), db.Tombstones()) {
		t.Errorf("tombstones = %v, want %v", got.Tombstones(), db.Tombstones())
	}
	// Saving what was loaded gives the same bytes: the format is
	// deterministic (map order does not leak into it).
	var a, b bytes.Buffer
	if err := db.encode(&a); err != nil {
		t.Fatal(err)
	}
	if err := got.encode(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("re-encoding a loaded database changes its bytes")
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("stat = %v, %v", st, err)
	}
}

func TestStoreEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db := Build(nil, nil, Meta{Imported: testNow})
	if err := db.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil || got.Len() != 0 || !got.Meta().Imported.Equal(testNow) {
		t.Errorf("Load = %+v, %v", got, err)
	}
}

func TestAtomicWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "malicious.db")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := writeAtomic(path, func(w io.Writer) error {
		if _, err := w.Write(bytes.Repeat([]byte("x"), 1<<17)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("the old file was changed: %q…", data[:min(len(data), 10)])
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	// A successful write replaces the file; no temporary file remains.
	if err := writeAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new" {
		t.Errorf("file = %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestLoadErrors(t *testing.T) {
	db, _ := importPaths(t, Limits{}, filepath.Join("testdata", "osv"))
	var good bytes.Buffer
	if err := db.encode(&good); err != nil {
		t.Fatal(err)
	}
	data := good.Bytes()
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 0x40
	wrongVersion := bytes.Clone(data[:len(data)-4])
	wrongVersion[len(storeMagic)] = 9
	wrongVersion = reencodeCRC(wrongVersion)
	// A record count far beyond what the file can hold, with a valid
	// checksum: refused before allocating.
	hugeCount := append([]byte(storeMagic), 1, 2, '{', '}', 0xff, 0xff, 0xff, 0xff, 0x0f)
	hugeCount = reencodeCRC(hugeCount)
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty", nil, "bad magic"},
		{"not a store", []byte(`{"id":"MAL-1"}`), "bad magic"},
		{"truncated", data[:len(data)-10], "checksum"},
		{"flipped bit", flipped, "checksum"},
		{"other version", wrongVersion, "format version 9"},
		{"huge count", hugeCount, "exceeds the file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.db")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), path) {
				t.Errorf("Load error = %v, want %q", err, tt.msg)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("a directory loaded")
	}
}

// reencodeCRC appends the checksum of body.
func reencodeCRC(body []byte) []byte {
	var e encoder
	e.crc = 0
	e.buf = body
	var out bytes.Buffer
	e.w = &out
	e.flush()
	return append(out.Bytes(), byte(e.crc), byte(e.crc>>8), byte(e.crc>>16), byte(e.crc>>24))
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/tmp/cache-test")
	t.Setenv("HOME", "/tmp/home-test")
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p) != "malicious.db" || filepath.Base(filepath.Dir(p)) != "pkgward" {
		t.Errorf("DefaultPath = %q", p)
	}
}
