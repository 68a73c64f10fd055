package cargotoml

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
		{"Cargo.toml", true},
		{"crates/core/Cargo.toml", true},
		{"Cargo.lock", false},
		{"cargo.toml", false},
		{"Cargo.toml.orig", false},
		{"pyproject.toml", false},
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
			file: "basic.Cargo.toml",
			want: []manifest.Dependency{
				{Name: "serde", Version: "1.0.197", Line: 11},
				{Name: "serde_json", Version: "1.0", Line: 12},
				{Name: "regex", Version: "1.10", Line: 13},
				{Name: "log", Version: "0.4", Line: 14},
				{Name: "local-util", Version: "", Line: 15},
				{Name: "toolkit", Version: "", Line: 16},
				{Name: "tokio", Version: "1.36", Line: 17},
				{Name: "futures-lite", Version: "2", Line: 19},
				{Name: "quoted-name", Version: "0.1", Line: 20},
				{Name: "clap", Version: "4.5", Line: 22},
				{Name: "rand_core", Version: "0.6", Line: 26},
				{Name: "criterion", Version: "0.5", Line: 31},
				{Name: "pretty_assertions", Version: "1.4", Line: 32},
				{Name: "cc", Version: "1.0.90", Line: 35},
				{Name: "winapi", Version: "0.3", Line: 38},
				{Name: "procfs", Version: "0.16", Line: 41},
			},
		},
		{
			file: "workspace.Cargo.toml",
			want: []manifest.Dependency{
				{Name: "anyhow", Version: "1.0.81", Line: 9},
				{Name: "thiserror", Version: "1.0", Line: 10},
				{Name: "my-core", Version: "1.2.0", Line: 11},
				{Name: "bytes", Version: "1.5", Line: 16},
				{Name: "tempfile", Version: "3", Line: 19},
			},
		},
		{
			file: "root-dotted.Cargo.toml",
			want: []manifest.Dependency{
				{Name: "itoa", Version: "1", Line: 3},
				{Name: "ryu", Version: "1.0.17", Line: 4},
				{Name: "insta", Version: "1.36", Line: 5},
				{Name: "similar", Version: "2", Line: 5},
				{Name: "libc", Version: "0.2", Line: 6},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := "crates/app/" + tt.file
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
		{"bad-syntax.Cargo.toml", 6},
		{"bad-duplicate.Cargo.toml", 7},
		{"bad-type.Cargo.toml", 6},
		{"bad-version-type.Cargo.toml", 6},
		{"bad-array-table.Cargo.toml", 4},
		{"bad-string.Cargo.toml", 5},
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
	_, err := New().Parse(ctx, manifest.Input{Path: "Cargo.toml", Data: parsertest.ReadTestdata(t, "basic.Cargo.toml")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Parse with canceled context = %v, want context.Canceled", err)
	}
}

func FuzzParse(f *testing.F) {
	// Seeded with every fixture, well-formed or not.
	parsertest.Fuzz(f, New(), eco, "fuzz/Cargo.toml")
}
