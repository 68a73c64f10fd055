package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/domain"
)

// registryFixture is internal/project's tree of registry configuration
// files: one realistic file per kind of bad setting, and a clean directory.
const registryFixture = "../project/testdata/registry"

// registryLookalike is the lookalike registry of web/.npmrc.
const registryLookalike = "https://npmjs-registry.org/"

// wantRegistryFindings lists, for each bad setting of the fixture, its
// file:line, the name its result carries and the rule that must flag it.
var wantRegistryFindings = []struct{ source, name, rule string }{
	{"api/pip.conf:3", "http://pypi-mirror.example.com/simple", "registry-http"},
	{"api/requirements.txt:2", "https://pypi.internal.example.com/simple", "registry-extra-index"},
	{"api/requirements.txt:3", "--trusted-host=pypi.internal.example.com", "checksum-disabled"},
	{"api/requirements.txt:4", "https://ci:***@pypi.ci.example.com/simple", "registry-credential-in-url"},
	{"api/requirements.txt:4", "https://ci:***@pypi.ci.example.com/simple", "registry-extra-index"},
	{"deploy/.env:2", "http://athens.internal.example.com", "registry-http"},
	{"deploy/.env:3", "GOINSECURE=github.com", "checksum-disabled"},
	{"dotnet/nuget.config:5", "https://pkgs.contoso.example.com/nuget/v3/index.json", "registry-extra-index"},
	{"dotnet/nuget.config:10", "packageSourceCredentials.contoso.ClearTextPassword", "registry-credential-in-config"},
	{"go/go.env:2", "GOSUMDB=off", "checksum-disabled"},
	{"go/go.env:3", "GONOSUMDB=*", "checksum-disabled"},
	{"go/go.env:4", "GOFLAGS=-insecure", "checksum-disabled"},
	{"legacy/.yarnrc:5", "http://yarn-mirror.example.com", "registry-http"},
	{"ruby/Gemfile:2", "https://gems.internal.example.com", "registry-extra-index"},
	{"rust/.cargo/config.toml:5", "sparse+http://crates-mirror.example.com/index/", "registry-http"},
	{"rust/.cargo/config.toml:9", "registries.acme.token", "registry-credential-in-config"},
	{"svc/Pipfile:7", "https://pypi.internal.example.com/simple", "registry-extra-index"},
	{"svc/Pipfile:8", "source.internal.verify_ssl=false", "checksum-disabled"},
	{"svc/pyproject.toml:11", "https://pypi.acme.example.com/simple/", "registry-extra-index"},
	{"web/.npmrc:2", registryLookalike, "registry-lookalike"}, // when the domain engine judges it so
	{"web/.npmrc:3", "http://npm.acme.example.com/", "registry-http"},
	{"web/.npmrc:4", "//npm.acme.example.com/:_authToken", "registry-credential-in-config"},
	{"web/.npmrc:5", "strict-ssl=false", "checksum-disabled"},
	{"web/.yarnrc.yml:3", "enableStrictSsl=false", "checksum-disabled"},
}

// TestScanRegistryConfig is the acceptance check: `pkgward scan DIR` flags
// each bad registry configuration with its file:line, and no secret of the
// fixture reaches any report.
func TestScanRegistryConfig(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "scan", registryFixture, "--format", "json")
	d := decodeDoc(t, out)
	if len(d.Errors) != 0 {
		t.Fatalf("errors = %+v", d.Errors)
	}
	bySource := map[string][]jsonResult{}
	for _, r := range d.Results {
		bySource[r.Source] = append(bySource[r.Source], r)
	}
	lookalike := domain.New(nil).Judge(registryLookalike).Lookalike()
	for _, w := range wantRegistryFindings {
		found := false
		for _, r := range bySource[w.source] {
			if r.Name == w.name && r.finding(w.rule) != nil {
				found = true
				if f := r.finding(w.rule); f.Message == "" || len(f.Evidence) == 0 {
					t.Errorf("%s %s: finding without message or evidence: %+v", w.source, w.rule, f)
				}
			}
		}
		if w.rule == "registry-lookalike" && !lookalike {
			t.Logf("the domain engine does not judge %s a lookalike: not expected", registryLookalike)
			continue
		}
		if !found {
			t.Errorf("%s (%s): no %s finding; results there: %+v", w.source, w.name, w.rule, bySource[w.source])
		}
	}
	// Checksum, credential and http findings block; an extra index warns.
	for _, r := range d.Results {
		if r.finding("checksum-disabled") != nil && r.finding("checksum-disabled").Severity == "high" && r.Verdict != "block" {
			t.Errorf("%s: verdict %s", r.Source, r.Verdict)
		}
		if r.finding("registry-extra-index") != nil && r.Verdict == "allow" {
			t.Errorf("%s: extra index allowed", r.Source)
		}
		if strings.HasPrefix(r.Source, "clean/") && len(r.Findings) != 0 {
			t.Errorf("clean configuration flagged: %+v", r)
		}
	}
	// The manifests' dependencies are still judged, before the settings.
	if len(d.Results) == 0 || d.Results[0].Name != "flask" || d.Results[0].Source != "api/requirements.txt:5" {
		t.Errorf("first result %+v, want the first dependency", d.Results[0])
	}

	// No output format shows a secret of the fixture ("FAKE…").
	for _, format := range []string{"text", "json", "jsonl", "sarif"} {
		out, errs := runCode(t, ExitFindings, nil, "scan", registryFixture, "--format", format, "-v")
		if strings.Contains(out+errs, "FAKE") {
			t.Errorf("--format %s shows a secret:\n%s", format, clip(out))
		}
		if !strings.Contains(out, "***") {
			t.Errorf("--format %s: the redacted URL is missing", format)
		}
	}
}

