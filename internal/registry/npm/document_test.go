package npm

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDecodeUnpublished(t *testing.T) {
	d, err := Decode(fixture(t, "unpublished.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2020, 5, 3, 12, 0, 0, 0, time.UTC); !d.Unpublished.Equal(want) || len(d.Versions) != 0 || d.Latest() != "" {
		t.Errorf("unpublished %v, %d versions, latest %q", d.Unpublished, len(d.Versions), d.Latest())
	}
}

func TestDecodeLenient(t *testing.T) {
	doc := `{
	  "name": "odd",
	  "description": ["not", "a", "string"],
	  "dist-tags": "latest",
	  "maintainers": "Solo Dev <solo@example.com> (https://example.com)",
	  "repository": 17,
	  "time": {"created": "yesterday", "1.0.0": "2020-01-01T00:00:00Z", "2.0.0": 5},
	  "versions": {
	    "1.0.0": {"version": "1.0.0", "_npmUser": {"name": "solo"}, "maintainers": {"name": "solo"}, "deprecated": true, "gypfile": true, "scripts": ["x"]},
	    "2.0.0": "broken",
	    "3.0.0": {"dist": "nope", "repository": {"url": ["x"]}}
	  }
	}`
	d, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if d.Description != "" || d.DistTags != nil || !d.Created.IsZero() || d.Repository != (Repository{}) {
		t.Errorf("wrong-typed fields kept: %+v", d)
	}
	if len(d.Maintainers) != 1 || d.Maintainers[0] != (Person{Name: "Solo Dev", Email: "solo@example.com"}) {
		t.Errorf("maintainers %+v", d.Maintainers)
	}
	if len(d.Versions) != 2 {
		t.Fatalf("versions %v: the broken one is skipped, the others kept", d.Versions)
	}
	v := d.Versions["1.0.0"]
	if v.Publisher.Name != "solo" || len(v.Maintainers) != 1 || v.Deprecated != "deprecated" || !v.GypFile || v.Scripts != nil {
		t.Errorf("1.0.0 = %+v", v)
	}
	if d.Versions["3.0.0"].Version != "3.0.0" {
		t.Error("a version without a version field takes its key")
	}
	if d.Latest() != "1.0.0" {
		t.Errorf("latest %q: without dist-tags, the most recent", d.Latest())
	}
	for _, bad := range []string{``, `null`, `[]`, `"x"`, `{}`, `{"name": 5}`, `{"name":"x"`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) accepted", bad)
		}
	}
}

func TestParsePerson(t *testing.T) {
	for in, want := range map[string]Person{
		"Ada <ada@example.com>":                     {Name: "Ada", Email: "ada@example.com"},
		"Ada Lovelace <ada@example.com> (http://x)": {Name: "Ada Lovelace", Email: "ada@example.com"},
		"ada":                 {Name: "ada"},
		"<only@example.com>":  {Email: "only@example.com"},
		"Broken <no-end":      {Name: "Broken"},
		"Name (http://x.com)": {Name: "Name"},
	} {
		if got := parsePerson(in); got != want {
			t.Errorf("parsePerson(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(fixture(f, "widget.json"))
	f.Add(fixture(f, "unpublished.json"))
	f.Add([]byte(`{"name":"a","versions":{"1":{"maintainers":"x <y>","_npmUser":"z","scripts":{"install":"q"}}},"time":{"1":"2020-01-01T00:00:00Z","unpublished":{"time":1}}}`))
	f.Add([]byte(`{"name":"a","versions":[],"time":[],"dist-tags":{"latest":7}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Decode(data)
		if err != nil {
			return
		}
		if d.Name == "" {
			t.Fatal("decoded a document without a name")
		}
		latest := d.Latest()
		if latest != "" {
			if _, ok := d.Versions[latest]; !ok {
				t.Fatalf("Latest %q is not a version", latest)
			}
		}
		if got := d.ByTime(); len(got) != len(d.Versions) {
			t.Fatalf("ByTime lists %d of %d versions", len(got), len(d.Versions))
		}
		for _, v := range d.Versions {
			if check, err := newVerifier(v.Dist); err == nil && check(data) == nil && v.Dist.Integrity == "" && v.Dist.Shasum == "" {
				t.Fatal("a version without hashes verified")
			}
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatalf("a decoded document does not re-encode: %v", err)
		}
	})
}

func TestParseTime(t *testing.T) {
	want := time.Date(2025, 10, 3, 3, 58, 58, 829e6, time.UTC)
	for _, s := range []string{"2025-10-03T03:58:58.829Z", "2025-10-03T03:58:58.829000+00:00", "2025-10-03T05:58:58.829+02:00", "2025-10-03T03:58:58.829000"} {
		if got, ok := parseTime(s); !ok || !got.Equal(want) {
			t.Errorf("parseTime(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "yesterday", "2025-10-03", "10/03/2025"} {
		if _, ok := parseTime(s); ok {
			t.Errorf("parseTime(%q) accepted", s)
		}
	}
}
