package cli

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// fileError is the input error for a file that could not be read: the
// InputError names the file, so the message does not name it again.
func fileError(file string, err error) *record.InputError {
	return &record.InputError{File: file, Msg: errText(err, file)}
}

// errText is err's message without what would repeat the file name: the
// operation and path of an *fs.PathError ("open x: no such file or
// directory" is "no such file or directory") and a leading "path: ".
func errText(err error, path string) string {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil {
		return pe.Err.Error()
	}
	return strings.TrimPrefix(err.Error(), path+": ")
}
