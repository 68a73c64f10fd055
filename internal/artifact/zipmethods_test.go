package artifact

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz/lzma"
)

// bzip2 cannot be written with the standard library: these streams were
// made by the bzip2 CLI (`printf … | bzip2 -9`, `head -c 4194304
// /dev/zero | bzip2 -9`).
const (
	bzip2Plain = "import os\nprint(\"hello from a bzip2 entry\")\n"
	bzip2Hex   = "425a68393141592653599379379000000959800010506010003367dc30200022269a13c813d46f4851a32068d3234a7fb557e0c4f1cc939926847c320912b76abb50368d608e3a2ee48a70a12126f26f20"
	bzip2Zeros = "425a68393141592653595602e2880020204800c00000040008200030cc0529a60201b10201e2ee48a70a120ac05c5100"
)

// zipLZMA encodes data as a zip LZMA entry: version (2 bytes), properties
// size (2 bytes, 5), the properties, the raw stream; with or without an
// end marker. dict, if not zero, overwrites the dictionary size written.
func zipLZMABytes(tb testing.TB, data []byte, eos bool, dict uint32) []byte {
	tb.Helper()
	var buf bytes.Buffer
	cfg := lzma.WriterConfig{EOSMarker: eos, Size: int64(len(data)), SizeInHeader: true}
	w, err := cfg.NewWriter(&buf)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	classic := buf.Bytes()
	out := append([]byte{9, 20, 5, 0}, classic[:5]...)
	if dict != 0 {
		binary.LittleEndian.PutUint32(out[5:9], dict)
	}
	return append(out, classic[lzma.HeaderLen:]...)
}

// rawEnt is an entry written with its compressed bytes as given.
type rawEnt struct {
	name   string
	method uint16
	plain  []byte // for the CRC and the declared size
	comp   []byte
}

func rawZip(tb testing.TB, entries ...rawEnt) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method, CRC32: crc32.ChecksumIEEE(e.plain),
			CompressedSize64: uint64(len(e.comp)), UncompressedSize64: uint64(len(e.plain))}
		h.SetMode(0o644)
		w, err := zw.CreateRaw(h)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(e.comp); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func zstdBytes(tb testing.TB, data []byte) []byte {
	tb.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(data, nil)
}

// TestZipMethods: pip installs wheels whose entries are bzip2, LZMA or
// zstd compressed; they are read, not skipped as corrupt.
func TestZipMethods(t *testing.T) {
	meta := []byte("Metadata-Version: 2.1\nName: lzpkg\nVersion: 1.0\n\nreadme\n")
	pth := []byte("import lzpkg.hook\n")
	mod := []byte(strings.Repeat("print('zstd')\n", 100))
	big := []byte(strings.Repeat("x = 'hello'  # some text\n", 2000))
	archive := rawZip(t,
		rawEnt{"lzpkg-1.0.dist-info/METADATA", zipLZMA, meta, zipLZMABytes(t, meta, true, 0)},
		rawEnt{"lzpkg.pth", zipLZMA, pth, zipLZMABytes(t, pth, false, 0)},
		rawEnt{"lzpkg/big.py", zipLZMA, big, zipLZMABytes(t, big, false, 1<<30)}, // a 1 GiB dictionary asked for
		rawEnt{"lzpkg/b.py", zipBzip2, []byte(bzip2Plain), unhex(t, bzip2Hex)},
		rawEnt{"lzpkg/z.py", zipZstd, mod, zstdBytes(t, mod)},
	)
	tree := readBytes(t, "lzpkg-1.0-py3-none-any.whl", archive, Limits{})
	if len(tree.Findings) != 0 {
		t.Errorf("findings: %+v", tree.Findings)
	}
	if tree.Package.Name != "lzpkg" || tree.Package.Scripts["lzpkg.pth"] == "" {
		t.Errorf("package %+v", tree.Package)
	}
	want := map[string][]byte{"lzpkg-1.0.dist-info/METADATA": meta, "lzpkg.pth": pth, "lzpkg/big.py": big,
		"lzpkg/b.py": []byte(bzip2Plain), "lzpkg/z.py": mod}
	for p, body := range want {
		if f := tree.Lookup(p); f == nil || !bytes.Equal(f.Data, body) {
			t.Errorf("%s not read whole: %+v", p, f)
		}
	}
}

