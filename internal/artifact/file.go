package artifact

import (
	"context"
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
	if err := b.addFile(name, 0o644, b.meter(f, nil), size); err != nil {
		b.stop(err, name, false)
	}
	return b.finish(cDir, hint{}), nil
}
