package content

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/record"
)

type wantLink struct {
	href, text string
	kind       LinkKind
	image      bool
}

func linksOf(d Document) []wantLink {
	var out []wantLink
	for _, l := range d.Links {
		out = append(out, wantLink{l.Href, l.Text, l.Kind, l.Image})
	}
	return out
}

func sameLinks(t *testing.T, got []wantLink, want []wantLink) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("links =\n%+v\nwant\n%+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("link %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestExtractMarkdown(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantText  string // substring of Text ("" = no check)
		notInText string
		links     []wantLink
	}{
		{"inline link", "See [the docs](https://x.example/d).",
			"See the docs.", "", []wantLink{{"https://x.example/d", "the docs", KindInline, false}}},
		{"reference link", "[Claim][1]\n\n[1]: https://bit.ly/abc",
			"Claim", "bit.ly", []wantLink{{"https://bit.ly/abc", "Claim", KindInline, false}}},
		{"collapsed reference", "[here][]\n\n[here]: https://h.example",
			"here", "", []wantLink{{"https://h.example", "here", KindInline, false}}},
		{"autolink", "<https://auto.example/x>",
			"https://auto.example/x", "", []wantLink{{"https://auto.example/x", "https://auto.example/x", KindAuto, false}}},
		{"bare urls", "Visit https://a.example/x, www.b.example or bit.ly/3xYz. Not node.js/x.",
			"", "", []wantLink{
				{"https://a.example/x", "", KindBare, false},
				{"http://www.b.example", "", KindBare, false},
				{"http://bit.ly/3xYz", "", KindBare, false},
			}},
		{"image inside link", "[![Get Robux](https://img.example/b.png)](https://bit.ly/r)",
			"Get Robux", "", []wantLink{
				{"https://img.example/b.png", "", KindImage, true},
				{"https://bit.ly/r", "Get Robux", KindInline, true},
			}},
		{"code is not text", "Run `free robux` or\n\n```\nhttp://code.example\n```\n",
			"Run", "robux", nil},
		{"relative and other schemes dropped", "[a](./docs) [b](#x) [c](mailto:a@b.c) [d](javascript:alert(1))",
			"a b c d", "", nil},
		{"inline html anchor takes markdown text", `<a href="https://h.example">free **robux**</a>`,
			"free robux", "", []wantLink{{"https://h.example", "free robux", KindInline, false}}},
		{"html block", "<p align=\"center\">\n<a href=\"https://h.example\"><img src=\"https://i.example/x.gif\" alt=\"Free Nitro\"></a>\n</p>\n",
			"Free Nitro", "", []wantLink{
				{"https://i.example/x.gif", "Free Nitro", KindImage, true},
				{"https://h.example", "Free Nitro", KindInline, true},
			}},
		{"script hidden", "<script>var robux = 'free';</script>\n\nhello",
			"hello", "robux", nil},
		{"table cells", "|a|b|\n|-|-|\n|free|[x](https://t.example)|\n",
			"free", "", []wantLink{{"https://t.example", "x", KindInline, false}}},
		{"protocol relative", "[x](//cdn.example/a)",
			"", "", []wantLink{{"https://cdn.example/a", "x", KindInline, false}}},
		{"entity in text", "free &amp; robux", "free & robux", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ExtractMarkdown([]byte(tt.in))
			if tt.wantText != "" && !strings.Contains(d.Text, tt.wantText) {
				t.Errorf("Text = %q, want it to contain %q", d.Text, tt.wantText)
			}
			if tt.notInText != "" && strings.Contains(d.Text, tt.notInText) {
				t.Errorf("Text = %q, want no %q", d.Text, tt.notInText)
			}
			sameLinks(t, linksOf(d), tt.links)
		})
	}
}

func TestExtractHTML(t *testing.T) {
	in := `<!DOCTYPE html><html><head><title>Free V-Bucks</title><style>.x{}</style>
<meta http-equiv="refresh" content="0; url=https://go.example/r">
<script>document.write("hidden robux")</script></head>
<body><h1>Get <b>free</b> V-Bucks</h1><!-- hidden comment robux -->
<p><a href="https://tinyurl.com/v?a=1&amp;b=2">claim <img src="https://i.example/b.png" alt="now"></a></p>
<area href="https://area.example/" alt="map">
<template>hidden template</template><noscript>hidden noscript</noscript>
<p>Contact www.site.example today</p></body></html>`
	d := ExtractReadme(in)
	for _, want := range []string{"Free V-Bucks", "Get free V-Bucks", "claim", "now", "Contact www.site.example today"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("Text = %q, want %q", d.Text, want)
		}
	}
	for _, hidden := range []string{"hidden", ".x{}"} {
		if strings.Contains(d.Text, hidden) {
			t.Errorf("Text = %q, has invisible %q", d.Text, hidden)
		}
	}
	sameLinks(t, linksOf(d), []wantLink{
		{"https://go.example/r", "", KindRedirect, false},
		{"https://i.example/b.png", "now", KindImage, true},
		{"https://tinyurl.com/v?a=1&b=2", "claim now", KindInline, true},
		{"https://area.example/", "map", KindInline, false},
		{"http://www.site.example", "", KindBare, false},
	})
}

