package artifact

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"hash"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// container is the outer encoding of an archive, from its magic bytes.
type container int

const (
	cUnknown container = iota
	cTar
	cGzip  // a gzip-compressed tar
	cBzip2 // a bzip2-compressed tar
	cZip
	cDir
)

var containerNames = [...]string{"unknown", "tar", "gzip", "bzip2", "zip", "directory"}

func (c container) String() string { return containerNames[c] }

// hint is what the file name says.
type hint struct {
	ext  string // ".tgz", ".tar.gz", ".crate", ".gem", ".whl", ".nupkg", ".zip", ".tar", ".tar.bz2", or ""
	want container
}

var hints = []hint{ // longest suffixes first
	{".tar.bz2", cBzip2}, {".tar.gz", cGzip}, {".snupkg", cZip}, {".nupkg", cZip}, {".crate", cGzip},
	{".tbz2", cBzip2}, {".tgz", cGzip}, {".gem", cTar}, {".whl", cZip}, {".zip", cZip}, {".tar", cTar},
}

func hintOf(name string) hint {
	base := strings.ToLower(name)
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	for _, h := range hints {
		if strings.HasSuffix(base, h.ext) {
			switch h.ext {
			case ".snupkg":
				h.ext = ".nupkg"
			case ".tbz2":
				h.ext = ".tar.bz2"
			}
			return h
		}
	}
	return hint{}
}

// sniffLen is how many leading bytes sniff looks at.
const sniffLen = 512

// sniff detects the container from the first bytes.
func sniff(head []byte) container {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return cGzip
	case len(head) >= 10 && string(head[:3]) == "BZh" && head[3] >= '1' && head[3] <= '9' &&
		string(head[4:10]) == "1AY&SY":
		return cBzip2
	case len(head) >= 4 && string(head[:2]) == "PK" &&
		(string(head[2:4]) == "\x03\x04" || string(head[2:4]) == "\x05\x06" || string(head[2:4]) == "\x07\x08"):
		return cZip
	case len(head) >= 512 && isTarHeader(head[:512]):
		return cTar
	}
	return cUnknown
}

// isTarHeader reports whether b is a tar header block: ustar magic, a
// valid checksum (old v7 archives have no magic), or the all-zero block
// that ends (or, alone, makes) an empty archive.
func isTarHeader(b []byte) bool {
	if string(b[257:262]) == "ustar" {
		return true
	}
	if bytes.Count(b, []byte{0}) == len(b) {
		return true
	}
	var sum int64
	for i, c := range b {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	field := strings.TrimRight(strings.TrimSpace(string(bytes.Trim(b[148:156], "\x00"))), "\x00")
	var want int64
	if _, err := fmt.Sscanf(field, "%o", &want); err != nil {
		return false
	}
	return want == sum
}

// knownUnsupported reports an archive format that is recognized but not
// read: such a file is an error, never read as a plain file.
func knownUnsupported(head []byte) bool {
	return unsupported(head) != notAnArchive
}

const notAnArchive = "not a supported archive (tar, gzip or bzip2 tar, zip) or directory"

func unsupported(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\xfd7zXZ\x00")):
		return "xz-compressed archives are not supported"
	case bytes.HasPrefix(head, []byte("\x28\xb5\x2f\xfd")):
		return "zstd-compressed archives are not supported"
	case bytes.HasPrefix(head, []byte("MD5SUM =")):
		return "old-format (pre-2007) gems are not supported"
	}
	return notAnArchive
}

