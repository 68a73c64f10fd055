package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// DefaultFile is read from the working directory when --config is not
// given (scan also looks for it near the scanned directory: Find).
const DefaultFile = ".pkgward.yaml"

// Find returns the DefaultFile nearest to dir: in dir, or else in the
// nearest of its parents up to the repository root (the nearest
// directory holding .git, included), as OSV-Scanner looks for its
// osv-scanner.toml. Outside a repository only dir itself is looked at.
// It returns "" when there is none. The path is relative to the working
// directory when the file is under it, else absolute.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", &record.InputError{File: dir, Msg: err.Error()}
	}
	repo := ""
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			repo = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	candidates := []string{abs}
	for d := abs; repo != "" && d != repo; {
		d = filepath.Dir(d)
		candidates = append(candidates, d)
	}
	for _, d := range candidates {
		p := filepath.Join(d, DefaultFile)
		if _, err := os.Stat(p); err == nil {
			return display(p), nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", &record.InputError{File: display(p), Msg: pathless(err).Error()}
		}
	}
	return "", nil
}

// display returns the absolute path p relative to the working directory
// when it is under it, unless that is the filesystem root (from "/",
// "tmp/x/.pkgward.yaml" would read as a path under some other directory).
func display(p string) string {
	if wd, err := os.Getwd(); err == nil && filepath.Dir(wd) != wd {
		if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return p
}

// pathless drops the path of a *fs.PathError: the InputError that
// carries the message names the file already.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// MaxSize bounds the config file.
const MaxSize = 4 << 20

// Config is the decoded configuration.
type Config struct {
	// FailOn is the default for --fail-on ("" = built-in default).
	FailOn string `yaml:"fail-on"`
	// Ignore lists suppressions.
	Ignore []Suppression `yaml:"ignore"`
	// Corpus lists, per ecosystem, names to protect as if they were top
	// ranked (a company's internal packages).
	Corpus map[ecosystem.Ecosystem][]string `yaml:"corpus"`
	// CorpusFiles lists corpus files as "[ECO=]FILE", relative to the
	// config file's directory.
	CorpusFiles []string `yaml:"corpus-files"`
	// Domains lists your own domains ("acme.com"): official, with every
	// host under them, and protected from lookalikes by the
	// lookalike-domain rule (pkgward domain).
	Domains []string `yaml:"domains"`
	// Brands lists brands to protect like the embedded code hosts, cloud
	// providers and chat platforms: a name, its official domains and the
	// other names it goes by as a word of a domain.
	Brands []Brand `yaml:"brands"`
	// Serve configures pkgward serve (serve.go).
	Serve ServeConfig `yaml:"serve"`

	// File is the path the config was read from ("" for none).
	File string `yaml:"-"`
	// Origin tells how File was chosen ("--config", "nearest to the
	// scanned directory", "working directory"), for notices.
	Origin string `yaml:"-"`

	corpusFileLines []int // line of each CorpusFiles entry
}

// CorpusFileLine returns the line of CorpusFiles[i] in File (0 when
// unknown).
func (c *Config) CorpusFileLine(i int) int {
	if c == nil || i < 0 || i >= len(c.corpusFileLines) {
		return 0
	}
	return c.corpusFileLines[i]
}

// Brand is a brand of brands: (see domain.Brand).
type Brand struct {
	Name    string   `yaml:"name"`
	Domains []string `yaml:"domains"`
	Aliases []string `yaml:"aliases"`
	// Word: the name is an ordinary word, reported as a word of a domain
	// only beside account, security or registry words.
	Word bool `yaml:"word"`
}

// Suppression silences findings of a rule on a package.
type Suppression struct {
	EcosystemName string              `yaml:"ecosystem"` // as written; empty: every ecosystem
	Ecosystem     ecosystem.Ecosystem `yaml:"-"`
	Name          string              `yaml:"name"`
	Rule          string              `yaml:"rule"` // empty: every rule
	Reason        string              `yaml:"reason"`
	Expires       string              `yaml:"expires"` // YYYY-MM-DD, optional
	Line          int                 `yaml:"-"`
	expires       time.Time
}

// Load reads the config at path. With path "" it reads DefaultFile if it
// exists and returns an empty Config otherwise.
func Load(path string) (*Config, error) {
	explicit := path != ""
	if !explicit {
		path = DefaultFile
	}
	f, err := os.Open(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return &Config{}, nil
		}
		return nil, &record.InputError{File: path, Msg: pathless(err).Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, &record.InputError{File: path, Msg: pathless(err).Error()}
	}
	if len(data) > MaxSize {
		return nil, &record.InputError{File: path, Msg: fmt.Sprintf("larger than %d bytes", MaxSize)}
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parse decodes a config document.
func Parse(file string, data []byte) (*Config, error) {
	c := &Config{File: file}
	if len(bytes.TrimSpace(data)) == 0 {
		return c, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(file, err)
	}
	if err := checkDocument(file, &root, reflect.TypeFor[Config]()); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return nil, yamlError(file, err)
	}
	c.File = file
	for i := range c.CorpusFiles {
		c.corpusFileLines = append(c.corpusFileLines, listLine(&root, "corpus-files", i))
	}
	lines := ignoreLines(&root)
	for i := range c.Ignore {
		s := &c.Ignore[i]
		if i < len(lines) {
			s.Line = lines[i]
		}
		if strings.TrimSpace(s.Name) == "" {
			return nil, &record.InputError{File: file, Line: s.Line, Msg: "ignore entry without a name"}
		}
		if s.EcosystemName != "" {
			eco, err := ecosystem.Parse(s.EcosystemName)
			if err != nil {
				return nil, &record.InputError{File: file, Line: entryKeyLine(&root, i, "ecosystem", s.Line), Msg: fmt.Sprintf("`ignore[%d].ecosystem`: %v", i, err)}
			}
			s.Ecosystem = eco
		}
		if strings.TrimSpace(s.Reason) == "" {
			return nil, &record.InputError{File: file, Line: s.Line, Msg: fmt.Sprintf("ignore entry for %q without a reason", s.Name)}
		}
		if s.Expires != "" {
			t, err := time.Parse(time.DateOnly, s.Expires)
			if err != nil {
				return nil, &record.InputError{File: file, Line: entryKeyLine(&root, i, "expires", s.Line), Msg: fmt.Sprintf("`ignore[%d].expires`: %q is not a YYYY-MM-DD date", i, s.Expires)}
			}
			s.expires = t
		}
	}
	for i, d := range c.Domains {
		if err := checkDomain(d); err != nil {
			return nil, &record.InputError{File: file, Line: listLine(&root, "domains", i), Msg: fmt.Sprintf("domains: %q: %v", d, err)}
		}
	}
	for i, b := range c.Brands {
		line := listLine(&root, "brands", i)
		if strings.TrimSpace(b.Name) == "" || len(b.Domains) == 0 {
			return nil, &record.InputError{File: file, Line: line, Msg: "brands: an entry needs a name and at least one domain"}
		}
		for j, d := range b.Domains {
			if err := checkDomain(d); err != nil {
				return nil, &record.InputError{File: file, Line: brandDomainLine(&root, i, j, line), Msg: fmt.Sprintf("brands: %s: %q: %v", b.Name, d, err)}
			}
		}
	}
	if c.FailOn != "" {
		if _, err := record.ParseSeverity(c.FailOn); err != nil {
			return nil, &record.InputError{File: file, Line: topKeyLine(&root, "fail-on"), Msg: "`fail-on`: " + err.Error()}
		}
	}
	return c, nil
}

// checkDomain rejects what cannot be a domain name: empty, spaces or
// control characters, longer than 253 characters, and what the domain
// engine cannot read as a host (an empty or bad label, a character no host
// name holds, bad punycode); the engine reads the rest (URLs, upper case,
// punycode).
func checkDomain(d string) error {
	switch {
	case strings.TrimSpace(d) == "":
		return errors.New("empty domain")
	case len(d) > 253:
		return errors.New("longer than 253 characters")
	case strings.IndexFunc(d, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return errors.New("contains a space or control character")
	}
	if _, err := domain.ParseHost(d); err != nil {
		// The caller names the entry; the engine's message may too.
		return errors.New(strings.TrimPrefix(err.Error(), strconv.Quote(strings.TrimSpace(d))+": "))
	}
	return nil
}

// brandDomainLine returns the line of domain j of entry i of the
// top-level brands list, or def.
func brandDomainLine(root *yaml.Node, i, j, def int) int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return def
	}
	m := root.Content[0]
	for k := 0; k+1 < len(m.Content); k += 2 {
		if m.Content[k].Value != "brands" || m.Content[k+1].Kind != yaml.SequenceNode || i >= len(m.Content[k+1].Content) {
			continue
		}
		e := m.Content[k+1].Content[i]
		for n := 0; e.Kind == yaml.MappingNode && n+1 < len(e.Content); n += 2 {
			if v := e.Content[n+1]; e.Content[n].Value == "domains" && v.Kind == yaml.SequenceNode && j < len(v.Content) {
				return v.Content[j].Line
			}
		}
	}
	return def
}

// listLine returns the line of entry i of the top-level list key (0 when
// unknown).
func listLine(root *yaml.Node, key string, i int) int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return 0
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return 0
	}
	for j := 0; j+1 < len(m.Content); j += 2 {
		if m.Content[j].Value == key && m.Content[j+1].Kind == yaml.SequenceNode && i < len(m.Content[j+1].Content) {
			return m.Content[j+1].Content[i].Line
		}
	}
	return 0
}

