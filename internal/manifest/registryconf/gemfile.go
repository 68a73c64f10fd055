package registryconf

import (
	"context"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/gemfile"
)

// gemfileSources reads the gem sources of a Gemfile (the files the Gemfile
// dependency parser reads), line by line and without evaluating anything:
// `source "URL"` (also `source('URL')`) at the start of a line. The first
// such global source is the registry; further global sources are extra
// indexes (Bundler searches them all for every gem); a source with a block
// (`source "URL" do`) serves only the gems inside it (scope registry), as
// does a `source: "URL"` option of a gem line. Only plain string literals
// are read (not variables or interpolated strings); lines inside
// =begin/=end and after __END__ are skipped. It never fails: the Gemfile
// dependency parser reports malformed files.
type gemfileSources struct{}

func (gemfileSources) Name() string          { return "config/Gemfile" }
func (gemfileSources) Matches(p string) bool { return gemfile.New().Matches(p) }

func (gemfileSources) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	b := &builder{eco: ecosystem.RubyGems, file: in.Path}
	global := 0
	inDoc := false
	for _, l := range splitLines(in.Data) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		switch {
		case inDoc:
			inDoc = !strings.HasPrefix(l.text, "=end")
			continue
		case strings.HasPrefix(l.text, "=begin"):
			inDoc = true
			continue
		case strings.TrimSpace(l.text) == "__END__":
			return b.out, nil
		}
		t := strings.TrimSpace(l.text)
		if rest, ok := strings.CutPrefix(t, "source"); ok && (strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, "(")) {
			rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "("))
			url, after, ok := rubyString(rest)
			if !ok {
				continue
			}
			after = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(after), ")"))
			kind := ScopeRegistry
			if !strings.HasPrefix(after, "do") && !strings.HasPrefix(after, "{") {
				kind = Registry
				if global > 0 {
					kind = ExtraIndex
				}
				global++
			}
			b.addURL(l.n, kind, "source", url)
			continue
		}
		if strings.HasPrefix(t, "gem ") || strings.HasPrefix(t, "gem(") {
			for _, opt := range []string{"source:", ":source =>", ":source=>"} {
				if i := strings.Index(t, opt); i >= 0 {
					if url, _, ok := rubyString(strings.TrimSpace(t[i+len(opt):])); ok {
						b.addURL(l.n, ScopeRegistry, "gem source", url)
					}
					break
				}
			}
		}
	}
	return b.out, nil
}

// rubyString reads a plain string literal ('…' or "…" without escapes or
// interpolation) at the start of s.
func rubyString(s string) (value, rest string, ok bool) {
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return "", "", false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", "", false
	}
	v := s[1 : 1+end]
	if strings.ContainsAny(v, `\`) || (s[0] == '"' && strings.Contains(v, "#{")) {
		return "", "", false
	}
	return v, s[2+end:], true
}

// gemrc reads a RubyGems .gemrc (YAML): the :sources: list, whose first
// entry is the registry and the others extra indexes (gem searches them
// all), and :ssl_verify_mode: (a checksum setting; 0 turns TLS
// verification off).
type gemrc struct{}

func (gemrc) Name() string          { return "config/.gemrc" }
func (gemrc) Matches(p string) bool { return path.Base(p) == ".gemrc" }

func (gemrc) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	root, err := decodeYAML(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	b := &builder{eco: ecosystem.RubyGems, file: in.Path}
	for _, kv := range pairs(root) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k, v := kv[0], kv[1]
		switch strings.TrimPrefix(k.Value, ":") {
		case "sources":
			if v.Kind != yamlSequence {
				return nil, manifest.Errorf(in.Path, v.Line, "%s is not a list", k.Value)
			}
			for i, s := range v.Content {
				if s.Kind != yamlScalar {
					return nil, manifest.Errorf(in.Path, s.Line, "%s holds something other than URLs", k.Value)
				}
				kind := Registry
				if i > 0 {
					kind = ExtraIndex
				}
				b.addURL(s.Line, kind, k.Value, s.Value)
			}
		case "ssl_verify_mode":
			if v.Kind != yamlScalar {
				return nil, manifest.Errorf(in.Path, v.Line, "%s is not a single value", k.Value)
			}
			b.add(v.Line, Checksum, k.Value, v.Value)
		}
	}
	return b.out, nil
}