// TestZipMethodsHostile: the new methods are held to the bomb limits, and
// a broken stream is an unreadable entry, never a panic or a kept file.
func TestZipMethodsHostile(t *testing.T) {
	zeros := make([]byte, 4<<20)
	lz := zipLZMABytes(t, zeros, true, 0)
	badProps := append([]byte{9, 20, 7, 0}, lz[4:]...)
	truncated := zipLZMABytes(t, big(t), false, 0)
	truncated = truncated[:len(truncated)/2]
	tests := []struct {
		name string
		ent  rawEnt
		rule string
	}{
		{"lzma_bomb", rawEnt{"a.py", zipLZMA, zeros, lz}, RuleBomb},
		{"bzip2_bomb", rawEnt{"a.py", zipBzip2, zeros, unhex(t, bzip2Zeros)}, RuleBomb},
		{"zstd_bomb", rawEnt{"a.py", zipZstd, zeros, zstdBytes(t, zeros)}, RuleBomb},
		{"lzma_bad_properties", rawEnt{"a.py", zipLZMA, zeros[:10], badProps}, RuleCorrupt},
		{"lzma_truncated", rawEnt{"a.py", zipLZMA, big(t), truncated}, RuleCorrupt},
		{"bzip2_garbage", rawEnt{"a.py", zipBzip2, []byte("x"), []byte("BZh9garbage")}, RuleCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The per-file limit under the entry's size: its own ratio
			// counts (below the limit only the archive's would).
			tree := readBytes(t, "x.whl", rawZip(t, tc.ent), Limits{MaxFile: 1 << 20})
			if ok, _ := findingOf(tree, tc.rule); !ok {
				t.Errorf("no %s finding: %+v", tc.rule, tree.Findings)
			}
			if f := tree.Lookup("a.py"); f != nil && f.Data != nil {
				t.Errorf("kept %d bytes of a refused entry", len(f.Data))
			}
		})
	}
	// A lying declared size: the bomb is caught on the stream.
	lying := rawZip(t, rawEnt{"a.py", zipLZMA, zeros, lz})
	patchZipSizes(t, lying, uint32(len(lz)*2))
	tree := readBytes(t, "x.whl", lying, Limits{MaxFile: 1 << 20})
	if ok, _ := findingOf(tree, RuleBomb); !ok {
		if ok, _ := findingOf(tree, RuleCorrupt); !ok {
			t.Errorf("lying LZMA entry read: %+v", tree.Findings)
		}
	}
	if f := tree.Lookup("a.py"); f != nil && int64(len(f.Data)) > 2*int64(len(lz))+ratioFloor {
		t.Errorf("lying entry kept %d bytes", len(f.Data))
	}
}

// TestZipCompressibleEntry: an entry under the per-file limit that
// compresses far beyond the ratio limit (megabytes of zeros in a Go
// module's testdata) is read whole when the archive as a whole is not a
// bomb; in a zip that is little else, the archive's ratio still is one.
func TestZipCompressibleEntry(t *testing.T) {
	zeros := make([]byte, 6<<20)
	noise := make([]byte, 64<<10)
	rand.NewChaCha8([32]byte{1}).Read(noise)
	mk := func(withNoise bool) []byte {
		var buf bytes.Buffer
		w := zip.NewWriter(&buf)
		files := []struct {
			name string
			body []byte
		}{{"m@v1.0.0/go.mod", []byte("module m\n")}, {"m@v1.0.0/testdata/zeros.bin", zeros}}
		if withNoise {
			files = append(files, struct {
				name string
				body []byte
			}{"m@v1.0.0/testdata/noise.bin", noise})
		}
		for _, f := range files {
			fw, err := w.Create(f.name)
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(f.body)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tree := readBytes(t, "m@v1.0.0.zip", mk(true), Limits{})
	if ok, f := findingOf(tree, RuleBomb); ok {
		t.Errorf("an honest module zip is a bomb: %+v", f)
	}
	if f := tree.Lookup("testdata/zeros.bin"); f == nil || len(f.Data) != len(zeros) {
		t.Errorf("zeros.bin not read whole: %+v", tree.Files)
	}
	tree = readBytes(t, "m@v1.0.0.zip", mk(false), Limits{})
	if ok, _ := findingOf(tree, RuleBomb); !ok {
		t.Errorf("a zip of 6 MiB from a few KB is not a bomb: %+v", tree.Findings)
	}
}

func big(tb testing.TB) []byte { return []byte(strings.Repeat("y = 'some python text'\n", 5000)) }

// patchZipSizes rewrites the uncompressed size of every local and central
// header.
func patchZipSizes(tb testing.TB, z []byte, size uint32) {
	tb.Helper()
	for i := 0; i+4 <= len(z); i++ {
		switch string(z[i : i+4]) {
		case "PK\x03\x04":
			binary.LittleEndian.PutUint32(z[i+22:], size)
		case "PK\x01\x02":
			binary.LittleEndian.PutUint32(z[i+24:], size)
		}
	}
	if _, err := zip.NewReader(bytes.NewReader(z), int64(len(z))); err != nil && err != io.EOF {
		tb.Fatal(err)
	}
}
