package typosquat

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// TestPreparedUpToDate fails when a prepared index is missing or does not
// match its corpus: run go generate ./internal/typosquat.
func TestPreparedUpToDate(t *testing.T) {
	for _, eco := range ecosystem.All() {
		c, err := corpus.Embedded(eco)
		if err != nil {
			t.Fatal(err)
		}
		crc, size, err := corpus.Fingerprint(eco)
		if err != nil {
			t.Fatal(err)
		}
		want, err := EncodePrepared(eco, c.Entries, crc, size)
		if err != nil {
			t.Fatalf("%s: %v", eco, err)
		}
		got, err := preparedFile(eco)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: prepared index missing or stale (%v): run go generate ./internal/typosquat", eco, err)
			continue
		}
		if _, err := buildPrepared(eco, nil, DefaultOptions()); err != nil {
			t.Errorf("%s: prepared index refused: %v", eco, err)
		}
	}
}

// TestBuildEmbeddedMatchesBuild checks that the index decoded from a
// prepared file, with user names added, is the one Build makes from the
// corpus and the same names: same targets, same groups, same findings.
func TestBuildEmbeddedMatchesBuild(t *testing.T) {
	user := append(entries("lodash", "acme-billing", "@acme/auth-kit", "Requests", "arnio2", "github.com/acme/tool"),
		corpus.Entry{Name: "acme-internal"}, corpus.Entry{Name: "semver", Rank: 0, Downloads: 1})
	for _, eco := range ecosystem.All() {
		t.Run(string(eco), func(t *testing.T) {
			got, err := buildPrepared(eco, user, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			c, err := corpus.Embedded(eco)
			if err != nil {
				t.Fatal(err)
			}
			want := Build(eco, append(c.Entries, user...), DefaultOptions())
			if !reflect.DeepEqual(got.targets, want.targets) || !reflect.DeepEqual(got.scopes, want.scopes) || got.canonLen() != want.canonLen() {
				t.Fatal("targets, canonical names or scopes differ from Build's")
			}
			for i := range want.targets {
				c := want.targets[i].canon
				if id, ok := got.lookup(c); !ok || id != int32(i) {
					t.Fatalf("lookup(%q) = %d, %v, want %d", c, id, ok, i)
				}
				if _, ok := got.lookup(c + "-not-in-the-corpus"); ok {
					t.Fatalf("lookup(%q) found a target", c+"-not-in-the-corpus")
				}
			}
			for name, pair := range map[string][2][][]int32{"strip": {got.stripLen, want.stripLen}, "skel": {got.skelLen, want.skelLen},
				"words": {got.wordsLen, want.wordsLen}, "digits": {got.digitsLen, want.digitsLen}, "flat": {got.flatLen, want.flatLen}, "edit": {got.editLen, want.editLen}} {
				if !reflect.DeepEqual(pair[0], pair[1]) {
					t.Errorf("%s groups differ from Build's", name)
				}
			}
			names := []string{"acme-biling", "@acme/auth-kits", "lodahs", "reqeusts", "github.com/acme/tol"}
			for i := 0; i < len(c.Entries); i += 11 {
				names = append(names, variants(c.Entries[i].Name)...)
			}
			for _, n := range names {
				if g, w := got.Check(n), want.Check(n); !reflect.DeepEqual(g, w) {
					t.Fatalf("Check(%q):\n got %v\nwant %v", n, g, w)
				}
			}
		})
	}
}

// TestPreparedRefused checks that a prepared file of another corpus or
// version, or a corrupt one, is refused, not decoded into a wrong index.
func TestPreparedRefused(t *testing.T) {
	es := entries("lodash", "cross-env", "@types/node", "Base64", "arnio")
	good, err := EncodePrepared(ecosystem.NPM, es, 7, 99)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodePrepared(ecosystem.NPM, good, 7, 99, DefaultOptions(), 0); err != nil {
		t.Fatalf("good file refused: %v", err)
	}
	edit := func(f func(b []byte)) []byte { b := bytes.Clone(good); f(b); return b }
	// resum edits the payload and sets its checksum again, so that the
	// structure itself is what is refused.
	resum := func(f func(p []byte)) []byte {
		return edit(func(b []byte) {
			f(b[preparedHeader:])
			binary.LittleEndian.PutUint32(b[24:], crc32.Checksum(b[preparedHeader:], castagnoli))
		})
	}
	table := func(p []byte) []byte { return p[len(p)-4*canonSlots(5):] }
	firstUsed := func(p []byte) []byte {
		t := table(p)
		for j := 0; j < len(t); j += 4 {
			if binary.LittleEndian.Uint32(t[j:]) != 0 {
				return t[j : j+4]
			}
		}
		panic("empty table")
	}
	lastUsed := func(p []byte) []byte {
		t := table(p)
		for j := len(t) - 4; j >= 0; j -= 4 {
			if binary.LittleEndian.Uint32(t[j:]) != 0 {
				return t[j : j+4]
			}
		}
		panic("empty table")
	}
	for _, tt := range []struct {
		name      string
		b         []byte
		crc, size uint32
		want      string
	}{
		{"other corpus", good, 8, 99, "stale"},
		{"other size", good, 7, 100, "stale"},
		{"version", edit(func(b []byte) { binary.LittleEndian.PutUint32(b[4:], preparedVersion+1) }), 7, 99, "version"},
		{"magic", edit(func(b []byte) { b[1] = 'X' }), 7, 99, "not a prepared"},
		{"short", good[:20], 7, 99, "not a prepared"},
		{"count", edit(func(b []byte) { binary.LittleEndian.PutUint32(b[16:], 4) }), 7, 99, "header says"},
		{"length", edit(func(b []byte) { binary.LittleEndian.PutUint32(b[20:], binary.LittleEndian.Uint32(b[20:])+1) }), 7, 99, "header says"},
		{"corrupt", edit(func(b []byte) { b[len(b)-6] ^= 0x10 }), 7, 99, "checksum"},
		{"corrupt record", edit(func(b []byte) { b[preparedHeader+18] = 9 }), 7, 99, "checksum"},
		{"truncated", good[:len(good)-3], 7, 99, "prepared index"},
		{"table id out of range", resum(func(p []byte) { binary.LittleEndian.PutUint32(firstUsed(p), 6) }), 7, 99, "header says"},
		{"table lacks a target", resum(func(p []byte) { binary.LittleEndian.PutUint32(firstUsed(p), 0) }), 7, 99, "header says"},
		{"table holds a target twice", resum(func(p []byte) {
			first := firstUsed(p)
			binary.LittleEndian.PutUint32(first, binary.LittleEndian.Uint32(lastUsed(p)))
		}), 7, 99, "header says"},
		{"kind", resum(func(p []byte) { p[18] = 9 }), 7, 99, "header says"},
	} {
		if _, err := decodePrepared(ecosystem.NPM, tt.b, tt.crc, tt.size, DefaultOptions(), 0); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.want)
		}
	}
}

func FuzzDecodePrepared(f *testing.F) {
	good, _ := EncodePrepared(ecosystem.NPM, entries("lodash", "@types/node", "cross-env"), 1, 2)
	f.Add(good[preparedHeader:], uint32(3), uint32(len(good)))
	f.Fuzz(func(t *testing.T, frame []byte, count, length uint32) {
		b := bytes.Clone(good[:preparedHeader])
		binary.LittleEndian.PutUint32(b[16:], count)
		binary.LittleEndian.PutUint32(b[20:], length)
		// The checksum right, so that the structure is what is fuzzed.
		binary.LittleEndian.PutUint32(b[24:], crc32.Checksum(frame, castagnoli))
		ix, err := decodePrepared(ecosystem.NPM, append(b, frame...), 1, 2, DefaultOptions(), 0)
		if err == nil {
			ix.finish()
			ix.Check("lodahs")
		}
	})
}
