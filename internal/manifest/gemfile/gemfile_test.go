package gemfile

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/internal/parsertest"
	"github.com/pkgward/pkgward/internal/record"
)

const eco = ecosystem.RubyGems

func TestMatches(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"Gemfile", true},
		{"apps/web/Gemfile", true},
		{"gems.rb", true},
		{"Gemfile.lock", false},
		{"gemfile", false},
		{"lib/gems.rbs", false},
		{"Gemfile/README", false},
	}
	for _, tt := range tests {
		if got := New().Matches(tt.path); got != tt.want {
			t.Errorf("Matches(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []manifest.Dependency
	}{
		{
			file: "Gemfile",
			want: []manifest.Dependency{
				{Name: "rails", Version: "~> 7.1.3, >= 7.1.3.2", Line: 8},
				{Name: "pg", Version: "~> 1.1", Line: 9},
				{Name: "puma", Version: ">= 5.0", Line: 10},
				{Name: "bootsnap", Version: "", Line: 11},
				{Name: "importmap-rails", Version: "", Line: 12},
				{Name: "tzinfo-data", Version: "", Line: 13},
				{Name: "sidekiq", Version: "~> 7.2", Line: 14},
				{Name: "redis", Version: "", Line: 17},
				{Name: "image_processing", Version: "~> 1.2", Line: 18},
				{Name: "rack-cors", Version: "", Line: 19},
				{Name: "my_engine", Version: "", Line: 20},
				{Name: "it's", Version: "1.0", Line: 21},
				{Name: "escaped'quote", Version: "", Line: 22},
				{Name: "debug", Version: "", Line: 25},
				{Name: "rspec-rails", Version: "~> 6.1.0", Line: 26},
				{Name: "web-console", Version: "", Line: 30},
				{Name: "rubocop-rails-omakase", Version: "", Line: 31},
				{Name: "activerecord-jdbcpostgresql-adapter", Version: "", Line: 35},
				{Name: "after-heredoc", Version: "1.0", Line: 54},
			},
		},
		{
			file: "gems.rb",
			want: []manifest.Dependency{
				{Name: "rack", Version: ">= 2.2, < 4", Line: 2},
				{Name: "roda", Version: "", Line: 6},
				{Name: "tab-indented", Version: "", Line: 7},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := "app/" + tt.file
			got, err := New().Parse(context.Background(), manifest.Input{Path: path, Data: parsertest.ReadTestdata(t, tt.file)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for i := range tt.want {
				tt.want[i].Ecosystem = eco
				tt.want[i].File = path
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%s) mismatch\n got: %+v\nwant: %+v", tt.file, got, tt.want)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		file string
		line int
	}{
		{"bad-unterminated.Gemfile", 4},
		{"bad-unterminated-version.Gemfile", 4},
		{"bad-name.Gemfile", 3},
		{"bad-empty-name.Gemfile", 2},
		{"bad-heredoc.Gemfile", 3},
		{"bad-begin.Gemfile", 3},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := New().Parse(context.Background(), manifest.Input{Path: tt.file, Data: parsertest.ReadTestdata(t, tt.file)})
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse error = %v (%T), want *record.InputError", err, err)
			}
			if ie.File != tt.file || ie.Line != tt.line {
				t.Errorf("error at %s:%d, want %s:%d (%v)", ie.File, ie.Line, tt.file, tt.line, err)
			}
		})
	}
}

// TestParseLines checks snippets that need no fixture file.
func TestParseLines(t *testing.T) {
	tests := []struct {
		name, src string
		want      []manifest.Dependency
	}{
		{"hash key is not a version", "gem 'a', 'require' => false\n", []manifest.Dependency{{Name: "a", Line: 1}}},
		{"string key syntax", "gem 'a', \"require\": false\n", []manifest.Dependency{{Name: "a", Line: 1}}},
		{"backslash continuation", "gem 'a', \\\n  '1.0'\n", []manifest.Dependency{{Name: "a", Version: "1.0", Line: 1}}},
		{"comment between arguments", "gem 'a', # pinned\n  '2.0'\n", []manifest.Dependency{{Name: "a", Version: "2.0", Line: 1}}},
		{"append is not a heredoc", "list = []\nlist << \"x\" <<EOF\ngem 'b'\n", []manifest.Dependency{{Name: "b", Line: 3}}},
		{"quoted heredoc id", "x = <<~'END'\n  gem 'hidden'\n  END\ngem 'c'\n", []manifest.Dependency{{Name: "c", Line: 4}}},
		{"two heredocs on a line", "f(<<~A, <<~B)\ngem 'h1'\nA\ngem 'h2'\nB\ngem 'd'", []manifest.Dependency{{Name: "d", Line: 6}}},
		{"crlf", "gem 'e', '1.0'\r\ngem 'f'\r\n", []manifest.Dependency{{Name: "e", Version: "1.0", Line: 1}, {Name: "f", Line: 2}}},
		{"gem symbol", "gem :rails\n", nil},
		{"percent literal name", "gem %q(rails)\n", nil},
		{"interpolated version stops", "gem 'g', \"~> #{v}\", '< 3'\n", []manifest.Dependency{{Name: "g", Line: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Parse(context.Background(), manifest.Input{Path: "Gemfile", Data: []byte(tt.src)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for i := range tt.want {
				tt.want[i].Ecosystem = eco
				tt.want[i].File = "Gemfile"
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("mismatch\n got: %+v\nwant: %+v", got, tt.want)
			}
		})
	}
}

func TestParseCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, manifest.Input{Path: "Gemfile", Data: parsertest.ReadTestdata(t, "Gemfile")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	// Seeded with every fixture, well-formed or not.
	parsertest.Fuzz(f, New(), eco, "fuzz/Gemfile")
}
