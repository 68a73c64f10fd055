// Package fastcopy encodes and decodes the fast copies of the embedded
// corpora. Every embedded corpus data/ECO.tsv.gz (the reviewed source,
// written by tools/corpusgen) has a generated copy data/ECO.tsv.zst that
// decodes about four times faster: decoding the npm corpus was most of
// what `pkgward check` spent before judging. `go generate ./internal/corpus`
// writes the copies (Encode); corpus's TestFastCopiesUpToDate fails when
// one is missing or stale.
//
// A copy is a 16-byte header and a zstd frame (with its content checksum)
// of the uncompressed TSV:
//
//	magic   "PWCZ"
//	version uint32, little-endian (1)
//	crc     uint32: CRC-32 (IEEE) of the uncompressed TSV
//	size    uint32: its length
//
// crc and size are the fields of the source's gzip trailer, so a copy is
// matched to its source without decoding either; the decoded copy is
// checked against both. A copy that does not match (stale, corrupt or of
// another version) is refused by Decode, and the corpus is then read from
// its source.
package fastcopy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"unsafe"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

const (
	magic   = "PWCZ"
	version = 1
	header  = 16
	// MaxSize bounds the decoded size of a corpus.
	MaxSize = 64 << 20
)

// Encode returns the fast copy of a gzip'd corpus file.
func Encode(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	text, err := io.ReadAll(io.LimitReader(zr, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(text) > MaxSize {
		return nil, fmt.Errorf("corpus larger than %d bytes", MaxSize)
	}
	crc, size, err := GzipTrailer(gz)
	if err != nil {
		return nil, err
	}
	if crc != crc32.ChecksumIEEE(text) || size != uint32(len(text)) {
		return nil, errors.New("gzip trailer does not match the content")
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1), zstd.WithEncoderCRC(true))
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	out := make([]byte, header, header+len(gz))
	copy(out, magic)
	binary.LittleEndian.PutUint32(out[4:], version)
	binary.LittleEndian.PutUint32(out[8:], crc)
	binary.LittleEndian.PutUint32(out[12:], size)
	return enc.EncodeAll(text, out), nil
}

// gzipTrailer returns the CRC-32 and size (mod 2³²) a gzip file ends with.
func GzipTrailer(gz []byte) (crc, size uint32, err error) {
	if len(gz) < 18 { // 10-byte header, 8-byte trailer
		return 0, 0, errors.New("not a gzip file")
	}
	t := gz[len(gz)-8:]
	return binary.LittleEndian.Uint32(t), binary.LittleEndian.Uint32(t[4:]), nil
}

// Decode decodes a fast copy whose source ends with the gzip trailer
// (crc, size), refusing a copy that does not match it.
func Decode(fc []byte, crc, size uint32) (string, error) {
	if len(fc) < header || string(fc[:4]) != magic {
		return "", errors.New("not a fast corpus copy")
	}
	if v := binary.LittleEndian.Uint32(fc[4:]); v != version {
		return "", fmt.Errorf("fast corpus copy version %d, want %d", v, version)
	}
	if binary.LittleEndian.Uint32(fc[8:]) != crc || binary.LittleEndian.Uint32(fc[12:]) != size {
		return "", errors.New("fast corpus copy is stale: it does not match its source")
	}
	if size > MaxSize {
		return "", fmt.Errorf("corpus larger than %d bytes", MaxSize)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(MaxSize))
	if err != nil {
		return "", err
	}
	defer dec.Close()
	text, err := dec.DecodeAll(fc[header:], make([]byte, 0, size))
	if err != nil {
		return "", fmt.Errorf("fast corpus copy: %w", err)
	}
	if uint32(len(text)) != size || crc32.ChecksumIEEE(text) != crc {
		return "", errors.New("fast corpus copy does not decode to its source")
	}
	if len(text) == 0 {
		return "", nil
	}
	// text is never written again: the string shares its memory rather
	// than copying the corpus once more.
	return unsafe.String(&text[0], len(text)), nil
}
