package tomlpos

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/record"
)

// dump renders v with the line of every key and value, for comparisons:
// tables as {key@line=value ...}@line, arrays as [elem ...]@line, strings
// quoted and other scalars as "_".
func dump(v *Value, lines *manifest.LineIndex) string {
	at := fmt.Sprintf("@%d", lines.Line(int64(v.Offset)))
	switch v.Kind {
	case Table:
		var parts []string
		for _, k := range v.Keys {
			f := v.Field(k)
			parts = append(parts, fmt.Sprintf("%s@%d=%s", k, lines.Line(int64(f.KeyOffset)), dump(f.Value, lines)))
		}
		return "{" + strings.Join(parts, " ") + "}" + at
	case Array:
		var parts []string
		for _, e := range v.Elems {
			parts = append(parts, dump(e, lines))
		}
		return "[" + strings.Join(parts, " ") + "]" + at
	case String:
		return fmt.Sprintf("%q", v.Str) + at
	}
	return "_" + at
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"empty", "", "{}@1"},
		{"comments_only", "# nothing\n\n", "{}@1"},
		{
			"scalars",
			"s = 'x'\nn = 1\nb = true\nd = 1979-05-27\nf = 1.5\n",
			`{s@1="x"@1 n@2=_@2 b@3=_@3 d@4=_@4 f@5=_@5}@1`,
		},
		{
			"key_order_is_document_order",
			"z = 'z'\na = 'a'\nm = 'm'\n",
			`{z@1="z"@1 a@2="a"@2 m@3="m"@3}@1`,
		},
		{
			"table_headers",
			"[a]\nx = 'x'\n\n[a.b]\ny = 'y'\n",
			`{a@1={x@2="x"@2 b@4={y@5="y"@5}@4}@1}@1`,
		},
		{
			"implicit_super_table",
			"[a.b.c]\nx = 1\n",
			`{a@1={b@1={c@1={x@2=_@2}@1}@1}@1}@1`,
		},
		{
			"dotted_keys_locate_their_first_part",
			"a.b = 'x'\na.c = 'y'\n",
			`{a@1={b@1="x"@1 c@2="y"@2}@1}@1`,
		},
		{
			"quoted_keys",
			"\"a.b\" = 1\n'c d' = 2\n",
			`{a.b@1=_@1 c d@2=_@2}@1`,
		},
		{
			"array_of_tables",
			"[[p]]\nn = 'a'\n\n[[p]]\nn = 'b'\n[p.s]\nt = 'x'\n",
			`{p@1=[{n@2="a"@2}@1 {n@5="b"@5 s@6={t@7="x"@7}@6}@4]@1}@1`,
		},
		{
			"arrays_start_at_their_first_element",
			"a = [\n  # c\n  'x',\n  ['y'],\n]\ne = []\n",
			`{a@1=["x"@3 ["y"@4]@4]@3 e@6=[]@6}@1`,
		},
		{
			"inline_tables",
			"d = { v = '1', x.y = [1, 2] }\n",
			`{d@1={v@1="1"@1 x@1={y@1=[_@1 _@1]@1}@1}@1}@1`,
		},
		{
			"multiline_strings",
			"s = '''\nline\n'''\nt = 1\n",
			`{s@1="line\n"@1 t@4=_@4}@1`,
		},
		{
			"crlf",
			"[a]\r\nb = 'c'\r\n",
			`{a@1={b@2="c"@2}@1}@1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.doc)
			lines := manifest.NewLineIndex(data)
			root, err := Parse(context.Background(), "f.toml", data, lines)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := dump(root, lines); got != tt.want {
				t.Errorf("Parse(%q)\n got: %s\nwant: %s", tt.doc, got, tt.want)
			}
		})
	}
}

func TestField(t *testing.T) {
	data := []byte("s = 'x'\n[t]\nk = 1\n")
	root, err := Parse(context.Background(), "f.toml", data, manifest.NewLineIndex(data))
	if err != nil {
		t.Fatal(err)
	}
	s := root.Field("s").Value
	tests := []struct {
		name string
		v    *Value
		key  string
		want bool
	}{
		{"present", root, "t", true},
		{"nested", root.Field("t").Value, "k", true},
		{"absent", root, "nope", false},
		{"not_a_table", s, "x", false},
		{"nil", nil, "x", false},
	}
	for _, tt := range tests {
		if got := tt.v.Field(tt.key) != nil; got != tt.want {
			t.Errorf("%s: Field(%q) present = %v, want %v", tt.name, tt.key, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		wantLine int
		wantMsg  string
	}{
		{"syntax", "a = 1\nb = \n", 2, "invalid TOML"},
		{"unterminated_string", "a = 1\n\nb = 'x\n", 3, "invalid TOML"},
		{"unclosed_array_at_end", "a = [1,", 1, "invalid TOML"},
		{"duplicate_key", "a = 1\na = 2\n", 2, "invalid TOML"},
		{"redefined_table", "[a]\n[b]\n[a]\n", 3, "invalid TOML"},
		{"key_not_a_table", "a = 1\n[a.b]\n", 2, "invalid TOML"},
		{"table_then_array_of_tables", "[a]\n[[a]]\n", 2, "invalid TOML"},
		{"inline_table_extended", "a = {b = 1}\n[a.c]\n", 2, "invalid TOML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.doc)
			v, err := Parse(context.Background(), "dir/f.toml", data, manifest.NewLineIndex(data))
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse = %v, %v; want *record.InputError", v, err)
			}
			if v != nil {
				t.Errorf("partial result with error %v", err)
			}
			if ie.File != "dir/f.toml" || ie.Line != tt.wantLine || !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("error %q at %s:%d, want %q at line %d", ie.Msg, ie.File, ie.Line, tt.wantMsg, tt.wantLine)
			}
			// Validate and Walk report the same error.
			for name, err2 := range map[string]error{
				"Validate": Validate("dir/f.toml", data),
				"Walk":     Walk(context.Background(), "dir/f.toml", data, func(*unstable.Node) error { return nil }),
			} {
				if err2 == nil || err2.Error() != err.Error() {
					t.Errorf("%s = %v, want %v", name, err2, err)
				}
			}
		})
	}
}

func TestError(t *testing.T) {
	data := []byte("a = 1\nb = 2\n")
	other := errors.New("boom")
	tests := []struct {
		name     string
		err      error
		wantLine int
		wantMsg  string
	}{
		{"parser_error", unstable.NewParserError(data[6:7], "bad %s", "b"), 2, "invalid TOML: bad b"},
		{"parser_error_without_highlight", unstable.NewParserError(nil, "bad"), 0, "invalid TOML: bad"},
		{"wrapped_parser_error", fmt.Errorf("ctx: %w", unstable.NewParserError(data[0:1], "bad")), 1, "invalid TOML: ctx: bad"},
		{"other", other, 0, "invalid TOML: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ie *record.InputError
			if err := Error("f.toml", data, tt.err); !errors.As(err, &ie) {
				t.Fatalf("Error = %v, want *record.InputError", err)
			}
			if ie.File != "f.toml" || ie.Line != tt.wantLine || ie.Msg != tt.wantMsg {
				t.Errorf("Error = %q at %s:%d, want %q at line %d", ie.Msg, ie.File, ie.Line, tt.wantMsg, tt.wantLine)
			}
		})
	}
}

func TestWalk(t *testing.T) {
	data := []byte("a = 1\n[t]\nb.c = 2\n[[arr]]\n")
	type expr struct {
		Kind unstable.Kind
		Key  string
		Line int
	}
	lines := manifest.NewLineIndex(data)
	var got []expr
	err := Walk(context.Background(), "f.toml", data, func(e *unstable.Node) error {
		parts := KeyParts(e.Key())
		var names []string
		for _, p := range parts {
			names = append(names, p.Name)
		}
		got = append(got, expr{e.Kind, strings.Join(names, "."), lines.Line(int64(parts[0].Offset))})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []expr{
		{unstable.KeyValue, "a", 1},
		{unstable.Table, "t", 2},
		{unstable.KeyValue, "b.c", 3},
		{unstable.ArrayTable, "arr", 4},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Walk saw %v, want %v", got, want)
	}

	stop := errors.New("stop")
	calls := 0
	err = Walk(context.Background(), "f.toml", data, func(*unstable.Node) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("Walk with a failing callback = %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func TestKeyParts(t *testing.T) {
	tests := []struct {
		doc  string
		want string
	}{
		{"a = 1", "a@0"},
		{"a.b.c = 1", "a@0 b@2 c@4"},
		{"  'x y' . \"z\" = 1", "x y@2 z@10"},
		{"[ t . u ]", "t@2 u@6"},
		{"[[aot]]", "aot@2"},
	}
	for _, tt := range tests {
		var p unstable.Parser
		p.Reset([]byte(tt.doc))
		if !p.NextExpression() {
			t.Fatalf("%q: %v", tt.doc, p.Error())
		}
		var got []string
		for _, k := range KeyParts(p.Expression().Key()) {
			got = append(got, fmt.Sprintf("%s@%d", k.Name, k.Offset))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("KeyParts(%q) = %s, want %s", tt.doc, g, tt.want)
		}
	}
}

func TestCancel(t *testing.T) {
	data := []byte("a = 1\nb = 2\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Parse(ctx, "f.toml", data, manifest.NewLineIndex(data)); !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with a canceled context = %v, want context.Canceled", err)
	}
	if err := Walk(ctx, "f.toml", data, func(*unstable.Node) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Walk with a canceled context = %v, want context.Canceled", err)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Table: "a table", Array: "an array", String: "a string", Other: "a scalar", Kind(99): "kind(?)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

// check asserts the invariants of a tree read from data: offsets inside
// the document, Keys and Field in agreement.
func check(t *testing.T, v *Value, n int) {
	t.Helper()
	if v.Offset < 0 || v.Offset > n {
		t.Fatalf("value offset %d outside the %d-byte document", v.Offset, n)
	}
	switch v.Kind {
	case Table:
		seen := map[string]bool{}
		for _, k := range v.Keys {
			f := v.Field(k)
			if f == nil || seen[k] {
				t.Fatalf("key %q listed but missing or repeated", k)
			}
			seen[k] = true
			if f.KeyOffset < 0 || f.KeyOffset >= n {
				t.Fatalf("key %q offset %d outside the %d-byte document", k, f.KeyOffset, n)
			}
			check(t, f.Value, n)
		}
	case Array:
		for _, e := range v.Elems {
			check(t, e, n)
		}
	case String, Other:
	default:
		t.Fatalf("bad kind %d", v.Kind)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"a = 1\n",
		"[a]\nb = 'c'\n[[d]]\ne = [1, {f = \"g\"}]\n",
		"a.b.c = '''\nx\n'''\n[a.d]\n",
		"[[p]]\nname = 'x'\n[p.source]\ntype = 'directory'\n[[p]]\n",
		"t = { a = [ # c\n 1,\n], b.c = 2 }\n",
		"a = 1\na = 2\n",
		"[a]\n[a]\n",
		"x = [1,",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "fuzz.toml"
		valid := Validate(file, data)
		root, err := Parse(context.Background(), file, data, manifest.NewLineIndex(data))
		if err != nil {
			var ie *record.InputError
			if !errors.As(err, &ie) || ie.File != file {
				t.Fatalf("error %v (%T) is not an InputError for %s", err, err, file)
			}
			if root != nil {
				t.Fatal("tree returned with an error")
			}
			if valid == nil {
				t.Fatalf("Validate accepts what Parse rejects: %v", err)
			}
			return
		}
		if valid != nil {
			t.Fatalf("Parse accepts what Validate rejects: %v", valid)
		}
		if root.Kind != Table {
			t.Fatalf("root is %s", root.Kind)
		}
		check(t, root, len(data))
	})
}