func TestExtractText(t *testing.T) {
	d := ExtractText("Free robux: https://bit.ly/x?aff=1. (see https://y.example/a_(b)) and 0x7f.example")
	sameLinks(t, linksOf(d), []wantLink{
		{"https://bit.ly/x?aff=1", "", KindBare, false},
		{"https://y.example/a_(b)", "", KindBare, false},
	})
}

func TestCleanURL(t *testing.T) {
	tests := []struct {
		in, href, host string
		ok             bool
	}{
		{"https://Example.COM./a", "https://Example.COM./a", "example.com", true},
		{"  https://x.example/a b  ", "https://x.example/a%20b", "x.example", true},
		{"https://x.example/%zz", "https://x.example/%25zz", "x.example", true},
		{"https:\\\\evil.example\\x", "https://evil.example/x", "evil.example", true},
		{"//cdn.example/x", "https://cdn.example/x", "cdn.example", true},
		{"www.x.example", "http://www.x.example", "www.x.example", true},
		{"http://[::1]:8080/", "http://[::1]:8080/", "::1", true},
		{"https://x.example:abc/a", "", "", false},
		{"ftp://x.example/", "", "", false},
		{"/relative", "", "", false},
		{"https://", "", "", false},
	}
	for _, tt := range tests {
		href, host, ok := cleanURL(tt.in)
		if ok != tt.ok || (ok && (href != tt.href || host != tt.host)) {
			t.Errorf("cleanURL(%q) = %q, %q, %v; want %q, %q, %v", tt.in, href, host, ok, tt.href, tt.host, tt.ok)
		}
	}
}

func TestCleanFieldURL(t *testing.T) {
	tests := []struct{ in, host string }{
		{"git+https://github.com/a/b.git", "github.com"},
		{"git://github.com/a/b.git", "github.com"},
		{"git@github.com:a/b.git", "github.com"},
		{"ssh://git@gitlab.com/a/b.git", "gitlab.com"},
		{"github:a/b", "github.com"},
		{"example.com", "example.com"},
		{"https://bit.ly/x", "bit.ly"},
	}
	for _, tt := range tests {
		_, host, ok := cleanFieldURL(tt.in)
		if !ok || host != tt.host {
			t.Errorf("cleanFieldURL(%q) host = %q, %v; want %q", tt.in, host, ok, tt.host)
		}
	}
	if _, _, ok := cleanFieldURL("a/b"); ok {
		t.Error(`cleanFieldURL("a/b") accepted a bare owner/repo`)
	}
}

func TestTameMarkdown(t *testing.T) {
	honest := "# Title\n\n> quote\n\n- a\n  - b\n\n[![x](https://i.example/a)](https://l.example) text\n"
	if got := string(tameMarkdown([]byte(honest))); got != honest {
		t.Errorf("tameMarkdown changed an ordinary README:\n%q", got)
	}
	deep := strings.Repeat("> ", 100) + "free robux\n"
	got := string(tameMarkdown([]byte(deep)))
	if n := containerMarkers([]byte(got)); n > maxContainerDepth {
		t.Errorf("%d container markers left, want at most %d", n, maxContainerDepth)
	}
	if !strings.Contains(got, "free robux") {
		t.Errorf("tamed text lost its content: %q", got)
	}
	long := strings.Repeat("[a](b ", 5000)
	tamed := tameMarkdown([]byte(long))
	if strings.Count(string(tamed), "\n\n") == 0 {
		t.Error("a paragraph of 10,000 delimiters was not split")
	}
	if strings.ReplaceAll(string(tamed), "\n", "") != long {
		t.Error("splitting changed the text")
	}
}

