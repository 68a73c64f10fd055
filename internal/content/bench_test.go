package content

import (
	"os"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

func BenchmarkAnalyzeDescription(b *testing.B) {
	a := NewWithJudge(nil)
	pkgs := []record.Package{
		{Name: "left-pad", Description: "String left pad with spaces or zeros, for Node.js and the browser"},
		{Name: "yaml", Description: "JavaScript parser and stringifier for YAML. See https://eemeli.org/yaml/ for docs."},
		{Name: "free-robux", Description: "Free Robux Generator 2024 no human verification https://bit.ly/3abc?aff_id=1"},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a.Analyze(&pkgs[i%len(pkgs)])
	}
}

func BenchmarkAnalyzeReadme(b *testing.B) {
	a := NewWithJudge(&fakeJudge{})
	var pkgs []record.Package
	size := 0
	for _, f := range []string{"testdata/honest/hackathon-starter.md", "testdata/honest/roblox-api-client.md", "testdata/spam/robux-generator.md", "testdata/spam/vbucks-html.md"} {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		size += len(data)
		pkgs = append(pkgs, record.Package{Name: "pkg", Readme: string(data)})
	}
	b.SetBytes(int64(size / len(pkgs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a.Analyze(&pkgs[i%len(pkgs)])
	}
}
