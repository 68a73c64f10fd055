package jsonpos

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/record"
)

const doc = `{
  "name": "demo",
  "dependencies": {
    "left-pad": "^1.3.0",
    "@scope/pkg":
      "2.0.0",
    "esc\u0061ped": {"nested": [1, 2, {"x": null}]}, "same-line": true
  },
  "n": 12.5e3
}
`

// member is a Member without the raw bytes, for comparisons.
type member struct {
	Key  string
	Line int
	Kind Kind
	Raw  string
}

func flatten(ms []Member) []member {
	var out []member
	for _, m := range ms {
		out = append(out, member{m.Key, m.KeyLine, m.Value.Kind(), string(m.Value.Raw)})
	}
	return out
}

func TestMembers(t *testing.T) {
	ctx := context.Background()
	d, err := Parse("p.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path []string
		want []member
	}{
		{
			name: "root",
			want: []member{
				{"name", 2, String, `"demo"`},
				{"dependencies", 3, Object, doc[bytes.Index([]byte(doc), []byte(`{`+"\n    \"left")) : bytes.Index([]byte(doc), []byte("  },"))+3]},
				{"n", 9, Number, `12.5e3`},
			},
		},
		{
			name: "nested",
			path: []string{"dependencies"},
			want: []member{
				{"left-pad", 4, String, `"^1.3.0"`},
				{"@scope/pkg", 5, String, `"2.0.0"`},
				{"escaped", 7, Object, `{"nested": [1, 2, {"x": null}]}`},
				{"same-line", 7, Bool, `true`},
			},
		},
		{
			name: "deeper",
			path: []string{"dependencies", "escaped"},
			want: []member{{"nested", 7, Array, `[1, 2, {"x": null}]`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok, err := d.Lookup(ctx, d.Root(), tt.path...)
			if err != nil || !ok {
				t.Fatalf("Lookup(%q) = %v, %v", tt.path, ok, err)
			}
			ms, err := d.Members(ctx, v)
			if err != nil {
				t.Fatal(err)
			}
			if got := flatten(ms); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Members:\n got %+v\nwant %+v", got, tt.want)
			}
			for _, m := range ms {
				if !bytes.Equal(m.Value.Raw, []byte(doc)[m.Value.Offset:m.Value.Offset+int64(len(m.Value.Raw))]) {
					t.Errorf("%s: Offset %d does not locate Raw", m.Key, m.Value.Offset)
				}
			}
		})
	}
}

func TestLookup(t *testing.T) {
	ctx := context.Background()
	d, err := Parse("p.json", []byte(`{"a": {"b": 1}, "a": {"b": 2}, "s": "x"}`))
	if err != nil {
		t.Fatal(err)
	}
	v, ok, err := d.Lookup(ctx, d.Root(), "a", "b")
	if err != nil || !ok || string(v.Raw) != "2" {
		t.Errorf(`Lookup(a, b) = %q, %v, %v; want "2" (last duplicate wins)`, v.Raw, ok, err)
	}
	if _, ok, err := d.Lookup(ctx, d.Root(), "missing", "b"); ok || err != nil {
		t.Errorf("Lookup(missing) = %v, %v; want false, nil", ok, err)
	}
	if _, _, err := d.Lookup(ctx, d.Root(), "s", "b"); err == nil {
		t.Error("Lookup through a string: want error")
	}
}

func TestString(t *testing.T) {
	d, err := Parse("p.json", []byte(`["plain", "tab\tand \u00e9", 3]`))
	if err != nil {
		t.Fatal(err)
	}
	var raws []json.RawMessage
	if err := d.Decode(d.Root(), &raws); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"plain", "tab\tand é"} {
		got, err := d.String(Value{Raw: raws[i]})
		if err != nil || got != want {
			t.Errorf("String(%s) = %q, %v; want %q", raws[i], got, err, want)
		}
	}
	if _, err := d.String(Value{Raw: raws[2]}); err == nil {
		t.Error("String(3): want error")
	}
}

