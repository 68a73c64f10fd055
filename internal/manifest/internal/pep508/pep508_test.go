package pep508

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Requirement
	}{
		{"requests", Requirement{Name: "requests"}},
		{"  requests  ", Requirement{Name: "requests"}},
		{"A", Requirement{Name: "A"}},
		{"zope.interface>=5", Requirement{Name: "zope.interface", Specifier: ">=5"}},
		{"requests[security,socks]>=2.8.1,==2.8.*;python_version<\"2.7\"", Requirement{
			Name: "requests", Extras: []string{"security", "socks"},
			Specifier: ">=2.8.1,==2.8.*", Marker: `python_version<"2.7"`,
		}},
		{"Django (>=3.2, <4)", Requirement{Name: "Django", Specifier: ">=3.2, <4"}},
		{"foo[] >= 1.0 , < 2 ,", Requirement{Name: "foo", Extras: []string{}, Specifier: ">= 1.0 , < 2 ,"}},
		{"foo===1.0-weird", Requirement{Name: "foo", Specifier: "===1.0-weird"}},
		{"foo == 1.0+local.7 ; extra == 'x'", Requirement{Name: "foo", Specifier: "== 1.0+local.7", Marker: "extra == 'x'"}},
		{"pip @ https://github.com/pypa/pip/archive/1.3.1.zip", Requirement{Name: "pip", URL: "https://github.com/pypa/pip/archive/1.3.1.zip"}},
		{"pip[x]@https://e.com/p.zip ; python_version >= '3'", Requirement{Name: "pip", Extras: []string{"x"}, URL: "https://e.com/p.zip", Marker: "python_version >= '3'"}},
		{`name; os_name=="a" or (os_name=="b" and python_version >= "3.8")`, Requirement{Name: "name", Marker: `os_name=="a" or (os_name=="b" and python_version >= "3.8")`}},
		{`name; "linux" in sys_platform and sys.platform not in 'win32'`, Requirement{Name: "name", Marker: `"linux" in sys_platform and sys.platform not in 'win32'`}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"", "foo bar baz", "==1.0", "foo==", "foo[bar", "foo[bar,]", "foo[-x]", "-foo", "foo-",
		"foo @", "foo; ", "foo; python_version",
		`foo; unknown_var == "1"`, "foo >= 1.0 2.0", "foo (>=1.0", "foo 1.0", "foo; (extra == 'a'",
		`foo; extra == "a`, `foo; extra not "a"`, "foo; extra === 'a'", "foo==1.0 # comment",
		"foo; " + strings.Repeat("(", 40) + "extra=='a'" + strings.Repeat(")", 40),
		"foo\nbar",
	} {
		if r, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %+v, want error", in, r)
		}
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"a": true, "A1": true, "foo-bar_baz.qux": true, "": false, "-a": false, "a-": false,
		"a b": false, "ä": false, "a..b": true, "_a": false,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIsLocal(t *testing.T) {
	if !(Requirement{URL: "FILE:///tmp/x.whl"}).IsLocal() || (Requirement{URL: "https://x"}).IsLocal() {
		t.Error("IsLocal misclassifies")
	}
}

func readLines(f *testing.F, name string) []string {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"valid.txt", "invalid.txt"} {
		for _, l := range readLines(f, name) {
			f.Add(l)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		if !ValidName(r.Name) || !strings.Contains(s, r.Name) {
			t.Fatalf("Parse(%q) gave invalid name %q", s, r.Name)
		}
		for _, part := range append([]string{r.Specifier, r.URL, r.Marker}, r.Extras...) {
			if !strings.Contains(s, part) {
				t.Fatalf("Parse(%q): %q is not a substring of the input", s, part)
			}
		}
		if r.URL != "" && r.Specifier != "" {
			t.Fatalf("Parse(%q): both URL and specifier", s)
		}
	})
}
