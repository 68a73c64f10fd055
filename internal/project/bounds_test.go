package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/list"
)

// TestScanDependencyBounds: a file past manifest.MaxDependencies and a
// scan past MaxDependencies are input errors, never a partial list.
func TestScanDependencyBounds(t *testing.T) {
	lines := func(n int) string { return strings.Repeat("a\n", n) }
	tests := []struct {
		name     string
		files    map[string]string
		wantDeps int
		wantErr  string
	}{
		{"at_file_bound", map[string]string{"requirements.txt": lines(manifest.MaxDependencies)}, manifest.MaxDependencies, ""},
		{"past_file_bound", map[string]string{"requirements.txt": lines(manifest.MaxDependencies + 1)}, 0, "more than 100000 dependencies in one file"},
		{"past_scan_bound", func() map[string]string {
			m := map[string]string{}
			for i := range MaxDependencies/manifest.MaxDependencies + 1 {
				m[fmt.Sprintf("d%02d/requirements.txt", i)] = lines(manifest.MaxDependencies)
			}
			return m
		}(), MaxDependencies, "more than 1000000 dependencies in one scan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Scan(context.Background(), dir, list.All())
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Dependencies) != tt.wantDeps {
				t.Errorf("%d dependencies, want %d", len(res.Dependencies), tt.wantDeps)
			}
			var msgs []string
			for _, e := range res.Errors {
				msgs = append(msgs, e.Error())
			}
			got := strings.Join(msgs, "\n")
			if tt.wantErr == "" && got != "" || !strings.Contains(got, tt.wantErr) {
				t.Errorf("errors %q, want %q", got, tt.wantErr)
			}
		})
	}
}

// TestBoundedEveryFormat: the list wraps every parser in the bound, so a
// format that does not stop early is still held to it.
func TestBoundedEveryFormat(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"dependencies":{`)
	for i := range manifest.MaxDependencies + 1 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"p%d":"1"`, i)
	}
	b.WriteString("}}")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), dir, list.All())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Dependencies) != 0 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "more than 100000 dependencies") {
		t.Fatalf("%d dependencies, errors %v", len(res.Dependencies), res.Errors)
	}
}
