package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

func renderSARIFIn(t *testing.T, cwd string, rep *Report) sarifLog {
	t.Helper()
	var out bytes.Buffer
	if err := (sarifRenderer{cwd: cwd}).Render(&out, rep); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatalf("%v\n%s", err, out.Bytes())
	}
	return log
}

func typosquat(src, target string) record.Result {
	return record.Result{Ecosystem: "npm", Name: "expresss", Version: "^4.0.0", Source: src, Verdict: record.Block,
		Findings: []record.Finding{{Rule: "typosquat", Severity: record.High, Confidence: 0.9,
			Message: "looks like " + target, Evidence: map[string]any{"target": target, "rank": 3, "distance": 1}}}}
}

func codeFinding(src, file string, line int, snippet string) record.Result {
	return record.Result{Ecosystem: "npm", Name: "left-pad", Version: "1.3.1", Source: src, Verdict: record.Block,
		Findings: []record.Finding{{Rule: "exfil-endpoint", Severity: record.High, Confidence: 0.8,
			Message: fmt.Sprintf("sends data in %s:%d", file, line), Evidence: map[string]any{"file": file, "line": line, "snippet": snippet}}}}
}

func fingerprintOf(t *testing.T, cwd string, r record.Result) string {
	t.Helper()
	log := renderSARIFIn(t, cwd, &Report{Results: []record.Result{r}})
	if len(log.Runs[0].Results) != 1 {
		t.Fatalf("%d results", len(log.Runs[0].Results))
	}
	fp := log.Runs[0].Results[0].PartialFingerprints[fingerprintKey]
	if fp == "" {
		t.Fatalf("no %s fingerprint", fingerprintKey)
	}
	return fp
}

func TestSARIFFingerprints(t *testing.T) {
	cwd := t.TempDir()
	other := t.TempDir()
	for _, c := range []struct {
		name string
		a, b record.Result
		same bool
	}{
		{"same package, rule and line, other target", typosquat("package.json:8", "express"), typosquat("package.json:8", "express-ws"), false},
		{"same finding in two manifests", typosquat("api/package.json:8", "express"), typosquat("web/package.json:8", "express"), false},
		{"same manifest, other line", typosquat("package.json:8", "express"), typosquat("package.json:9", "express"), false},
		{"code finding at another line of one file", codeFinding("new.tgz", "package/index.js", 18, "fetch(u)"), codeFinding("new.tgz", "package/index.js", 66, "fetch(u)"), false},
		{"code finding in another file", codeFinding("new.tgz", "package/index.js", 18, "fetch(u)"), codeFinding("new.tgz", "package/lib.js", 18, "fetch(u)"), false},
		{"code finding with another snippet", codeFinding("new.tgz", "package/index.js", 18, "fetch(u)"), codeFinding("new.tgz", "package/index.js", 18, "fetch(v)"), false},
		{"identical finding", typosquat("package.json:8", "express"), typosquat("package.json:8", "express"), true},
		{"scores change, finding does not", typosquat("package.json:8", "express"), func() record.Result {
			r := typosquat("package.json:8", "express")
			r.Findings[0].Evidence["rank"] = 9
			r.Findings[0].Confidence = 0.5
			r.Findings[0].Message = "reworded"
			return r
		}(), true},
		{"one archive in two temporary directories", codeFinding(filepath.Join(other, "a", "new.tgz"), "package/index.js", 18, "fetch(u)"),
			codeFinding(filepath.Join(other, "b", "new.tgz"), "package/index.js", 18, "fetch(u)"), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fa, fb := fingerprintOf(t, cwd, c.a), fingerprintOf(t, cwd, c.b)
			if (fa == fb) != c.same {
				t.Errorf("fingerprints %s and %s: same = %v, want %v", fa, fb, fa == fb, c.same)
			}
		})
	}
}

