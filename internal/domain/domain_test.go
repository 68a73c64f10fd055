package domain

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"

	"github.com/pkgward/pkgward/internal/record"
)

var engine = New(nil)

// punycode encodes a Unicode host the way a mail or browser shows it.
func punycode(t testing.TB, host string) string {
	t.Helper()
	a, err := idna.Lookup.ToASCII(host)
	if err != nil {
		t.Fatalf("idna %q: %v", host, err)
	}
	if !strings.Contains(a, "xn--") {
		t.Fatalf("idna %q = %q, want punycode", host, a)
	}
	return a
}

func TestLookalikes(t *testing.T) {
	// "руpi.org" with Cyrillic р (U+0440) and у (U+0443); "pypі.org"
	// with Cyrillic і (U+0456).
	cyrPypi := "\u0440\u0443pi.org"
	cyrI := "pyp\u0456.org"
	tests := []struct {
		host, target, technique string
		sev                     record.Severity
		distance                int
	}{
		{"npmjs.help", "npmjs.com", TechTLDSwap, record.High, 0},
		{"npnjs.com", "npmjs.com", TechSubstitution, record.High, 1},
		{"pypj.org", "pypi.org", TechSubstitution, record.Medium, 1},
		{"nuxet.org", "nuget.org", TechSubstitution, record.Medium, 1}, // an arbitrary letter on a short label only warns
		{"pypi-mirror.org", "pypi.org", TechBrandKeyword, record.High, 0},
		{"npmjs-support.com", "npmjs.com", TechBrandKeyword, record.High, 0},
		{"npmjs.com.account-verify.io", "npmjs.com", TechBrandSubdomain, record.High, 0},
		{"pypi.org.secure-login.net", "pypi.org", TechBrandSubdomain, record.High, 0},
		{"pypi.secure-login.net", "pypi.org", TechBrandSubdomain, record.High, 0},
		{"pypihosted.org", "pythonhosted.org", TechHosting, record.High, 0},
		{"githubcontent.com", "githubusercontent.com", TechHosting, record.High, 0},
		{punycode(t, cyrPypi), "pypi.org", TechHomoglyph, record.High, 0},
		{cyrPypi, "pypi.org", TechHomoglyph, record.High, 0},
		{punycode(t, cyrI), "pypi.org", TechHomoglyph, record.High, 0},
		{punycode(t, "g\u043e.dev"), "go.dev", TechHomoglyph, record.High, 0},
		{"g0lang.org", "golang.org", TechHomoglyph, record.High, 0},
		{"rnicrosoft.com", "microsoft.com", TechHomoglyph, record.High, 0},
		{"pyp1.org", "pypi.org", TechHomoglyph, record.High, 1},
		{"githab.com", "github.com", TechVowelSwap, record.High, 1},
		{"githbu.com", "github.com", TechTransposition, record.High, 1},
		{"gitthub.com", "github.com", TechRepetition, record.High, 1},
		{"gthub.com", "github.com", TechOmission, record.High, 1},
		{"githuba.com", "github.com", TechInsertion, record.High, 1},
		{"nugev.org", "nuget.org", TechBitFlip, record.High, 1},
		{"crates.io.example", "crates.io", TechBrandSubdomain, record.High, 0},
		{"githab.io", "github.io", TechVowelSwap, record.High, 1},
		{"githab.net", "gitlab.net", TechBitFlip, record.High, 1}, // GitLab's gitlab.net under the same suffix beats GitHub's under another
		{"rubygens.org", "rubygems.org", TechSubstitution, record.High, 1},
		{"rubygemz.org", "rubygems.org", TechSubstitution, record.High, 1},
		{"rubygmes.org", "rubygems.org", TechTransposition, record.High, 1},
		{"rubygmez.org", "rubygems.org", TechTwoEdits, record.Medium, 2},
		{"rubbygens.org", "rubygems.org", TechTwoEdits, record.Medium, 2},
		{"pypi.co", "pypi.org", TechTLDSwap, record.High, 0},
		{"pypi.org.cn", "pypi.org", TechTLDSwap, record.High, 0},
		{"npm-js.com", "npmjs.com", TechHyphenation, record.High, 0},
		{"rustlang.org", "rust-lang.org", TechHyphenation, record.High, 0},
		{"securepypi.net", "pypi.org", TechBrandKeyword, record.High, 0},
		{"npm-login.com", "npmjs.com", TechBrandKeyword, record.High, 0},
		{"npmjs-registry.com", "npmjs.com", TechBrandKeyword, record.Medium, 0},
		{"npmjs-support-xyzzy.com", "npmjs.com", TechBrandKeyword, record.High, 0}, // the brand as a whole token beside a lure word
		{"npmjs-support.github.io", "npmjs.com", TechBrandKeyword, record.High, 0},
		{"npmjs-login.herokuapp.com", "npmjs.com", TechBrandKeyword, record.High, 0},
		{"secure-package-repo.com", AnyRegistry, TechRegistryLure, record.Medium, 0},
		{"secure-pip-repo.com", "pypi.org", TechRegistryLure, record.Medium, 0},
		{"https://npmjs.com@evil.example/login", "npmjs.com", TechBrandUserinfo, record.High, 0},
		{"microsoft.de", "microsoft.com", TechTLDSwap, record.Medium, 0},
		// Hosts given as URLs, e-mail addresses, in upper case, with a
		// port or a trailing dot.
		{"https://user:secret@NPMJS.HELP:8443/login?next=/#x", "npmjs.com", TechTLDSwap, record.High, 0},
		{"security@npmjs.help", "npmjs.com", TechTLDSwap, record.High, 0},
		{"mailto:support@pypi-mirror.org", "pypi.org", TechBrandKeyword, record.High, 0},
		{"npmjs.help.", "npmjs.com", TechTLDSwap, record.High, 0},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			m := engine.Judge(tt.host)
			if !m.Lookalike() {
				t.Fatalf("Judge(%q) = %+v, want a lookalike of %s", tt.host, m, tt.target)
			}
			if m.Target != tt.target || m.Technique != tt.technique || m.Severity != tt.sev || m.Distance != tt.distance {
				t.Errorf("Judge(%q) = target %s, technique %s, severity %s, distance %d; want %s, %s, %s, %d\n%s",
					tt.host, m.Target, m.Technique, m.Severity, m.Distance, tt.target, tt.technique, tt.sev, tt.distance, m.Detail)
			}
			if m.Detail == "" || m.Brand == "" || m.Confidence <= 0 || m.Confidence > 1 {
				t.Errorf("Judge(%q): detail %q, brand %q, confidence %v", tt.host, m.Detail, m.Brand, m.Confidence)
			}
			f := engine.Finding(m)
			if f.Rule != RuleLookalike || f.Severity != m.Severity || f.Message != m.Detail {
				t.Errorf("Finding = %+v", f)
			}
			for _, k := range []string{"domain", "registrable", "target", "brand", "technique"} {
				if f.Evidence[k] == "" || f.Evidence[k] == nil {
					t.Errorf("Finding evidence lacks %s: %v", k, f.Evidence)
				}
			}
			if (f.Evidence["distance"] != nil) != (tt.distance > 0) {
				t.Errorf("Finding evidence distance = %v, want %d", f.Evidence["distance"], tt.distance)
			}
		})
	}
}

