package artifact

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// utf16 encodes s as UTF-16 with a byte order mark.
func utf16(tb testing.TB, little bool, s string) string {
	tb.Helper()
	order := unicode.BigEndian
	if little {
		order = unicode.LittleEndian
	}
	out, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().String(s)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// bom is the UTF-8 byte order mark that editors on Windows write.
const bom = "\ufeff"

// TestMetadataWithBOM: every installer accepts a UTF-8 BOM before its
// metadata (npm strips it from package.json), so the metadata must be read
// and its install-time code seen, with no archive-bad-metadata finding.
func TestMetadataWithBOM(t *testing.T) {
	gemData := tgzOf(t, file("lib/rest.rb", "puts 1"))
	tests := []struct {
		name    string
		archive []byte
		pkg     string // the name read from the metadata
		script  string // a Scripts key that must be there, if any
	}{
		{"x.tgz", tgzOf(t, file("package/package.json", bom+npmPackageJSON)), "left-padder", "postinstall"},
		{"x-1.0-py3-none-any.whl", zipOf(t, file("reqeusts-2.31.0.dist-info/METADATA", bom+"Name: reqeusts\nVersion: 1\n"), file("x.pth", "import x")), "reqeusts", "x.pth"},
		{"x-0.1.tar.gz", tgzOf(t, file("x-0.1/PKG-INFO", bom+"Name: setuppy-pkg\nVersion: 0.1\n"), file("x-0.1/setup.py", "")), "setuppy-pkg", "setup.py"},
		{"y-0.1.tar.gz", tgzOf(t, file("y-0.1/pyproject.toml", bom+"[project]\nname = \"y\"\n[build-system]\nbackend-path = [\".\"]\nbuild-backend = \"b\"\n")), "y", "build-backend"},
		{"x.nupkg", zipOf(t, file("X.nuspec", bom+nuspec), file("tools/install.ps1", "x")), "Newtonsoft.Jsоn", "tools/install.ps1"},
		{"utf16le.nupkg", zipOf(t, file("X.nuspec", utf16(t, true, strings.Replace(nuspec, "utf-8", "utf-16", 1)))), "Newtonsoft.Jsоn", ""},
		{"utf16be.nupkg", zipOf(t, file("X.nuspec", utf16(t, false, nuspec))), "Newtonsoft.Jsоn", ""},
		{"latin1.nupkg", zipOf(t, file("X.nuspec", "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><package><metadata><id>Caf\xe9</id><version>1</version></metadata></package>")), "Café", ""},
		{"x.gem", buildGem(t, bom+gemYAML, gemData, false), "rest-clinet", "extensions"},
		{"x.zip", zipOf(t, file("example.com/tool@v1.0.0/go.mod", bom+goMod)), "example.com/tool", ""},
		{"serde_jsn-1.0.0.crate", tgzOf(t, file("serde_jsn-1.0.0/Cargo.toml", bom+cargoToml+"\n[lib]\nproc-macro = true\n")), "serde_jsn", "proc-macro"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := readBytes(t, tc.name, tc.archive, Limits{})
			if tree.Package.Name != tc.pkg {
				t.Errorf("name %q, want %q", tree.Package.Name, tc.pkg)
			}
			if _, ok := tree.Package.Scripts[tc.script]; tc.script != "" && !ok {
				t.Errorf("script %q not seen: %v", tc.script, tree.Package.Scripts)
			}
			for _, f := range tree.Findings {
				if f.Rule == RuleBadMetadata && f.Evidence["error"] != "missing" {
					t.Errorf("bad metadata: %s", f.Message)
				}
			}
		})
	}
}
