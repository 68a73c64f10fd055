package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFind: the nearest .pkgward.yaml from a directory up to the
// repository root (a .git directory or, in a linked work tree, a .git
// file), never above it, and outside a repository only the directory
// itself.
func TestFind(t *testing.T) {
	top := t.TempDir()
	for name, content := range map[string]string{
		".pkgward.yaml":                 "",
		"repo/.git/HEAD":                "",
		"repo/.pkgward.yaml":            "",
		"repo/a/b/c/x":                  "",
		"repo/a/.pkgward.yaml":          "",
		"bare/.git/HEAD":                "",
		"bare/a/x":                      "",
		"wt/.git":                       "gitdir: /elsewhere\n",
		"wt/.pkgward.yaml":              "",
		"wt/a/x":                        "",
		"norepo/a/x":                    "",
		"norepo/b/.pkgward.yaml":        "",
		"repo/d/.pkgward.yaml/is-a-dir": "",
	} {
		p := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(filepath.Join(top, "repo"))
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(top, "repo/a/b/c"), "a/.pkgward.yaml"},
		{"a/b", "a/.pkgward.yaml"},
		{".", ".pkgward.yaml"},
		{filepath.Join(top, "repo"), ".pkgward.yaml"},
		{filepath.Join(top, "bare/a"), ""}, // the one above the repository is not read
		{filepath.Join(top, "wt/a"), filepath.Join(top, "wt/.pkgward.yaml")},
		{filepath.Join(top, "norepo/a"), ""},
		{filepath.Join(top, "norepo/b"), filepath.Join(top, "norepo/b/.pkgward.yaml")},
		{filepath.Join(top, "nope"), ""},
		{"d", "d/.pkgward.yaml"}, // a directory: found, and Load reports it
	} {
		got, err := Find(c.dir)
		if err != nil || got != c.want {
			t.Errorf("Find(%s) = %q, %v; want %q", c.dir, got, err, c.want)
		}
	}
}

// TestFindFromRoot: from the filesystem root the file is named by its
// absolute path, not as "tmp/…" relative to "/".
func TestFindFromRoot(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, DefaultFile)
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(string(filepath.Separator))
	if got, err := Find(dir); err != nil || got != p {
		t.Errorf("Find(%s) from / = %q, %v; want %q", dir, got, err, p)
	}
}
