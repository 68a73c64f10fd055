package domain

import "testing"

var benchHosts = []string{
	"npmjs.help", "www.npmjs.com", "https://user@docs.example.com:8443/a/b?c", "npmjs.com.account-verify.io",
	"xn--pi-kmcm.org", "secure-package-repo.com", "github-readme-stats.vercel.app", "mail.google.com",
	"pypihosted.org", "some-random-startup.io",
}

// BenchmarkJudge judges a mix of official, lookalike and unrelated hosts.
func BenchmarkJudge(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		engine.Judge(benchHosts[i%len(benchHosts)])
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		New([]string{"acme-corp.com"})
	}
}
