package registryconf

import (
	"context"
	"encoding/json"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// npmrc reads .npmrc files (npm, pnpm and yarn v1 read them), in the
// syntax of npm's ini module: "key = value" lines, "#" and ";" comment
// lines, values optionally quoted. Keys under a [section] header are not
// npm settings and are skipped.
type npmrc struct{}

func (npmrc) Name() string          { return "config/.npmrc" }
func (npmrc) Matches(p string) bool { return path.Base(p) == ".npmrc" }

func (npmrc) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	inSection := false
	return readNPMLines(ctx, in, func(b *builder, l line) error {
		t := strings.TrimSpace(l.text)
		if t == "" || t[0] == '#' || t[0] == ';' {
			return nil
		}
		if t[0] == '[' {
			if !strings.HasSuffix(t, "]") {
				return manifest.Errorf(in.Path, l.n, "unterminated section header")
			}
			inSection = true
			return nil
		}
		key, value, _ := strings.Cut(t, "=")
		key = strings.TrimSpace(key)
		if key == "" {
			return manifest.Errorf(in.Path, l.n, "line has no key before \"=\"")
		}
		if !inSection {
			npmSetting(b, l.n, UnquoteINI(key), UnquoteINI(strings.TrimSpace(value)))
		}
		return nil
	})
}

// readNPMLines reads a line-based npm configuration file (.npmrc,
// .yarnrc): it refuses a file that is not text, then calls fn with each
// line, checking ctx before each, and returns the settings fn added to b.
func readNPMLines(ctx context.Context, in manifest.Input, fn func(b *builder, l line) error) ([]Setting, error) {
	if err := checkText(in.Path, in.Data); err != nil {
		return nil, err
	}
	b := &builder{eco: ecosystem.NPM, file: in.Path}
	for _, l := range splitLines(in.Data) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := fn(b, l); err != nil {
			return nil, err
		}
	}
	return b.out, nil
}

// UnquoteINI removes the quotes npm's ini module removes: a value in double
// quotes is a JSON string, one in single quotes is taken literally.
func UnquoteINI(v string) string {
	if len(v) >= 2 {
		switch {
		case v[0] == '"' && v[len(v)-1] == '"':
			var s string
			if json.Unmarshal([]byte(v), &s) == nil {
				return s
			}
			return v[1 : len(v)-1]
		case v[0] == '\'' && v[len(v)-1] == '\'':
			return v[1 : len(v)-1]
		}
	}
	return v
}

// npmSetting records one npm configuration key of .npmrc or .yarnrc.
func npmSetting(b *builder, line int, key, value string) {
	lk := strings.ToLower(key)
	switch {
	case lk == "registry":
		b.addURL(line, Registry, key, value)
	case strings.HasPrefix(key, "@") && strings.HasSuffix(lk, ":registry"):
		b.addURL(line, ScopeRegistry, key, value)
	case lk == "strict-ssl":
		b.add(line, Checksum, key, value)
	case isNPMCredentialKey(lk):
		b.addCredential(line, key, value)
	}
}

// npmCredentialKeys are the npm keys that hold secrets, alone (legacy,
// for the default registry) or after a "//host/path/:" prefix.
var npmCredentialKeys = []string{"_authtoken", "_auth", "_password"}

func isNPMCredentialKey(lk string) bool {
	name := lk
	if strings.HasPrefix(lk, "//") {
		i := strings.LastIndex(lk, ":")
		if i < 0 {
			return false
		}
		name = lk[i+1:]
	}
	for _, k := range npmCredentialKeys {
		if name == k {
			return true
		}
	}
	return false
}
