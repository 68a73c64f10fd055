package registryconf

import (
	"context"
	"encoding/json"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/manifest"
)

// yarnrc reads yarn v1 (classic) .yarnrc files: one `key value` per line,
// key and value each either a bare word or a double-quoted string, "#"
// comment lines. Indented lines (nested settings) are skipped. The npm
// keys yarn honours (registry, "@scope:registry", strict-ssl, credentials)
// are read as in .npmrc.
type yarnrc struct{}

func (yarnrc) Name() string          { return "config/.yarnrc" }
func (yarnrc) Matches(p string) bool { return path.Base(p) == ".yarnrc" }

func (yarnrc) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	return readNPMLines(ctx, in, func(b *builder, l line) error {
		if l.text != "" && (l.text[0] == ' ' || l.text[0] == '\t') {
			return nil // nested under the previous key
		}
		t := strings.TrimSpace(l.text)
		if t == "" || t[0] == '#' {
			return nil
		}
		key, rest, err := yarnToken(t)
		if err != nil {
			return manifest.Errorf(in.Path, l.n, "%v", err)
		}
		rest = strings.TrimSpace(rest)
		value := rest
		if rest != "" {
			var after string
			if value, after, err = yarnToken(rest); err != nil {
				return manifest.Errorf(in.Path, l.n, "%v", err)
			}
			if strings.TrimSpace(after) != "" && rest[0] != '"' {
				value = rest // a bare value with spaces: keep it whole
			}
		}
		npmSetting(b, l.n, strings.TrimSuffix(key, ":"), value)
		return nil
	})
}

// yarnToken splits the first token off s: a double-quoted JSON string, or
// a bare word up to white space.
func yarnToken(s string) (tok, rest string, err error) {
	if s[0] != '"' {
		if i := strings.IndexAny(s, " \t"); i >= 0 {
			return s[:i], s[i:], nil
		}
		return s, "", nil
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			var v string
			if err := json.Unmarshal([]byte(s[:i+1]), &v); err != nil {
				return "", "", errorString("invalid escape in a quoted string") // the text may be a secret: not quoted
			}
			return v, s[i+1:], nil
		}
	}
	return "", "", errorString("unterminated quoted string")
}

type errorString string

func (e errorString) Error() string { return string(e) }