func TestHomoglyphDetail(t *testing.T) {
	m := engine.Judge(punycode(t, "\u0440\u0443pi.org"))
	if m.Host != "\u0440\u0443pi.org" || m.Registrable != m.Host {
		t.Errorf("host %q registrable %q: want the Unicode form", m.Host, m.Registrable)
	}
	if m.Lookalikes["\u0440"] != "p" || m.Lookalikes["\u0443"] != "y" {
		t.Errorf("lookalikes = %v", m.Lookalikes)
	}
	if !strings.Contains(m.Detail, "U+0440") {
		t.Errorf("detail does not name the characters: %s", m.Detail)
	}
	if got := engine.Finding(m).Evidence["lookalikes"]; got != "р→p,у→y" {
		t.Errorf("evidence lookalikes = %v", got)
	}
}

func TestOfficial(t *testing.T) {
	hosts := []string{
		"npmjs.com", "www.npmjs.com", "docs.npmjs.com", "npmjs.org", "pypi.org", "test.pypi.org",
		"files.pythonhosted.org", "upload.pypi.org", "nuget.org", "api.nuget.org", "rubygems.org",
		"index.rubygems.org", "crates.io", "static.crates.io", "index.crates.io", "docs.rs", "github.com",
		"raw.githubusercontent.com", "objects.githubusercontent.com", "golang.org", "pkg.go.dev", "go.dev",
		"gitlab.com", "python.org", "docs.python.org", "pip.pypa.io", "learn.microsoft.com", "ghcr.io",
		"github.io", "codeload.github.com", "npm.pkg.github.com", "static.rust-lang.org", "yarnpkg.com",
		// Spellings of official hosts.
		"https://WWW.NPMJS.COM:443/package/chalk", "https://user:pw@docs.npmjs.com./cli", "pypi.org.",
		"PyPI.org", "git@github.com", "ssh://git@github.com:22/owner/repo.git", "someone@github.com",
		"\uff50\uff59\uff50\uff49.org", // full-width "ｐｙｐｉ.org" maps to pypi.org
	}
	for _, h := range hosts {
		m := engine.Judge(h)
		if !m.Official || m.Lookalike() || m.Technique != "" || m.Protected == "" {
			t.Errorf("Judge(%q) = %+v, want official", h, m)
		}
	}
}

