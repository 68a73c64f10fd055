package codescan

import (
	"bytes"
	"path"
	"strings"
)

// lang is the language a file is read as.
type lang uint8

// Languages. langNone is everything that is not code (Markdown, text, JSON,
// YAML, HTML…): no rule reads it.
const (
	langNone lang = iota
	langJS
	langPython
	langPowerShell
	langRuby
	langShell
	langBatch
	langMSBuild
	langRust
	langGo
	langBinary
	numLangs
)

var langNames = [numLangs]string{"", "javascript", "python", "powershell", "ruby", "shell", "batch", "msbuild", "rust", "go", "binary"}

// langAliases are the names a rule file may use for a language.
var langAliases = map[string]lang{
	"javascript": langJS, "js": langJS, "typescript": langJS, "ts": langJS, "node": langJS,
	"python": langPython, "py": langPython,
	"powershell": langPowerShell, "ps1": langPowerShell, "pwsh": langPowerShell,
	"ruby": langRuby, "rb": langRuby,
	"shell": langShell, "sh": langShell, "bash": langShell,
	"batch": langBatch, "bat": langBatch, "cmd": langBatch,
	"msbuild": langMSBuild, "xml": langMSBuild,
	"rust": langRust, "rs": langRust,
	"go": langGo, "golang": langGo,
	"binary": langBinary,
}

func (l lang) String() string {
	if l < numLangs {
		return langNames[l]
	}
	return "?"
}

// langSet is a set of languages.
type langSet uint16

func (s langSet) has(l lang) bool { return s&(1<<l) != 0 }

// codeLangs are the languages a rule applies to when it names none.
const codeLangs langSet = 1<<langJS | 1<<langPython | 1<<langPowerShell | 1<<langRuby | 1<<langShell | 1<<langBatch | 1<<langMSBuild | 1<<langRust | 1<<langGo

var extLang = map[string]lang{
	".js": langJS, ".mjs": langJS, ".cjs": langJS, ".jsx": langJS,
	".ts": langJS, ".tsx": langJS, ".mts": langJS, ".cts": langJS,
	".py": langPython, ".pyw": langPython, ".pth": langPython,
	".ps1": langPowerShell, ".psm1": langPowerShell,
	".rb": langRuby, ".rake": langRuby, ".gemspec": langRuby,
	".sh": langShell, ".bash": langShell, ".zsh": langShell, ".ksh": langShell, ".command": langShell,
	".bat": langBatch, ".cmd": langBatch,
	".targets": langMSBuild, ".props": langMSBuild, ".proj": langMSBuild,
	".csproj": langMSBuild, ".vbproj": langMSBuild, ".fsproj": langMSBuild,
	".rs": langRust,
	".go": langGo,
}

var baseLang = map[string]lang{
	"rakefile": langRuby, "gemfile": langRuby,
}

// detectLang returns the language of a file from its name, its first line
// (#! interpreter) and, for binaries, its magic number.
func detectLang(name string, data []byte, binary bool) lang {
	if isExecutable(data) {
		return langBinary
	}
	if binary {
		return langNone
	}
	base := strings.ToLower(path.Base(name))
	if l, ok := baseLang[base]; ok {
		return l
	}
	if l, ok := extLang[path.Ext(base)]; ok {
		return l
	}
	if bytes.HasPrefix(data, []byte("#!")) {
		return shebangLang(data[:lineEnd(data[:min(len(data), 256)], 0)])
	}
	return langNone
}

// shebangLang reads "#!/usr/bin/env node" and the like.
func shebangLang(line []byte) lang {
	f := strings.Fields(string(line[2:]))
	if len(f) == 0 {
		return langNone
	}
	prog := path.Base(f[0])
	if prog == "env" {
		for _, a := range f[1:] {
			if !strings.HasPrefix(a, "-") {
				prog = a
				break
			}
		}
	}
	return runnerLang(prog)
}

// runnerLang is the language a program runs ("node" → JavaScript).
func runnerLang(prog string) lang {
	prog = strings.ToLower(strings.TrimSuffix(path.Base(prog), ".exe"))
	switch {
	case prog == "node" || prog == "nodejs" || prog == "bun" || prog == "deno" || prog == "tsx" || prog == "ts-node":
		return langJS
	case strings.HasPrefix(prog, "python"):
		return langPython
	case prog == "sh" || prog == "bash" || prog == "zsh" || prog == "dash" || prog == "ksh":
		return langShell
	case prog == "ruby":
		return langRuby
	case prog == "pwsh" || prog == "powershell":
		return langPowerShell
	case prog == "cmd":
		return langBatch
	}
	return langNone
}

// isExecutable reports whether data starts with the magic number of an
// ELF, PE (MZ with a PE header) or Mach-O executable or library.
func isExecutable(data []byte) bool {
	if len(data) < 8 {
		return false
	}
	switch {
	case data[0] == 0x7f && data[1] == 'E' && data[2] == 'L' && data[3] == 'F':
		return true
	case data[0] == 'M' && data[1] == 'Z':
		if len(data) >= 0x40 {
			off := int(data[0x3c]) | int(data[0x3d])<<8 | int(data[0x3e])<<16 | int(data[0x3f])<<24
			if off >= 0x40 && off+4 <= len(data) {
				return bytes.Equal(data[off:off+4], []byte("PE\x00\x00"))
			}
		}
		return false
	}
	m := uint32(data[0])<<24 | uint32(data[1])<<16 | uint32(data[2])<<8 | uint32(data[3])
	switch m {
	case 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe:
		return true
	case 0xcafebabe:
		// A universal Mach-O binary, or a Java class file (same magic):
		// a fat header counts architectures (a few), a class file has its
		// version there (45 and up).
		n := uint32(data[4])<<24 | uint32(data[5])<<16 | uint32(data[6])<<8 | uint32(data[7])
		return n > 0 && n < 30
	}
	return false
}

// glob is a compiled file pattern. A pattern without a slash matches the
// base name at any depth ("setup.py"); a pattern with a slash matches the
// whole path from the package root ("tools/install.ps1"; a leading slash
// is allowed and means the same). "*" matches within one path segment,
// "**" any number of segments. Matching ignores case.
type glob struct {
	segs []string
	base bool
}

func compileGlob(p string) (glob, error) {
	p = strings.ToLower(strings.TrimSpace(p))
	if p == "" {
		return glob{}, errEmptyGlob
	}
	if !strings.Contains(p, "/") {
		if _, err := path.Match(p, ""); err != nil {
			return glob{}, err
		}
		return glob{segs: []string{p}, base: true}, nil
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for _, s := range segs {
		if s == "" {
			return glob{}, errEmptyGlob
		}
		if _, err := path.Match(s, ""); err != nil {
			return glob{}, err
		}
	}
	return glob{segs: segs}, nil
}

func (g glob) match(p string) bool {
	p = strings.ToLower(p)
	if g.base {
		ok, _ := path.Match(g.segs[0], path.Base(p))
		return ok
	}
	var buf [16]string // most paths: no allocation (match runs per rule and file)
	return matchSegs(g.segs, splitSlash(buf[:0], p))
}

// splitSlash appends to segs the slash-separated segments of p, as
// strings.Split(p, "/") returns them.
func splitSlash(segs []string, p string) []string {
	for {
		s, rest, ok := strings.Cut(p, "/")
		segs = append(segs, s)
		if !ok {
			return segs
		}
		p = rest
	}
}

func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for k := 0; k <= len(name); k++ {
				if matchSegs(pat[1:], name[k:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

func matchAny(gs []glob, p string) bool {
	for _, g := range gs {
		if g.match(p) {
			return true
		}
	}
	return false
}
