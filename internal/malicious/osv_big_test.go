package malicious

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// bigRecord is one hostile OSV record: pkgs affected packages, each
// listed twice, and one package with vers versions listed twice.
func bigRecord(pkgs, vers int) []byte {
	var b strings.Builder
	b.WriteString(`{"id":"MAL-2024-1","modified":"2024-01-01T00:00:00Z","affected":[`)
	for i := range pkgs {
		fmt.Fprintf(&b, `{"package":{"ecosystem":"npm","name":"p%d"},"versions":["1.0.0"]},`, i)
		fmt.Fprintf(&b, `{"package":{"ecosystem":"npm","name":"P%d"},"versions":["1.0.1"]},`, i)
	}
	b.WriteString(`{"package":{"ecosystem":"npm","name":"many"},"versions":[`)
	for i := range 2 * vers {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"1.0.%d"`, i%vers)
	}
	b.WriteString(`]}]}`)
	return []byte(b.String())
}

// TestParseOSVLinear: merging affected entries and versions is linear
// (the quadratic merge took a minute on 100,000 packages).
func TestParseOSVLinear(t *testing.T) {
	const n = 50000
	data := bigRecord(n, n)
	start := time.Now()
	r, err := ParseOSV("big.json", data)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Packages) != n+1 {
		t.Fatalf("%d packages, want %d", len(r.Packages), n+1)
	}
	if got := r.Packages[0].Versions; len(got) != 2 || got[0] != "1.0.0" || got[1] != "1.0.1" {
		t.Errorf("merged versions %v, want [1.0.0 1.0.1]", got)
	}
	if got := len(r.Packages[n].Versions); got != n {
		t.Errorf("%d distinct versions, want %d", got, n)
	}
	if took > 5*time.Second {
		t.Errorf("parsing a %d-byte record took %v: not linear", len(data), took)
	}
	t.Logf("%d-byte record with %d affected entries parsed in %v", len(data), 2*n+1, took)
}