func TestBOM(t *testing.T) {
	d, err := Parse("p.json", []byte("\xef\xbb\xbf{\n\"a\": 1}"))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := d.Members(context.Background(), d.Root())
	if err != nil || len(ms) != 1 || ms[0].KeyLine != 2 || ms[0].Value.Offset != 10 {
		t.Errorf("Members = %+v, %v", ms, err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantLine int
		walk     func(*Document) error
	}{
		{name: "empty", in: "", wantLine: 1},
		{name: "truncated", in: "{\n  \"a\": {\n    \"b\": 1\n", wantLine: 3},
		{name: "bad_token", in: "{\n  \"a\": 1,\n  b: 2\n}", wantLine: 3},
		{name: "trailing_garbage", in: "{}\n\n}", wantLine: 3},
		{name: "trailing_comma", in: "{\"a\": 1,\n}", wantLine: 2},
		{
			name: "not_object", in: "{\n\"a\":\n  [1]}", wantLine: 3,
			walk: func(d *Document) error {
				v, _, err := d.Lookup(context.Background(), d.Root(), "a")
				if err != nil {
					return err
				}
				_, err = d.Members(context.Background(), v)
				return err
			},
		},
		{
			name: "decode_type", in: "{\n\"version\":\n 1}", wantLine: 3,
			walk: func(d *Document) error {
				var e struct{ Version string }
				return d.Decode(d.Root(), &e)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("dir/p.json", []byte(tt.in))
			if err == nil && tt.walk != nil {
				err = tt.walk(d)
			}
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *record.InputError", err, err)
			}
			if ie.File != "dir/p.json" || ie.Line != tt.wantLine {
				t.Errorf("err at %s:%d, want dir/p.json:%d (%v)", ie.File, ie.Line, tt.wantLine, err)
			}
		})
	}
}

func TestMembersCancel(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("{")
	for i := range 5000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + string(rune('a'+i%26)) + `": 1`)
	}
	b.WriteString("}")
	d, err := Parse("p.json", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Members(ctx, d.Root()); !errors.Is(err, context.Canceled) {
		t.Errorf("Members on cancelled ctx = %v, want context.Canceled", err)
	}
}

// FuzzMembers walks every object of arbitrary input and checks that
// members locate themselves consistently, with and without the span index.
func FuzzMembers(f *testing.F) {
	for _, s := range []string{doc, `{"a":{"b":{"c":[{"d":1}]}}}`, "[]", `"x"`, "{\r\n\"k\"\r\n:\r\n1\r\n}", "\xef\xbb\xbf{}",
		`{"dependencies": {"a": {"version": "1.0.0", "dependencies": {"b": {"version": "2.0.0", "x": [1, 2, "]}"]}}}}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("f.json", data)
		if err != nil {
			return
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		var walk func(v Value, depth int) []member
		walk = func(v Value, depth int) []member {
			if depth > 50 || v.Kind() != Object {
				return nil
			}
			ms, err := d.Members(context.Background(), v)
			if err != nil {
				t.Fatalf("Members on validated input: %v", err)
			}
			out := flatten(ms)
			for _, m := range ms {
				if m.KeyLine < 1 || m.KeyLine > lines {
					t.Fatalf("KeyLine %d outside 1..%d", m.KeyLine, lines)
				}
				end := m.Value.Offset + int64(len(m.Value.Raw))
				if m.Value.Offset < 0 || end > int64(len(data)) || !bytes.Equal(data[m.Value.Offset:end], m.Value.Raw) {
					t.Fatalf("member %q: Offset %d does not locate Raw %q", m.Key, m.Value.Offset, m.Value.Raw)
				}
				if !json.Valid(m.Value.Raw) {
					t.Fatalf("member %q: Raw %q is not valid JSON", m.Key, m.Value.Raw)
				}
				out = append(out, walk(m.Value, depth+1)...)
			}
			return out
		}
		indexed := walk(d.Root(), 0)
		d.spans = nil
		if scanned := walk(d.Root(), 0); !reflect.DeepEqual(indexed, scanned) {
			t.Fatalf("walk with span index differs from plain scan:\n%v\n%v", indexed, scanned)
		}
	})
}

func TestDeepWalkIsLinear(t *testing.T) {
	// A chain of 3000 nested objects around a 1 MB string: walking it to
	// the bottom must not rescan the string at every level.
	const depth = 3000
	var b bytes.Buffer
	for range depth {
		b.WriteString(`{"d":`)
	}
	b.WriteString(`"` + strings.Repeat("x", 1<<20) + `"`)
	for range depth {
		b.WriteString(`}`)
	}
	d, err := Parse("deep.json", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.spans) != depth {
		t.Fatalf("indexed %d spans, want %d", len(d.spans), depth)
	}
	v := d.Root()
	for i := range depth {
		ms, err := d.Members(context.Background(), v)
		if err != nil || len(ms) != 1 {
			t.Fatalf("level %d: %v, %v", i, ms, err)
		}
		v = ms[0].Value
	}
	if v.Kind() != String || len(v.Raw) != 1<<20+2 {
		t.Errorf("bottom value: %s of %d bytes", v.Kind(), len(v.Raw))
	}
}
