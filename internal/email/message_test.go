package email

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parseFile(t *testing.T, name string) *Message {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file, subject, fromDomain, textHas, htmlHas string
	}{
		{"seed-upgrade.eml", "Critical Update Required: Immediate Action Needed!", "cloudservice-security.net", "", "secure-package-repo.com/upgrade"},
		{"npm-2fa-phish.eml", "Two-Factor Authentication Update Required", "npmjs.help", "temporarily locked starting September 10, 2025", "Update 2FA Now"},
		{"npm-publish-genuine.eml", "Successfully published left-pad-ng@1.4.2", "npmjs.com", "shasum of this package", ""},
		{"pypi-2fa-code-genuine.eml", "[PyPI] Your PyPI verification code", "pypi.org", "enter this code: 482913", "reset your password"},
		{"github-advisory-genuine.eml", "[example/webapp] Critical severity Dependabot alert: lodash", "github.com", "", "GHSA-35jh-r3h4-6jhm"},
	}
	for _, tt := range tests {
		m := parseFile(t, tt.file)
		if m.Subject != tt.subject {
			t.Errorf("%s: subject %q, want %q", tt.file, m.Subject, tt.subject)
		}
		if len(m.From) != 1 || m.From[0].Domain() != tt.fromDomain {
			t.Errorf("%s: from %+v, want domain %s", tt.file, m.From, tt.fromDomain)
		}
		if !strings.Contains(m.Text, tt.textHas) || !strings.Contains(m.HTML, tt.htmlHas) {
			t.Errorf("%s: bodies missing text %q / html %q:\ntext=%q\nhtml=%q", tt.file, tt.textHas, tt.htmlHas, m.Text, m.HTML)
		}
		if m.Truncated {
			t.Errorf("%s: unexpectedly truncated: %v", tt.file, m.Notes)
		}
	}
}

func TestParseMIMEDetails(t *testing.T) {
	msg := "From: =?ISO-8859-1?Q?S=E9curit=E9_npm?= <alerts@npm-security.example>\r\n" +
		"Reply-To: helpdesk@pypi-support.example\r\n" +
		"Subject: =?utf-8?B?WW91ciBhY2NvdW50?=\r\n" +
		"Content-Type: multipart/mixed; boundary=X\r\n\r\n" +
		"--X\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 =\r\nbar\r\n" +
		"--X\r\nContent-Type: application/octet-stream; name=\"update.exe\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"update.exe\"\r\n\r\nTVqQAAMAAAAEAAAA\r\n//8AALgAAAAA\r\n" +
		"--X--\r\n"
	m, err := Parse(strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	if m.From[0].Name != "Sécurité npm" || m.ReplyTo[0].Domain() != "pypi-support.example" || m.Subject != "Your account" {
		t.Errorf("headers: %+v %+v %q", m.From, m.ReplyTo, m.Subject)
	}
	if m.Text != "Café bar" {
		t.Errorf("text = %q", m.Text)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "update.exe" || m.Attachments[0].Size != 21 {
		t.Errorf("attachments = %+v", m.Attachments)
	}
}

func TestParseHostile(t *testing.T) {
	// Deep nesting: bounded, noted, no crash.
	var b strings.Builder
	b.WriteString("Subject: nest\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i, i+1)
	}
	b.WriteString("--b50\r\nContent-Type: text/plain\r\n\r\ndeep\r\n")
	m, err := Parse(strings.NewReader(b.String()))
	if err != nil || !m.Truncated || strings.Contains(m.Text, "deep") {
		t.Errorf("deep nesting: err=%v truncated=%v text=%q", err, m.Truncated, m.Text)
	}
	// Many parts: bodies past maxParts are still read, up to maxWalk.
	for _, tc := range []struct {
		n         int
		truncated bool
	}{{1000, false}, {maxWalk + 10, true}} {
		b.Reset()
		b.WriteString("Subject: many\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n")
		for i := 0; i < tc.n; i++ {
			b.WriteString("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n")
		}
		b.WriteString("--B--\r\n")
		m, err = Parse(strings.NewReader(b.String()))
		if err != nil || m.Truncated != tc.truncated || strings.Count(m.Text, "x") > maxWalk {
			t.Errorf("%d parts: err=%v truncated=%v", tc.n, err, m.Truncated)
		}
	}
	// Too large.
	big := bytes.Repeat([]byte("a"), MaxMessageSize+10)
	if _, err := Parse(bytes.NewReader(append([]byte("Subject: x\r\n\r\n"), big...))); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
	// Not a message.
	if _, err := Parse(strings.NewReader("\x00\x01 not mail")); err == nil {
		t.Error("garbage accepted")
	}
	// Unknown charset and broken content type are read leniently.
	m, err = Parse(strings.NewReader("Subject: c\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nhello\r\n"))
	if err != nil || !strings.Contains(m.Text, "hello") || len(m.Notes) == 0 {
		t.Errorf("unknown charset: %v %+v", err, m)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"seed-upgrade.eml", "npm-2fa-phish.eml", "pypi-2fa-code-genuine.eml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(m.Text) > maxBody+1 || len(m.HTML) > maxBody+1 || len(m.Attachments) > maxParts {
			t.Fatalf("bounds exceeded: %d %d %d", len(m.Text), len(m.HTML), len(m.Attachments))
		}
	})
}
