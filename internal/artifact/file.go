package artifact

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// readSingle reads a plain file that is no archive (a source file, a
// script) as a package of that one file at its root, as a directory
// holding only it would be read: a reviewer inspects a suspicious file on
// its own. f is open at path; its size is size.
func readSingle(ctx context.Context, path string, f *os.File, size int64, lim Limits) (*Tree, error) {
	b := newBuilder(ctx, path, lim)
	b.countEntry()
	name, ok := b.entryName(filepath.Base(path), false)
	if !ok {
		return nil, fmt.Errorf("%s: a file name that cannot be a package path", path)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	// As a directory's file is read (dirFile): a limit stops reading, a
	// cancellation is the caller's, a read error is an unreadable entry.
	switch err := b.addFile(name, 0o644, b.meter(f, nil), size); {
	case err == nil:
	case errors.Is(err, errTooLarge), errors.Is(err, errBomb):
		b.stop(err, name, false)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("%s: %w", path, err)
	default:
		b.badEntry(name, map[string]any{"where": name, "error": err.Error()}, "%q unreadable: %v", name, err)
	}
	return b.finish(cDir, hint{}), nil
}
