package npm

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/pkgward/pkgward/internal/manifest/registryconf"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// NPMConfigTimeout bounds the `npm config get` fallback of RegistryFor.
const NPMConfigTimeout = 10 * time.Second

// maxNpmrcSize bounds an .npmrc file read by RegistryFor.
const maxNpmrcSize = 1 << 20

// RegistryFor returns the base URL (ending in "/") of the registry npm
// would use for the package name, installing from the project in dir,
// with the environment env (nil: the process's). Like npm, it looks at,
// in order:
//
//  1. the environment: npm_config_registry / NPM_CONFIG_REGISTRY (any case);
//  2. the project's .npmrc: in the nearest directory from dir upwards that
//     holds a package.json or node_modules (npm's local prefix), else in dir;
//  3. the user's .npmrc: $NPM_CONFIG_USERCONFIG, else $HOME/.npmrc
//     (%USERPROFILE% on Windows);
//  4. `npm config get` (global npmrc and npm's built-in default), run only
//     when an npm executable is found on env's PATH, in dir, with a
//     timeout of NPMConfigTimeout.
//
// For a scoped name "@scope/x", "@scope:registry" is looked for at every
// level before "registry", as npm does. ${VAR} in .npmrc values is
// expanded from env. It fails with ErrNoRegistry when none of these
// configures a registry, and when the value found is not an http(s) URL.
func RegistryFor(name string, dir string, env map[string]string) (string, error) {
	if env == nil {
		env = environ()
	}
	if dir == "" {
		dir = "."
	}
	scope := ""
	if strings.HasPrefix(name, "@") {
		if i := strings.IndexByte(name, '/'); i > 1 {
			scope = name[:i]
		}
	}
	keys := []string{"registry"}
	if scope != "" {
		keys = []string{scope + ":registry", "registry"}
	}
	type layer struct {
		where  string
		values map[string]string
	}
	var layers []layer
	envLayer := map[string]string{}
	for k, v := range env {
		lk := strings.ToLower(k)
		if rest, ok := strings.CutPrefix(lk, "npm_config_"); ok && v != "" {
			envLayer[rest] = v
		}
	}
	layers = append(layers, layer{"environment", envLayer})
	if f := projectNpmrc(dir); f != "" {
		vals, err := readNpmrc(f, env)
		if err != nil {
			return "", err
		}
		layers = append(layers, layer{f, vals})
	}
	if f := userNpmrc(env); f != "" {
		vals, err := readNpmrc(f, env)
		if err != nil {
			return "", err
		}
		layers = append(layers, layer{f, vals})
	}
	for _, key := range keys {
		for _, l := range layers {
			if v, ok := l.values[strings.ToLower(key)]; ok && v != "" {
				return normalizeRegistry(v, fmt.Sprintf("%s (%s)", key, l.where))
			}
		}
	}
	npm := lookPath("npm", env)
	if npm != "" {
		for _, key := range keys {
			v, err := npmConfigGet(npm, key, dir, env)
			if err != nil {
				return "", fmt.Errorf("%w for %q: `npm config get %s`: %v", ErrNoRegistry, name, key, err)
			}
			if v != "" && v != "undefined" && v != "null" {
				return normalizeRegistry(v, fmt.Sprintf("%s (npm config get)", key))
			}
		}
	}
	hint := "npm is not on PATH"
	if npm != "" {
		hint = "npm config get registry is empty"
	}
	return "", fmt.Errorf("%w for %q: set npm_config_registry, a registry= line in .npmrc, or pass --registry URL (%s)", ErrNoRegistry, name, hint)
}

// environ returns the process environment as a map.
func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// normalizeRegistry checks that v is an absolute http(s) URL and returns
// it with a trailing slash.
func normalizeRegistry(v, where string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%w: %s is %q, not an http(s) URL", ErrNoRegistry, where, redact(v))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: %s is %q: a registry URL has no query or fragment", ErrNoRegistry, where, redact(v))
	}
	s := u.String()
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

