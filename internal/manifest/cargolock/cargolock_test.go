package cargolock

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

const eco = ecosystem.Crates

func TestMatches(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"Cargo.lock", true},
		{"tools/xtask/Cargo.lock", true},
		{"Cargo.toml", false},
		{"cargo.lock", false},
		{"Cargo.lock.bak", false},
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
			file: "v3.Cargo.lock",
			want: []manifest.Dependency{
				{Name: "aho-corasick", Version: "1.1.3", Line: 6},
				{Name: "memchr", Version: "2.7.2", Line: 29},
				{Name: "memchr", Version: "1.0.2", Line: 35},
				{Name: "serde", Version: "1.0.197", Line: 41},
			},
		},
		{
			file: "v1.Cargo.lock",
			want: []manifest.Dependency{
				{Name: "bitflags", Version: "1.0.4", Line: 2},
			},
		},
		{
			file: "inline.Cargo.lock",
			want: []manifest.Dependency{
				{Name: "itoa", Version: "1.0.11", Line: 3},
				{Name: "ryu", Version: "1.0.17", Line: 6},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := "ws/" + tt.file
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
		{"bad-syntax.Cargo.lock", 5},
		{"bad-missing-version.Cargo.lock", 8},
		{"bad-name-type.Cargo.lock", 4},
		{"bad-table.Cargo.lock", 3},
		{"bad-duplicate.Cargo.lock", 6},
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
	_, err := New().Parse(ctx, manifest.Input{Path: "Cargo.lock", Data: parsertest.ReadTestdata(t, "v3.Cargo.lock")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	// Seeded with every fixture, well-formed or not.
	parsertest.Fuzz(f, New(), eco, "fuzz/Cargo.lock")
}
