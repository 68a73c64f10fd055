package artifact

import (
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz/lzma"
)

// Zip compression methods besides store and deflate that pip installs:
// Python's zipfile reads bzip2 (12) and LZMA (14), and zstd (93) since
// Python 3.14.
const (
	zipBzip2 uint16 = 12
	zipLZMA  uint16 = 14
	zipZstd  uint16 = 93
)

// maxDictionary bounds the dictionary (history window) an LZMA or zstd
// entry may ask for: decoders allocate it up front. Real packages use at
// most a few MiB; an entry over this is reported as unreadable.
const maxDictionary = 64 << 20

// zipMethods registers the bzip2, LZMA and zstd decompressors on one
// zip.Reader (never globally). size returns the uncompressed size the
// central directory declares for the entry being opened: zip's LZMA
// streams carry none, and the decoder needs it when there is no
// end-of-stream marker. Output goes through the same meter as deflate.
func zipMethods(zr *zip.Reader, size func() int64) {
	zr.RegisterDecompressor(zipBzip2, func(r io.Reader) io.ReadCloser {
		return io.NopCloser(bzip2.NewReader(r))
	})
	zr.RegisterDecompressor(zipLZMA, func(r io.Reader) io.ReadCloser {
		lr, err := zipLZMAReader(r, size())
		if err != nil {
			return errReadCloser{err}
		}
		return io.NopCloser(lr)
	})
	zr.RegisterDecompressor(zipZstd, func(r io.Reader) io.ReadCloser {
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(maxDictionary))
		if err != nil {
			return errReadCloser{err}
		}
		return d.IOReadCloser()
	})
}

// zipSize returns an entry's declared uncompressed size, -1 if over int64.
func zipSize(f *zip.File) int64 {
	if f.UncompressedSize64 > math.MaxInt64 {
		return -1
	}
	return int64(f.UncompressedSize64)
}

// zipLZMAReader reads an LZMA entry: a 4-byte header (the LZMA SDK
// version, 2 bytes, and the size of the properties, 2 bytes, always 5),
// the 5 properties bytes (lc/lp/pb and the dictionary size), then the raw
// stream, with or without an end marker. The classic 13-byte header is
// rebuilt around the properties with the declared size, and the
// dictionary never made larger than the output can use.
func zipLZMAReader(r io.Reader, size int64) (io.Reader, error) {
	var pre [9]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, fmt.Errorf("lzma header: %w", err)
	}
	if n := binary.LittleEndian.Uint16(pre[2:4]); n != 5 {
		return nil, fmt.Errorf("lzma header: %d properties bytes, want 5", n)
	}
	if size < 0 {
		return nil, errors.New("lzma: uncompressed size unknown")
	}
	var h [lzma.HeaderLen]byte
	h[0] = pre[4]
	dict := int64(binary.LittleEndian.Uint32(pre[5:9]))
	dict = min(dict, max(size, lzma.MinDictCap))
	binary.LittleEndian.PutUint32(h[1:5], uint32(min(dict, 1<<32-1)))
	binary.LittleEndian.PutUint64(h[5:], uint64(size))
	return lzma.ReaderConfig{DictCap: maxDictionary}.NewReader(io.MultiReader(bytes.NewReader(h[:]), r))
}

// errReadCloser fails every read: a decompressor that could not start.
type errReadCloser struct{ err error }

func (e errReadCloser) Read([]byte) (int, error) { return 0, e.err }
func (e errReadCloser) Close() error             { return nil }

// zipMethodSupported reports whether an entry's method can be read.
func zipMethodSupported(m uint16) bool {
	switch m {
	case zip.Store, zip.Deflate, zipBzip2, zipLZMA, zipZstd:
		return true
	}
	return false
}
