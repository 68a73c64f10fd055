package domain

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzJudge checks, on any input: no panic; the same answer twice; an
// official host is never a lookalike; a lookalike has a technique, a
// severity and a detail; a host that parses is Host, and a subdomain of
// an official host is official too (except under a pages domain, where
// subdomains are users' sites).
func FuzzJudge(f *testing.F) {
	for _, s := range []string{
		"npmjs.help", "npmjs.com", "https://u:p@docs.npmjs.com.:443/x", "xn--pi-kmcm.org", "руpi.org",
		"npmjs.com.account-verify.io", "secure-package-repo.com", "pypa.github.io", "[::1]:80",
		"mailto:a@b.c", "a..b", "", "ｐｙｐｉ.org", "x.github.io", "co.uk", "https://npmjs.com@evil.io/",
		"-.-", "xn--", "1.2.3.4", "gо.dev", "npmjs-support-login-verify-account.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := engine.Judge(s)
		if again := engine.Judge(s); !reflect.DeepEqual(m, again) {
			t.Fatalf("Judge(%q) not deterministic:\n%+v\n%+v", s, m, again)
		}
		if m.Official && m.Lookalike() {
			t.Fatalf("Judge(%q): official and lookalike: %+v", s, m)
		}
		if m.Lookalike() && (m.Technique == "" || m.Detail == "" || m.Severity < 2 || m.Err != nil) {
			t.Fatalf("Judge(%q): incomplete lookalike %+v", s, m)
		}
		h, err := ParseHost(s)
		if (err != nil) != (m.Err != nil) || (err == nil && h != m.Host) {
			t.Fatalf("ParseHost(%q) = %q, %v; Judge host %q, %v", s, h, err, m.Host, m.Err)
		}
		if m.Official && !strings.Contains(m.Host, ":") && engine.entries[engine.byDomain[m.Protected]].role != RolePages {
			if sub := engine.Judge("x." + m.Host); len("x."+m.Host) <= MaxHostLen && sub.Err == nil && !sub.Official {
				t.Fatalf("x.%s not official though %s is", m.Host, m.Host)
			}
		}
		if m.Lookalike() {
			_ = engine.Finding(m)
		}
	})
}
