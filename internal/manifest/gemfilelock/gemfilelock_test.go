package gemfilelock

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
		{"Gemfile.lock", true},
		{"apps/web/Gemfile.lock", true},
		{"gems.locked", true},
		{"Gemfile", false},
		{"gemfile.lock", false},
		{"Gemfile.lock.orig", false},
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
			file: "Gemfile.lock",
			want: []manifest.Dependency{
				{Name: "rails", Version: "7.2.0.alpha", Line: 6},
				{Name: "actionpack", Version: "7.2.0.alpha", Line: 19},
				{Name: "nokogiri", Version: "1.16.4-arm64-darwin", Line: 21},
				{Name: "nokogiri", Version: "1.16.4-x86_64-linux", Line: 23},
				{Name: "rack", Version: "3.0.10", Line: 25},
				{Name: "racc", Version: "1.7.3", Line: 26},
				{Name: "railties", Version: "7.2.0.alpha", Line: 27},
				{Name: "rake", Version: "13.2.1", Line: 28},
				{Name: "sorbet-static", Version: "= 0.5.11370", Line: 39},
				{Name: "tzinfo-data", Version: "", Line: 40},
			},
		},
		{
			file: "crlf.gems.locked",
			want: []manifest.Dependency{
				{Name: "rack", Version: "2.2.9", Line: 4},
				{Name: "sinatra", Version: "4.0.0", Line: 5},
			},
		},
		{
			file: "plugin.Gemfile.lock",
			want: []manifest.Dependency{
				{Name: "private-gem", Version: "2.0.1", Line: 5},
				{Name: "json", Version: "2.7.2", Line: 10},
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
		{"bad-spec.Gemfile.lock", 5},
		{"bad-unclosed.Gemfile.lock", 4},
		{"bad-conflict.Gemfile.lock", 4},
		{"bad-indent.Gemfile.lock", 5},
		{"bad-dependency.Gemfile.lock", 8},
		{"bad-name.Gemfile.lock", 5},
		{"bad-not-lock.Gemfile.lock", 1},
		{"bad-specs-outside.Gemfile.lock", 3},
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

func TestParseCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, manifest.Input{Path: "Gemfile.lock", Data: parsertest.ReadTestdata(t, "Gemfile.lock")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	// Seeded with every fixture, well-formed or not.
	parsertest.Fuzz(f, New(), eco, "fuzz/Gemfile.lock")
}
