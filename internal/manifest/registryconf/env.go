package registryconf

import (
	"context"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// envFile reads environment files: go.env (the go command's own format),
// .env and .env.* (dotenv), and .envrc (direnv). A line `NAME=value`, with
// an optional `export ` in front and the value optionally quoted, is read
// when NAME is one of:
//
//   - Go: GOPROXY (each URL entry a proxy; direct and off skipped), GOSUMDB,
//     GOFLAGS (only -insecure), and the patterns of GONOSUMDB, GOPRIVATE,
//     GOINSECURE and GONOSUMCHECK (checksum settings);
//   - pip: PIP_INDEX_URL (registry), PIP_EXTRA_INDEX_URL (extra indexes),
//     PIP_TRUSTED_HOST (checksum settings), space-separated lists;
//   - npm: NPM_CONFIG_REGISTRY (registry), NPM_CONFIG_STRICT_SSL
//     (checksum), in any case.
//
// Every other line is skipped unread, whatever it holds: dotenv files keep
// unrelated secrets, and none of them is ever stored. A quoted value left
// unterminated on a line this parser reads is an error.
type envFile struct{}

func (envFile) Name() string { return "config/go.env" }
func (envFile) Matches(p string) bool {
	base := path.Base(p)
	return base == "go.env" || base == ".env" || base == ".envrc" || strings.HasPrefix(base, ".env.")
}

// envVars maps the variables read to their ecosystems.
var envVars = map[string]ecosystem.Ecosystem{
	"GOPROXY": ecosystem.Go, "GOSUMDB": ecosystem.Go, "GOFLAGS": ecosystem.Go, "GONOSUMDB": ecosystem.Go,
	"GOPRIVATE": ecosystem.Go, "GOINSECURE": ecosystem.Go, "GONOSUMCHECK": ecosystem.Go,
	"PIP_INDEX_URL": ecosystem.PyPI, "PIP_EXTRA_INDEX_URL": ecosystem.PyPI, "PIP_TRUSTED_HOST": ecosystem.PyPI,
	"NPM_CONFIG_REGISTRY": ecosystem.NPM, "NPM_CONFIG_STRICT_SSL": ecosystem.NPM,
}

func (envFile) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	b := &builder{file: in.Path}
	for _, l := range splitLines(in.Data) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t := strings.TrimSpace(l.text)
		t = strings.TrimSpace(strings.TrimPrefix(t, "export "))
		name, value, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		name = strings.TrimSpace(name)
		upper := name
		if strings.HasPrefix(strings.ToUpper(name), "NPM_CONFIG_") {
			upper = strings.ToUpper(name)
		}
		eco, ok := envVars[upper]
		if !ok {
			continue
		}
		v, err := envValue(strings.TrimSpace(value))
		if err != nil {
			return nil, manifest.Errorf(in.Path, l.n, "%s: %v", name, err)
		}
		b.eco = eco
		envSetting(b, l.n, upper, name, v)
	}
	return b.out, nil
}

// envValue unquotes a shell-like value: '…' literally, "…" with backslash
// escapes of " and \, and an unquoted value up to a " #" comment.
func envValue(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	switch q := v[0]; q {
	case '\'', '"':
		end := -1
		for i := 1; i < len(v); i++ {
			if q == '"' && v[i] == '\\' {
				i++
				continue
			}
			if v[i] == q {
				end = i
				break
			}
		}
		if end < 0 {
			return "", errorString("unterminated quoted value")
		}
		s := v[1:end]
		if q == '"' {
			s = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(s)
		}
		return s, nil
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v), nil
}

func envSetting(b *builder, line int, name, key, v string) {
	switch name {
	case "GOPROXY":
		for _, e := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '|' }) {
			e = strings.TrimSpace(e)
			if e == "direct" || e == "off" || e == "" {
				continue
			}
			b.addURL(line, Proxy, key, e)
		}
	case "GONOSUMDB", "GOPRIVATE", "GOINSECURE", "GONOSUMCHECK":
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				b.add(line, Checksum, key, p)
			}
		}
	case "GOSUMDB":
		if v != "" {
			red, sec := RedactURL(v)
			b.add(line, Checksum, key, red)
			b.out[len(b.out)-1].Secret = sec
		}
	case "GOFLAGS":
		for _, f := range strings.Fields(v) {
			if f == "-insecure" || f == "--insecure" || strings.HasPrefix(f, "-insecure=") || strings.HasPrefix(f, "--insecure=") {
				b.add(line, Checksum, key, f)
			}
		}
	case "PIP_INDEX_URL":
		b.addURL(line, Registry, key, v)
	case "PIP_EXTRA_INDEX_URL":
		for _, u := range strings.Fields(v) {
			b.addURL(line, ExtraIndex, key, u)
		}
	case "PIP_TRUSTED_HOST":
		for _, h := range strings.Fields(v) {
			b.add(line, Checksum, key, h)
		}
	case "NPM_CONFIG_REGISTRY":
		b.addURL(line, Registry, key, v)
	case "NPM_CONFIG_STRICT_SSL":
		b.add(line, Checksum, key, v)
	}
}
