package config

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/record"
)

// ServeConfig is the serve: section, read by pkgward serve; its flags
// override it. Zero values mean the built-in defaults (docs/server.md).
type ServeConfig struct {
	// Addr is the HOST:PORT to listen on.
	Addr string `yaml:"addr"`
	// DB is the store's DSN: a SQLite path or a postgres:// URL.
	DB string `yaml:"db"`
	// TokenFile names the file of bearer tokens, one a line, relative to
	// the config file's directory (ReadTokenFile).
	TokenFile string `yaml:"token-file"`
	// MaxJSONBytes bounds a JSON check body; MaxArchiveBytes a multipart
	// check with its archive.
	MaxJSONBytes    ByteSize `yaml:"max-json-bytes"`
	MaxArchiveBytes ByteSize `yaml:"max-archive-bytes"`
	// MaxHeaderBytes bounds a request's header.
	MaxHeaderBytes ByteSize `yaml:"max-header-bytes"`
	// Timeouts of the HTTP server, and how long a stop waits for the
	// checks in flight.
	ReadHeaderTimeout Duration `yaml:"read-header-timeout"`
	ReadTimeout       Duration `yaml:"read-timeout"`
	WriteTimeout      Duration `yaml:"write-timeout"`
	IdleTimeout       Duration `yaml:"idle-timeout"`
	ShutdownTimeout   Duration `yaml:"shutdown-timeout"`

	// Feeds are the publication feeds the monitor follows, "ECO" or
	// "ECO=BASE_URL" (--feed).
	Feeds []string `yaml:"feeds"`
	// FeedStart maps an ecosystem to where its feed starts when no cursor
	// is stored: "0" (the beginning) or a cursor (--feed-start; default:
	// the feed's current end).
	FeedStart map[string]string `yaml:"feed-start"`
	// PollInterval is the wait between two polls of a caught-up feed
	// (--poll-interval; default 60s).
	PollInterval Duration `yaml:"poll-interval"`
	// Campaigns turns the live campaign job on or off (default on).
	Campaigns *bool `yaml:"campaigns"`
	// InspectArchives downloads and inspects the tarball of every npm
	// version the monitor judges (default off).
	InspectArchives *bool `yaml:"inspect-archives"`
	// Webhooks receive alerts on blocked packages and new campaigns.
	Webhooks []Webhook `yaml:"webhooks"`
}

// Webhook is one alert receiver (docs/server.md#webhooks).
type Webhook struct {
	// URL receives the alerts (Slack-compatible JSON), http or https.
	URL string `yaml:"url"`
	// Secret signs each alert (X-Pkgward-Signature); SecretEnv names an
	// environment variable holding it instead, to keep it out of the file.
	Secret    string `yaml:"secret"`
	SecretEnv string `yaml:"secret-env"`
	// Events are the alerts sent: block, campaign (default both).
	Events []string `yaml:"events"`
}

// TokenFilePath is TokenFile resolved against the directory of the config
// file it was read from ("" when none is set).
func (c *Config) TokenFilePath() string {
	p := c.Serve.TokenFile
	if p == "" || filepath.IsAbs(p) || c.File == "" || c.File == "stdin" {
		return p
	}
	return filepath.Join(filepath.Dir(c.File), p)
}

// Bounds of the serve: values.
const (
	MaxBodyBytes = 1 << 40 // 1 TiB: anything larger is a typo
	MaxTimeout   = 24 * time.Hour
)

// Duration is a positive duration written as Go writes one ("30s",
// "2m", "1h30m").
type Duration time.Duration

// UnmarshalYAML reads a duration, refusing zero, negative and absurd
// values with the line.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	switch {
	case n.Kind != yaml.ScalarNode || err != nil:
		return typeError(n, "%q is not a duration (write 30s, 2m, 1h)", n.Value)
	case v <= 0:
		return typeError(n, "duration %s: want more than 0", n.Value)
	case v > MaxTimeout:
		return typeError(n, "duration %s: want at most %s", n.Value, MaxTimeout)
	}
	*d = Duration(v)
	return nil
}

// ByteSize is a positive size in bytes, written as a number of bytes or
// with a binary unit: 1048576, 512KiB, 64MiB, 1GiB.
type ByteSize int64

// UnmarshalYAML reads a size, refusing zero, negative and absurd values
// with the line.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return typeError(n, "not a size (write 1048576 or 64MiB)")
	}
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return typeError(n, "%v", err)
	}
	*b = ByteSize(v)
	return nil
}

// ParseByteSize reads "1048576", "512KiB", "64MiB" or "1GiB".
func ParseByteSize(s string) (int64, error) {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if x, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mult = strings.TrimSpace(x), u.mult
			break
		}
	}
	v, err := strconv.ParseInt(num, 10, 64)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q is not a size (write 1048576 or 64MiB)", s)
	case v <= 0:
		return 0, fmt.Errorf("size %s: want more than 0", s)
	case v > MaxBodyBytes/mult:
		return 0, fmt.Errorf("size %s: want at most 1TiB", s)
	}
	return v * mult, nil
}

// typeError is what yaml.v3 reports with its line ("line N: ...").
//
// It is a plain error, not a *yaml.TypeError: the key checker
// (keys.go) reports it with the file, line and key.
func typeError(_ *yaml.Node, format string, args ...any) error {
	return fmt.Errorf(format, args...)
}

// MaxTokenFile bounds a token file.
const MaxTokenFile = 1 << 20

// ReadTokenFile reads bearer tokens, one a line; blank lines and lines
// starting with # are ignored, spaces around a token are trimmed. A
// token must be printable ASCII without spaces (what an Authorization
// header carries). A file that cannot be read, is larger than
// MaxTokenFile or holds no token is an error naming the file.
func ReadTokenFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &record.InputError{File: path, Msg: err.Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxTokenFile+1))
	if err != nil {
		return nil, &record.InputError{File: path, Msg: err.Error()}
	}
	if len(data) > MaxTokenFile {
		return nil, &record.InputError{File: path, Msg: fmt.Sprintf("token file larger than %d bytes", MaxTokenFile)}
	}
	var tokens []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, MaxTokenFile+1)
	for line := 1; sc.Scan(); line++ {
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		for _, r := range t {
			if r <= ' ' || r > '~' {
				return nil, &record.InputError{File: path, Line: line, Msg: "a token must be printable ASCII without spaces"}
			}
		}
		tokens = append(tokens, t)
	}
	if err := sc.Err(); err != nil {
		return nil, &record.InputError{File: path, Msg: err.Error()}
	}
	if len(tokens) == 0 {
		return nil, &record.InputError{File: path, Msg: "no token in the token file (one a line; # starts a comment)"}
	}
	return tokens, nil
}
