package cli

import (
	"strings"
	"testing"
)

const (
	honestRelease   = "../release/testdata/chalk-5.6.0"
	hijackedRelease = "../release/testdata/chalk-5.6.1"
)

func TestInspect(t *testing.T) {
	out, _ := runCode(t, ExitOK, nil, "inspect", honestRelease, "--format", "json")
	if !strings.Contains(out, `"name": "chalk-mimic"`) || !strings.Contains(out, `"verdict": "allow"`) {
		t.Errorf("inspect of the honest release:\n%s", out)
	}
	out, _ = runCode(t, ExitFindings, nil, "inspect", hijackedRelease, "--format", "json")
	for _, want := range []string{`"verdict": "block"`, `"rule": "wallet-address-swap"`, `"location": "index.js:18"`} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect of the hijacked release lacks %s:\n%s", want, clip(out))
		}
	}
	out, _ = runCode(t, ExitError, nil, "inspect", "no/such/archive.tgz")
	if !strings.Contains(out, "no/such/archive.tgz") {
		t.Errorf("missing archive not named: %q", out)
	}
}

func TestDiff(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "diff", honestRelease, hijackedRelease, "--format", "json")
	if !strings.Contains(out, `"rule": "release-new-code-finding"`) || strings.Contains(out, `"rule": "release-new-endpoint"`) {
		t.Errorf("diff of the hijacked release:\n%s", clip(out))
	}
	runCode(t, ExitOK, nil, "diff", honestRelease, honestRelease)
	runCode(t, ExitError, nil, "diff", honestRelease)
}
