package corpus

import (
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
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

// readHeaderTSV is how Embedded read a corpus before parseTSV: line by
// line, skipping the header.
func readHeaderTSV(in, file string) ([]Entry, error) {
	_, body, _ := strings.Cut(in, "\n")
	es, err := readTSV(strings.NewReader(body), file)
	var ie *record.InputError
	if errors.As(err, &ie) {
		ie.Line++
	}
	return es, err
}

func TestParseTSVMatchesReader(t *testing.T) {
	inputs := []string{
		"name\trank\tdownloads\nsemver\t1\t200\nansi-styles\t2\t100\n",
		"h\r\na\t1\r\n\r\n# comment\n  \nb\t\t7\nc\t3\t4\textra\nlast\t9",
		"h\nok\t1\nbad\tx\n",
		"h\nok\n\t\n",
		"h\nok\t1\t-2\n",
		"only a header",
		"",
	}
	for _, eco := range ecosystem.All() {
		text, err := embeddedText(eco)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, text)
	}
	for _, in := range inputs {
		got, gerr := parseTSV(in, "f")
		want, werr := readHeaderTSV(in, "f")
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || !slices.Equal(got, want) {
			t.Errorf("parseTSV(%.40q) = %d entries, %v; want %d entries, %v", in, len(got), gerr, len(want), werr)
		}
	}
}

func FuzzParseTSV(f *testing.F) {
	f.Add("h\na\t1\t2\n# x\n\nb\n")
	f.Fuzz(func(t *testing.T, in string) {
		for _, l := range strings.Split(in, "\n") {
			if len(l) >= maxLine-1 {
				return // the line reader's bound differs by its buffer; both refuse
			}
		}
		got, gerr := parseTSV(in, "f")
		want, werr := readHeaderTSV(in, "f")
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || !slices.Equal(got, want) {
			t.Fatalf("parseTSV = %v, %v; reader = %v, %v", got, gerr, want, werr)
		}
	})
}

func TestFingerprint(t *testing.T) {
	for _, eco := range ecosystem.All() {
		crc, size, err := Fingerprint(eco)
		if err != nil {
			t.Fatal(err)
		}
		text, err := embeddedText(eco)
		if err != nil {
			t.Fatal(err)
		}
		if crc != crc32.ChecksumIEEE([]byte(text)) || size != uint32(len(text)) {
			t.Errorf("%s: Fingerprint = %08x %d, want the CRC-32 and length of the text", eco, crc, size)
		}
	}
	if _, _, err := Fingerprint("cobol"); err == nil {
		t.Error("Fingerprint of an unknown ecosystem: no error")
	}
}