// Open reads the package archive or directory at path. The format comes
// from the content (magic bytes), the package flavour from the name and the
// content. A regular file that is no archive by its name or its content
// (a source file) is read as a package of that one file. A directory is
// walked without following symbolic links. The archive is read into
// memory within lim; nothing is written to disk.
// Hostile structure becomes findings in the Tree; an archive that cannot be
// read at all is an error.
func Open(ctx context.Context, path string, lim Limits) (*Tree, error) {
	fi, err := os.Stat(path) // the named path itself may be a link
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return readDir(ctx, path, lim.withDefaults())
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file or a directory", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	switch kind := sniff(head[:n]); {
	case kind == cZip:
		b := newBuilder(ctx, path, lim)
		return b.zip(hintOf(path), f, fi.Size())
	case kind == cUnknown && hintOf(path).ext == "" && !knownUnsupported(head[:n]):
		// Not an archive by its name or its content: one file.
		return readSingle(ctx, path, f, fi.Size(), lim)
	}
	return Read(ctx, path, f, lim)
}

// Read reads a package archive from r; name (a file name or path) gives the
// package flavour (.tgz, .whl, .gem, …) and appears in messages. A zip is
// buffered in memory (at most lim.MaxTotal bytes); other formats stream.
func Read(ctx context.Context, name string, r io.Reader, lim Limits) (*Tree, error) {
	b := newBuilder(ctx, name, lim)
	cr := &countReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	h := hintOf(name)
	kind := sniff(head)
	switch kind {
	case cUnknown:
		return nil, fmt.Errorf("%s: %s", name, unsupported(head))
	case cZip:
		data, err := io.ReadAll(io.LimitReader(br, b.lim.MaxTotal+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return b.zip(h, bytes.NewReader(data), int64(len(data)))
	}
	b.mismatch(h, kind)
	var stream io.Reader
	switch kind {
	case cGzip:
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: unreadable gzip stream: %w", name, err)
		}
		stream = b.meter(gz, func() int64 { return cr.n })
	case cBzip2:
		stream = b.meter(bzip2.NewReader(br), func() int64 { return cr.n })
	default:
		stream = b.meter(br, nil)
	}
	mode := tarTop
	switch {
	case kind == cTar && h.ext == ".gem":
		mode = tarGem
	case kind == cTar:
		mode = tarPlain
	}
	if err := b.readTar(stream, mode); err != nil {
		return nil, err
	}
	// What follows the end of the tar is read through the meter too, so
	// that a stream of zeros (which reads as an empty tar) is still
	// measured; other errors there are of no consequence.
	if !b.halted {
		_, err := io.Copy(io.Discard, stream)
		switch {
		case errors.Is(err, errBomb), errors.Is(err, errTooLarge):
			b.stop(err, "data after the end of the tar", false)
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, gzip.ErrChecksum), errors.As(err, new(bzip2.StructuralError)):
			// The tar is whole but its compressed stream is cut or
			// corrupt: npm and pip refuse it. Nothing was left unread.
			b.fs.add(RuleCorrupt, record.Medium, map[string]any{"where": "after the end of the tar", "error": err.Error()},
				"the compressed stream is truncated or corrupt after the end of the tar: %v", err)
			b.unread(IncompleteTruncated, RuleCorrupt, "after the end of the tar", false)
		}
	}
	return b.finish(kind, h), nil
}

// builder accumulates what one archive yields.
type builder struct {
	ctx     context.Context
	lim     Limits
	name    string
	files   []File // regular files; paths cleaned, not yet stripped; archive order
	entries int
	total   int64 // uncompressed bytes produced, all streams together
	halted  bool  // a limit stopped reading
	fs      findings
	gem     gemParts

	incomplete *Incomplete
	// rest are the names of the zip entries not read yet (the current
	// one included), known from the central directory; restKnown is false
	// for a stream whose rest is unknown (a tar, a directory).
	rest      []string
	restKnown bool
}

func newBuilder(ctx context.Context, name string, lim Limits) *builder {
	return &builder{ctx: ctx, name: name, lim: lim.withDefaults()}
}

func (b *builder) meter(r io.Reader, in func() int64) *meter {
	return &meter{ctx: b.ctx, r: r, total: &b.total, max: b.lim.MaxTotal, ratio: b.lim.MaxRatio, floor: ratioFloor, in: in}
}

// entryMeter is meter for one zip entry, whose ratio is checked from the
// per-file limit on (see ratioFloor).
func (b *builder) entryMeter(r io.Reader, in func() int64) *meter {
	m := b.meter(r, in)
	m.floor = max(ratioFloor, b.lim.MaxFile)
	return m
}

