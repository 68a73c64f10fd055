package artifact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRefusedNames(t *testing.T) {
	hostile := []string{
		"package/../../etc/passwd", "/etc/passwd", "C:/Windows/win.ini", `C:\Windows\win.ini`,
		`\\server\share\x`, `..\..\evil.bat`, "package/a/../../../x", "//server/share/y", "package/" + strings.Repeat("a", 300),
	}
	for _, kind := range []string{"tgz", "zip"} {
		for _, name := range hostile {
			t.Run(kind+"/"+name[:min(len(name), 30)], func(t *testing.T) {
				entries := []ent{file("package/package.json", `{"name":"x","version":"1.0.0"}`), file(name, "pwned")}
				var tree *Tree
				if kind == "tgz" {
					tree = readBytes(t, "x.tgz", tgzOf(t, entries...), Limits{})
				} else {
					tree = readBytes(t, "x.zip", zipOf(t, entries...), Limits{})
				}
				for _, f := range tree.Files {
					if string(f.Data) == "pwned" {
						t.Errorf("hostile entry kept as %q", f.Path)
					}
				}
				want := RulePathTraversal
				if len(name) > 255 {
					want = RuleBadName
				}
				if ok, _ := findingOf(tree, want); !ok {
					t.Errorf("no %s finding: %v", want, tree.Findings)
				}
			})
		}
	}
}

func TestLinksAndSpecialFiles(t *testing.T) {
	tree := readBytes(t, "x.tgz", tgzOf(t,
		file("package/package.json", `{"name":"x","version":"1.0.0"}`),
		file("package/index.js", "1"),
		ent{name: "package/etc", typ: tar.TypeSymlink, link: "/etc/passwd"},
		ent{name: "package/ok", typ: tar.TypeSymlink, link: "index.js"},
		ent{name: "package/up", typ: tar.TypeSymlink, link: "../../x"},
		ent{name: "package/hard", typ: tar.TypeLink, link: "package/index.js"},
		ent{name: "package/hard2", typ: tar.TypeLink, link: "../../etc/shadow"},
		ent{name: "package/tty", typ: tar.TypeChar},
		ent{name: "package/disk", typ: tar.TypeBlock},
		ent{name: "package/fifo", typ: tar.TypeFifo},
	), Limits{})
	if got := paths(tree); !reflect.DeepEqual(got, []string{"index.js", "package.json"}) {
		t.Errorf("paths %q", got)
	}
	var sevs []string
	for _, f := range tree.Findings {
		sevs = append(sevs, f.Rule+":"+f.Severity.String())
	}
	want := []string{"archive-symlink:high", "archive-symlink:medium", "archive-symlink:high", "archive-symlink:medium",
		"archive-symlink:high", "archive-special-file:medium", "archive-special-file:medium", "archive-special-file:medium"}
	if !reflect.DeepEqual(sevs, want) {
		t.Errorf("findings %q\nwant %q", sevs, want)
	}

	ztree := readBytes(t, "x.zip", zipOf(t, file("a.txt", "a"), ent{name: "link", typ: tar.TypeSymlink, link: "/etc/passwd"},
		ent{name: "fifo", typ: tar.TypeFifo}, ent{name: "dev", typ: tar.TypeChar}), Limits{})
	if got := paths(ztree); !reflect.DeepEqual(got, []string{"a.txt"}) {
		t.Errorf("zip paths %q", got)
	}
	if got := ruleIDs(ztree); !reflect.DeepEqual(got, []string{RuleSymlink, RuleSpecialFile, RuleSpecialFile}) {
		t.Errorf("zip findings %v", ztree.Findings)
	}
}

// zeros is a bounded generator of zero bytes.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n)
	clear(p[:k])
	z.n -= k
	return int(k), nil
}

