package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaFile is the OASIS SARIF 2.1.0 JSON schema (see
// testdata/sarif/README.md for where it comes from).
const sarifSchemaFile = "testdata/sarif/sarif-schema-2.1.0.json"

// compileSARIFSchema compiles the shipped schema, formats asserted.
//
// The shipped schema predates SARIF 2.1.0 Errata 01, which renamed the
// schema's suppression property "state" to "status", as the standard's
// text (§3.35.3) and code scanning name it and as pkgward writes it; the
// test applies that one erratum to the parsed schema and checks that it
// applied.
func compileSARIFSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	props := doc.(map[string]any)["definitions"].(map[string]any)["suppression"].(map[string]any)["properties"].(map[string]any)
	if _, ok := props["state"]; !ok {
		t.Fatal("the schema's suppression has no state property: the erratum is applied already, drop this step")
	}
	props["status"] = props["state"]
	delete(props, "state")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "file:///sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, name string, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s is not valid SARIF 2.1.0:\n%v", name, err)
	}
}

// TestSARIFSchema validates the SARIF renderer's output, for every golden
// input and for reports built to reach every branch (suppressions, errors
// with and without a file, notices, rules missing from the catalog), against
// the SARIF 2.1.0 schema.
func TestSARIFSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no testdata inputs (%v)", err)
	}
	for _, in := range inputs {
		var out bytes.Buffer
		if err := (sarifRenderer{cwd: t.TempDir()}).Render(&out, loadReport(t, in)); err != nil {
			t.Fatal(err)
		}
		validateSARIF(t, sch, in, out.Bytes())
	}
	for _, s := range hostileStrings {
		var out bytes.Buffer
		if err := (sarifRenderer{cwd: t.TempDir()}).Render(&out, hostileReport(s)); err != nil {
			t.Fatal(err)
		}
		validateSARIF(t, sch, "hostile report "+s, out.Bytes())
	}
	var out bytes.Buffer
	if err := (sarifRenderer{cwd: t.TempDir()}).Render(&out, &Report{}); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sch, "empty report", out.Bytes())
}

// TestSARIFSchemaRejects: the schema test can fail: documents that break
// SARIF 2.1.0 are rejected.
func TestSARIFSchemaRejects(t *testing.T) {
	sch := compileSARIFSchema(t)
	var out bytes.Buffer
	if err := (sarifRenderer{cwd: t.TempDir()}).Render(&out, loadReport(t, "testdata/report.json")); err != nil {
		t.Fatal(err)
	}
	good := out.String()
	for name, bad := range map[string]string{
		"wrong version":     strings.Replace(good, `"version": "2.1.0"`, `"version": "2.2"`, 1),
		"level not an enum": strings.Replace(good, `"level": "error"`, `"level": "fatal"`, 1),
		"unknown top key":   strings.Replace(good, `"version": "2.1.0"`, `"version": "2.1.0", "extra": 1`, 1),
		"bad suppression":   strings.Replace(good, `"status": "accepted"`, `"status": "granted"`, 1),
	} {
		if bad == good {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