func (b *builder) mismatch(h hint, got container) {
	if h.ext != "" && h.want != got {
		b.fs.add(RuleFormatMismatch, record.Low, map[string]any{"extension": h.ext, "content": got.String()},
			"the name ends in %s but the content is a %s archive", h.ext, got)
	}
}

// countEntry counts one more entry; false (and a finding, once) past the limit.
func (b *builder) countEntry() bool {
	b.entries++
	if b.entries > b.lim.MaxFiles {
		ev := map[string]any{"limit": b.lim.MaxFiles}
		sev, it := unreadGrade(record.Medium, ev, b.rest, b.restKnown)
		b.fs.add(RuleTooManyFiles, sev, ev, "more than %d entries: reading stopped%s", b.lim.MaxFiles, unreadNote(it))
		b.unread(IncompleteLimit, RuleTooManyFiles, fmt.Sprintf("entry %d", b.entries), it)
		b.halted = true
		return false
	}
	return true
}

// stop turns an error met while reading into a finding (reading stops) or,
// for cancellation and for an archive of which nothing could be read, into
// the error returned.
func (b *builder) stop(err error, where string, fatal bool) error {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, errBomb):
		b.halted = true
		ev := map[string]any{"limit": b.lim.MaxRatio, "where": where, "uncompressed": b.total}
		_, it := unreadGrade(record.High, ev, b.rest, b.restKnown)
		b.fs.add(RuleBomb, record.High, ev,
			"decompression bomb: %s expands more than %d:1; reading stopped after %d bytes", where, b.lim.MaxRatio, b.total)
		b.unread(IncompleteLimit, RuleBomb, where, it)
	case errors.Is(err, errTooLarge):
		b.halted = true
		ev := map[string]any{"limit": b.lim.MaxTotal, "where": where}
		sev, it := unreadGrade(record.Medium, ev, b.rest, b.restKnown)
		b.fs.add(RuleTooLarge, sev, ev,
			"more than %d bytes uncompressed: reading stopped at %s%s", b.lim.MaxTotal, where, unreadNote(it))
		b.unread(IncompleteLimit, RuleTooLarge, where, it)
	case fatal:
		return fmt.Errorf("%s: unreadable archive: %w", b.name, err)
	default:
		b.halted = true
		ev := map[string]any{"where": where, "error": err.Error()}
		sev, it := unreadGrade(record.Medium, ev, b.rest, b.restKnown)
		b.fs.add(RuleCorrupt, sev, ev, "truncated or corrupt archive at %s: %v; reading stopped%s", where, err, unreadNote(it))
		b.unread(IncompleteTruncated, RuleCorrupt, where, it)
	}
	return nil
}