// bombStream compresses size bytes of zeros on the fly (inside a tar
// entry when inTar), producing only what the reader pulls. It returns the
// stream and a function that stops the generator and reports how many
// uncompressed bytes it produced.
func bombStream(size int64, inTar bool) (io.Reader, func() int64) {
	pr, pw := io.Pipe()
	src := &zeros{n: size}
	done := make(chan struct{})
	go func() {
		defer close(done)
		zw, _ := gzip.NewWriterLevel(pw, gzip.BestCompression)
		var w io.Writer = zw
		var tw *tar.Writer
		if inTar {
			tw = tar.NewWriter(zw)
			if err := tw.WriteHeader(&tar.Header{Name: "package/zeros.js", Size: size, Mode: 0o644}); err != nil {
				pw.CloseWithError(err)
				return
			}
			w = tw
		}
		_, err := io.Copy(w, src)
		if err == nil && tw != nil {
			err = tw.Close()
		}
		if err == nil {
			err = zw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr, func() int64 {
		pr.CloseWithError(errors.New("reader done"))
		<-done
		return size - src.n
	}
}

func TestGzipBomb(t *testing.T) {
	const tenGB = 10 << 30
	for _, inTar := range []bool{true, false} {
		t.Run(fmt.Sprintf("inTar=%v", inTar), func(t *testing.T) {
			r, stop := bombStream(tenGB, inTar)
			start := time.Now()
			tree, err := Read(context.Background(), "bomb.tgz", r, Limits{})
			elapsed := time.Since(start)
			produced := stop()
			if err != nil {
				t.Fatal(err)
			}
			checkTree(t, tree, Limits{})
			if ok, _ := findingOf(tree, RuleBomb); !ok {
				t.Fatalf("no %s finding: %v", RuleBomb, tree.Findings)
			}
			if len(tree.Files) != 0 {
				t.Errorf("files kept: %q", paths(tree))
			}
			if produced > 256<<20 || elapsed > 10*time.Second {
				t.Errorf("refused after %d bytes generated and %v", produced, elapsed)
			}
			t.Logf("refused after %d MB generated, %v", produced>>20, elapsed)
		})
	}
}

func TestZipBombs(t *testing.T) {
	t.Run("ratio", func(t *testing.T) {
		tree := readBytes(t, "x.zip", zipOf(t, file("a.txt", "a"), file("zeros.bin", strings.Repeat("\x00", 50<<20))), Limits{})
		if got := paths(tree); !reflect.DeepEqual(got, []string{"a.txt"}) {
			t.Errorf("paths %q", got)
		}
		if got := ruleIDs(tree); !reflect.DeepEqual(got, []string{RuleBomb}) {
			t.Errorf("findings %v", tree.Findings)
		}
	})
	t.Run("lying size", func(t *testing.T) {
		var raw bytes.Buffer
		fw, _ := flate.NewWriter(&raw, flate.DefaultCompression)
		body := bytes.Repeat([]byte("abc"), 1<<20)
		fw.Write(body)
		fw.Close()
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "small.txt", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(raw.Len()), UncompressedSize64: 1000})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw.Bytes())
		zw.Close()
		tree := readBytes(t, "x.zip", buf.Bytes(), Limits{})
		if len(tree.Files) != 0 || !slices.Contains(ruleIDs(tree), RuleCorrupt) {
			t.Errorf("files %q findings %v", paths(tree), tree.Findings)
		}
	})
	t.Run("overlapping entries", func(t *testing.T) {
		data := overlapZip(t, zipOf(t, file("a.txt", strings.Repeat("payload ", 1000))), "b.txt")
		tree := readBytes(t, "x.zip", data, Limits{})
		if got := paths(tree); !reflect.DeepEqual(got, []string{"a.txt"}) {
			t.Errorf("paths %q", got)
		}
		if got := ruleIDs(tree); !reflect.DeepEqual(got, []string{RuleBomb}) {
			t.Errorf("findings %v", tree.Findings)
		}
	})
}

// overlapZip adds to a one-entry zip a second central-directory entry,
// named name (as long as the first's), that points to the same data.
func overlapZip(tb testing.TB, data []byte, name string) []byte {
	tb.Helper()
	eocd := data[len(data)-22:]
	cdSize := binary.LittleEndian.Uint32(eocd[12:])
	cdOff := binary.LittleEndian.Uint32(eocd[16:])
	cd := data[cdOff : cdOff+cdSize]
	nameLen := binary.LittleEndian.Uint16(cd[28:])
	if int(nameLen) != len(name) {
		tb.Fatalf("name %q must have %d bytes", name, nameLen)
	}
	cd2 := bytes.Clone(cd)
	copy(cd2[46:], name)
	var out bytes.Buffer
	out.Write(data[:cdOff])
	out.Write(cd)
	out.Write(cd2)
	e := bytes.Clone(eocd)
	binary.LittleEndian.PutUint16(e[8:], 2)
	binary.LittleEndian.PutUint16(e[10:], 2)
	binary.LittleEndian.PutUint32(e[12:], 2*cdSize)
	out.Write(e)
	return out.Bytes()
}

