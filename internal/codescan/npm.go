package codescan

import (
	"bytes"
	"encoding/json"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/ecosystem"
)

// lifecycleScripts are the npm scripts that run when a package is
// installed (prepare also runs for git dependencies and local installs).
var lifecycleScripts = []string{"preinstall", "install", "postinstall", "prepare"}

// collect turns the archive into the units the rules read: every file with
// its language and install-time flag, plus, for an npm package, one piece
// per lifecycle script (shell) and per inline program it runs (node -e…).
// Files a lifecycle script runs are marked install-time. It also reports
// whether package.json declares os or cpu (a platform-specific package,
// which ships executables on purpose).
func collect(t *artifact.Tree, rs *RuleSet) ([]*file, bool) {
	files := make([]*file, 0, len(t.Files)+4)
	byPath := make(map[string]*file, len(t.Files))
	var pj *file
	goModule := t.Package.Ecosystem == ecosystem.Go
	for i := range t.Files {
		af := &t.Files[i]
		f := &file{path: af.Path, data: af.Data, mode: af.Mode}
		f.lang = detectLang(af.Path, af.Data, af.Binary)
		// Nothing of a Go module runs when it is fetched or built: its
		// setup.py, build.rs or package.json scripts are another
		// ecosystem's, run by nobody who depends on the module.
		f.install = !goModule && matchAny(rs.installTime, af.Path)
		f.load = !goModule && isLoadFile(af.Path)
		f.gen = f.lang == langGo && goGenerated(af.Data)
		files = append(files, f)
		byPath[af.Path] = f
		if path.Base(af.Path) == "package.json" && strings.Count(af.Path, "/") <= 1 {
			if pj == nil || strings.Count(af.Path, "/") < strings.Count(pj.path, "/") {
				pj = f
			}
		}
	}
	files = goImportTime(files)
	if goModule {
		return files, false
	}
	if pj == nil {
		if len(t.Package.Scripts) == 0 {
			return files, false
		}
		pj = &file{path: "package.json"}
	}
	meta := parsePackageJSON(pj.data)
	if pj.data != nil {
		markNpmMain(pj.path, meta.main, byPath)
	}
	if meta.scripts == nil {
		meta.scripts = t.Package.Scripts
	}
	pieces := lifecycle(pj, meta.scripts, byPath)
	if len(pieces) == 0 {
		return files, meta.platform
	}
	// Pieces go right after package.json, so findings stay in file order.
	out := make([]*file, 0, len(files)+len(pieces))
	placed := false
	for _, f := range files {
		out = append(out, f)
		if f == pj {
			out = append(out, pieces...)
			placed = true
		}
	}
	if !placed {
		out = append(pieces, out...)
	}
	return out, meta.platform
}

type packageMeta struct {
	scripts  map[string]string
	platform bool
	main     string // the "main" field
}

func parsePackageJSON(data []byte) packageMeta {
	var m packageMeta
	var raw struct {
		Scripts map[string]any `json:"scripts"`
		Main    any            `json:"main"`
		OS      any            `json:"os"`
		CPU     any            `json:"cpu"`
	}
	if len(data) == 0 || json.Unmarshal(data, &raw) != nil {
		return m
	}
	if raw.Scripts != nil {
		m.scripts = map[string]string{}
		for k, v := range raw.Scripts {
			if s, ok := v.(string); ok {
				m.scripts[k] = s
			}
		}
	}
	m.platform = raw.OS != nil || raw.CPU != nil
	m.main, _ = raw.Main.(string)
	return m
}

// lifecycle builds the pieces of the install-time scripts and marks the
// files they run.
func lifecycle(pj *file, scripts map[string]string, byPath map[string]*file) []*file {
	var out []*file
	dir := path.Dir(pj.path)
	for _, name := range lifecycleScripts {
		src, ok := scripts[name]
		if !ok || strings.TrimSpace(src) == "" {
			continue
		}
		seen := map[string]bool{name: true}
		out = appendScript(out, pj, dir, name, name, src, scripts, byPath, seen, 0)
	}
	return out
}

// appendScript adds the piece of one script, then of the scripts it runs
// with "npm run NAME" (up to a small depth), inline programs and targets.
func appendScript(out []*file, pj *file, dir, label, name, src string, scripts map[string]string, byPath map[string]*file, seen map[string]bool, depth int) []*file {
	cmds := splitCommands(src)
	line := scriptLine(pj.data, name)
	out = append(out, &file{path: pj.path, data: []byte(strings.Join(cmds, "\n")), lang: langShell, install: true, line: line, script: label, piece: true})
	for _, c := range cmds {
		w := shellWords(c)
		w = stripWrappers(w)
		if len(w) == 0 {
			continue
		}
		if sub := runScriptName(w); sub != "" {
			if s, ok := scripts[sub]; ok && !seen[sub] && depth < 4 {
				seen[sub] = true
				out = appendScript(out, pj, dir, label+" → "+sub, sub, s, scripts, byPath, seen, depth+1)
			}
			continue
		}
		l := runnerLang(w[0])
		if l == langNone && strings.Contains(w[0], "/") {
			markTarget(dir, w[0], langNone, label, byPath)
			continue
		}
		if l == langNone {
			continue
		}
		for i := 1; i < len(w); i++ {
			a := w[i]
			if inlineFlag(l, a) && i+1 < len(w) {
				out = append(out, &file{path: pj.path, data: []byte(w[i+1]), lang: l, install: true, line: line, script: label, piece: true})
				break
			}
			if strings.HasPrefix(a, "-") {
				if valueFlag(a) {
					i++
				}
				continue
			}
			markTarget(dir, a, l, label, byPath)
			break
		}
	}
	return out
}

