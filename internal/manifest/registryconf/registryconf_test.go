package registryconf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/record"
)

// compact renders a setting for comparison: line, ecosystem, kind, key,
// then url=, value= and secret= when set.
func compact(s Setting) string {
	out := fmt.Sprintf("%d %s %s %s", s.Line, s.Ecosystem, s.Kind, s.Key)
	if s.URL != "" {
		out += " url=" + s.URL
	}
	if s.Value != "" {
		out += " value=" + s.Value
	}
	if s.Secret != "" {
		out += " secret=" + string(s.Secret)
	}
	return out
}

func parse(t testing.TB, p Parser, fixture, display string) ([]Setting, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Matches(display) {
		t.Fatalf("%s does not match %s", p.Name(), display)
	}
	return p.Parse(context.Background(), manifest.Input{Path: display, Data: data})
}

func TestParse(t *testing.T) {
	tests := []struct {
		parser  Parser
		fixture string
		display string
		want    []string
	}{
		{npmrc{}, "npmrc/good.npmrc", "web/.npmrc", []string{
			"2 npm registry registry url=https://npmjs.org/",
			"3 npm scope-registry @acme:registry url=https://npm.acme.example.com/",
			"4 npm credential //npm.acme.example.com/:_authToken value=${ACME_NPM_TOKEN}",
			"6 npm checksum strict-ssl value=true",
		}},
		{npmrc{}, "npmrc/bad.npmrc", ".npmrc", []string{
			"2 npm registry registry url=http://npm-mirror.example.com/",
			"3 npm scope-registry @acme:registry url=https://deploy:***@npm.acme.example.com/ secret=url-password",
			"4 npm credential //npm.acme.example.com/:_authToken secret=literal",
			"5 npm checksum strict-ssl value=false",
			"6 npm credential _auth secret=literal",
			"7 npm scope-registry @evil:registry url=https://npmjs-registry.org/",
		}},
		{yarnrc{}, "yarnrc/bad.yarnrc", ".yarnrc", []string{
			"2 npm registry registry url=http://yarn-mirror.example.com",
			"3 npm scope-registry @acme:registry url=https://npm.acme.example.com/",
			"4 npm checksum strict-ssl value=false",
		}},
		{yarnrcYML{}, "yarnrcyml/bad.yarnrc.yml", ".yarnrc.yml", []string{
			"2 npm registry npmRegistryServer url=http://npm-mirror.example.com",
			"3 npm checksum enableStrictSsl value=false",
			"4 npm checksum checksumBehavior value=ignore",
			"6 npm checksum unsafeHttpWhitelist value=localhost",
			"7 npm checksum unsafeHttpWhitelist value=*.corp.example.com",
			"8 npm credential npmAuthToken secret=literal",
			"11 npm scope-registry npmScopes.@acme.npmRegistryServer url=https://npm.acme.example.com",
			"12 npm credential npmScopes.@acme.npmAuthToken value=${ACME_NPM_TOKEN}",
			"15 npm credential npmRegistries.//npm.acme.example.com.npmAuthIdent secret=literal",
		}},
		{pipConf{}, "pipconf/bad.conf", "pip.conf", []string{
			"3 pypi registry global.index-url url=https://pypi.org/simple",
			"5 pypi extra-index global.extra-index-url url=https://pypi.internal.example.com/simple",
			"6 pypi extra-index global.extra-index-url url=https://__token__:***@pypi.extra.example.com/simple secret=url-password",
			"7 pypi checksum global.trusted-host value=pypi.internal.example.com",
			"8 pypi checksum global.trusted-host value=localhost",
			"12 pypi registry install.index-url url=http://pypi-mirror.example.com/simple",
		}},
		{requirementsOptions{}, "requirements/requirements.txt", "requirements.txt", []string{
			"2 pypi registry --index-url url=https://pypi.org/simple",
			"3 pypi extra-index --extra-index-url url=https://pypi.internal.example.com/simple",
			"4 pypi checksum --trusted-host value=pypi.internal.example.com",
			"5 pypi registry --index-url url=https://pypi.org/simple",
			"6 pypi extra-index --extra-index-url url=https://user:${PIP_PASSWORD}@pypi.example.com/simple",
			"8 pypi extra-index --extra-index-url url=https://ci:***@pypi.ci.example.com/simple secret=url-password",
		}},
		{pipfile{}, "pipfile/Pipfile", "Pipfile", []string{
			"2 pypi registry source.pypi.url url=https://pypi.org/simple",
			"3 pypi checksum source.pypi.verify_ssl value=true",
			"7 pypi extra-index source.internal.url url=http://pypi.internal.example.com/simple",
			"8 pypi checksum source.internal.verify_ssl value=false",
		}},
		{pyproject{}, "pyproject/poetry.toml", "pyproject.toml", []string{
			"11 pypi extra-index tool.poetry.source.acme url=https://pypi.acme.example.com/simple/",
			"16 pypi scope-registry tool.poetry.source.acme-explicit url=https://pypi-explicit.acme.example.com/simple/",
			"21 pypi registry tool.poetry.source.mirror url=https://pypi-mirror.example.com/simple/",
		}},
		{pyproject{}, "pyproject/uv.toml", "svc/pyproject.toml", []string{
			"8 pypi checksum tool.uv.allow-insecure-host value=pypi.internal.example.com",
			"12 pypi extra-index tool.uv.index.internal url=https://pypi.internal.example.com/simple",
			"16 pypi scope-registry tool.uv.index.pytorch url=https://download.pytorch.org/whl/cpu",
		}},
		{uvTOML{}, "uvtoml/uv.toml", "uv.toml", []string{
			"3 pypi registry index.internal url=https://pypi.internal.example.com/simple",
			"6 pypi registry index.1 url=https://pypi.org/simple",
		}},
		{nugetConfig{}, "nuget/bad.config", "NuGet.Config", []string{
			"4 nuget registry packageSources.nuget.org url=https://api.nuget.org/v3/index.json",
			"5 nuget extra-index packageSources.Contoso Internal url=https://pkgs.contoso.example.com/nuget/v3/index.json",
			"6 nuget extra-index packageSources.legacy url=http://nuget.legacy.example.com/api/v2",
			"15 nuget credential packageSourceCredentials.Contoso Internal.ClearTextPassword secret=literal",
			"19 nuget credential packageSourceCredentials.legacy.ClearTextPassword value=%LEGACY_FEED_PASSWORD%",
		}},
		{nugetConfig{}, "nuget/mapped.config", "nuget.config", []string{
			"5 nuget registry packageSources.nuget.org url=https://api.nuget.org/v3/index.json",
			"6 nuget scope-registry packageSources.contoso url=https://pkgs.contoso.example.com/nuget/v3/index.json",
		}},
		{nugetConfig{}, "nuget/private-only.config", "nuget.config", []string{
			"4 nuget extra-index packageSources.contoso url=https://pkgs.contoso.example.com/nuget/v3/index.json",
		}},
		{gemfileSources{}, "gemfile/Gemfile", "Gemfile", []string{
			"1 rubygems registry source url=https://rubygems.org",
			"2 rubygems extra-index source url=https://gems.internal.example.com",
			"7 rubygems scope-registry gem source url=https://gems.acme.example.com",
			"9 rubygems scope-registry source url=https://gems.contoso.example.com",
		}},
		{gemrc{}, "gemrc/gemrc.yml", ".gemrc", []string{
			"4 rubygems registry :sources url=https://rubygems.org/",
			"5 rubygems extra-index :sources url=http://gems.mirror.example.com/",
			"6 rubygems checksum :ssl_verify_mode value=0",
		}},
		{cargoConfig{}, "cargo/config.toml", ".cargo/config.toml", []string{
			"5 crates registry source.corp-mirror.registry url=sparse+http://crates-mirror.example.com/index/",
			"8 crates scope-registry registries.acme.index url=sparse+https://crates.acme.example.com/index/",
			"9 crates credential registries.acme.token secret=literal",
			"12 crates scope-registry registries.other.index url=https://git.example.com/crates-index.git",
			"13 crates credential registries.other.token value=${OTHER_TOKEN}",
		}},
		{cargoConfig{}, "cargo/credentials.toml", "app/.cargo/credentials.toml", []string{
			"2 crates credential registry.token secret=literal",
		}},
		{envFile{}, "env/go.env", "go.env", []string{
			"2 go proxy GOPROXY url=https://goproxy.example.com",
			"2 go proxy GOPROXY url=https://golang.org/mod",
			"3 go checksum GOSUMDB value=off",
			"4 go checksum GONOSUMDB value=*",
			"5 go checksum GOPRIVATE value=github.com/acme/*",
			"5 go checksum GOPRIVATE value=git.acme.example.com",
			"6 go checksum GOFLAGS value=-insecure",
		}},
		{envFile{}, "env/dotenv", "deploy/.env", []string{
			"2 go proxy GOPROXY url=http://athens.internal.example.com",
			"3 go checksum GONOSUMCHECK value=1",
			"4 go checksum GOINSECURE value=github.com",
			"5 pypi registry PIP_INDEX_URL url=https://pypi.org/simple",
			"6 pypi extra-index PIP_EXTRA_INDEX_URL url=https://pypi.internal.example.com/simple",
			"6 pypi extra-index PIP_EXTRA_INDEX_URL url=https://tok:***@pypi2.example.com/simple secret=url-password",
			"7 pypi checksum PIP_TRUSTED_HOST value=pypi.internal.example.com",
			"8 npm registry npm_config_registry url=https://npm-mirror.example.com/",
		}},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.fixture, "/", "_"), func(t *testing.T) {
			got, err := parse(t, tt.parser, tt.fixture, tt.display)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var g []string
			for _, s := range got {
				if s.File != tt.display {
					t.Errorf("%s: file %q, want %q", compact(s), s.File, tt.display)
				}
				g = append(g, compact(s))
			}
			if !slices.Equal(g, tt.want) {
				t.Errorf("settings:\n got  %s\n want %s", strings.Join(g, "\n      "), strings.Join(tt.want, "\n      "))
			}
		})
	}
}