func TestLimits(t *testing.T) {
	many := []ent{}
	for i := range 20 {
		many = append(many, file(fmt.Sprintf("package/f%02d.js", i), "x"))
	}
	big := strings.Repeat("0123456789abcdef", 256) // 4 KiB
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 100<<10)
	for i := range noise {
		noise[i] = byte(rnd.IntN(256))
	}
	tests := []struct {
		name  string
		data  []byte
		lim   Limits
		rule  string
		check func(t *testing.T, tree *Tree)
	}{
		{"too many tar entries", tgzOf(t, many...), Limits{MaxFiles: 10}, RuleTooManyFiles,
			func(t *testing.T, tree *Tree) {
				if len(tree.Files) != 10 {
					t.Errorf("%d files", len(tree.Files))
				}
			}},
		{"too many zip entries", zipOf(t, many...), Limits{MaxFiles: 10}, RuleTooManyFiles,
			func(t *testing.T, tree *Tree) {
				if len(tree.Files) != 0 {
					t.Errorf("%d files", len(tree.Files))
				}
			}},
		{"file over the per-file limit", tgzOf(t, file("package/big.js", big), file("package/small.js", "s")), Limits{MaxFile: 1024}, RuleFileTooLarge,
			func(t *testing.T, tree *Tree) {
				f := tree.Lookup("big.js")
				if f == nil || f.Data != nil || f.Size != 4096 || f.SHA256 != sha256.Sum256([]byte(big)) || f.Binary {
					t.Errorf("big.js: %+v", f)
				}
				if tree.Lookup("small.js") == nil {
					t.Error("small.js missing")
				}
			}},
		{"zip file over the per-file limit", zipOf(t, file("big.bin", "\x00"+big)), Limits{MaxFile: 1024}, RuleFileTooLarge,
			func(t *testing.T, tree *Tree) {
				if f := tree.Lookup("big.bin"); f == nil || f.Data != nil || f.Size != 4097 || !f.Binary {
					t.Errorf("big.bin: %+v", f)
				}
			}},
		{"total over the limit", tgzOf(t, file("package/a.bin", string(noise)), file("package/b.bin", string(noise))),
			Limits{MaxTotal: 150 << 10}, RuleTooLarge, nil},
		{"zip total over the limit", zipOf(t, file("a.bin", string(noise)), file("b.bin", string(noise))),
			Limits{MaxTotal: 150 << 10}, RuleTooLarge, nil},
		{"zip input over the limit", zipOf(t, file("a.bin", string(noise))), Limits{MaxTotal: 50 << 10}, RuleTooLarge, nil},
		{"ratio limit", tgzOf(t, file("package/z.js", strings.Repeat("a", 3<<20))), Limits{MaxRatio: 50}, RuleBomb, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := readBytes(t, "x.tgz", tc.data, tc.lim)
			if !slices.Contains(ruleIDs(tree), tc.rule) {
				t.Errorf("no %s finding: %v", tc.rule, tree.Findings)
			}
			if tc.check != nil {
				tc.check(t, tree)
			}
		})
	}
}

