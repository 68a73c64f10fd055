package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestInspectSingleFile: a source file given to inspect is judged as a
// package of that one file, its findings at file:line.
func TestInspectSingleFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "loader.py")
	writeFile(t, bad, "import base64\nexec(base64.b64decode('aW1wb3J0IG9z'))\n")
	good := filepath.Join(dir, "util.py")
	writeFile(t, good, "import base64\n\ndef encode(b):\n    return base64.b64encode(b)\n")
	code, out, errs := run(t, nil, "inspect", bad, good)
	if code == ExitError {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "eval-decoded") || !strings.Contains(out, "loader.py:2") {
		t.Errorf("loader.py: no eval-decoded finding at loader.py:2:\n%s", out)
	}
	if strings.Count(out, "eval-decoded") != 1 || !strings.Contains(out, "1 warned, 1 allowed") {
		t.Errorf("want loader.py warned and util.py allowed:\n%s", out)
	}
}
