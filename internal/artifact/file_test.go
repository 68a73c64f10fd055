package artifact

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenSingleFile: a plain file that is no archive is read as a package
// of that one file; a file named or shaped as an archive it is not, or in a
// recognized unsupported format, stays an error; a file over the limits is
// not read as if whole.
func TestOpenSingleFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	src := []byte("import os\nos.system('id')\n")
	for _, tc := range []struct {
		name, path string
		eco        string
	}{
		{"source file", write("payload.py", src), ""},
		{"no extension", write("run", []byte("#!/bin/sh\ncurl x | sh\n")), ""},
		{"empty", write("empty.js", nil), ""},
		{"setup.py", write("setup.py", []byte("from setuptools import setup\nsetup(name='x')\n")), "pypi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree, err := Open(context.Background(), tc.path, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			checkTree(t, tree, Limits{})
			want, _ := os.ReadFile(tc.path)
			if tree.Format != FormatDir || len(tree.Files) != 1 || tree.Files[0].Path != filepath.Base(tc.path) || !bytes.Equal(tree.Files[0].Data, want) {
				t.Fatalf("tree %s %+v, want the one file %s", tree.Format, tree.Files, filepath.Base(tc.path))
			}
			if string(tree.Package.Ecosystem) != tc.eco || tree.Incomplete != nil {
				t.Errorf("ecosystem %q incomplete %+v, want %q and whole", tree.Package.Ecosystem, tree.Incomplete, tc.eco)
			}
		})
	}
	for _, tc := range []struct{ name, path, want string }{
		{"archive name", write("pkg-1.0.tgz", src), "not a supported archive"},
		{"wheel name", write("pkg-1.0-py3-none-any.whl", src), "not a supported archive"},
		{"xz", write("pkg.bin", []byte("\xfd7zXZ\x00rest")), "xz-compressed"},
		{"zstd", write("pkg.data", []byte("\x28\xb5\x2f\xfdrest")), "zstd-compressed"},
	} {
		if _, err := Open(context.Background(), tc.path, Limits{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.want)
		}
	}
	big := write("big.js", bytes.Repeat([]byte("a = 1;\n"), 1000))
	tree, err := Open(context.Background(), big, Limits{MaxFile: 100, MaxTotal: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if tree.Incomplete == nil || (len(tree.Files) == 1 && tree.Files[0].Data != nil) {
		t.Errorf("a file over the total limit read as whole: incomplete %+v, files %d", tree.Incomplete, len(tree.Files))
	}
}