// Honest sites, including real third-party sites with a brand in their
// name: not reported.
func TestHonest(t *testing.T) {
	hosts := []string{
		"google.com", "mozilla.org", "readthedocs.io", "readthedocs.org", "wikipedia.org",
		"stackoverflow.com", "cloudflare.com", "packagist.org", "jsdelivr.net", "unpkg.com",
		"cdnjs.com", "libraries.io", "deps.dev", "snyk.io", "socket.dev", "anaconda.org",
		"conda-forge.org", "packagecloud.io", "gemfury.com", "pkgs.org", "lib.rs", "gitee.com",
		"gitbook.com", "gitter.im", "deno.land", "jsr.io", "bun.sh", "pnpm.io", "python-poetry.org",
		"pytorch.org", "pyup.io", "rubyonrails.org", "rubydoc.info", "go.uber.org", "k8s.io",
		"golang.google.cn", "sourcegraph.com", "shields.io", "osv.dev", "sigstore.dev",
		// Short labels: never edited.
		"docs.com", "go.com", "gu.dev", "do.dev", "dot.com",
		// The brand plus words that are no lure: third-party sites.
		"npmtrends.com", "npm-stat.com", "pypistats.org", "pythonanywhere.com", "realpython.com",
		"nugettrends.com", "github-readme-stats.vercel.app", "python-security.readthedocs.io",
		// One vowel from pypi, two edits from nuget.
		"pypy.org", "myget.org",
		// Known third-party sites (data/known.tsv).
		"npmmirror.com", "cnpmjs.org", "gitlab.cn",
		// Registry mirrors: the brand as a subdomain of an unrelated domain.
		"pypi.tuna.tsinghua.edu.cn", "npm.taobao.org", "pypi.douban.com",
		// The projects' own GitHub organizations on GitHub Pages.
		"pypa.github.io", "rust-lang.github.io", "sindresorhus.github.io",
		// Not domain names.
		"127.0.0.1", "[::1]:8080", "localhost",
	}
	for _, h := range hosts {
		if m := engine.Judge(h); m.Lookalike() || m.Err != nil {
			t.Errorf("Judge(%q) = %s %s (%s): want no finding", h, m.Technique, m.Target, m.Detail)
		}
	}
}

func TestUserDomains(t *testing.T) {
	e := New([]string{"acme-corp.com", "https://pkgs.example-registry.io/simple", "not a domain", ""})
	for _, h := range []string{"acme-corp.com", "login.acme-corp.com", "pkgs.example-registry.io", "x.pkgs.example-registry.io"} {
		if m := e.Judge(h); !m.Official {
			t.Errorf("Judge(%q) not official with user domains", h)
		}
	}
	for h, tech := range map[string]string{
		"acme-corp.help":          TechTLDSwap,
		"acmecorp.com":            TechHyphenation,
		"acme-crop.com":           TechTransposition,
		"acme-corp-login.com":     TechBrandKeyword,
		"acme-corp.com.verify.io": TechBrandSubdomain,
	} {
		m := e.Judge(h)
		if !m.Lookalike() || m.Technique != tech || !strings.Contains(m.Detail, "your") {
			t.Errorf("Judge(%q) = %s %s (%s); want %s of your domain", h, m.Technique, m.Target, m.Detail, tech)
		}
	}
	// The embedded engine does not know them.
	if m := engine.Judge("acme-corp.help"); m.Lookalike() {
		t.Errorf("without user domains: %+v", m)
	}
	var seen int
	for _, p := range e.Protected() {
		if p.Role == RoleUser {
			seen++
		}
	}
	if seen != 2 {
		t.Errorf("Protected() has %d user domains, want 2", seen)
	}
}

