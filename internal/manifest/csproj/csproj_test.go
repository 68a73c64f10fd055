package csproj

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
		{"src/Api/Api.csproj", true},
		{"src/Lib/Lib.fsproj", true},
		{"src/Legacy/Legacy.vbproj", true},
		{"src/Legacy/LEGACY.CSPROJ", true},
		{"Directory.Packages.props", true},
		{"src/Directory.Build.props", true},
		{"src/directory.packages.props", true},
		{"src/Api/Api.csproj.user", false},
		{"src/Api/.csproj", false},
		{"Directory.Build.targets", false},
		{"build/Common.props", false},
		{"packages.config", false},
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
			file: "sdk.csproj",
			want: []manifest.Dependency{
				{Name: "Newtonsoft.Json", Version: "13.0.3", Line: 10},
				{Name: "Serilog", Version: "$(SerilogVersion)", Line: 11},
				{Name: "Microsoft.EntityFrameworkCore.SqlServer", Version: "8.0.4", Line: 12},
				{Name: "xunit", Version: "2.7.0", Line: 15},
				{Name: "coverlet.collector", Version: "", Line: 19},
				{Name: "Dapper", Version: "2.1.35", Line: 22},
				{Name: "Polly", Version: "2.1.35", Line: 22},
				{Name: "Newtonsoft.Json", Version: "13.0.1", Line: 28},
			},
		},
		{
			file: "legacy.vbproj",
			want: []manifest.Dependency{
				{Name: "EntityFramework", Version: "6.4.4", Line: 9},
			},
		},
		{
			file: "Directory.Packages.props",
			want: []manifest.Dependency{
				{Name: "AutoMapper", Version: "13.0.1", Line: 6},
				{Name: "FluentValidation", Version: "[11.9.0,12.0)", Line: 7},
				{Name: "Nerdbank.GitVersioning", Version: "3.6.133", Line: 8},
				{Name: "AutoMapper", Version: "12.0.1", Line: 11},
			},
		},
		{
			file: "bom-crlf.fsproj",
			want: []manifest.Dependency{
				{Name: "FSharp.Core", Version: "8.0.200", Line: 4},
			},
		},
		{
			file: "utf16.csproj",
			want: []manifest.Dependency{
				{Name: "Caf\u00e9.Tools", Version: "1.0.0", Line: 4},
			},
		},
		{
			file: "latin1.csproj",
			want: []manifest.Dependency{
				{Name: "NLog", Version: "5.2.8", Line: 5},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := "src/" + tt.file
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
		{"bad-unclosed.csproj", 5},
		{"bad-doctype.csproj", 2},
		{"bad-entity.csproj", 4},
		{"bad-no-include.csproj", 4},
		{"bad-root.csproj", 2},
		{"bad-truncated.csproj", 3},
		{"bad-encoding.csproj", 1},
		{"bad-empty.csproj", 1},
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
	_, err := New().Parse(ctx, manifest.Input{Path: "App.csproj", Data: parsertest.ReadTestdata(t, "sdk.csproj")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	// Seeded with every fixture, well-formed or not.
	parsertest.Fuzz(f, New(), eco, "fuzz/App.csproj")
}
