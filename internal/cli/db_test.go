package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/malicious"
	"github.com/pkgward/pkgward/internal/record"
)

// osvFixtures is the malicious package's test data: realistic OSV records
// of every ecosystem.
var osvFixtures = filepath.Join("..", "malicious", "testdata", "osv")

// runDB runs `pkgward db ...` the way Run does (same global flags and
// setup, same exit codes) at the time now. The root command registers
// dbCmd only: the lead wires it into Run.
func runDB(t *testing.T, now time.Time, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	g := &globals{io: IO{In: strings.NewReader(""), Out: &out, Err: &errb}, now: now}
	root := &cobra.Command{
		Use: "pkgward", SilenceUsage: true, SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error { return g.setup(cmd, args) },
	}
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.format, "format", "", "")
	pf.StringVar(&g.failOn, "fail-on", "", "")
	pf.StringVar(&g.config, "config", "", "")
	root.AddCommand(g.dbCmd())
	if err := root.ExecuteContext(context.Background()); err != nil {
		fmt.Fprintln(&errb, "pkgward:", err)
		return ExitError, out.String(), errb.String()
	}
	return g.exitCode, out.String(), errb.String()
}

var dbNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestDBImportAndStatus(t *testing.T) {
	dir := t.TempDir()
	dbFile := filepath.Join(dir, "m.db")
	t.Setenv(dbEnv, "")

	code, out, errs := runDB(t, dbNow, "db", "import", osvFixtures, "--db", dbFile)
	if code != ExitOK {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"wrote " + dbFile,
		"read 15 OSV records: 14 known-malicious (1 withdrawn, 1 in other ecosystems, 0 older copies of an id), 1 not malicious (skipped)",
		"database: 12 known-malicious records, 1 withdrawn",
		"npm        6     6        7",
		"total      12    12       14",
		"ignored 1 file (not .json or .zip, or links) and 0 zip entries with unsafe paths",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runDB(t, dbNow.Add(3*24*time.Hour), "db", "status", "--db", dbFile)
	if code != ExitOK {
		t.Fatalf("status: exit %d", code)
	}
	for _, want := range []string{
		"database       " + dbFile,
		"imported       2026-03-01 12:00:00 UTC (3 days ago)",
		"newest record  2025-02-05 (modified)",
		"records        12 known-malicious, 1 withdrawn",
		"(directory, 15 documents, 14 malicious, imported 2026-03-01)",
		"pypi       2        2",
		"crates     2        2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "warning") {
		t.Errorf("fresh database reported stale:\n%s", out)
	}

	// JSON, through $PKGWARD_DB instead of --db; stale after a week.
	t.Setenv(dbEnv, dbFile)
	code, out, _ = runDB(t, dbNow.Add(10*24*time.Hour), "db", "status", "--format", "json")
	if code != ExitOK {
		t.Fatalf("status json: exit %d", code)
	}
	var st struct {
		Path       string `json:"path"`
		Present    bool   `json:"present"`
		Size       int64  `json:"size"`
		AgeSeconds int64  `json:"age_seconds"`
		Stale      bool   `json:"stale"`
		Imported   string `json:"imported"`
		Records    int    `json:"records"`
		Withdrawn  int    `json:"withdrawn"`
		Newest     string `json:"newest_modified"`
		Sources    []struct {
			Path, Kind, Imported string
			Documents, Records   int
		} `json:"sources"`
		Ecosystems map[string]struct{ Records, Packages int } `json:"ecosystems"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if st.Path != dbFile || !st.Present || st.Size == 0 || st.AgeSeconds != 10*24*3600 || !st.Stale || st.Records != 12 ||
		st.Withdrawn != 1 || len(st.Sources) != 1 || len(st.Ecosystems) != 6 || st.Ecosystems["nuget"].Packages != 1 || st.Imported != "2026-03-01T12:00:00Z" {
		t.Errorf("status = %+v", st)
	}

	// The analyzer check and scan will use finds the same file.
	db, err := (&globals{}).maliciousDB()
	if err != nil || db == nil {
		t.Fatalf("maliciousDB = %v, %v", db, err)
	}
	fs := malicious.NewAnalyzer(db).Analyze(&record.Package{Ecosystem: ecosystem.PyPI, Name: "py-crypt-tool", Version: "1.0"})
	if len(fs) != 1 || fs[0].Rule != "known-malicious" || fs[0].Severity != record.Critical {
		t.Errorf("findings = %+v", fs)
	}
}

func TestDBStatusStale(t *testing.T) {
	dbFile := filepath.Join(t.TempDir(), "m.db")
	runDBOK(t, "db", "import", "--db", dbFile, filepath.Join(osvFixtures, "npm"))
	_, out, _ := runDB(t, dbNow.Add(30*24*time.Hour), "db", "status", "--db", dbFile)
	if !strings.Contains(out, "warning: imported 30 days ago") {
		t.Errorf("no staleness warning:\n%s", out)
	}
}

func runDBOK(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := runDB(t, dbNow, args...)
	if code != ExitOK {
		t.Fatalf("pkgward %q: exit %d\n%s%s", args, code, out, errs)
	}
	return out
}

func TestDBNoDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(dbEnv, "")
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("HOME", filepath.Join(dir, "home"))
	want, err := malicious.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	out := runDBOK(t, "db", "status")
	if !strings.Contains(out, "no known-malicious database at "+want) {
		t.Errorf("status:\n%s", out)
	}
	out = runDBOK(t, "db", "status", "--format", "json")
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); err != nil || st["present"] != false || st["path"] != want || len(st) != 2 {
		t.Errorf("status json = %s (%v)", out, err)
	}
	if db, err := (&globals{}).maliciousDB(); db != nil || err != nil {
		t.Errorf("maliciousDB without a database = %v, %v", db, err)
	}
	// The default location is used by import too.
	runDBOK(t, "db", "import", filepath.Join(osvFixtures, "NuGet"))
	if _, err := os.Stat(want); err != nil {
		t.Errorf("import did not write the default path: %v", err)
	}
}

func TestDBImportErrors(t *testing.T) {
	dir := t.TempDir()
	dbFile := filepath.Join(dir, "m.db")
	runDBOK(t, "db", "import", "--db", dbFile, filepath.Join(osvFixtures, "npm"))
	before, err := os.ReadFile(dbFile)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join("..", "malicious", "testdata", "bad", "malformed.json")
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"missing input", []string{"db", "import", filepath.Join(dir, "nope.zip")}, "nope.zip: no such file or directory"},
		{"malformed record", []string{"db", "import", osvFixtures, bad}, bad + ":6: malformed JSON"},
		{"no argument", []string{"db", "import"}, "requires at least 1 arg"},
		{"sarif", []string{"db", "import", osvFixtures, "--format", "sarif"}, "no sarif form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runDB(t, dbNow, append(tt.args, "--db", dbFile)...)
			if code != ExitError || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tt.msg)
			}
			if after, _ := os.ReadFile(dbFile); !bytes.Equal(before, after) {
				t.Error("a failed import changed the database")
			}
		})
	}
	// A damaged database: status, analyzer and --merge fail (exit 2);
	// a plain import replaces it.
	if err := os.WriteFile(dbFile, before[:len(before)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runDB(t, dbNow, "db", "status", "--db", dbFile)
	if code != ExitError || !strings.Contains(errs, dbFile+": known-malicious database: not a pkgward known-malicious database, or damaged") {
		t.Errorf("status of a damaged database: exit %d, %q", code, errs)
	}
	t.Setenv(dbEnv, dbFile)
	var ie *record.InputError
	if _, err := (&globals{}).maliciousDB(); !errors.As(err, &ie) || ie.File != dbFile {
		t.Errorf("maliciousDB on a damaged database: %v", err)
	}
	code, _, errs = runDB(t, dbNow, "db", "import", "--merge", filepath.Join(osvFixtures, "PyPI"))
	if code != ExitError || !strings.Contains(errs, "import without --merge") {
		t.Errorf("merge into a damaged database: exit %d, %q", code, errs)
	}
	runDBOK(t, "db", "import", filepath.Join(osvFixtures, "PyPI"))
}

func TestDBImportZipMergeJSON(t *testing.T) {
	dir := t.TempDir()
	dbFile := filepath.Join(dir, "m.db")
	t.Setenv(dbEnv, dbFile)
	// An all.zip as OSV publishes it, with a hostile entry name.
	zipPath := filepath.Join(dir, "all.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"MAL-2025-100.json": `{"id":"MAL-2025-100","modified":"2025-06-01T00:00:00Z","summary":"Malicious code in evil-go (Go)","affected":[{"package":{"ecosystem":"Go","name":"github.com/evil/go"}}]}`,
		"../../etc/x.json":  `{"id":"MAL-2025-101","modified":"2025-06-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go","name":"github.com/escape/x"}}]}`,
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	runDBOK(t, "db", "import", filepath.Join(osvFixtures, "RubyGems"))
	out := runDBOK(t, "db", "import", "--merge", zipPath, "--format", "json")
	var res struct {
		Database string          `json:"database"`
		Inputs   []string        `json:"inputs"`
		Merge    bool            `json:"merge"`
		Read     malicious.Stats `json:"read"`
		Status   struct {
			Records int `json:"records"`
			Sources []struct {
				Kind string `json:"kind"`
			} `json:"sources"`
		} `json:"status"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Database != dbFile || !res.Merge || res.Read.Documents != 1 || res.Read.UnsafePaths != 1 ||
		res.Status.Records != 2 || len(res.Status.Sources) != 2 || res.Status.Sources[1].Kind != "zip" {
		t.Errorf("import json = %+v\n%s", res, out)
	}
	db, err := (&globals{}).maliciousDB()
	if err != nil || db == nil {
		t.Fatal(err)
	}
	for _, p := range []record.Package{
		{Ecosystem: ecosystem.Go, Name: "github.com/evil/go", Version: "v0.1.0"},
		{Ecosystem: ecosystem.RubyGems, Name: "atlas-client"},
	} {
		if fs := malicious.NewAnalyzer(db).Analyze(&p); len(fs) != 1 {
			t.Errorf("%s: %+v", p.Name, fs)
		}
	}
	if fs := malicious.NewAnalyzer(db).Analyze(&record.Package{Ecosystem: ecosystem.Go, Name: "github.com/escape/x"}); fs != nil {
		t.Errorf("an unsafe zip entry was imported: %+v", fs)
	}
}
