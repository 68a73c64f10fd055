package gomod

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

func TestMatches(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"go.mod", true},
		{"cmd/tool/go.mod", true},
		{"go.sum", false},
		{"go.work", false},
		{"notgo.mod", false},
		{"go.mod/README", false},
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
			file: "basic.go.mod",
			want: []manifest.Dependency{
				{Name: "github.com/spf13/cobra", Version: "v1.8.0", Line: 9},
				{Name: "github.com/google/uuid", Version: "v1.6.0", Line: 12},
				{Name: "golang.org/x/sync", Version: "v0.7.0", Line: 13},
				{Name: "gopkg.in/yaml.v3", Version: "v3.0.1", Line: 14},
				{Name: "github.com/inconshreveable/mousetrap", Version: "v1.1.0", Line: 18},
				{Name: "github.com/spf13/pflag", Version: "v1.0.5", Line: 19},
				{Name: "github.com/example/uuid-fork", Version: "v1.6.1-0.20240101000000-0123456789ab", Line: 22},
				{Name: "gopkg.in/yaml.v3", Version: "v3.0.0", Line: 26},
			},
		},
		{file: "empty.go.mod", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := "svc/" + tt.file
			got, err := New().Parse(context.Background(), manifest.Input{Path: path, Data: parsertest.ReadTestdata(t, tt.file)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for i := range tt.want {
				tt.want[i].Ecosystem = ecosystem.Go
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
		{"bad-version.go.mod", 7},
		{"bad-syntax.go.mod", 7},
		{"unknown-directive.go.mod", 6},
		{"bad-replace.go.mod", 5},
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
	_, err := New().Parse(ctx, manifest.Input{Path: "go.mod", Data: parsertest.ReadTestdata(t, "basic.go.mod")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	// Seeded with every fixture, well-formed or not.
	parsertest.Fuzz(f, New(), ecosystem.Go, "fuzz/go.mod")
}