// entryName cleans an entry name and reports refused names. ok is false
// when the entry must be skipped.
func (b *builder) entryName(raw string, isDir bool) (p string, ok bool) {
	p, escaped, kind, detail := cleanName(raw)
	shown := p
	if shown == "" {
		shown = escapeName(raw)
	}
	if escaped {
		b.fs.add(RuleBadName, record.Low, map[string]any{"path": shown},
			"entry name %q is not valid UTF-8 or has control characters", shown)
	}
	switch kind {
	case nameOK:
		return p, true
	case nameEmpty:
		if !isDir {
			b.fs.add(RuleBadName, record.Low, map[string]any{"path": shown}, "entry with an empty name %q refused", shown)
		}
	case nameAbsolute, nameTraversal:
		b.fs.add(RulePathTraversal, record.High, map[string]any{"path": shown, "kind": detail},
			"entry %q refused: %s", shown, detail)
	case nameTooLong:
		b.fs.add(RuleBadName, record.Low, map[string]any{"path": truncate(shown, 200), "kind": detail},
			"entry name too long (%s) refused", detail)
	}
	return "", false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func (b *builder) link(p, target string, hard bool) {
	kind := "symbolic link"
	esc := linkEscapes(p, target)
	if hard {
		kind = "hard link"
		_, _, k, _ := cleanName(target)
		esc = k != nameOK
	}
	sev := record.Medium
	if esc {
		sev = record.High
	}
	t := truncate(escapeName(target), 512)
	b.fs.add(RuleSymlink, sev, map[string]any{"path": p, "target": t, "kind": kind, "escapes": esc},
		"%s %q -> %q refused", kind, p, t)
}

func (b *builder) special(p, kind string) {
	b.fs.add(RuleSpecialFile, record.Medium, map[string]any{"path": p, "kind": kind}, "%s %q refused", kind, p)
}

// addFile reads one regular file (declared is its size, or -1 if unknown)
// and appends it. Errors are those of the stream.
func (b *builder) addFile(p string, mode fs.FileMode, r io.Reader, declared int64) error {
	f, err := b.slurp(r, declared)
	if err != nil {
		return err
	}
	f.Path = p
	f.Mode = mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	if f.Data == nil {
		b.fs.add(RuleFileTooLarge, record.Low, map[string]any{"path": p, "size": f.Size, "limit": b.lim.MaxFile},
			"%q (%d bytes) is over the per-file limit of %d bytes: listed, content not kept", p, f.Size, b.lim.MaxFile)
	}
	b.files = append(b.files, f)
	return nil
}

// sniffBinary is how many leading bytes decide whether content is binary.
const sniffBinary = 8000

// slurp reads r to its end: the content if it fits the per-file limit,
// always the size, hash and binary flag.
func (b *builder) slurp(r io.Reader, declared int64) (File, error) {
	limit := b.lim.MaxFile
	h := sha256.New()
	var f File
	if declared > limit {
		return b.discard(h, r, nil)
	}
	c := declared
	if c < 0 {
		c = 32 << 10
	}
	buf := make([]byte, 0, min(c, limit)+1)
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return b.discard(h, r, buf)
			}
			nb := make([]byte, len(buf), min(2*int64(cap(buf)), limit+1))
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return f, err
		}
	}
	if cap(buf)-len(buf) > 4096 {
		buf = bytes.Clone(buf)
	}
	if buf == nil {
		buf = []byte{}
	}
	h.Write(buf)
	f.Data, f.Size, f.Binary = buf, int64(len(buf)), isBinary(buf)
	h.Sum(f.SHA256[:0])
	return f, nil
}

// discard hashes head and the rest of r without keeping it.
func (b *builder) discard(h hash.Hash, r io.Reader, head []byte) (File, error) {
	w := &sniffWriter{h: h}
	w.Write(head)
	if _, err := io.Copy(w, r); err != nil {
		return File{}, err
	}
	f := File{Size: w.n, Binary: isBinary(w.head)}
	h.Sum(f.SHA256[:0])
	return f, nil
}

// sniffWriter hashes what it is given and keeps its first bytes.
type sniffWriter struct {
	h    hash.Hash
	head []byte
	n    int64
}

func (w *sniffWriter) Write(p []byte) (int, error) {
	w.h.Write(p)
	if len(w.head) < sniffBinary {
		w.head = append(w.head, p[:min(len(p), sniffBinary-len(w.head))]...)
	}
	w.n += int64(len(p))
	return len(p), nil
}

// isBinary reports whether content looks binary: a NUL byte in its first
// 8000 bytes or the magic of an executable or object format.
func isBinary(b []byte) bool {
	for _, m := range binaryMagic {
		if bytes.HasPrefix(b, []byte(m)) {
			return true
		}
	}
	return bytes.IndexByte(b[:min(len(b), sniffBinary)], 0) >= 0
}

var binaryMagic = []string{
	"\x7fELF", "MZ\x90\x00", "\xcf\xfa\xed\xfe", "\xce\xfa\xed\xfe", "\xfe\xed\xfa\xcf", "\xfe\xed\xfa\xce",
	"\xca\xfe\xba\xbe", "\x00asm",
}
