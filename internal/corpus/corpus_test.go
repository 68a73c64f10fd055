package corpus

import (
	"errors"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func TestEmbedded(t *testing.T) {
	metas, err := List()
	if err != nil {
		t.Fatal(err)
	}
	if len(metas) != len(ecosystem.All()) {
		t.Fatalf("%d corpora, want one per ecosystem", len(metas))
	}
	for _, m := range metas {
		c, err := Embedded(m.Ecosystem)
		if err != nil {
			t.Fatalf("%s: %v", m.Ecosystem, err)
		}
		if len(c.Entries) != m.Size || m.Size < 1000 {
			t.Errorf("%s: %d entries, meta says %d (want >= 1000)", m.Ecosystem, len(c.Entries), m.Size)
		}
		if m.Source == "" || m.Date == "" || m.RankedBy == "" {
			t.Errorf("%s: incomplete metadata %+v", m.Ecosystem, m)
		}
		for i, e := range c.Entries {
			if e.Name == "" || e.Rank < 1 || (i > 0 && e.Rank < c.Entries[i-1].Rank) {
				t.Fatalf("%s: entry %d %+v: empty name or ranks not ascending", m.Ecosystem, i, e)
			}
		}
	}
	npm, _ := Embedded(ecosystem.NPM)
	if npm.Entries[0].Downloads == 0 {
		t.Error("npm corpus lost its download counts")
	}
}

func TestReadUser(t *testing.T) {
	in := "# internal names\nacme-billing\n\n@acme/auth\t5\nacme-ml\t\t1200\n"
	got, err := ReadUser(strings.NewReader(in), "names.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{Name: "acme-billing"}, {Name: "@acme/auth", Rank: 5}, {Name: "acme-ml", Downloads: 1200}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []struct {
		in   string
		line int
	}{
		{"ok\nname\tx\n", 2},
		{"ok\n\tnoname\n", 2},
		{"a\nb\nc\tn\t-3\n", 3},
		{"x\n" + strings.Repeat("a", 5000) + "\n", 2},
	} {
		_, err := ReadUser(strings.NewReader(bad.in), "names.txt")
		var ie *record.InputError
		if !errors.As(err, &ie) || ie.File != "names.txt" || ie.Line != bad.line {
			t.Errorf("ReadUser(%q) error = %v, want names.txt:%d", bad.in[:min(len(bad.in), 20)], err, bad.line)
		}
	}
}

func FuzzReadUser(f *testing.F) {
	f.Add("acme\n@a/b\t3\n")
	f.Fuzz(func(t *testing.T, in string) {
		es, err := ReadUser(strings.NewReader(in), "f")
		if err == nil {
			for _, e := range es {
				if e.Name == "" || e.Rank < 0 || e.Downloads < 0 {
					t.Fatalf("bad entry %+v", e)
				}
			}
		}
	})
}
