package depurl

import (
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func TestClassify(t *testing.T) {
	const none = record.Severity(-1)
	cases := []struct {
		spec string
		want record.Severity // none: not a URL dependency
		kind string
	}{
		// Registry versions, tags, aliases and local paths.
		{"^1.2.3", none, ""},
		{"~0.4.0 || >=1.0.0 <2", none, ""},
		{"latest", none, ""},
		{"*", none, ""},
		{"npm:@acme/real-name@^2.0.0", none, ""},
		{"file:../local", none, ""},
		{"link:./pkg", none, ""},
		{"workspace:*", none, ""},
		{"git+file:///home/me/repo.git", none, ""},
		{"@acme/name", none, ""},
		// Well-known code hosts over encrypted transports: medium.
		{"github:acme/widget#v1.2.0", record.Medium, "shorthand"},
		{"acme/widget", record.Medium, "shorthand"},
		{"acme/widget#semver:^1.0", record.Medium, "shorthand"},
		{"git+https://github.com/acme/widget.git#v1.0.0", record.Medium, "git"},
		{"git+ssh://git@github.com/acme/widget.git", record.Medium, "git"},
		{"git@gitlab.com:acme/widget.git", record.Medium, "git"},
		{"https://github.com/acme/widget/archive/refs/tags/v1.0.0.tar.gz", record.Medium, "tarball"},
		{"https://codeload.github.com/acme/widget/tar.gz/main", record.Medium, "tarball"},
		// Everything else: high.
		{"http://cdn.example.invalid/widget-1.0.0.tgz", record.High, "tarball"},
		{"https://cdn.example.invalid/widget-1.0.0.tgz", record.High, "tarball"},
		{"https://203.0.113.7/widget.tgz", record.High, "tarball"},
		{"https://[2001:db8::1]/widget.tgz", record.High, "tarball"},
		{"git://github.com/acme/widget.git", record.High, "git"},
		{"git+http://github.com/acme/widget.git", record.High, "git"},
		{"git+https://git.example.invalid/acme/widget.git", record.High, "git"},
		{"https://github.com.example.invalid/acme/widget.tgz", record.High, "tarball"},
		{"HTTP://CDN.EXAMPLE.INVALID/W.TGZ", record.High, "tarball"},
	}
	for _, c := range cases {
		s, ok := Classify(c.spec)
		if c.want == none {
			if ok {
				t.Errorf("%q: want no URL dependency, got %+v", c.spec, s)
			}
			continue
		}
		if !ok {
			t.Errorf("%q: want %s, got no URL dependency", c.spec, c.want)
			continue
		}
		if s.Severity() != c.want || s.Kind != c.kind {
			t.Errorf("%q: want %s %s, got %s %s (%s)", c.spec, c.want, c.kind, s.Severity(), s.Kind, s.Reason)
		}
	}
}

func TestAnalyze(t *testing.T) {
	p := &record.Package{Ecosystem: ecosystem.NPM, Name: "acme-app", Dependencies: []record.Dependency{
		{Name: "left-pad", Version: "^1.3.0"},
		{Name: "widget", Version: "git+https://github.com/acme/widget.git"},
		{Name: "helper", Version: "http://198.51.100.4/helper.tgz"},
		{Name: "private", Version: "https://deploy:s3cr3tt0ken@git.example.invalid/acme/private.git"},
	}}
	got := New().Analyze(p)
	if len(got) != 3 {
		t.Fatalf("want 3 findings, got %d: %+v", len(got), got)
	}
	if got[0].Severity != record.Medium || got[1].Severity != record.High || got[2].Severity != record.High {
		t.Errorf("grades: %s %s %s", got[0].Severity, got[1].Severity, got[2].Severity)
	}
	for _, f := range got {
		if f.Rule != RuleID || f.Evidence["dependency"] == "" {
			t.Errorf("finding %+v", f)
		}
		if strings.Contains(f.Evidence["spec"].(string), "s3cr3t") || strings.Contains(f.Message, "s3cr3t") {
			t.Errorf("credentials not redacted: %+v", f)
		}
	}
	// Other ecosystems' dependencies are not npm specs.
	p.Ecosystem = ecosystem.PyPI
	if got := New().Analyze(p); len(got) != 0 {
		t.Errorf("PyPI package: %+v", got)
	}
}

func TestAnalyzeBounded(t *testing.T) {
	p := &record.Package{Ecosystem: ecosystem.NPM, Name: "many"}
	for i := 0; i < 50; i++ {
		p.Dependencies = append(p.Dependencies, record.Dependency{Name: "d" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Version: "https://cdn.example.invalid/x.tgz"})
	}
	got := New().Analyze(p)
	if len(got) != maxFindings || got[maxFindings-1].Evidence["more_dependencies"] != 30 {
		t.Fatalf("want %d findings, the last counting 30 more; got %d, %v", maxFindings, len(got), got[len(got)-1].Evidence["more_dependencies"])
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"^1.0.0", "git+https://github.com/a/b.git", "http://[::1", "a/b#c", "git@h:o/r", "https://u:p@h/x", "%zz://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, ok := Classify(spec)
		if !ok {
			return
		}
		if s.Kind == "" || s.Reason == "" {
			t.Fatalf("%q: incomplete source %+v", spec, s)
		}
		_ = finding("d", s)
	})
}
