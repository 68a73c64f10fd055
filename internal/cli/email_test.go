package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// nestedMail is a message whose text body sits under depth nested
// multiparts: deeper than the reader's nesting limit, it is not read.
func nestedMail(depth int) string {
	var b strings.Builder
	b.WriteString("From: Support <support@example.org>\r\nSubject: hello\r\nMIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i, i+1)
	}
	fmt.Fprintf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\nsee you tomorrow\r\n--b%d--\r\n", depth, depth)
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.String()
}

func TestEmailTruncationNotice(t *testing.T) {
	for _, tc := range []struct {
		name       string
		depth      int
		wantNotice bool
	}{
		{"shallow mail read whole", 2, false},
		{"mail nested past the limit", 60, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, out, _ := run(t, strings.NewReader(nestedMail(tc.depth)), "email", "--format", "json", "-")
			var rep struct {
				Results []struct {
					Findings []struct{ Rule string } `json:"findings"`
				} `json:"results"`
				Notices []string `json:"notices"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("bad JSON: %v\n%s", err, out)
			}
			gotNotice := false
			for _, n := range rep.Notices {
				gotNotice = gotNotice || strings.Contains(n, "not read")
			}
			gotFinding := false
			for _, r := range rep.Results {
				for _, f := range r.Findings {
					gotFinding = gotFinding || f.Rule == "email-truncated"
				}
			}
			if gotNotice != tc.wantNotice || gotFinding != tc.wantNotice {
				t.Errorf("notice %v, finding %v; want %v\n%s", gotNotice, gotFinding, tc.wantNotice, out)
			}
		})
	}
}