// topKeyLine returns the line of the top-level key (0 when unknown).
func topKeyLine(root *yaml.Node, key string) int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	m := root.Content[0]
	for j := 0; j+1 < len(m.Content); j += 2 {
		if m.Content[j].Value == key {
			return m.Content[j].Line
		}
	}
	return 0
}

// entryKeyLine returns the line of key in entry i of the top-level
// ignore list, or def.
func entryKeyLine(root *yaml.Node, i int, key string, def int) int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return def
	}
	m := root.Content[0]
	for j := 0; j+1 < len(m.Content); j += 2 {
		if m.Content[j].Value != "ignore" || m.Content[j+1].Kind != yaml.SequenceNode || i >= len(m.Content[j+1].Content) {
			continue
		}
		e := m.Content[j+1].Content[i]
		for k := 0; e.Kind == yaml.MappingNode && k+1 < len(e.Content); k += 2 {
			if e.Content[k].Value == key {
				return e.Content[k].Line
			}
		}
	}
	return def
}

// ignoreLines returns the line of each entry of the top-level ignore list.
func ignoreLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "ignore" && m.Content[i+1].Kind == yaml.SequenceNode {
			var out []int
			for _, e := range m.Content[i+1].Content {
				out = append(out, e.Line)
			}
			return out
		}
	}
	return nil
}

