package registryconf

import (
	"context"
	"iter"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/manifest"
	"github.com/pkgward/pkgward/internal/manifest/requirements"
)

// requirementsOptions reads the index options of pip requirements files
// (the files the requirements dependency parser reads): -i/--index-url,
// --extra-index-url and --trusted-host, also in the "--opt=value" and
// "-iVALUE" forms and as unambiguous prefixes of the long names, on lines
// joined and stripped of comments as pip does. Requirement lines and every
// other option are skipped, and -r includes are not followed (an included
// file named like a requirements file is read on its own). It never fails:
// the requirements dependency parser reports malformed files.
type requirementsOptions struct{}

func (requirementsOptions) Name() string          { return "config/requirements.txt" }
func (requirementsOptions) Matches(p string) bool { return requirements.New().Matches(p) }

// reqOptionNames are the long options pip accepts in requirements files;
// optparse accepts any unambiguous prefix of them.
var reqOptionNames = []string{
	"--index-url", "--extra-index-url", "--no-index", "--constraint", "--requirement", "--editable",
	"--find-links", "--no-binary", "--only-binary", "--prefer-binary", "--require-hashes", "--pre",
	"--trusted-host", "--use-feature", "--global-option", "--hash", "--config-settings",
}

func (requirementsOptions) Parse(ctx context.Context, in manifest.Input) ([]Setting, error) {
	b := &builder{eco: ecosystem.PyPI, file: in.Path}
	for l := range joinContinuations(eachLine(in.Data)) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		args := strings.Fields(stripReqComment(l.text))
		if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
			continue // a requirement (its trailing options name no index)
		}
		for i := 0; i < len(args); i++ {
			opt, val, hasVal := reqOption(args[i])
			switch opt {
			case "--index-url", "--extra-index-url", "--trusted-host":
			default:
				continue
			}
			if !hasVal {
				if i+1 >= len(args) {
					break
				}
				i++
				val = args[i]
			}
			val = strings.Trim(val, `"'`)
			switch opt {
			case "--index-url":
				b.addURL(l.n, Registry, opt, val)
			case "--extra-index-url":
				b.addURL(l.n, ExtraIndex, opt, val)
			case "--trusted-host":
				b.add(l.n, Checksum, opt, val)
			}
		}
	}
	return b.out, nil
}

// reqOption resolves one argument to its long option name and its attached
// value, if any ("--index-url=URL", "-iURL").
func reqOption(a string) (opt, val string, hasVal bool) {
	if strings.HasPrefix(a, "--") {
		name, v, eq := strings.Cut(a, "=")
		found := ""
		for _, o := range reqOptionNames {
			if o == name {
				found = o
				break
			}
			if strings.HasPrefix(o, name) {
				if found != "" {
					return "", "", false // ambiguous
				}
				found = o
			}
		}
		return found, v, eq
	}
	if strings.HasPrefix(a, "-i") {
		return "--index-url", a[2:], len(a) > 2
	}
	return "", "", false
}

// eachLine yields the lines splitLines returns, one at a time: a file of
// millions of lines builds no slice of them.
func eachLine(data []byte) iter.Seq[line] {
	return func(yield func(line) bool) {
		s := strings.TrimPrefix(string(data), "\ufeff")
		n := 1
		for s != "" {
			i := strings.IndexAny(s, "\r\n")
			if i < 0 {
				yield(line{n, s})
				return
			}
			if !yield(line{n, s[:i]}) {
				return
			}
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			s = s[i+1:]
			n++
		}
	}
}

// joinContinuations joins lines ending in a backslash with the next, as
// pip does; a comment line ends a continuation. The joined line keeps the
// number of its first physical line.
func joinContinuations(lines iter.Seq[line]) iter.Seq[line] {
	return func(yield func(line) bool) {
		var cur strings.Builder
		curN := 0 // line of the continuation being joined; 0: none
		for l := range lines {
			comment := strings.HasPrefix(strings.TrimSpace(l.text), "#")
			if curN != 0 {
				if comment {
					if !yield(line{curN, cur.String()}) {
						return
					}
					curN = 0
					continue
				}
				cur.WriteString(strings.TrimSuffix(l.text, `\`))
				if !strings.HasSuffix(l.text, `\`) {
					if !yield(line{curN, cur.String()}) {
						return
					}
					curN = 0
				}
				continue
			}
			if strings.HasSuffix(l.text, `\`) && !comment {
				cur.Reset()
				cur.WriteString(strings.TrimSuffix(l.text, `\`))
				curN = l.n
				continue
			}
			if !yield(l) {
				return
			}
		}
		if curN != 0 {
			yield(line{curN, cur.String()})
		}
	}
}

// stripReqComment removes a comment: from a "#" that starts the line or
// follows white space.
func stripReqComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i]
		}
	}
	return s
}
