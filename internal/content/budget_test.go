package content

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// TestHomepageJudgedBeforeReadmeLinks: padding a README with many links
// must not use up the domain judge's budget before the homepage.
func TestHomepageJudgedBeforeReadmeLinks(t *testing.T) {
	var readme strings.Builder
	for i := 0; i < 2*maxJudged; i++ {
		fmt.Fprintf(&readme, "- [https://site%d.example.com](https://other%d.example.net/page)\n", i, i)
	}
	p := &record.Package{Ecosystem: ecosystem.NPM, Name: "padded", Readme: readme.String(), Homepage: "https://npmjs-login.com/account"}
	for _, f := range New(domain.New(nil)).Analyze(p) {
		if f.Rule == RuleLookalike && strings.Contains(fmt.Sprint(f.Evidence), "npmjs-login.com") {
			return
		}
	}
	t.Fatal("the lookalike homepage was not judged behind a padded README")
}
