package campaign

import (
	"github.com/pkgward/pkgward/internal/record"
	"slices"
	"strings"
	"testing"
)

func extract(text string) []string {
	var out []string
	ExtractURLs(text, func(a, b int) { out = append(out, text[a:b]) })
	return out
}

func TestExtractURLs(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"plain", "Click here: https://bit.ly/3AbC?ref=x now", []string{"https://bit.ly/3AbC?ref=x"}},
		{"trailing punctuation", "See https://example.com/a. And http://x.org/b, then www.y.net!", []string{"https://example.com/a", "http://x.org/b", "www.y.net"}},
		{"markdown link", "[CLICK HERE](https://cutt.ly/AbC?u=1) and more", []string{"https://cutt.ly/AbC?u=1"}},
		{"markdown autolink", "<https://example.com/x>", []string{"https://example.com/x"}},
		{"html attribute", `<a href="http://secure-package-repo.com/upgrade">link</a>`, []string{"http://secure-package-repo.com/upgrade"}},
		{"balanced parens kept", "https://en.wikipedia.org/wiki/Foo_(bar) end", []string{"https://en.wikipedia.org/wiki/Foo_(bar)"}},
		{"unbalanced paren cut", "(see https://example.com/x)", []string{"https://example.com/x"}},
		{"upper-case scheme", "HTTPS://EXAMPLE.COM/A", []string{"HTTPS://EXAMPLE.COM/A"}},
		{"inside a word is not a link", "foohttps://example.com xwww.example.com", nil},
		{"bare scheme is not a link", "https:// and http://", nil},
		{"two adjacent", "https://a.com/x https://b.com/y", []string{"https://a.com/x", "https://b.com/y"}},
		{"unicode space ends", "https://a.com/x\u00a0next", []string{"https://a.com/x"}},
		{"no links", "free robux generator 2024", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := extract(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("ExtractURLs(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		raw               string
		url, domain, qery string
		ok                bool
	}{
		{"https://bit.ly/3AbCdE?utm_source=npm&ref=x", "bit.ly/3AbCdE", "bit.ly", "utm_source=npm&ref=x", true},
		{"https://www.Example.CO.UK:8443/Path/?a=1#frag", "example.co.uk/Path", "example.co.uk", "a=1", true},
		{"www.rewards-claim.live/robux", "rewards-claim.live/robux", "rewards-claim.live", "", true},
		{"git+https://github.com/Babel/Babel.git", "github.com/babel/babel", "github.com", "", true},
		{"git@github.com:sindresorhus/is-stream.git", "github.com/sindresorhus/is-stream", "github.com", "", true},
		{"github:owner/repo", "github.com/owner/repo", "github.com", "", true},
		{"https://github.com/x/y#readme", "github.com/x/y", "github.com", "", true},
		{"https://sub.example.com/", "sub.example.com", "example.com", "", true},
		{"ftp://example.com/x", "", "", "", false},
		{"https://localhost/x", "", "", "", false},
		{"https://127.0.0.1/x", "", "", "", false},
		{"https://exa mple.com", "", "", "", false},
		{"not a url", "", "", "", false},
		{"", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			l, ok := NormalizeURL(tt.raw)
			if ok != tt.ok || ok && (l.URL != tt.url || l.Domain != tt.domain || l.Query != tt.qery) {
				t.Errorf("NormalizeURL(%q) = %+v, %v; want %q %q %q, %v", tt.raw, l, ok, tt.url, tt.domain, tt.qery, tt.ok)
			}
		})
	}
}

func TestIsShortener(t *testing.T) {
	for host, want := range map[string]bool{"bit.ly": true, "tinyurl.com": true, "x.bit.ly": true, "github.com": false, "example.com": false} {
		if got := IsShortener(host); got != want {
			t.Errorf("IsShortener(%q) = %v", host, got)
		}
	}
}

func FuzzExtractURLs(f *testing.F) {
	for _, s := range []string{
		"Click https://bit.ly/x?y=1.", "[a](https://a.com/(b))", "www.", "https://", "hhttps://x.com",
		"<a href='http://x.com/a'>", "\xff https://a.com/\xfe", "https://a.com/x\u2003y", "(https://a.com/b))",
		"git@github.com:o/r.git", "https://[::1]:80/x", "https://a.com/" + strings.Repeat("a", 3000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		ExtractURLs(text, func(a, b int) {
			if a < last || b <= a || b > len(text) {
				t.Fatalf("span [%d,%d) after %d in %d bytes", a, b, last, len(text))
			}
			if b-a > maxURLLen {
				t.Fatalf("span of %d bytes", b-a)
			}
			u := text[a:b]
			lu := strings.ToLower(u)
			if !strings.HasPrefix(lu, "http://") && !strings.HasPrefix(lu, "https://") && !strings.HasPrefix(lu, "www.") {
				t.Fatalf("span %q is not a URL start", u)
			}
			if strings.ContainsAny(u, " \t\n\"<>`") {
				t.Fatalf("span %q contains a terminator", u)
			}
			last = b
			if l, ok := NormalizeURL(u); ok {
				if l.Host == "" || l.Domain == "" || !strings.HasPrefix(l.URL, l.Host) || !strings.HasSuffix(l.Host, l.Domain) {
					t.Fatalf("NormalizeURL(%q) = %+v", u, l)
				}
			}
		})
		NormalizeURL(text)
		Sign(&record.Package{Name: "x", Readme: text, Homepage: text})
	})
}
