package record

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestDecodePackage(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // the decoded name when no error
		wantErr string // substring of the error
	}{
		{name: "plain", in: `{"ecosystem":"npm","name":"express"}`, want: "express"},
		{name: "unknown_keys_ignored", in: `{"name":"express","_id":"x","distTags":{"a":1,"a":2}}`, wantErr: `"a" given twice`},
		{name: "unknown_key_ok", in: `{"name":"express","_id":"x","dist-tags":{"latest":"1"}}`, want: "express"},
		{name: "upper_case_key", in: `{"name":"expresss","NAME":"express"}`, wantErr: `key "NAME" must be written "name"`},
		{name: "title_case_key", in: `{"Name":"express"}`, wantErr: `key "Name" must be written "name"`},
		{name: "unicode_fold_key", in: `{"name":"a","ecoſystem":"npm"}`, wantErr: `must be written "ecosystem"`},
		{name: "kelvin_fold_key", in: `{"name":"a","\u212aeywords":["x"]}`, wantErr: `must be written "keywords"`},
		{name: "escaped_key_same_as_plain", in: `{"name":"a","n\u0061me":"b"}`, wantErr: `"name" given twice`},
		{name: "duplicate_key", in: `{"name":"expresss","name":"express"}`, wantErr: `"name" given twice`},
		{name: "duplicate_script", in: `{"name":"a","scripts":{"postinstall":"true","postinstall":"curl x|sh"}}`, wantErr: `"postinstall" given twice`},
		{name: "nested_author_case", in: `{"name":"a","authors":[{"name":"x","EMAIL":"y"}]}`, wantErr: `key "EMAIL" must be written "email"`},
		{name: "nested_dependency_dup", in: `{"name":"a","dependencies":[{"name":"x","name":"y"}]}`, wantErr: `"name" given twice`},
		{name: "script_keys_any_case", in: `{"name":"a","scripts":{"Build":"x","build":"y"}}`, want: "a"},
		{name: "invalid_utf8_name", in: "{\"name\":\"expr\xffess\"}", wantErr: "invalid UTF-8 at byte 13"},
		{name: "lone_low_surrogate", in: `{"name":"a\udc00b"}`, wantErr: "lone UTF-16 surrogate"},
		{name: "lone_high_surrogate", in: `{"name":"a\ud800b"}`, wantErr: "lone UTF-16 surrogate"},
		{name: "surrogate_pair_ok", in: `{"name":"a\ud83d\ude00"}`, want: "a\U0001F600"},
		{name: "escaped_quote", in: `{"name":"a\"b","description":"x\\"}`, want: `a"b`},
		{name: "many_keys_dup_late", in: `{"name":"a","dist":{` + manyKeys(40) + `,"k03":0}}`, wantErr: `"k03" given twice`},
		{name: "many_keys_ok", in: `{"name":"a","dist":{` + manyKeys(40) + `}}`, want: "a"},
		{name: "syntax_error_is_json's", in: `{"name":"a",}`, wantErr: "invalid character"},
		{name: "type_error_names_the_key", in: `{"name":1}`, wantErr: "`name` must be a string, not a number"},
		{name: "type_error_list", in: `{"name":"a","keywords":"x"}`, wantErr: "`keywords` must be a list of strings, not a string"},
		{name: "type_error_object", in: `{"name":"a","scripts":[1]}`, wantErr: "`scripts` must be an object of strings, not a list"},
		{name: "type_error_people", in: `{"name":"a","maintainers":"bob"}`, wantErr: "`maintainers` must be a list of {\"name\", \"email\"} objects, not a string"},
		{name: "type_error_nested", in: `{"name":"a","dependencies":[{"name":true}]}`, wantErr: "`dependencies.name` must be a string, not true or false"},
		{name: "type_error_ecosystem", in: `{"ecosystem":1,"name":"a"}`, wantErr: "`ecosystem` must be a string, not a number"},
		{name: "bad_time", in: `{"name":"a","published":"yesterday"}`, wantErr: "`published`: \"yesterday\" is not an RFC 3339 time"},
		{name: "time_not_a_string", in: `{"name":"a","published":5}`, wantErr: "`published` must be an RFC 3339 time string"},
		{name: "too_deep", in: `{"name":"a","x":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`, wantErr: "nested deeper"},
		{name: "numbers_literals", in: `{"name":"a","x":[1,-2.5e3,true,false,null]}`, want: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePackage([]byte(tt.in))
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DecodePackage(%s) = %+v, %v; want error containing %q", tt.in, p, err, tt.wantErr)
				}
				if m := err.Error(); strings.Contains(m, "Go struct") || strings.Contains(m, "[]string") || strings.Contains(m, "record.") {
					t.Errorf("error %q names Go types", m)
				}
			case err != nil:
				t.Fatalf("DecodePackage(%s): %v", tt.in, err)
			case p.Name != tt.want:
				t.Fatalf("DecodePackage(%s).Name = %q, want %q", tt.in, p.Name, tt.want)
			}
		})
	}
}

func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + strings.Repeat("x", i%3) + itoa(i) + `":0`)
	}
	return b.String()
}

func itoa(i int) string { return fmt.Sprintf("%02d", i) }

// TestPackageShape keeps the strict key lists in step with the json tags.
func TestPackageShape(t *testing.T) {
	for _, c := range []struct {
		typ reflect.Type
		sh  *shape
	}{{reflect.TypeFor[Package](), &packageShape}, {reflect.TypeFor[Person](), &personShape}, {reflect.TypeFor[Dependency](), &depShape}} {
		var tags []string
		for f := range c.typ.Fields() {
			tags = append(tags, strings.Split(f.Tag.Get("json"), ",")[0])
		}
		if len(tags) != len(c.sh.fields) {
			t.Errorf("%v: %d json keys, strict shape has %d", c.typ, len(tags), len(c.sh.fields))
		}
		for _, k := range tags {
			if _, ok := c.sh.fields[k]; !ok {
				t.Errorf("%v: key %q missing from the strict shape", c.typ, k)
			}
		}
	}
}

// FuzzDecodePackage checks that the strict decoder never accepts what
// encoding/json rejects, and that what it accepts decodes the same.
func FuzzDecodePackage(f *testing.F) {
	for _, s := range []string{`{"name":"a"}`, `{"name":"a","NAME":"b"}`, `{"scripts":{"x":"y"},"authors":[{"name":"n"}]}`, `{"name":"\ud800"}`, "{\"name\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePackage(data)
		var q Package
		jerr := json.Unmarshal(data, &q)
		if err == nil && jerr != nil {
			t.Fatalf("accepted what encoding/json rejects (%v): %q", jerr, data)
		}
		if err == nil && !reflect.DeepEqual(p, q) {
			t.Fatalf("decoded differently: %+v vs %+v", p, q)
		}
	})
}

// BenchmarkDecodePackage compares the strict decoder with plain
// encoding/json on a typical sweep record.
func BenchmarkDecodePackage(b *testing.B) {
	rec := []byte(`{"ecosystem":"npm","name":"left-pad","version":"1.3.0","description":"String left pad","keywords":["pad","string"],"authors":[{"name":"azer","email":"a@example.com"}],"scripts":{"test":"node test.js"},"dependencies":[{"name":"tap","version":"^1"}]}`)
	b.Run("strict", func(b *testing.B) {
		for b.Loop() {
			if _, err := DecodePackage(rec); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		for b.Loop() {
			var p Package
			if err := json.Unmarshal(rec, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
