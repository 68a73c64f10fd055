package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeConfig(t *testing.T) {
	c, err := Parse("c.yaml", []byte(`serve:
  addr: 127.0.0.1:9090
  db: /var/lib/pkgward/gate.db
  token-file: tokens.txt
  max-json-bytes: 65536
  max-archive-bytes: 128MiB
  max-header-bytes: 16KiB
  read-header-timeout: 2s
  read-timeout: 1m
  write-timeout: 90s
  idle-timeout: 5m
  shutdown-timeout: 45s
`))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Serve
	if s.Addr != "127.0.0.1:9090" || s.DB != "/var/lib/pkgward/gate.db" || s.MaxJSONBytes != 65536 || s.MaxArchiveBytes != 128<<20 ||
		s.MaxHeaderBytes != 16<<10 || time.Duration(s.ReadHeaderTimeout) != 2*time.Second || time.Duration(s.ReadTimeout) != time.Minute ||
		time.Duration(s.WriteTimeout) != 90*time.Second || time.Duration(s.IdleTimeout) != 5*time.Minute || time.Duration(s.ShutdownTimeout) != 45*time.Second {
		t.Errorf("serve = %+v", s)
	}
	if got := c.TokenFilePath(); got != "tokens.txt" {
		t.Errorf("token file of c.yaml in the working directory: %q", got)
	}
	c.File = filepath.Join("etc", "pkgward", "c.yaml")
	if got := c.TokenFilePath(); got != filepath.Join("etc", "pkgward", "tokens.txt") {
		t.Errorf("token file relative to the config's directory: %q", got)
	}
	c.Serve.TokenFile = "/abs/tokens"
	if got := c.TokenFilePath(); got != "/abs/tokens" {
		t.Errorf("absolute token file: %q", got)
	}
}

func TestServeConfigErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"serve:\n  adr: x\n", "c.yaml:2: field adr not found"},
		{"serve:\n  read-timeout: 0s\n", "c.yaml:2: duration 0s: want more than 0"},
		{"serve:\n  read-timeout: -1s\n", "c.yaml:2: duration -1s: want more than 0"},
		{"serve:\n  idle-timeout: soon\n", `c.yaml:2: "soon" is not a duration`},
		{"serve:\n  write-timeout: 48h\n", "c.yaml:2: duration 48h: want at most 24h0m0s"},
		{"serve:\n  max-json-bytes: 0\n", "c.yaml:2: size 0: want more than 0"},
		{"serve:\n  max-archive-bytes: -5\n", "c.yaml:2: size -5: want more than 0"},
		{"serve:\n  max-archive-bytes: 64MB\n", `c.yaml:2: "64MB" is not a size`},
		{"serve:\n  max-archive-bytes: 2048GiB\n", "c.yaml:2: size 2048GiB: want at most 1TiB"},
		{"serve:\n  max-json-bytes: [1]\n", "c.yaml:2: not a size"},
	} {
		_, err := Parse("c.yaml", []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.doc, err, tc.want)
		}
	}
}

func TestReadTokenFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	got, err := ReadTokenFile(write("ok", "# registry tokens\n\n  alpha-1  \r\nbeta_2\n# old: gamma\n"))
	if err != nil || strings.Join(got, ",") != "alpha-1,beta_2" {
		t.Errorf("tokens %q %v", got, err)
	}
	for _, tc := range []struct{ path, want string }{
		{write("empty", ""), "no token"},
		{write("comments", "# nothing\n\n   \n"), "no token"},
		{write("space", "alpha\nbe ta\n"), ":2: a token must be printable ASCII"},
		{write("ctl", "alpha\x01\n"), ":1: a token must be printable ASCII"},
		{filepath.Join(dir, "missing"), "no such file"},
		{write("big", strings.Repeat("a", MaxTokenFile+1)), "larger than"},
	} {
		if _, err := ReadTokenFile(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", filepath.Base(tc.path), err, tc.want)
		}
	}
}

func FuzzReadTokenFile(f *testing.F) {
	f.Add([]byte("# c\nalpha\n\nbeta\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "tokens")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tokens, err := ReadTokenFile(p)
		if err != nil {
			return
		}
		if len(tokens) == 0 {
			t.Fatal("no tokens and no error")
		}
		for _, tok := range tokens {
			if tok == "" || strings.HasPrefix(tok, "#") || strings.IndexFunc(tok, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
				t.Fatalf("token %q", tok)
			}
		}
	})
}