// TestSARIFFingerprintsStable: a finding keeps its fingerprint across
// renders and when unrelated findings come or go, and no two findings of
// the report share one.
func TestSARIFFingerprintsStable(t *testing.T) {
	cwd := t.TempDir()
	base := []record.Result{
		typosquat("package.json:8", "express"),
		typosquat("package.json:8", "express-ws"),
		codeFinding("new.tgz", "package/index.js", 18, "fetch(u)"),
		codeFinding("new.tgz", "package/index.js", 66, "fetch(u)"),
	}
	byMsg := func(log sarifLog) map[string]string {
		m := map[string]string{}
		for _, r := range log.Runs[0].Results {
			fp := r.PartialFingerprints[fingerprintKey]
			for k, v := range m {
				if v == fp {
					t.Errorf("%q and %q share fingerprint %s", k, *r.Message.Text, fp)
				}
			}
			m[*r.Message.Text+"|"+r.Properties["version"].(string)+"|"+string(mustJSON(t, r.Locations))] = fp
		}
		return m
	}
	first := byMsg(renderSARIFIn(t, cwd, &Report{Results: base}))
	if len(first) != len(base) {
		t.Fatalf("%d distinct results, want %d", len(first), len(base))
	}
	again := byMsg(renderSARIFIn(t, cwd, &Report{Results: base}))
	more := append([]record.Result{typosquat("other/package.json:1", "react")}, base...)
	more = append(more, codeFinding("new.tgz", "package/x.js", 2, "eval(x)"))
	added := byMsg(renderSARIFIn(t, cwd, &Report{Results: more}))
	removed := byMsg(renderSARIFIn(t, cwd, &Report{Results: base[1:3]}))
	for k, fp := range first {
		if again[k] != fp {
			t.Errorf("%s: second render %s, first %s", k, again[k], fp)
		}
		if added[k] != fp {
			t.Errorf("%s: with unrelated findings added %s, alone %s", k, added[k], fp)
		}
		if got, ok := removed[k]; ok && got != fp {
			t.Errorf("%s: with other findings removed %s, with them %s", k, got, fp)
		}
	}
	if len(removed) != 2 {
		t.Errorf("%d results after removal, want 2", len(removed))
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mkfile(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSARIFPaths: artifact uris are relative to the enclosing git work
// tree (or the working directory outside one), and code findings land on
// their file and line.
func TestSARIFPaths(t *testing.T) {
	tmp := t.TempDir()
	repo := filepath.Join(tmp, "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	mkfile(t, filepath.Join(repo, "proj", "api", "requirements.txt"))
	mkfile(t, filepath.Join(repo, "pkgs", "evil", "index.js"))
	mkfile(t, filepath.Join(repo, "pkgs", "evil.tgz"))
	wt := filepath.Join(tmp, "worktree") // a linked worktree: .git is a file
	mkfile(t, filepath.Join(wt, ".git"))
	mkfile(t, filepath.Join(wt, "sub", "requirements.txt"))
	norepo := filepath.Join(tmp, "norepo")
	mkfile(t, filepath.Join(norepo, "x", "requirements.txt"))
	mkfile(t, filepath.Join(tmp, "elsewhere", "requirements.txt"))

	req := func(src string) record.Result {
		return record.Result{Ecosystem: "pypi", Name: "reqeusts", Source: src, Verdict: record.Block,
			Findings: []record.Finding{{Rule: "typosquat", Severity: record.High, Message: "m", Evidence: map[string]any{"target": "requests"}}}}
	}
	for _, c := range []struct {
		name, cwd, base string
		res             record.Result
		uri             string
		line            int
	}{
		{"scan of a subdirectory from the repository root", repo, "proj/api", req("requirements.txt:2"), "proj/api/requirements.txt", 2},
		{"scan from inside the subdirectory", filepath.Join(repo, "proj", "api"), "", req("requirements.txt:2"), "proj/api/requirements.txt", 2},
		{"scan of the repository from outside it", tmp, "repo/proj", req("api/requirements.txt:2"), "proj/api/requirements.txt", 2},
		{"absolute base", norepo, filepath.Join(repo, "proj", "api"), req("requirements.txt:5"), "proj/api/requirements.txt", 5},
		{"linked worktree", wt, "", req("sub/requirements.txt:1"), "sub/requirements.txt", 1},
		{"no repository: relative to the working directory", norepo, "", req("x/requirements.txt:3"), "x/requirements.txt", 3},
		{"no repository, outside the working directory: relative to the scanned directory", filepath.Join(norepo, "x"), filepath.Join(tmp, "elsewhere"), req("requirements.txt:3"), "requirements.txt", 3},
		{"inspect DIR: the file inside it, with its line", repo, "", codeFinding("pkgs/evil", "index.js", 4, "s"), "pkgs/evil/index.js", 4},
		{"inspect DIR from a subdirectory", filepath.Join(repo, "pkgs"), "", codeFinding("evil", "index.js", 4, "s"), "pkgs/evil/index.js", 4},
		{"inspect ARCHIVE: the archive, no region", repo, "", codeFinding("pkgs/evil.tgz", "package/index.js", 4, "s"), "pkgs/evil.tgz", 0},
		{"inspect DIR: an escaping evidence path is not followed", repo, "", codeFinding("pkgs/evil", "../../../etc/passwd", 4, "s"), "pkgs/evil", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			log := renderSARIFIn(t, c.cwd, &Report{Base: c.base, Results: []record.Result{c.res}})
			pl := log.Runs[0].Results[0].Locations[0].PhysicalLocation
			if pl == nil {
				t.Fatal("no physical location")
			}
			line := 0
			if pl.Region != nil {
				line = pl.Region.StartLine
			}
			if *pl.ArtifactLocation.URI != c.uri || line != c.line {
				t.Errorf("located at %s line %d, want %s line %d", *pl.ArtifactLocation.URI, line, c.uri, c.line)
			}
		})
	}
}

// TestSARIFSuppressionGUIDs: suppressed findings that differ get distinct
// suppression guids, stable across renders.
func TestSARIFSuppressionGUIDs(t *testing.T) {
	suppressed := func(target string) record.Result {
		r := typosquat("package.json:8", target)
		r.Suppressed = []record.Suppressed{{Finding: r.Findings[0], Reason: "reviewed"}}
		r.Findings = nil
		return r
	}
	rep := &Report{Results: []record.Result{suppressed("express"), suppressed("express-ws")}}
	guids := func() []string {
		var out bytes.Buffer
		if err := (sarifRenderer{cwd: t.TempDir()}).Render(&out, rep); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					Suppressions []struct {
						GUID string `json:"guid"`
					} `json:"suppressions"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(out.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		var g []string
		for _, r := range log.Runs[0].Results {
			if len(r.Suppressions) != 1 || len(r.Suppressions[0].GUID) != 36 {
				t.Fatalf("suppressions = %+v", r.Suppressions)
			}
			g = append(g, r.Suppressions[0].GUID)
		}
		return g
	}
	first, second := guids(), guids()
	if len(first) != 2 || first[0] == first[1] {
		t.Errorf("guids %q: want two distinct", first)
	}
	if !slices.Equal(first, second) {
		t.Errorf("guids changed between renders: %q then %q", first, second)
	}
}
