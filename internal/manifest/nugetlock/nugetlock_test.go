package nugetlock

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
		{"packages.lock.json", true},
		{"src/Api/packages.lock.json", true},
		{"src/Api/packages.Api.lock.json", true},
		{"src/Api/Packages.Lock.Json", true},
		{"package-lock.json", false},
		{"packages.json", false},
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
			file: "basic.packages.lock.json",
			want: []manifest.Dependency{
				{Name: "Newtonsoft.Json", Version: "13.0.3", Line: 5},
				{Name: "Serilog", Version: "3.1.1", Line: 11},
				{Name: "Microsoft.Extensions.Primitives", Version: "8.0.0", Line: 17},
				{Name: "runtime.linux-x64.Microsoft.NETCore.DotNetAppHost", Version: "8.0.4", Line: 36},
			},
		},
		{
			file: "central.packages.lock.json",
			want: []manifest.Dependency{
				{Name: "Polly", Version: "8.3.1", Line: 5},
				{Name: "Polly.Core", Version: "8.3.1", Line: 14},
				{Name: "System.ValueTuple", Version: "4.5.0", Line: 28},
			},
		},
		{file: "empty.packages.lock.json", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := "src/Api/" + tt.file
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
		{"bad-syntax.packages.lock.json", 8},
		{"bad-truncated.packages.lock.json", 6},
		{"bad-no-resolved.packages.lock.json", 9},
		{"bad-resolved-type.packages.lock.json", 7},
		{"bad-trailing.packages.lock.json", 5},
		{"bad-not-lock.packages.lock.json", 1},
		{"bad-framework.packages.lock.json", 4},
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
	_, err := New().Parse(ctx, manifest.Input{Path: "packages.lock.json", Data: parsertest.ReadTestdata(t, "basic.packages.lock.json")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	// Seeded with every fixture, well-formed or not.
	parsertest.Fuzz(f, New(), eco, "fuzz/packages.lock.json")
}
