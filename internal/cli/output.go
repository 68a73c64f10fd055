package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pkgward/pkgward/internal/record"
)

// atomicFile is --output FILE: the report is written to a temporary file
// in FILE's directory and renamed over FILE only when the command has
// finished without error, so that a reader never sees a partial report
// and a failed run leaves no file (and an older FILE untouched).
type atomicFile struct {
	f    *os.File
	path string
}

// createAtomic opens the temporary file for path.
func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if base == "" || base == "." || base == ".." {
		return nil, &record.InputError{File: path, Msg: "--output names a directory, not a file"}
	}
	if dir == "" {
		dir = "."
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, &record.InputError{File: path, Msg: "--output names a directory, not a file"}
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &record.InputError{File: path, Msg: fmt.Sprintf("cannot write the report: %v", err)}
	}
	return &atomicFile{f: f, path: path}, nil
}

// commit gives the temporary file the mode a new file would have (or the
// mode of the file it replaces) and renames it into place.
func (a *atomicFile) commit() error {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(a.path); err == nil {
		mode = st.Mode().Perm()
	}
	err := a.f.Chmod(mode)
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
		return &record.InputError{File: a.path, Msg: fmt.Sprintf("cannot write the report: %v", err)}
	}
	return nil
}

// abort removes the temporary file.
func (a *atomicFile) abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}
