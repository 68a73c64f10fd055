package packagesconfig

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

const eco = ecosystem.NuGet

func TestMatches(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"packages.config", true},
		{"src/Web/packages.config", true},
		{"src/Web/packages.Web.config", true},
		{"src/Web/Packages.Config", true},
		{"src/Web/web.config", false},
		{"NuGet.config", false},
		{"packages.lock.json", false},
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
			file: "packages.config",
			want: []manifest.Dependency{
				{Name: "Antlr", Version: "3.5.0.2", Line: 3},
				{Name: "bootstrap", Version: "5.3.3", Line: 4},
				{Name: "Microsoft.AspNet.Mvc", Version: "5.3.0", Line: 6},
				{Name: "Newtonsoft.Json", Version: "13.0.3", Line: 7},
				{Name: "Microsoft.CodeDom.Providers.DotNetCompilerPlatform", Version: "2.0.1", Line: 11},
			},
		},
		{
			file: "bom-crlf.packages.config",
			want: []manifest.Dependency{
				{Name: "EntityFramework", Version: "6.4.4", Line: 3},
			},
		},
		{file: "empty.packages.config", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := "src/Web/" + tt.file
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
		{"bad-no-version.packages.config", 4},
		{"bad-no-id.packages.config", 3},
		{"bad-mismatch.packages.config", 5},
		{"bad-doctype.packages.config", 2},
		{"bad-root.packages.config", 1},
		{"bad-attr.packages.config", 4},
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
	_, err := New().Parse(ctx, manifest.Input{Path: "packages.config", Data: parsertest.ReadTestdata(t, "packages.config")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	// Seeded with every fixture, well-formed or not.
	parsertest.Fuzz(f, New(), eco, "fuzz/packages.config")
}
