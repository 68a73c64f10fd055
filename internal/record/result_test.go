package record

import (
	"encoding/json"
	"strings"
	"testing"
)

// The subject's kind keys stored results but is not part of the JSON
// report; analyzer errors appear only when there are some.
func TestResultJSON(t *testing.T) {
	for _, tc := range []struct {
		r           Result
		want, never string
	}{
		{Result{Kind: KindDomain, Name: "pypi.org", Verdict: Allow}, `"name":"pypi.org"`, "kind"},
		{Result{Kind: KindPackage, Name: "x"}, `"name":"x"`, `"errors"`},
		{Result{Kind: KindPackage, Name: "x", Errors: []AnalyzerError{{Analyzer: "content", Message: "deadline"}}},
			`"errors":[{"analyzer":"content","message":"deadline"}]`, "kind"},
	} {
		b, err := json.Marshal(tc.r)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tc.want) || strings.Contains(string(b), tc.never) {
			t.Errorf("%s: want %s, never %s", b, tc.want, tc.never)
		}
	}
}