// yamlError converts a yaml error ("yaml: line 3: ...") into an InputError.
func yamlError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	line := 0
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		if i := strings.Index(msg, ":"); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:])
		}
	}
	return &record.InputError{File: file, Line: line, Msg: msg}
}

// Suppressor applies suppressions at a given date.
type Suppressor struct {
	entries []Suppression
	now     time.Time
}

// NewSuppressor returns a suppressor over c's ignore entries, judged at now.
func (c *Config) NewSuppressor(now time.Time) *Suppressor {
	return &Suppressor{entries: c.Ignore, now: now}
}

// Expired returns a notice for each entry that has expired: such entries
// are reported and not applied.
func (s *Suppressor) Expired(file string) []string {
	var out []string
	for _, e := range s.entries {
		if !e.expires.IsZero() && s.now.After(e.expires.AddDate(0, 0, 1)) {
			out = append(out, fmt.Sprintf("%s:%d: suppression of %s for %s expired on %s and is not applied",
				file, e.Line, ruleOrAll(e.Rule), qualified(e.Ecosystem, e.Name), e.Expires))
		}
	}
	return out
}

// Match returns the reason of the first live suppression covering rule on
// the package, or "" if none does.
func (s *Suppressor) Match(eco ecosystem.Ecosystem, name, rule string) (string, bool) {
	for _, e := range s.entries {
		if !e.expires.IsZero() && s.now.After(e.expires.AddDate(0, 0, 1)) {
			continue
		}
		if e.Ecosystem != "" && e.Ecosystem != eco {
			continue
		}
		if e.Rule != "" && e.Rule != rule {
			continue
		}
		if eco.Canonical(e.Name) != eco.Canonical(name) {
			continue
		}
		return e.Reason, true
	}
	return "", false
}

func ruleOrAll(r string) string {
	if r == "" {
		return "all rules"
	}
	return r
}

func qualified(eco ecosystem.Ecosystem, name string) string {
	if eco == "" {
		return name
	}
	return string(eco) + "/" + name
}
