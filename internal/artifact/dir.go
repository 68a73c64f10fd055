package artifact

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// readDir walks a directory: symbolic links are reported, never followed,
// and files are opened through an os.Root, so nothing outside the
// directory is read even if the tree changes during the walk.
func readDir(ctx context.Context, dir string, lim Limits) (*Tree, error) {
	b := newBuilder(ctx, dir, lim)
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			if p == "." {
				return err
			}
			b.badEntry(escapeName(p), map[string]any{"where": escapeName(p), "error": err.Error()},
				"%q unreadable: %v", escapeName(p), err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p == "." {
			return nil
		}
		if !b.countEntry() {
			return fs.SkipAll
		}
		name, ok := b.entryName(p, d.IsDir())
		if !ok {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch t := d.Type(); {
		case t.IsDir():
			return nil
		case t&fs.ModeSymlink != 0:
			target, _ := root.Readlink(p)
			b.link(name, target, false)
			return nil
		case !t.IsRegular():
			b.special(name, fmt.Sprintf("special file (%v)", t))
			return nil
		}
		return b.dirFile(root, p, name)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return b.finish(cDir, hint{}), nil
}

func (b *builder) dirFile(root *os.Root, p, name string) error {
	f, err := root.Open(p)
	if err == nil {
		defer f.Close()
		var fi fs.FileInfo
		if fi, err = f.Stat(); err == nil {
			if !fi.Mode().IsRegular() { // replaced during the walk
				b.special(name, "file replaced during the walk")
				return nil
			}
			err = b.addFile(name, fi.Mode(), b.meter(f, nil), fi.Size())
		}
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errTooLarge):
		b.stop(err, name, false)
		return fs.SkipAll
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	b.badEntry(name, map[string]any{"where": name, "error": err.Error()}, "%q unreadable: %v", name, err)
	return nil
}