// projectNpmrc returns the .npmrc of npm's local prefix for dir, "" when
// there is none.
func projectNpmrc(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	prefix := abs
	for d := abs; ; {
		if exists(filepath.Join(d, "package.json")) || exists(filepath.Join(d, "node_modules")) {
			prefix = d
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	f := filepath.Join(prefix, ".npmrc")
	if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
		return f
	}
	return ""
}

// userNpmrc returns the user's .npmrc, "" when there is none.
func userNpmrc(env map[string]string) string {
	f := getenvFold(env, "npm_config_userconfig")
	if f == "" {
		home := env["HOME"]
		if runtime.GOOS == "windows" && env["USERPROFILE"] != "" {
			home = env["USERPROFILE"]
		}
		if home == "" {
			return ""
		}
		f = filepath.Join(home, ".npmrc")
	}
	if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() {
		return f
	}
	return ""
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// getenvFold looks a variable up ignoring case (npm accepts both
// npm_config_x and NPM_CONFIG_X).
func getenvFold(env map[string]string, key string) string {
	if v, ok := env[key]; ok {
		return v
	}
	for k, v := range env {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

// readNpmrc reads the top-level keys of an .npmrc (lower-cased keys),
// values unquoted and ${VAR} expanded from env. Secrets are never kept:
// only registry keys are returned.
func readNpmrc(file string, env map[string]string) (map[string]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > maxNpmrcSize {
		return nil, &fs.PathError{Op: "read", Path: file, Err: errors.New("file too large")}
	}
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), maxNpmrcSize+1)
	inSection := false
	n := 0
	for sc.Scan() {
		n++
		t := strings.TrimSpace(sc.Text())
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		if t[0] == '[' {
			inSection = true
			continue
		}
		if inSection {
			continue
		}
		k, v, _ := strings.Cut(t, "=")
		k = strings.ToLower(registryconf.UnquoteINI(strings.TrimSpace(k)))
		if k != "registry" && !(strings.HasPrefix(k, "@") && strings.HasSuffix(k, ":registry")) {
			continue
		}
		v, err := expandEnv(registryconf.UnquoteINI(strings.TrimSpace(v)), env)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, n, err)
		}
		out[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return out, nil
}

// expandEnv replaces ${VAR} (and ${VAR?} as empty when unset) as npm does;
// an unset ${VAR} is an error, and \${VAR} is kept literally.
func expandEnv(v string, env map[string]string) (string, error) {
	if !strings.Contains(v, "${") {
		return v, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(v, "${")
		if i < 0 {
			b.WriteString(v)
			return b.String(), nil
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			b.WriteString(v)
			return b.String(), nil
		}
		if i > 0 && v[i-1] == '\\' {
			b.WriteString(v[:i-1])
			b.WriteString(v[i : i+j+1])
			v = v[i+j+1:]
			continue
		}
		b.WriteString(v[:i])
		name := v[i+2 : i+j]
		optional := strings.HasSuffix(name, "?")
		name = strings.TrimSuffix(name, "?")
		val, ok := env[name]
		if !ok && !optional {
			return "", fmt.Errorf("environment variable %s is not set", name)
		}
		b.WriteString(val)
		v = v[i+j+1:]
	}
}

// lookPath finds an executable named file in env's PATH ("" when none).
func lookPath(file string, env map[string]string) string {
	path := env["PATH"]
	if runtime.GOOS == "windows" && path == "" {
		path = getenvFold(env, "Path")
	}
	names := []string{file}
	if runtime.GOOS == "windows" {
		names = []string{file + ".cmd", file + ".exe", file + ".bat"}
	}
	for _, d := range filepath.SplitList(path) {
		if d == "" || !filepath.IsAbs(d) {
			continue // a relative PATH entry could run a project's own "npm"
		}
		for _, n := range names {
			p := filepath.Join(d, n)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && (runtime.GOOS == "windows" || st.Mode()&0o111 != 0) {
				return p
			}
		}
	}
	return ""
}

// npmConfigGet runs `npm config get key` in dir and returns its output.
func npmConfigGet(npm, key, dir string, env map[string]string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), NPMConfigTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "config", "get", key)
	cmd.Dir = dir
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("timed out after %s", NPMConfigTimeout)
		}
		return "", err
	}
	line, _, _ := strings.Cut(strings.TrimSpace(out.String()), "\n")
	return strings.TrimSpace(line), nil
}

// redact removes credentials and query from a URL-like string for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		// Unparsable: still never show what may be a password, i.e.
		// anything between "://" and the last "@".
		if i := strings.Index(s, "://"); i >= 0 {
			if j := strings.LastIndexByte(s, '@'); j > i {
				s = s[:i+3] + "***" + s[j:]
			}
		}
		if len(s) > 80 {
			s = s[:80] + "…"
		}
		return s
	}
	if u.User != nil {
		u.User = url.User("***")
	}
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}