// TestScanRegistryConfigText: the text report names each flagged setting
// with its file:line.
func TestScanRegistryConfigText(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "scan", registryFixture)
	for _, want := range []string{
		"BLOCK  go GOSUMDB=off  (go/go.env:2)",
		"BLOCK  npm strict-ssl=false  (web/.npmrc:5)",
		"WARN   nuget https://pkgs.contoso.example.com/nuget/v3/index.json  (dotnet/nuget.config:5)",
		"registry-credential-in-url  https://ci:***@pypi.ci.example.com/simple",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, clip(out))
		}
	}

	// A single configuration file can be scanned, sources keeping the
	// path as given.
	file := filepath.Join(registryFixture, "go", "go.env")
	out, _ = runCode(t, ExitFindings, nil, "scan", file)
	if !strings.Contains(out, filepath.ToSlash(file)+":2") {
		t.Errorf("single file:\n%s", out)
	}
	// A clean configuration: nothing to report, exit 0, no notice.
	out, _ = runCode(t, ExitOK, nil, "scan", filepath.Join(registryFixture, "clean"), "--format", "json")
	d := decodeDoc(t, out)
	if len(d.Notices) != 0 {
		t.Errorf("notices = %q", d.Notices)
	}
	for _, r := range d.Results {
		if len(r.Findings) != 0 {
			t.Errorf("clean: %+v", r)
		}
	}
}

func TestScanRegistryConfigSARIF(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "scan", filepath.Join(registryFixture, "go"), "--format", "sarif")
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("SARIF: %v\n%s", err, clip(out))
	}
	var rules []string
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		rules = append(rules, r.ID)
	}
	for _, id := range []string{"typosquat", "registry-lookalike", "registry-http", "registry-credential-in-url",
		"registry-credential-in-config", "registry-extra-index", "checksum-disabled", "registry-unofficial"} {
		if !slices.Contains(rules, id) {
			t.Errorf("SARIF rules %q lack %s", rules, id)
		}
	}
	var got []string
	for _, r := range doc.Runs[0].Results {
		if r.RuleID == "checksum-disabled" && len(r.Locations) == 1 {
			pl := r.Locations[0].PhysicalLocation
			got = append(got, fmt.Sprintf("%s:%d", pl.ArtifactLocation.URI, pl.Region.StartLine))
		}
	}
	// Relative to the repository root (the fixture lives in this one), not
	// to the scanned directory, so that code scanning finds the file.
	const env = "internal/project/testdata/registry/go/go.env"
	if want := []string{env + ":2", env + ":3", env + ":4"}; !slices.Equal(got, want) {
		t.Errorf("checksum-disabled locations %q, want %q", got, want)
	}
}

// TestScanRegistryConfigSuppression: a reviewed setting is suppressed by
// its name and rule like a package.
func TestScanRegistryConfigSuppression(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "pkgward.yaml")
	writeFile(t, cfg, `ignore:
  - ecosystem: go
    name: GOSUMDB=off
    rule: checksum-disabled
    reason: air-gapped builder with a vetted module cache
`)
	out, _ := runCode(t, ExitFindings, nil, "scan", filepath.Join(registryFixture, "go"), "--config", cfg, "--format", "json")
	d := decodeDoc(t, out)
	for _, r := range d.Results {
		if r.Name != "GOSUMDB=off" {
			continue
		}
		if r.Verdict != "allow" || len(r.Findings) != 0 || len(r.Suppressed) != 1 || r.Suppressed[0].Reason == "" {
			t.Errorf("GOSUMDB=off: %+v, want its finding suppressed", r)
		}
		return
	}
	t.Errorf("no GOSUMDB=off result: %+v", d.Results)
}
