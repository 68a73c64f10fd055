package artifact

import (
	"io/fs"
	"sort"

	"github.com/pkgward/pkgward/internal/record"
)

// File is one regular file of a package archive, read into memory.
type File struct {
	Path   string      // slash-separated, relative to the package root, cleaned
	Size   int64       // uncompressed size in bytes
	Mode   fs.FileMode // permission bits as archived (executable bits matter)
	Data   []byte      // content; nil when not kept (over the per-file limit)
	Binary bool        // content looks binary (NUL bytes, executable magic)
	SHA256 [32]byte    // hash of the whole content, also when Data is nil
}

// Tree is a package archive read safely: its regular files, the package
// metadata found in it, and structural findings (path traversal, absolute
// paths, symlinks, device files, bombs) that were refused, not followed.
type Tree struct {
	// Format is "npm-tgz", "wheel", "sdist", "nupkg", "gem", "go-zip",
	// "crate", "dir", or "tar" / "zip" for an archive of no known
	// package format.
	Format   string
	Files    []File         // sorted by Path (byte order), paths unique
	Package  record.Package // metadata from package.json, METADATA/PKG-INFO, .nuspec, gemspec, go.mod, Cargo.toml
	Findings []record.Finding
	// Incomplete is nil when the archive was read whole; else it says why
	// not (a limit, a truncation, unreadable entries). Err turns a
	// truncated or corrupt archive into an error wrapping ErrTruncated.
	Incomplete *Incomplete
}

// Lookup returns the file at path (cleaned, slash-separated, relative to
// the package root), or nil.
func (t *Tree) Lookup(path string) *File {
	i := sort.Search(len(t.Files), func(i int) bool { return t.Files[i].Path >= path })
	if i < len(t.Files) && t.Files[i].Path == path {
		return &t.Files[i]
	}
	return nil
}

// Limits bound what reading may cost. The zero value means the defaults;
// so does any field that is zero or negative.
type Limits struct {
	MaxTotal int64 // total uncompressed bytes
	MaxFile  int64 // per-file uncompressed bytes kept in memory
	MaxFiles int   // number of entries
	MaxRatio int64 // compression ratio (uncompressed / compressed)
}

// The default limits.
const (
	DefaultMaxTotal = 512 << 20
	DefaultMaxFile  = 16 << 20
	DefaultMaxFiles = 100_000
	DefaultMaxRatio = 200
)

// withDefaults returns l with every unset field at its default.
func (l Limits) withDefaults() Limits {
	if l.MaxTotal <= 0 {
		l.MaxTotal = DefaultMaxTotal
	}
	if l.MaxFile <= 0 {
		l.MaxFile = DefaultMaxFile
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultMaxRatio
	}
	return l
}