func TestCorruptInput(t *testing.T) {
	var entries []ent
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := range 40 {
		b := make([]byte, 2000)
		for j := range b {
			b[j] = byte('a' + rnd.IntN(26))
		}
		entries = append(entries, file(fmt.Sprintf("package/f%02d.js", i), string(b)))
	}
	good := tgzOf(t, entries...)

	t.Run("truncated gzip", func(t *testing.T) {
		tree := readBytes(t, "x.tgz", good[:len(good)/2], Limits{})
		if len(tree.Files) == 0 || len(tree.Files) >= 40 || !slices.Contains(ruleIDs(tree), RuleCorrupt) {
			t.Errorf("%d files, findings %v", len(tree.Files), tree.Findings)
		}
	})
	t.Run("corrupt deflate data", func(t *testing.T) {
		bad := bytes.Clone(good)
		for i := len(bad) / 2; i < len(bad)/2+64; i++ {
			bad[i] ^= 0x5a
		}
		tree, err := Read(context.Background(), "x.tgz", bytes.NewReader(bad), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ruleIDs(tree), RuleCorrupt) {
			t.Errorf("findings %v", tree.Findings)
		}
	})
	errCases := map[string][]byte{
		"empty":             nil,
		"text":              []byte("hello, this is not an archive"),
		"xz":                []byte("\xfd7zXZ\x00\x00\x04"),
		"gzip header only":  good[:12],
		"bad gzip header":   append([]byte{0x1f, 0x8b, 0x99}, good[3:]...),
		"zip without index": []byte("PK\x03\x04garbage"),
		"gzip of text":      gzipOf(t, []byte(strings.Repeat("not a tar ", 100))),
	}
	for name, data := range errCases {
		t.Run(name, func(t *testing.T) {
			if tree, err := Read(context.Background(), "x.tgz", bytes.NewReader(data), Limits{}); err == nil {
				t.Errorf("no error; tree %s %q %v", tree.Format, paths(tree), tree.Findings)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Read(ctx, "x.tgz", bytes.NewReader(good), Limits{}); !errors.Is(err, context.Canceled) {
			t.Errorf("err %v", err)
		}
	})
}

func TestDuplicatesAndNames(t *testing.T) {
	tree := readBytes(t, "x.tgz", tgzOf(t,
		file("package/package.json", `{"name":"x","version":"1.0.0"}`),
		file("package/a.js", "first"), file("package/a.js", "second"),
		file("package/README.md", "r"), file("package/readme.md", "r2"),
		file("package/\xff\xfe.js", "bad name"), file("package/a\nb.js", "newline"),
		file("./package/./c.js", "dot"), file("package//d.js", "double"),
	), Limits{})
	if got, want := paths(tree), []string{"%FF%FE.js", "README.md", "a%0Ab.js", "a.js", "c.js", "d.js", "package.json", "readme.md"}; !reflect.DeepEqual(got, want) {
		t.Errorf("paths %q\nwant %q", got, want)
	}
	if f := tree.Lookup("a.js"); f == nil || string(f.Data) != "second" {
		t.Errorf("a.js: %+v", f)
	}
	if got, want := ruleIDs(tree), []string{RuleBadName, RuleBadName, RuleDuplicatePath, RuleDuplicatePath}; !reflect.DeepEqual(got, want) {
		t.Errorf("findings %v", tree.Findings)
	}
	ztree := readBytes(t, "x.zip", zipOf(t, file("x.txt", "one"), file("x.txt", "two")), Limits{})
	if f := ztree.Lookup("x.txt"); len(ztree.Files) != 1 || f == nil || string(f.Data) != "two" ||
		!reflect.DeepEqual(ruleIDs(ztree), []string{RuleDuplicatePath}) {
		t.Errorf("zip duplicates: %q %v", paths(ztree), ztree.Findings)
	}
}

func TestNestedArchivesNotRecursed(t *testing.T) {
	inner := tgzOf(t, file("package/evil.js", "x"))
	innerZip := zipOf(t, file("evil.py", "x"))
	tree := readBytes(t, "x.tgz", tgzOf(t, file("package/package.json", `{"name":"n","version":"1.0.0"}`),
		file("package/inner.tgz", string(inner)), file("package/data.tar.gz", string(inner)), file("package/inner.zip", string(innerZip))), Limits{})
	if got, want := paths(tree), []string{"data.tar.gz", "inner.tgz", "inner.zip", "package.json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("paths %q", got)
	}
	if f := tree.Lookup("inner.tgz"); f == nil || !bytes.Equal(f.Data, inner) {
		t.Error("inner.tgz not kept as a file")
	}
}

func TestFormatMismatchAndDeterminism(t *testing.T) {
	a := tgzOf(t, file("package/package.json", `{"name":"n","version":"1.0.0"}`), file("package/b.js", "b"), file("package/a.js", "a"))
	b := tgzOf(t, file("package/a.js", "a"), file("package/b.js", "b"), file("package/package.json", `{"name":"n","version":"1.0.0"}`))
	ta := readBytes(t, "n.whl", a, Limits{})
	tb := readBytes(t, "n.tgz", b, Limits{})
	if !reflect.DeepEqual(ruleIDs(ta), []string{RuleFormatMismatch}) || ta.Format != FormatNPM {
		t.Errorf("mismatch: %s %v", ta.Format, ta.Findings)
	}
	if !reflect.DeepEqual(ta.Files, tb.Files) {
		t.Error("file lists differ with entry order")
	}
}

func TestBadMetadata(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"bad-json.tgz", tgzOf(t, file("package/package.json", `{"name": "x",`))},
		{"name-not-string.tgz", tgzOf(t, file("package/package.json", `{"name": ["x"], "version": 1}`))},
		{"no-package-json.tgz", tgzOf(t, file("package/index.js", ""))},
		{"bad-1.0-py3-none-any.whl", zipOf(t, file("bad-1.0.dist-info/METADATA", "  continuation first\n"))},
		{"no-metadata-1.0-py3-none-any.whl", zipOf(t, file("x/__init__.py", ""))},
		{"bad.nupkg", zipOf(t, file("bad.nuspec", "<package><metadata><id>x</id>"))},
		{"bad.gem", buildGem(t, "name: [unclosed", tgzOf(t, file("lib/x.rb", "")), false)},
		{"bad-1.0.crate", tgzOf(t, file("bad-1.0/Cargo.toml", "[package\nname = "))},
		{"mismatch-1.0.crate", tgzOf(t, file("mismatch-1.0/Cargo.toml", "[package]\nname = \"other\"\nversion = \"1.0\"\n"))},
		{"bad.zip", zipOf(t, file("example.com/m@v1.0.0/go.mod", "module example.com/other\nrequire (\n"))},
		{"other.zip", zipOf(t, file("example.com/m@v1.0.0/go.mod", "module example.com/other\n"))},
		{"bad-1.0.tar.gz", tgzOf(t, file("bad-1.0/PKG-INFO", "\x00\x01"), file("bad-1.0/pyproject.toml", "[project\n"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := readBytes(t, tc.name, tc.data, Limits{})
			if !slices.Contains(ruleIDs(tree), RuleBadMetadata) {
				t.Errorf("no %s finding: format %s, %+v, %v", RuleBadMetadata, tree.Format, tree.Package, tree.Findings)
			}
		})
	}
}

func TestGemBomb(t *testing.T) {
	var data bytes.Buffer
	zw := gzip.NewWriter(&data)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "zeros", Size: 64 << 20, Mode: 0o644})
	io.Copy(tw, &zeros{n: 64 << 20})
	tw.Close()
	zw.Close()
	tree := readBytes(t, "bomb-1.0.gem", buildGem(t, "name: bomb\n", data.Bytes(), false), Limits{})
	if !slices.Contains(ruleIDs(tree), RuleBomb) || len(tree.Files) != 0 {
		t.Errorf("files %q findings %v", paths(tree), tree.Findings)
	}
}

func TestRulesCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] || !strings.HasPrefix(r.ID, "archive-") || r.Title == "" || r.Description == "" {
			t.Errorf("bad rule %+v", r)
		}
		seen[r.ID] = true
	}
}

func TestFindingsCapped(t *testing.T) {
	var entries []ent
	for i := range 100 {
		entries = append(entries, ent{name: fmt.Sprintf("package/l%03d", i), typ: tar.TypeSymlink, link: "x"})
	}
	tree := readBytes(t, "x.tgz", tgzOf(t, entries...), Limits{})
	if len(tree.Findings) != maxPerRule+1 || tree.Findings[maxPerRule].Evidence["more"] != 100-maxPerRule {
		t.Errorf("%d findings, last %+v", len(tree.Findings), tree.Findings[len(tree.Findings)-1])
	}
}
