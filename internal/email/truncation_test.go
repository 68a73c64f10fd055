package email

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/record"
)

// seedHTML returns the phishing HTML body of the seed mail.
func seedHTML(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seed-upgrade.eml"))
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	i := bytes.Index(b, []byte("\n\n"))
	if i < 0 {
		t.Fatal("seed has no body")
	}
	return string(b[i+2:])
}

const seedHead = "Subject: Critical Update Required: Immediate Action Needed!\r\n" +
	"To: developer@targetorganization.com\r\nMIME-Version: 1.0\r\n"

// hostileMails wraps the seed's phishing in the shapes that used to hide it.
func hostileMails(t *testing.T) map[string]string {
	html := seedHTML(t)
	htmlPart := "Content-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n"
	from := "From: noreply@cloudservice-security.net\r\n"
	out := map[string]string{}

	var b strings.Builder
	b.WriteString(seedHead + from + "Content-Type: multipart/mixed; boundary=B\r\n\r\n")
	for i := 0; i < 200; i++ {
		b.WriteString("--B\r\nContent-Type: text/plain\r\n\r\npadding\r\n")
	}
	b.WriteString("--B\r\n" + htmlPart + "--B--\r\n")
	out["200 text parts before"] = b.String()

	b.Reset()
	b.WriteString(seedHead + from + "Content-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i, i+1)
	}
	b.WriteString("--b8\r\n" + htmlPart + "--b8--\r\n")
	for i := 7; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	out["8 nested multiparts"] = b.String()

	b.Reset()
	b.WriteString(seedHead + from + "Content-Type: multipart/mixed; boundary=B\r\n\r\n")
	b.WriteString("--B\r\nContent-Type: text/html\r\n\r\n")
	line := strings.Repeat("<p>lorem ipsum</p>", 4) + "\r\n"
	for b.Len() < 4<<20+1024 {
		b.WriteString(line)
	}
	b.WriteString("--B\r\n" + htmlPart + "--B--\r\n")
	out["4 MB HTML part before"] = b.String()

	out["16 KiB From display name"] = seedHead +
		"From: \"" + strings.Repeat("npm Security Team ", 1200) + "\" <support@npmjs.help>\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n\r\n" + html
	return out
}

func TestHostileMailsAreNotAllowed(t *testing.T) {
	for name, raw := range hostileMails(t) {
		m, err := Parse(strings.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fs := Analyze(m, realDeps())
		got := rules(fs)
		if v := analysis.VerdictOf(fs); v != record.Block {
			t.Errorf("%s: verdict %s, want block: %+v", name, v, fs)
		}
		if !got[RulePhishing] {
			t.Errorf("%s: phishing not caught: %+v", name, fs)
		}
		for _, f := range fs {
			if f.Rule == RuleTruncated && f.Severity < record.Medium {
				t.Errorf("%s: %s is %s, want at least medium", name, RuleTruncated, f.Severity)
			}
		}
	}
}

func TestLongFromKeepsAddress(t *testing.T) {
	for _, n := range []int{20 << 10, maxAddrHeader + 10} {
		raw := "From: \"" + strings.Repeat("n", n) + "\" <support@npmjs.help>\r\n\r\nhello\r\n"
		m, err := Parse(strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.From) != 1 || m.From[0].Email != "support@npmjs.help" {
			t.Errorf("%d-byte name: From = %.80v", n, m.From)
		}
		if !rules(Analyze(m, realDeps()))[RuleSenderLookalike] {
			t.Errorf("%d-byte name: sender check skipped", n)
		}
	}
}

func TestUnreadContentIsReported(t *testing.T) {
	// Past every budget: too deep, and too many attachments.
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 0; i < maxDepth+2; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i, i+1)
	}
	deep := b.String()
	b.Reset()
	b.WriteString("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n")
	for i := 0; i < maxParts+5; i++ {
		b.WriteString("--B\r\nContent-Type: application/octet-stream\r\n\r\nAAAA\r\n")
	}
	b.WriteString("--B--\r\n")
	for name, raw := range map[string]string{"deep": deep, "attachments": b.String()} {
		m, err := Parse(strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		fs := Analyze(m, realDeps())
		var f *record.Finding
		for i := range fs {
			if fs[i].Rule == RuleTruncated {
				f = &fs[i]
			}
		}
		if f == nil || f.Severity < record.Medium || !strings.Contains(f.Message, "not read") {
			t.Errorf("%s: no medium %s finding: %+v", name, RuleTruncated, fs)
		}
		if analysis.VerdictOf(fs) == record.Allow {
			t.Errorf("%s: allowed", name)
		}
	}
}
