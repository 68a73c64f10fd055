package artifact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// ent is one entry of an archive built by a test.
type ent struct {
	name string
	body string
	typ  byte // tar type flag; 0 means a regular file
	link string
	mode int64 // 0 means 0644
}

func file(name, body string) ent { return ent{name: name, body: body} }

func tarOf(tb testing.TB, entries ...ent) []byte {
	tb.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Linkname: e.link, Mode: mode, Format: tar.FormatPAX}
		if !utf8.ValidString(e.name) {
			h.Format = tar.FormatGNU // PAX names must be UTF-8
		}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			tb.Fatalf("tar header %q: %v", e.name, err)
		}
		if typ == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func gzipOf(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func tgzOf(tb testing.TB, entries ...ent) []byte { return gzipOf(tb, tarOf(tb, entries...)) }

func zipOf(tb testing.TB, entries ...ent) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		mode := fs.FileMode(0o644)
		if e.mode != 0 {
			mode = fs.FileMode(e.mode)
		}
		body := e.body
		switch e.typ {
		case tar.TypeSymlink:
			mode |= fs.ModeSymlink
			body = e.link
		case tar.TypeFifo:
			mode |= fs.ModeNamedPipe
		case tar.TypeChar:
			mode |= fs.ModeDevice | fs.ModeCharDevice
		case tar.TypeDir:
			mode |= fs.ModeDir
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func readBytes(tb testing.TB, name string, data []byte, lim Limits) *Tree {
	tb.Helper()
	t, err := Read(context.Background(), name, bytes.NewReader(data), lim)
	if err != nil {
		tb.Fatalf("Read(%s): %v", name, err)
	}
	checkTree(tb, t, lim)
	return t
}

func paths(t *Tree) []string {
	out := []string{}
	for _, f := range t.Files {
		out = append(out, f.Path)
	}
	return out
}

func ruleIDs(t *Tree) []string {
	out := []string{}
	for _, f := range t.Findings {
		out = append(out, f.Rule)
	}
	return out
}

func findingOf(t *Tree, rule string) (ok bool, msg string) {
	for _, f := range t.Findings {
		if f.Rule == rule {
			return true, f.Message
		}
	}
	return false, ""
}

// checkTree checks what every Tree must satisfy whatever the input.
func checkTree(tb testing.TB, t *Tree, lim Limits) {
	tb.Helper()
	lim = lim.withDefaults()
	if len(t.Files) > lim.MaxFiles {
		tb.Fatalf("%d files, limit %d", len(t.Files), lim.MaxFiles)
	}
	var total int64
	for i, f := range t.Files {
		if i > 0 && t.Files[i-1].Path >= f.Path {
			tb.Fatalf("files not sorted or not unique: %q then %q", t.Files[i-1].Path, f.Path)
		}
		p := f.Path
		if p == "" || !utf8.ValidString(p) || strings.HasPrefix(p, "/") || strings.Contains(p, `\`) ||
			path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "/../") ||
			(len(p) >= 2 && p[1] == ':') || strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			tb.Fatalf("unsafe path %q", p)
		}
		if f.Data != nil {
			if int64(len(f.Data)) > lim.MaxFile || int64(len(f.Data)) != f.Size {
				tb.Fatalf("%q: %d bytes kept, size %d, limit %d", p, len(f.Data), f.Size, lim.MaxFile)
			}
			if sha256.Sum256(f.Data) != f.SHA256 {
				tb.Fatalf("%q: wrong SHA256", p)
			}
			total += int64(len(f.Data))
		} else if f.Size <= lim.MaxFile {
			tb.Fatalf("%q: %d bytes not kept", p, f.Size)
		}
	}
	if total > lim.MaxTotal {
		tb.Fatalf("%d bytes kept, limit %d", total, lim.MaxTotal)
	}
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	for _, f := range t.Findings {
		if !known[f.Rule] || f.Message == "" {
			tb.Fatalf("finding outside the catalog or without message: %+v", f)
		}
		if strings.Contains(f.Message, "parser failed") {
			tb.Fatalf("a metadata parser panicked: %s", f.Message)
		}
	}
	for _, s := range []string{t.Package.Name, t.Package.Version, t.Package.Description, t.Package.Readme} {
		if !utf8.ValidString(s) {
			tb.Fatalf("invalid UTF-8 in package record: %q", s)
		}
	}
	if !slices.IsSortedFunc(t.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) }) {
		tb.Fatal("not sorted")
	}
}

func sha256Of(b []byte) [32]byte { return sha256.Sum256(b) }
