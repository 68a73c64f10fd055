package codescan

// Go file-name build constraints and small byte-level helpers of the
// import-time reading of Go (goinit.go).

import (
	"path"
	"strings"
)

// goOS and goArch are the GOOS and GOARCH values a file name can be
// constrained to ("x_windows.go", "x_linux_arm64.go").
var (
	goOS = map[string]bool{"aix": true, "android": true, "darwin": true, "dragonfly": true, "freebsd": true, "hurd": true,
		"illumos": true, "ios": true, "js": true, "linux": true, "nacl": true, "netbsd": true, "openbsd": true, "plan9": true,
		"solaris": true, "wasip1": true, "windows": true, "zos": true}
	goArch = map[string]bool{"386": true, "amd64": true, "arm": true, "arm64": true, "loong64": true, "mips": true,
		"mipsle": true, "mips64": true, "mips64le": true, "ppc64": true, "ppc64le": true, "riscv64": true, "s390x": true,
		"sparc64": true, "wasm": true}
)

// goFileTags returns the GOOS and GOARCH a Go file name constrains it to.
func goFileTags(p string) (os, arch string) {
	name := strings.TrimSuffix(path.Base(p), ".go")
	parts := strings.Split(name, "_")
	if n := len(parts); n >= 3 && goOS[parts[n-2]] && goArch[parts[n-1]] {
		return parts[n-2], parts[n-1]
	}
	if n := len(parts); n >= 2 {
		switch last := parts[n-1]; {
		case goOS[last]:
			return last, ""
		case goArch[last]:
			return "", last
		}
	}
	return "", ""
}

// goTagsMatch reports whether files constrained to a and b build together
// ("" is any; android builds with linux files, illumos with solaris, ios
// with darwin).
func goTagsMatch(a, b string) bool {
	switch {
	case a == "" || b == "" || a == b:
		return true
	case a == "android" && b == "linux", a == "linux" && b == "android",
		a == "illumos" && b == "solaris", a == "solaris" && b == "illumos",
		a == "ios" && b == "darwin", a == "darwin" && b == "ios":
		return true
	}
	return false
}

// hasWord reports whether d holds keyword w at i, followed by a space, a
// tab or a parenthesis.
func hasWord(d []byte, i int, w string) bool {
	if i+len(w) >= len(d) || string(d[i:i+len(w)]) != w {
		return false
	}
	c := d[i+len(w)]
	return c == ' ' || c == '\t' || c == '('
}

// prevWord reports whether the identifier just before j (after optional
// blanks) is w.
func prevWord(d []byte, j int, w string) bool {
	e := j
	for e > 0 && (d[e-1] == ' ' || d[e-1] == '\t') {
		e--
	}
	s := e
	for s > 0 && isWordByte(d[s-1]) {
		s--
	}
	return string(d[s:e]) == w
}

func skipBlanks(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
		i++
	}
	return i
}

// goMatch returns the position after the bracket closing the one at i,
// skipping strings and comments (limit when it is not closed before).
func goMatch(d []byte, i, limit int) int {
	depth, end := 0, limit
	goCode(d, rng{i, limit}, goBrackets, func(j int) int {
		switch d[j] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				end = j + 1
				return -1
			}
		}
		return j + 1
	})
	return end
}
