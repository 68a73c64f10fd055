package fastcopy

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"strings"
	"testing"
)

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	for _, text := range []string{"", "name\trank\tdownloads\n", "name\trank\nsemver\t1\n" + strings.Repeat("pkg\t2\n", 5000)} {
		gz := gzipped(t, text)
		fc, err := Encode(gz)
		if err != nil {
			t.Fatal(err)
		}
		crc, size, err := GzipTrailer(gz)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(fc, crc, size)
		if err != nil || got != text {
			t.Errorf("Decode(Encode(%.20q)) = %.20q, %v", text, got, err)
		}
		again, _ := Encode(gz)
		if !bytes.Equal(again, fc) {
			t.Errorf("Encode(%.20q) is not deterministic", text)
		}
	}
}

// TestDecodeRefuses checks that a copy of another source, version or
// format, or a corrupt one, is refused rather than decoded.
func TestDecodeRefuses(t *testing.T) {
	text := "name\trank\tdownloads\nsemver\t1\t200\nansi-styles\t2\t100\n"
	gz := gzipped(t, text)
	fc, err := Encode(gz)
	if err != nil {
		t.Fatal(err)
	}
	crc, size, _ := GzipTrailer(gz)
	otherCRC, otherSize, _ := GzipTrailer(gzipped(t, text+"chalk\t3\t50\n"))
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(fc)) }
	for _, tt := range []struct {
		name      string
		fc        []byte
		crc, size uint32
		want      string
	}{
		{"other source", fc, otherCRC, otherSize, "stale"},
		{"other size", fc, crc, size + 1, "stale"},
		{"version", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], 2); return b }), crc, size, "version"},
		{"magic", edit(func(b []byte) []byte { b[0] = 'X'; return b }), crc, size, "not a fast"},
		{"short", fc[:10], crc, size, "not a fast"},
		{"truncated", fc[:len(fc)-5], crc, size, "fast corpus copy"},
		{"corrupt", edit(func(b []byte) []byte { b[len(b)-6] ^= 0x40; return b }), crc, size, "fast corpus copy"},
		{"header lies", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[8:], otherCRC)
			binary.LittleEndian.PutUint32(b[12:], otherSize)
			return b
		}), otherCRC, otherSize, "does not decode to its source"},
	} {
		got, err := Decode(tt.fc, tt.crc, tt.size)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Decode = %.20q, %v; want an error with %q", tt.name, got, err, tt.want)
		}
	}
	if got, err := Decode(fc, crc, size); err != nil || got != text {
		t.Fatalf("Decode of the good copy = %q, %v", got, err)
	}
}

func FuzzDecode(f *testing.F) {
	text := "name\trank\nx\t1\n"
	gz := gzipped(f, text)
	fc, _ := Encode(gz)
	crc, size, _ := GzipTrailer(gz)
	f.Add(fc, crc, size)
	f.Fuzz(func(t *testing.T, fc []byte, crc, size uint32) {
		got, err := Decode(fc, crc, size)
		if err == nil && (uint32(len(got)) != size) {
			t.Fatalf("Decode accepted %d bytes for size %d", len(got), size)
		}
	})
}