// TestHugeReadme: a 50 MB README is cut to MaxInput, still analyzed (the
// lure at its start is found) and the cut is reported.
func TestHugeReadme(t *testing.T) {
	lure := "# Free Robux Generator - no human verification\n\n[Claim now](https://bit.ly/3abc)\n\n"
	filler := strings.Repeat("Lorem ipsum dolor sit amet, [consectetur](https://x.example/a) adipiscing elit.\n", (50<<20)/80)
	p := record.Package{Name: "x", Readme: lure + filler}
	fs := NewWithJudge(nil).Analyze(&p)
	tr := find(fs, RuleTruncated)
	if tr == nil {
		t.Fatalf("no %s finding in %v", RuleTruncated, rules(fs))
	}
	if tr.Severity != record.Info || tr.Evidence["bytes"] != len(p.Readme) || tr.Evidence["analyzed_bytes"] != MaxInput {
		t.Errorf("truncation finding = %+v", *tr)
	}
	l := find(fs, RuleLure)
	if l == nil || l.Severity != record.High || l.Evidence["readme_truncated"] != true {
		t.Errorf("lure finding = %+v", l)
	}
	d := ExtractReadme(p.Readme)
	if !d.Truncated || len(d.Text) > MaxInput || len(d.Links) > MaxLinks || d.DroppedLinks == 0 {
		t.Errorf("document: truncated=%v text=%d links=%d dropped=%d", d.Truncated, len(d.Text), len(d.Links), d.DroppedLinks)
	}

	// Hostile shapes stay bounded too (work is linear after taming).
	for _, s := range []string{strings.Repeat(">", 50<<20), strings.Repeat("[a](", 50<<18), strings.Repeat("<a href=x>", 5<<20)} {
		d := ExtractReadme(s)
		if !d.Truncated || len(d.Text) > MaxInput || len(d.Links) > MaxLinks {
			t.Errorf("hostile input: truncated=%v text=%d links=%d", d.Truncated, len(d.Text), len(d.Links))
		}
	}
}

func rules(fs []record.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+":"+f.Severity.String())
	}
	return out
}

// checkDocument asserts the invariants of every Document.
func checkDocument(t *testing.T, d Document) {
	t.Helper()
	if len(d.Text) > MaxInput {
		t.Fatalf("Text is %d bytes, more than %d", len(d.Text), MaxInput)
	}
	if !utf8.ValidString(d.Text) {
		t.Fatal("Text is not valid UTF-8")
	}
	if len(d.Links) > MaxLinks {
		t.Fatalf("%d links, more than %d", len(d.Links), MaxLinks)
	}
	if d.LinkTextBytes > len(d.Text)+MaxInput {
		t.Fatalf("LinkTextBytes %d", d.LinkTextBytes)
	}
	for _, l := range d.Links {
		if l.Href == "" || len(l.Href) > MaxLinkBytes+16 || !utf8.ValidString(l.Href) {
			t.Fatalf("bad href %q", l.Href)
		}
		u, err := url.Parse(l.Href)
		if err != nil {
			t.Fatalf("href %q does not parse: %v", l.Href, err)
		}
		if u.Scheme != "http" && u.Scheme != "https" && !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") {
			t.Fatalf("href %q: scheme %q", l.Href, u.Scheme)
		}
		if l.Host == "" || l.Host != hostOf(l.Href) {
			t.Fatalf("href %q: host %q, hostOf %q", l.Href, l.Host, hostOf(l.Href))
		}
		if len(l.Text) > MaxLinkTextBytes || !utf8.ValidString(l.Text) {
			t.Fatalf("bad link text %q", l.Text)
		}
		if l.Kind < KindInline || l.Kind > KindField {
			t.Fatalf("bad kind %d", l.Kind)
		}
	}
}

var fuzzSeeds = []string{
	"# Free Robux\n\n[![x](https://i.example/a.png)](https://bit.ly/x?aff=1)\n",
	"[a][r]\n\n[r]: http://0x7f000001/ \"t\"\n",
	"<a href=\"https://xn--80ak6aa92e.com\">pypi.org</a> <https://a.example>",
	"| a | b |\n|---|---|\n| [x](https://t.example) | www.y.example |\n",
	"> > > - 1. [deep](https://d.example)\n",
	"<!doctype html><p><a href=//x.example>x</a><script>y</script>",
	"https://pypi.org@evil.example/ \xff\xfe bit.ly/abc",
	"*a_[b](c `d` <e> ![f](g) ~~h~~",
}

func FuzzExtractMarkdown(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDocument(t, ExtractMarkdown(b))
	})
}

func FuzzExtractHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDocument(t, ExtractHTML(b))
		checkDocument(t, ExtractText(string(b)))
	})
}
