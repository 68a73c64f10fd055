package npm

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRegistryFor(t *testing.T) {
	type files map[string]string // path relative to the test root → content
	for _, tc := range []struct {
		name  string
		pkg   string
		dir   string // relative to the root; the project directory
		files files
		env   map[string]string // "$ROOT" is replaced by the root
		want  string
		err   string
	}{
		{name: "env upper case", pkg: "lodash",
			env: map[string]string{"NPM_CONFIG_REGISTRY": "https://npm.example.com/"}, want: "https://npm.example.com/"},
		{name: "env lower case, slash added", pkg: "lodash",
			env: map[string]string{"npm_config_registry": "https://npm.example.com/api/npm"}, want: "https://npm.example.com/api/npm/"},
		{name: "env beats project npmrc", pkg: "lodash",
			files: files{"proj/.npmrc": "registry=https://project.example.com/\n"},
			env:   map[string]string{"npm_config_registry": "https://env.example.com/"}, want: "https://env.example.com/"},
		{name: "project npmrc", pkg: "lodash",
			files: files{"proj/.npmrc": "; comment\n# comment\nfund=false\nregistry = \"https://project.example.com/\"\n"},
			want:  "https://project.example.com/"},
		{name: "project npmrc at npm's local prefix", pkg: "lodash", dir: "proj/src/lib",
			files: files{"proj/package.json": "{}", "proj/.npmrc": "registry=https://prefix.example.com/\n"},
			want:  "https://prefix.example.com/"},
		{name: "nearest package.json decides the prefix", pkg: "lodash", dir: "proj/sub",
			files: files{"proj/package.json": "{}", "proj/.npmrc": "registry=https://outer.example.com/\n", "proj/sub/package.json": "{}"},
			err:   "no npm registry configured"},
		{name: "project npmrc beats user npmrc", pkg: "lodash",
			files: files{"proj/.npmrc": "registry=https://project.example.com/\n", "home/.npmrc": "registry=https://user.example.com/\n"},
			env:   map[string]string{"HOME": "$ROOT/home"}, want: "https://project.example.com/"},
		{name: "user npmrc via HOME", pkg: "lodash",
			files: files{"home/.npmrc": "fund=false\nregistry=https://user.example.com/\n"},
			env:   map[string]string{"HOME": "$ROOT/home"}, want: "https://user.example.com/"},
		{name: "user npmrc via NPM_CONFIG_USERCONFIG", pkg: "lodash",
			files: files{"elsewhere/npmrc": "registry=https://userconfig.example.com/\n", "home/.npmrc": "registry=https://user.example.com/\n"},
			env:   map[string]string{"HOME": "$ROOT/home", "NPM_CONFIG_USERCONFIG": "$ROOT/elsewhere/npmrc"}, want: "https://userconfig.example.com/"},
		{name: "section keys are not npm settings", pkg: "lodash",
			files: files{"proj/.npmrc": "[other]\nregistry=https://section.example.com/\n"},
			err:   "no npm registry configured"},
		{name: "scope registry in user npmrc beats registry in project", pkg: "@acme/widget",
			files: files{"proj/.npmrc": "registry=https://project.example.com/\n", "home/.npmrc": "@acme:registry=https://acme.example.com/npm/\n"},
			env:   map[string]string{"HOME": "$ROOT/home"}, want: "https://acme.example.com/npm/"},
		{name: "other scope falls back to registry", pkg: "@other/x",
			files: files{"proj/.npmrc": "registry=https://project.example.com/\n@acme:registry=https://acme.example.com/\n"},
			want:  "https://project.example.com/"},
		{name: "unscoped name ignores scope registries", pkg: "acme",
			files: files{"proj/.npmrc": "@acme:registry=https://acme.example.com/\n"},
			err:   "no npm registry configured"},
		{name: "scope registry from env", pkg: "@acme/widget",
			env: map[string]string{"npm_config_@acme:registry": "https://acme.example.com/", "npm_config_registry": "https://env.example.com/"}, want: "https://acme.example.com/"},
		{name: "env var expansion", pkg: "lodash",
			files: files{"proj/.npmrc": "registry=https://${REG_HOST}/npm/\n"},
			env:   map[string]string{"REG_HOST": "mirror.example.com"}, want: "https://mirror.example.com/npm/"},
		{name: "unset env var", pkg: "lodash",
			files: files{"proj/.npmrc": "registry=https://${REG_HOST}/npm/\n"},
			err:   "REG_HOST is not set"},
		{name: "not an http URL", pkg: "lodash",
			files: files{"proj/.npmrc": "registry=ftp://mirror.example.com/\n"},
			err:   "not an http(s) URL"},
		{name: "nothing configured", pkg: "lodash",
			err: "set npm_config_registry, a registry= line in .npmrc, or pass --registry URL (npm is not on PATH)"},
		{name: "empty env value is unset", pkg: "lodash",
			env: map[string]string{"npm_config_registry": ""}, err: "no npm registry configured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for p, data := range tc.files {
				write(t, filepath.Join(root, p), data)
			}
			dir := filepath.Join(root, "proj")
			if tc.dir != "" {
				dir = filepath.Join(root, tc.dir)
			}
			os.MkdirAll(dir, 0o755)
			env := map[string]string{"PATH": ""} // no npm to fall back on
			for k, v := range tc.env {
				env[k] = strings.ReplaceAll(v, "$ROOT", root)
			}
			got, err := RegistryFor(tc.pkg, dir, env)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrNoRegistry) && !strings.Contains(tc.err, "not set") {
					t.Fatalf("RegistryFor = %q, %v; want an error containing %q", got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("RegistryFor = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// fakeNPM writes an executable "npm" answering `npm config get KEY` from
// answers and returns its directory.
func fakeNPM(t *testing.T, answers map[string]string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell script npm")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("#!/bin/sh\necho 'npm warn Unknown user config' >&2\ncase \"$3\" in\n")
	for k, v := range answers {
		b.WriteString("'" + k + "') echo '" + v + "' ;;\n")
	}
	b.WriteString("*) echo undefined ;;\nesac\n")
	write(t, filepath.Join(dir, "npm"), b.String())
	os.Chmod(filepath.Join(dir, "npm"), 0o755)
	return dir
}

func TestRegistryForNPMConfig(t *testing.T) {
	bin := fakeNPM(t, map[string]string{"registry": "https://builtin.example.com/", "@acme:registry": "https://acme.example.com"})
	dir := t.TempDir()
	env := map[string]string{"PATH": bin, "HOME": t.TempDir()}
	for pkg, want := range map[string]string{
		"lodash":       "https://builtin.example.com/",
		"@acme/widget": "https://acme.example.com/",
		"@other/x":     "https://builtin.example.com/",
	} {
		got, err := RegistryFor(pkg, dir, env)
		if err != nil || got != want {
			t.Errorf("RegistryFor(%q) = %q, %v; want %q", pkg, got, err, want)
		}
	}
	// npm answering "undefined" for everything: a clear error.
	empty := fakeNPM(t, nil)
	_, err := RegistryFor("lodash", dir, map[string]string{"PATH": empty})
	if !errors.Is(err, ErrNoRegistry) || !strings.Contains(err.Error(), "npm config get registry is empty") {
		t.Errorf("err %v", err)
	}
	// A relative PATH entry is never searched (a project could ship its own npm).
	rel, _ := filepath.Rel(mustGetwd(t), bin)
	if _, err := RegistryFor("lodash", dir, map[string]string{"PATH": rel}); !errors.Is(err, ErrNoRegistry) {
		t.Errorf("relative PATH entry used: %v", err)
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

func TestExpandEnv(t *testing.T) {
	env := map[string]string{"A": "x", "EMPTY": ""}
	for in, want := range map[string]string{
		"plain":        "plain",
		"${A}/${A}":    "x/x",
		"${EMPTY}y":    "y",
		"${MISSING?}z": "z",
		`\${A}`:        "${A}",
		"${unclosed":   "${unclosed",
	} {
		got, err := expandEnv(in, env)
		if err != nil || got != want {
			t.Errorf("expandEnv(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := expandEnv("${MISSING}", env); err == nil {
		t.Error("unset variable expanded silently")
	}
}
