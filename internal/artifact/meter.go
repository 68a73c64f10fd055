package artifact

import (
	"context"
	"errors"
	"io"
)

// ratioFloor is the number of bytes a compressed stream may produce before
// its compression ratio is checked: small, highly compressible files (tar
// padding, a few KB of zeros) are normal.
const ratioFloor = 1 << 20

// A zip entry's own ratio is checked only once it is past the per-file
// limit (Limits.MaxFile): below it the entry costs at most that much memory
// however well it compresses (honest Go modules carry megabytes of zeros in
// testdata), and the whole archive's ratio is still checked after each
// entry, from ratioFloor on.

// Limit errors stop a stream; the reader turns them into findings.
var (
	errBomb     = errors.New("compression ratio over the limit")
	errTooLarge = errors.New("total uncompressed size over the limit")
)

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// meter enforces the total-size and compression-ratio limits on one
// decompressed stream, and cancellation. Its errors are sticky.
type meter struct {
	ctx   context.Context
	r     io.Reader
	total *int64 // bytes produced by every stream of the archive
	max   int64  // limit on *total
	ratio int64
	floor int64        // bytes this stream may produce before its ratio is checked
	in    func() int64 // compressed bytes behind the stream; nil if not compressed
	out   int64        // bytes produced by this stream
	err   error
}

func (m *meter) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if err := m.ctx.Err(); err != nil {
		m.err = err
		return 0, err
	}
	// Never read far past the limit: at most one byte over it.
	if room := m.max - *m.total + 1; int64(len(p)) > room {
		p = p[:max(room, 1)]
	}
	n, err := m.r.Read(p)
	m.out += int64(n)
	*m.total += int64(n)
	switch {
	case *m.total > m.max:
		m.err = errTooLarge
	case m.in != nil && m.out > m.floor && m.out > m.ratio*max(m.in(), 1):
		m.err = errBomb
	}
	if m.err != nil {
		return n, m.err
	}
	return n, err
}