// TestSecretsNeverKept: no field of any setting holds a secret of the
// fixtures, all of which contain "SECRET".
func TestSecretsNeverKept(t *testing.T) {
	err := filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, parser := range All() {
			settings, _ := parser.Parse(context.Background(), manifest.Input{Path: "x", Data: data})
			for _, s := range settings {
				if strings.Contains(fmt.Sprintf("%+v", s), "SECRET") {
					t.Errorf("%s read by %s: a secret was kept: %+v", p, parser.Name(), s)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		parser  Parser
		fixture string
		display string
		line    int
		msg     string
	}{
		{npmrc{}, "npmrc/bad-empty-key.npmrc", ".npmrc", 2, "no key"},
		{npmrc{}, "npmrc/bad-section.npmrc", ".npmrc", 2, "section header"},
		{yarnrc{}, "yarnrc/bad-quote.yarnrc", ".yarnrc", 1, "unterminated"},
		{yarnrcYML{}, "yarnrcyml/bad-yaml.yarnrc.yml", ".yarnrc.yml", 3, "invalid YAML"},
		{yarnrcYML{}, "yarnrcyml/bad-root.yarnrc.yml", ".yarnrc.yml", 1, "not a mapping"},
		{pipConf{}, "pipconf/bad-nosection.conf", "pip.conf", 1, "outside any [section]"},
		{pipConf{}, "pipconf/bad-duplicate.conf", "pip.ini", 3, "defined twice"},
		{pipConf{}, "pipconf/bad-line.conf", "pip.conf", 2, "not an option"},
		{pipfile{}, "pipfile/bad-verify.toml", "Pipfile", 3, "not a boolean"},
		{pipfile{}, "pipfile/bad-toml.toml", "Pipfile", 2, "invalid TOML"},
		{pyproject{}, "pyproject/bad-source.toml", "pyproject.toml", 2, "not an array of tables"},
		{nugetConfig{}, "nuget/bad-xml.config", "nuget.config", 5, "invalid XML"},
		{nugetConfig{}, "nuget/bad-doctype.config", "nuget.config", 2, "directives"},
		{gemrc{}, "gemrc/bad-sources.gemrc", ".gemrc", 1, "not a list"},
		{cargoConfig{}, "cargo/bad-registries.toml", ".cargo/config.toml", 2, "not a table"},
		{envFile{}, "env/bad-quote.env", ".env", 1, "unterminated"},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.fixture, "/", "_"), func(t *testing.T) {
			got, err := parse(t, tt.parser, tt.fixture, tt.display)
			var ie *record.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse = %v, %v; want an input error", got, err)
			}
			if got != nil || ie.File != tt.display || ie.Line != tt.line || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("Parse = %d settings, %v; want none and %s:%d: …%s…", len(got), err, tt.display, tt.line, tt.msg)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	files := map[string]string{
		".npmrc": "config/.npmrc", "web/.npmrc": "config/.npmrc", ".yarnrc": "config/.yarnrc",
		".yarnrc.yml": "config/.yarnrc.yml", "pip.conf": "config/pip.conf", "PIP.INI": "config/pip.conf",
		"requirements-dev.txt": "config/requirements.txt", "Pipfile": "config/Pipfile",
		"pyproject.toml": "config/pyproject.toml", "uv.toml": "config/uv.toml", "NuGet.Config": "config/nuget.config",
		"src/nuget.config": "config/nuget.config", "Gemfile": "config/Gemfile", "gems.rb": "config/Gemfile",
		".gemrc": "config/.gemrc", ".cargo/config.toml": "config/.cargo/config.toml",
		"a/.cargo/config": "config/.cargo/config.toml", ".cargo/credentials.toml": "config/.cargo/config.toml",
		"go.env": "config/go.env", ".env": "config/go.env", ".env.production": "config/go.env", ".envrc": "config/go.env",
	}
	for f, want := range files {
		got := ""
		for _, p := range All() {
			if p.Matches(f) {
				got = p.Name()
				break
			}
		}
		if got != want {
			t.Errorf("%s: matched by %q, want %q", f, got, want)
		}
	}
	for _, f := range []string{"config.toml", "cargo/config.toml", "package.json", "npmrc", "env", "Pipfile.lock", "pip.conf.bak"} {
		for _, p := range All() {
			if p.Matches(f) {
				t.Errorf("%s unexpectedly matched by %s", f, p.Name())
			}
		}
	}
}

// TestEveryParserIsDocumented keeps the table of parsers and the scan
// documentation in step.
func TestEveryParserIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/commands/scan.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range All() {
		if seen[p.Name()] {
			t.Errorf("parser %s registered twice", p.Name())
		}
		seen[p.Name()] = true
		if !bytes.Contains(doc, []byte("`"+p.Name()+"`")) {
			t.Errorf("parser %s has no row in docs/commands/scan.md", p.Name())
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct {
		in, want string
		secret   Secret
	}{
		{"https://npmjs.org/", "https://npmjs.org/", NoSecret},
		{"https://user:pa55@host.example.com/simple", "https://user:***@host.example.com/simple", SecretURLPassword},
		{"https://ghp_abcdef0123456789@host.example.com/", "https://***@host.example.com/", SecretURLUser},
		{"https://TOKEN:@pypi.fury.example.com/acme/", "https://***:@pypi.fury.example.com/acme/", SecretURLUser},
		{"https://user:${PASS}@host.example.com/", "https://user:${PASS}@host.example.com/", NoSecret},
		{"https://${USER}:%PASS%@host.example.com/", "https://${USER}:%PASS%@host.example.com/", NoSecret},
		{"https://${TOKEN}@host.example.com/", "https://${TOKEN}@host.example.com/", NoSecret},
		{"https://u:${P:-fallback}@host.example.com/", "https://u:***@host.example.com/", SecretURLPassword},
		{"https://host.example.com/feed?token=abc&x=1#frag", "https://host.example.com/feed?token=***&x=1#frag", SecretURLQuery},
		{"https://host.example.com/feed?Access-Token=abc&sig=zz", "https://host.example.com/feed?Access-Token=***&sig=***", SecretURLQuery},
		{"https://host.example.com/feed?token=", "https://host.example.com/feed?token=", NoSecret},
		{"https://a:b@host.example.com/?token=c", "https://a:***@host.example.com/?token=***", SecretURLPassword},
		{"https://host.example.com/p@th", "https://host.example.com/p@th", NoSecret},
		{"sparse+https://u:p@crates.example.com/", "sparse+https://u:***@crates.example.com/", SecretURLPassword},
		{"not a url", "not a url", NoSecret},
		{"https://a:b:c@host/", "https://a:***@host/", SecretURLPassword},
	}
	for _, tt := range tests {
		got, sec := RedactURL(tt.in)
		if got != tt.want || sec != tt.secret {
			t.Errorf("RedactURL(%q) = %q, %q; want %q, %q", tt.in, got, sec, tt.want, tt.secret)
		}
	}
}

func TestIsEnvRef(t *testing.T) {
	for v, want := range map[string]bool{
		"${NPM_TOKEN}": true, "$NPM_TOKEN": true, "%FEED_PAT%": true, "${USER}:${PASS}": true, "${T:-}": true,
		"${T:-abc}": false, "npm_abc": false, "Bearer ${T}": false, "": false, "$": false, "%%": false, "${}": false,
	} {
		if got := isEnvRef(v); got != want {
			t.Errorf("isEnvRef(%q) = %v, want %v", v, got, want)
		}
	}
}

// checkContract asserts, for any input, what every Parser promises: an
// *record.InputError naming the file and no settings, or settings of a
// known ecosystem and kind in the file, on lines that exist, with no
// literal secret kept.
func checkContract(t *testing.T, path string, data []byte, settings []Setting, err error) {
	t.Helper()
	if err != nil {
		var ie *record.InputError
		if !errors.As(err, &ie) || ie.File != path {
			t.Fatalf("error %v (%T) is not an input error naming %s", err, err, path)
		}
		if settings != nil {
			t.Fatalf("error %v returned with %d settings", err, len(settings))
		}
		return
	}
	lines := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
	for _, s := range settings {
		if s.File != path || s.Line < 1 || s.Line > lines || !s.Ecosystem.Valid() {
			t.Fatalf("bad setting %+v (%d lines)", s, lines)
		}
		switch s.Kind {
		case Registry, ScopeRegistry, ExtraIndex, Proxy, Checksum, Credential:
		default:
			t.Fatalf("bad kind in %+v", s)
		}
		if s.Secret == SecretLiteral && s.Value != "" {
			t.Fatalf("literal credential kept: %+v", s)
		}
		if s.Secret.InURL() && !strings.Contains(s.URL+s.Value, "***") {
			t.Fatalf("URL secret not redacted: %+v", s)
		}
	}
}

func fuzzParser(f *testing.F, p Parser, dir, path string) {
	files, _ := filepath.Glob(filepath.Join("testdata", dir, "*"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		settings, err := p.Parse(context.Background(), manifest.Input{Path: path, Data: data})
		checkContract(t, path, data, settings, err)
	})
}

func FuzzNpmrc(f *testing.F)     { fuzzParser(f, npmrc{}, "npmrc", ".npmrc") }
func FuzzYarnrc(f *testing.F)    { fuzzParser(f, yarnrc{}, "yarnrc", ".yarnrc") }
func FuzzYarnrcYML(f *testing.F) { fuzzParser(f, yarnrcYML{}, "yarnrcyml", ".yarnrc.yml") }
func FuzzPipConf(f *testing.F)   { fuzzParser(f, pipConf{}, "pipconf", "pip.conf") }
func FuzzRequirements(f *testing.F) {
	fuzzParser(f, requirementsOptions{}, "requirements", "requirements.txt")
}
func FuzzPipfile(f *testing.F)     { fuzzParser(f, pipfile{}, "pipfile", "Pipfile") }
func FuzzPyproject(f *testing.F)   { fuzzParser(f, pyproject{}, "pyproject", "pyproject.toml") }
func FuzzUVTOML(f *testing.F)      { fuzzParser(f, uvTOML{}, "uvtoml", "uv.toml") }
func FuzzNuGetConfig(f *testing.F) { fuzzParser(f, nugetConfig{}, "nuget", "nuget.config") }
func FuzzGemfile(f *testing.F)     { fuzzParser(f, gemfileSources{}, "gemfile", "Gemfile") }
func FuzzGemrc(f *testing.F)       { fuzzParser(f, gemrc{}, "gemrc", ".gemrc") }
func FuzzCargo(f *testing.F)       { fuzzParser(f, cargoConfig{}, "cargo", ".cargo/config.toml") }
func FuzzEnv(f *testing.F)         { fuzzParser(f, envFile{}, "env", ".env") }

// TestErrorsDoNotQuoteSecrets: an error on a malformed line names the file
// and line, never the text that might be a secret.
func TestErrorsDoNotQuoteSecrets(t *testing.T) {
	tests := []struct {
		p    Parser
		path string
		data string
	}{
		{yarnrc{}, ".yarnrc", "_authToken \"SECRET\\q\"\n"},
		{yarnrc{}, ".yarnrc", "_authToken \"SECRET\n"},
		{pipConf{}, "pip.conf", "[global]\nSECRETcontinuation\n"},
		{envFile{}, ".env", "GOPROXY=\"https://u:SECRET@proxy.example.com\n"},
		{npmrc{}, ".npmrc", "=SECRET\n"},
	}
	for _, tt := range tests {
		_, err := tt.p.Parse(context.Background(), manifest.Input{Path: tt.path, Data: []byte(tt.data)})
		if err == nil || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s %q: error %v", tt.p.Name(), tt.data, err)
		}
	}
}