func inlineFlag(l lang, a string) bool {
	switch l {
	case langJS:
		return a == "-e" || a == "--eval" || a == "-p" || a == "--print"
	case langPython, langShell:
		return a == "-c"
	case langRuby:
		return a == "-e"
	case langPowerShell:
		return strings.EqualFold(a, "-c") || strings.EqualFold(a, "-command")
	case langBatch:
		return strings.EqualFold(a, "/c") || strings.EqualFold(a, "/k")
	}
	return false
}

func valueFlag(a string) bool {
	switch a {
	case "-r", "--require", "--import", "--loader", "--experimental-loader", "-m":
		return true
	}
	return false
}

// runScriptName returns NAME for "npm run NAME", "pnpm run NAME",
// "yarn run NAME" and "yarn NAME".
func runScriptName(w []string) string {
	switch w[0] {
	case "npm", "pnpm":
		if len(w) >= 3 && (w[1] == "run" || w[1] == "run-script") {
			return w[2]
		}
	case "yarn":
		if len(w) >= 3 && w[1] == "run" {
			return w[2]
		}
		if len(w) >= 2 && !strings.HasPrefix(w[1], "-") {
			switch w[1] {
			case "install", "add", "remove", "upgrade", "global", "cache", "config", "init", "link", "unlink", "pack", "publish", "workspace", "workspaces", "dlx", "exec":
				return ""
			}
			return w[1]
		}
	}
	return ""
}

func stripWrappers(w []string) []string {
	for len(w) > 0 {
		switch {
		case strings.Contains(w[0], "=") && !strings.HasPrefix(w[0], "-") && !strings.Contains(w[0], "/"):
			w = w[1:]
		case w[0] == "npx" || w[0] == "cross-env" || w[0] == "exec" || w[0] == "--no-install" || w[0] == "--yes" || w[0] == "-y":
			w = w[1:]
		default:
			return w
		}
	}
	return w
}

// markTarget marks the file a script runs as install-time.
func markTarget(dir, arg string, l lang, script string, byPath map[string]*file) {
	p := path.Clean(path.Join(dir, arg))
	if p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return
	}
	for _, c := range []string{p, p + ".js", p + ".cjs", p + ".mjs", p + "/index.js"} {
		f, ok := byPath[strings.TrimPrefix(c, "./")]
		if !ok {
			continue
		}
		f.install = true
		if f.runBy == "" {
			f.runBy = script
		}
		if f.lang == langNone && l != langNone {
			f.lang = l
		}
		return
	}
}

// splitCommands splits a script into commands at &&, ||, ; and newlines
// outside quotes; pipes stay inside a command.
func splitCommands(s string) []string {
	var out []string
	var cur strings.Builder
	quote := byte(0)
	flush := func() {
		if c := strings.TrimSpace(cur.String()); c != "" {
			out = append(out, c)
		}
		cur.Reset()
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' && i+1 < len(s) {
				cur.WriteByte(c)
				i++
				cur.WriteByte(s[i])
				continue
			}
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\n' || c == '\r' || c == ';':
			flush()
			continue
		case (c == '&' || c == '|') && i+1 < len(s) && s[i+1] == c:
			flush()
			i++
			continue
		}
		cur.WriteByte(c)
	}
	flush()
	return out
}

// shellWords splits a command into words, removing quotes.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
				continue
			}
			if c == '\\' && quote == '"' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
				i++
				c = s[i]
			}
			cur.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// scriptLine returns the 1-based line of the key "name" inside the
// "scripts" object of package.json (0 when not found).
func scriptLine(data []byte, name string) int {
	from := 0
	if i := bytes.Index(data, []byte(`"scripts"`)); i >= 0 {
		from = i
	}
	key := []byte(`"` + name + `"`)
	for p := from; p < len(data); {
		i := bytes.Index(data[p:], key)
		if i < 0 {
			return 0
		}
		j := p + i + len(key)
		for j < len(data) && isSpace(data[j]) {
			j++
		}
		if j < len(data) && data[j] == ':' {
			return 1 + bytes.Count(data[:p+i], []byte("\n"))
		}
		p = p + i + 1
	}
	return 0
}
