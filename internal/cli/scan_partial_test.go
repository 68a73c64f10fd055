package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestScanBadLineKeepsOtherLines: a requirements file with a squat on line
// 1 and a missing include on line 2 reports both, and exits 2 for the
// error (issue 11 item 5).
func TestScanBadLineKeepsOtherLines(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "requirements.txt"), "reqeusts==2.31\n-r missing.txt\nflask\n==1\n")
	out, _ := runCode(t, ExitError, nil, "scan", dir, "--format", "json")
	d := decodeDoc(t, out)
	if got := names(d.Results); !slices.Contains(got, "reqeusts") || !slices.Contains(got, "flask") {
		t.Fatalf("results %v, want reqeusts and flask", got)
	}
	for _, r := range d.Results {
		if r.Name == "reqeusts" && r.finding("typosquat") == nil {
			t.Errorf("reqeusts: no typosquat finding: %+v", r.Findings)
		}
	}
	var lines []int
	for _, e := range d.Errors {
		if !strings.HasSuffix(e.File, "requirements.txt") {
			t.Errorf("error on %s", e.File)
		}
		lines = append(lines, e.Line)
		if e.Line == 2 && e.Message != `included file "missing.txt": no such file or directory` {
			t.Errorf("line 2: message %q", e.Message)
		}
	}
	if !slices.Equal(lines, []int{2, 4}) {
		t.Errorf("errors on lines %v, want [2 4]: %+v", lines, d.Errors)
	}
}
