package registryconf

import (
	"context"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
)

// pipConf reads pip configuration files (pip.conf, pip.ini) the way pip
// does, with Python's configparser: [section] headers, "key = value" or
// "key: value" options, "#" and ";" comment lines, values continued on
// more-indented lines. Every section is read (global, install, download,
// …); option names are normalized as pip does (lower case, "_" read as
// "-"). index-url is the registry, each extra-index-url value an extra
// index, each trusted-host value a checksum setting (pip skips TLS
// verification for it). An option before any section, a line that is not
// an option, and a section or option defined twice are errors, as in
// configparser's strict mode, which pip uses.
type pipConf struct{}

func (pipConf) Name() string { return "config/pip.conf" }
func (pipConf) Matches(p string) bool {
	base := strings.ToLower(path.Base(p))
	return base == "pip.conf" || base == "pip.ini"
}

// iniOption is one option of an INI file with its value lines.
type iniOption struct {
	section, key string
	line         int    // line of the key
	values       []line // the value on the key's line (if not empty), then continuation lines
}

func (pipConf) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	opts, err := parseConfigParser(ctx, in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	b := &builder{eco: ecosystem.PyPI, file: in.Path}
	for _, o := range opts {
		key := o.section + "." + o.key
		switch o.key {
		case "index-url", "extra-index-url", "trusted-host":
		default:
			continue
		}
		for _, v := range o.values {
			for _, w := range strings.Fields(v.text) {
				switch o.key {
				case "index-url":
					b.addURL(v.n, Registry, key, w)
				case "extra-index-url":
					b.addURL(v.n, ExtraIndex, key, w)
				case "trusted-host":
					b.add(v.n, Checksum, key, w)
				}
			}
		}
	}
	return b.out, nil
}

// parseConfigParser reads data as Python's configparser.RawConfigParser
// (strict, default delimiters and comment prefixes) would.
func parseConfigParser(ctx context.Context, file string, data []byte) ([]*iniOption, error) {
	if err := checkText(file, data); err != nil {
		return nil, err
	}
	var (
		opts     []*iniOption
		section  string
		inSect   bool
		cur      *iniOption
		curInd   int
		sections = map[string]bool{}
		seen     = map[string]bool{}
	)
	for _, l := range splitLines(data) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t := strings.TrimSpace(l.text)
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue // empty lines and comments may sit inside a multi-line value
		}
		indent := len(l.text) - len(strings.TrimLeft(l.text, " \t"))
		if cur != nil && indent > curInd {
			cur.values = append(cur.values, line{l.n, t})
			continue
		}
		cur = nil
		if t[0] == '[' {
			end := strings.LastIndexByte(t, ']')
			if end < 2 {
				return nil, manifest.Errorf(file, l.n, "invalid section header")
			}
			section = t[1:end]
			if sections[section] {
				return nil, manifest.Errorf(file, l.n, "section %q defined twice", section)
			}
			sections[section] = true
			inSect = true
			continue
		}
		if !inSect {
			return nil, manifest.Errorf(file, l.n, "option outside any [section]")
		}
		i := strings.IndexAny(t, "=:")
		if i <= 0 {
			return nil, manifest.Errorf(file, l.n, "not an option (\"key = value\")") // the text may be a secret: not quoted
		}
		raw := strings.ToLower(strings.TrimSpace(t[:i]))
		if seen[section+"\x00"+raw] {
			return nil, manifest.Errorf(file, l.n, "option %q defined twice in [%s]", raw, section)
		}
		seen[section+"\x00"+raw] = true
		key := strings.TrimPrefix(strings.ReplaceAll(raw, "_", "-"), "--")
		cur = &iniOption{section: section, key: key, line: l.n}
		curInd = indent
		if v := strings.TrimSpace(t[i+1:]); v != "" {
			cur.values = append(cur.values, line{l.n, v})
		}
		opts = append(opts, cur)
	}
	return opts, nil
}