func TestParseHost(t *testing.T) {
	good := map[string]string{
		"NPMJS.com":                           "npmjs.com",
		"https://u:p@Docs.NPMJS.com.:443/x?y": "docs.npmjs.com",
		"maintainer@pypi.org":                 "pypi.org",
		"MAILTO:a@b.example":                  "b.example",
		"xn--pi-kmcm.org":                     "\u0440\u0443pi.org",
		"example.com:":                        "example.com",
		"_dmarc.example.com":                  "_dmarc.example.com",
		"-weird-.example":                     "-weird-.example",
		"[2001:db8::1]:443":                   "2001:db8::1",
		"file://host.example/path":            "host.example",
	}
	for in, want := range good {
		if got, err := ParseHost(in); err != nil || got != want {
			t.Errorf("ParseHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{
		"", "   ", "foo bar.com", "a\tb.com", "x\x00.com", "a..b.com", ".", "https:///path",
		"host:port.com", "[::1", "[zz]:80", "npmjs.com:99999", "x.com:abc",
		"http://npmjs.help:99999/", "npmjs.com:65536", "npmjs.com:000001", "[::1]:99999", "[::1]x", "a!b.com", "xn--zz.com", "\xff.com",
		strings.Repeat("a.", 127) + "com", strings.Repeat("a", 64) + ".com",
	}
	for _, in := range bad {
		if got, err := ParseHost(in); err == nil {
			t.Errorf("ParseHost(%q) = %q, want an error", in, got)
		}
		if m := engine.Judge(in); m.Err == nil || m.Lookalike() || m.Official {
			t.Errorf("Judge(%q) = %+v, want Err", in, m)
		}
	}
	long := strings.Repeat("abcdefgh.", 28) + "com" // 255 characters
	if _, err := ParseHost(long); err == nil || !strings.Contains(err.Error(), "253") {
		t.Errorf("ParseHost(255 characters) = %v, want the 253 limit", err)
	}
}

func TestEmbeddedData(t *testing.T) {
	entries, err := parseProtected()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.domain] {
			t.Errorf("%s listed twice", e.domain)
		}
		seen[e.domain] = true
		e.fill()
		if e.label == "" || e.suffix == "" {
			t.Errorf("%s: no label/suffix", e.domain)
		}
		// Apex domains only (server host names are official through
		// their apex and must not be written in the data).
		if e.reg != e.domain && e.role != RolePages {
			t.Errorf("%s is not an apex domain (registrable %s)", e.domain, e.reg)
		}
	}
	for _, need := range []string{"npmjs.com", "npmjs.org", "pypi.org", "pythonhosted.org", "nuget.org",
		"rubygems.org", "golang.org", "go.dev", "crates.io", "docs.rs", "github.com", "githubusercontent.com", "gitlab.com"} {
		if !seen[need] {
			t.Errorf("%s not protected", need)
		}
	}
	known, err := parseKnown()
	if err != nil {
		t.Fatal(err)
	}
	for d := range known {
		if seen[d] {
			t.Errorf("%s is both protected and known", d)
		}
	}
}

func TestRules(t *testing.T) {
	rs := engine.Rules()
	if len(rs) != 1 || rs[0].ID != RuleLookalike || rs[0].Severity != record.High || rs[0].Title == "" {
		t.Errorf("Rules() = %+v", rs)
	}
}

func TestSegment(t *testing.T) {
	d := newDictionary()
	for in, want := range map[string]string{
		"securepackagerepo": "secure package repo",
		"accountverify":     "account verify",
		"npmjs2024":         "npmjs 2024",
		"trends":            "",
		"":                  "",
	} {
		if got := strings.Join(d.segment(in), " "); got != want {
			t.Errorf("segment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSingleEdit(t *testing.T) {
	tests := []struct{ c, t, tech string }{
		{"npnjs", "npmjs", TechSubstitution},
		{"npmsj", "npmjs", TechTransposition},
		{"npmjss", "npmjs", TechRepetition},
		{"npmjsx", "npmjs", TechInsertion},
		{"npjs", "npmjs", TechOmission},
		{"nuget", "nuget", ""},
		{"nugget", "nuget", TechRepetition},
		{"abc", "xyz", ""},
	}
	for _, tt := range tests {
		ch, ok := singleEdit(tt.c, tt.t)
		if ok != (tt.tech != "") || ch.tech != tt.tech {
			t.Errorf("singleEdit(%q, %q) = %+v, %v; want %q", tt.c, tt.t, ch, ok, tt.tech)
		}
	}
	if !distanceAtMost2("rubbygens", "rubygems") || distanceAtMost2("rubbyyens", "rubygems") {
		t.Error("distanceAtMost2")
	}
}

func TestConcurrent(t *testing.T) {
	hosts := []string{"npmjs.help", "pypi.org", "xn--pi-kmcm.org", "secure-package-repo.com", "pypa.github.io"}
	want := make([]Match, len(hosts))
	for i, h := range hosts {
		want[i] = engine.Judge(h)
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				h := i % len(hosts)
				if m := engine.Judge(hosts[h]); m.Technique != want[h].Technique || m.Target != want[h].Target {
					t.Errorf("concurrent Judge(%q) = %s %s", hosts[h], m.Technique, m.Target)
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
