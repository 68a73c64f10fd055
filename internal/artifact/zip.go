package artifact

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// zipCentralSig starts every central-directory header.
var zipCentralSig = []byte("PK\x01\x02")

// zip reads a zip archive of size bytes.
func (b *builder) zip(h hint, ra io.ReaderAt, size int64) (*Tree, error) {
	b.mismatch(h, cZip)
	if err := b.readZip(ra, size); err != nil {
		return nil, err
	}
	return b.finish(cZip, h), nil
}

func (b *builder) readZip(ra io.ReaderAt, size int64) error {
	if size > b.lim.MaxTotal {
		b.halted = true
		ev := map[string]any{"limit": b.lim.MaxTotal, "size": size}
		sev, it := unreadGrade(record.Medium, ev, nil, false)
		b.fs.add(RuleTooLarge, sev, ev, "zip of more than %d bytes: not read%s", b.lim.MaxTotal, unreadNote(it))
		b.unread(IncompleteLimit, RuleTooLarge, "the zip", it)
		return nil
	}
	// archive/zip builds a File for every central-directory header before
	// anything can be checked; count the headers first (an upper bound:
	// every header starts with its signature).
	n, err := countSig(ra, size, zipCentralSig, b.lim.MaxFiles)
	if err != nil {
		return fmt.Errorf("%s: %w", b.name, err)
	}
	if n > b.lim.MaxFiles {
		b.halted = true
		ev := map[string]any{"limit": b.lim.MaxFiles}
		sev, it := unreadGrade(record.Medium, ev, nil, false)
		b.fs.add(RuleTooManyFiles, sev, ev, "zip with more than %d entries: not read%s", b.lim.MaxFiles, unreadNote(it))
		b.unread(IncompleteLimit, RuleTooManyFiles, "the zip", it)
		return nil
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("%s: unreadable zip: %w", b.name, err)
	}
	var opening int64 = -1 // the declared size of the entry being opened
	zipMethods(zr, func() int64 { return opening })
	overlaps := zipOverlaps(zr.File)
	names := make([]string, len(zr.File))
	for i, f := range zr.File {
		names[i] = f.Name
	}
	b.restKnown = true
	for i, f := range zr.File {
		if b.halted {
			break
		}
		b.rest = names[i:]
		if err := b.ctx.Err(); err != nil {
			return err
		}
		if !b.countEntry() {
			break
		}
		mode := f.Mode()
		isDir := mode.IsDir() || strings.HasSuffix(f.Name, "/") || strings.HasSuffix(f.Name, `\`)
		p, ok := b.entryName(f.Name, isDir)
		if !ok {
			continue
		}
		switch {
		case mode&fs.ModeSymlink != 0:
			opening = zipSize(f)
			b.link(p, zipLinkTarget(f), false)
			continue
		case isDir:
			continue
		case mode&fs.ModeDevice != 0:
			b.special(p, "device file")
			continue
		case mode&fs.ModeNamedPipe != 0:
			b.special(p, "FIFO")
			continue
		case mode&(fs.ModeSocket|fs.ModeIrregular) != 0:
			b.special(p, "special file")
			continue
		case overlaps[i]:
			b.fs.add(RuleBomb, record.High, map[string]any{"path": p, "kind": "overlapping-entries"},
				"zip entry %q shares compressed data with another entry (overlapping-entry bomb): skipped", p)
			b.unread(IncompleteLimit, RuleBomb, p, mayRunAtInstall(p, nil))
			continue
		case f.Flags&0x1 != 0:
			b.badEntry(p, map[string]any{"where": p, "error": "encrypted"}, "zip entry %q is encrypted: skipped", p)
			continue
		case !zipMethodSupported(f.Method):
			b.badEntry(p, map[string]any{"where": p, "error": "unsupported method", "method": int(f.Method)},
				"zip entry %q uses unsupported compression method %d: skipped", p, f.Method)
			continue
		}
		comp := int64(min(f.CompressedSize64, uint64(size)))
		if u := f.UncompressedSize64; u > uint64(max(ratioFloor, b.lim.MaxFile)) && u/uint64(max(comp, 1)) >= uint64(b.lim.MaxRatio) {
			b.fs.add(RuleBomb, record.High, map[string]any{"path": p, "limit": b.lim.MaxRatio, "compressed": comp, "uncompressed": u},
				"zip entry %q declares %d bytes from %d compressed (over %d:1): skipped", p, u, comp, b.lim.MaxRatio)
			b.unread(IncompleteLimit, RuleBomb, p, mayRunAtInstall(p, nil))
			continue
		}
		declared := zipSize(f)
		opening = declared
		rc, err := f.Open()
		if err == nil {
			err = b.addFile(p, mode, b.entryMeter(rc, func() int64 { return comp }), declared)
			rc.Close()
		}
		switch {
		case err == nil:
		case errors.Is(err, errBomb), errors.Is(err, errTooLarge):
			return b.stop(err, p, false)
		default:
			if err := b.ctx.Err(); err != nil {
				return err
			}
			b.badEntry(p, map[string]any{"where": p, "error": err.Error()}, "zip entry %q unreadable: %v", p, err)
		}
		if b.total > ratioFloor && b.total > b.lim.MaxRatio*max(size, 1) {
			b.rest = names[i+1:]
			return b.stop(errBomb, "the zip", false)
		}
	}
	return nil
}

// zipOverlaps marks the entries whose compressed data overlaps that of an
// entry stored earlier in the file: legitimate zips never share data, zip
// bombs made of overlapping entries do.
func zipOverlaps(files []*zip.File) []bool {
	type span struct {
		i          int
		start, end int64
	}
	spans := make([]span, 0, len(files))
	for i, f := range files {
		if f.CompressedSize64 == 0 || f.CompressedSize64 > math.MaxInt64/2 {
			continue
		}
		off, err := f.DataOffset()
		if err != nil {
			continue // Open fails on it too
		}
		spans = append(spans, span{i, off, off + int64(f.CompressedSize64)})
	}
	slices.SortStableFunc(spans, func(a, b span) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
	out := make([]bool, len(files))
	var end int64 = -1
	for _, s := range spans {
		if s.start < end {
			out[s.i] = true
		}
		end = max(end, s.end)
	}
	return out
}

// zipLinkTarget returns the target stored as a symbolic link's content.
func zipLinkTarget(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	t, _ := io.ReadAll(io.LimitReader(rc, 4096))
	return string(t)
}

// countSig counts the occurrences of sig in ra, stopping past limit.
func countSig(ra io.ReaderAt, size int64, sig []byte, limit int) (int, error) {
	const chunk = 1 << 20
	buf := make([]byte, min(chunk+int64(len(sig))-1, size))
	n := 0
	for off := int64(0); off < size && n <= limit; off += chunk {
		m, err := ra.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if err != nil && !errors.Is(err, io.EOF) {
			return n, err
		}
		// A signature starting in the overlap cannot fit in it: no double count.
		n += bytes.Count(buf[:m], sig)
	}
	return n, nil
}
