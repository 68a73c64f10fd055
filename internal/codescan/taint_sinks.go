package codescan

import (
	"bytes"
	"strings"
)

// The sinks of the data-flow pass (taint.go): which calls run what they
// are given, and which of their arguments count.

// sinks reports the first sink call in the statement given a marked name
// as an argument: an identifier at a value position (after the opening
// parenthesis, a comma, a bracket, a brace or +), not a keyword argument
// and not the name of a call.
func (t *tainter) sinks(s int, m []byte) (taintHit, bool) {
	if len(t.marks) == 0 {
		return taintHit{}, false
	}
	low := m
	if t.tl.fold {
		low = lowerASCII(m) // same length as m: bytes.ToLower is not, on invalid UTF-8
	}
	for _, sink := range t.sinkList {
		for k := 0; ; {
			x := bytes.Index(low[k:], []byte(sink))
			if x < 0 {
				break
			}
			a := k + x
			k = a + len(sink)
			if sink[0] != '.' && a > 0 && (isIdentByte(low[a-1]) || (low[a-1] == '.' && sink[0] != '.' && !strings.ContainsAny(sink[:len(sink)-1], ".:)"))) {
				continue // a method of the same name (regex.exec), or a longer name
			}
			args := m[k:]
			if t.send {
				if sa, ok := t.sendArgs(s+k, sink); ok {
					if h, ok := t.sentArg(sa, t.r[s+k:s+k+len(sa)]); ok {
						mk, _ := t.get(h)
						return taintHit{pos: s + a, end: s + k, name: h, from: mk.from, kind: mk.kind}, true
					}
				}
				continue
			}
			if sink[len(sink)-1] == '(' {
				c := closeParen(args)
				if rest := bytes.TrimLeft(args[min(c+1, len(args)):], " \t"); c < len(args) && t.tl.braces && (len(rest) == 0 && k+c+1 == len(m) && t.opened || len(rest) > 0 && rest[0] == '{') {
					continue // a definition (exec(a, b) {, Function(e) {), not a call
				}
				args = args[:c]
			}
			h, ok := "", false
			if evaluator(sink) {
				h, ok = t.taintedArg(args)
			} else {
				h, ok = t.taintedCommand(args, t.r[s+k:s+k+len(args)], strings.HasSuffix(sink, "Context("))
			}
			if ok {
				mk, _ := t.get(h)
				return taintHit{pos: s + a, end: s + k, name: h, from: mk.from, kind: mk.kind}, true
			}
		}
	}
	// PowerShell: $x | iex
	if t.tl.fold {
		for _, pipe := range []string{"| iex", "|iex", "| invoke-expression", "|invoke-expression"} {
			if x := bytes.Index(low, []byte(pipe)); x >= 0 {
				var last []byte
				forIdents(m[:x], func(a, b int) { last = m[a:b] })
				if mk, ok := t.getB(last); ok && last != nil {
					return taintHit{pos: s + x, end: s + x + len(pipe), name: string(last), from: mk.from, kind: mk.kind}, true
				}
			}
		}
	}
	return taintHit{}, false
}

// evaluator tells sinks that run their arguments as code (any marked part
// is code) from those that start processes (only the program or a shell's
// command counts: a downloaded version number passed to a constant
// program is not a payload).
func evaluator(sink string) bool {
	switch sink {
	case "exec(", "eval(", "eval ", "Function(", "runInThisContext(", "runInNewContext(", "instance_eval(",
		"invoke-expression", "iex ", "iex(", "[scriptblock]::create(":
		return true
	}
	return false
}

// shellFlags are the arguments after which a shell's next argument is its
// command.
var shellFlags = map[string]bool{"-c": true, "/c": true, "/C": true, "-Command": true, "-command": true, "-e": true, "-EncodedCommand": true}

// taintedCommand returns the key of a marked name given to a process sink
// as the program or command (its first argument, or the first element of
// a list), or as the argument after a shell flag (sh -c NAME). raw is args
// with the strings kept; skipFirst drops a context argument (Go
// exec.CommandContext(ctx, …)).
func (t *tainter) taintedCommand(args, raw []byte, skipFirst bool) (string, bool) {
	// Lists are flattened into the sequence: spawn('sh', ['-c', x]),
	// subprocess.run([x]).
	var parts [][2]int
	for _, p := range splitArgs(args) {
		tr := bytes.TrimLeft(args[p[0]:p[1]], " \t\n")
		if len(tr) == 0 || tr[0] != '[' {
			parts = append(parts, p)
			continue
		}
		a := p[1] - len(tr) + 1
		e := a + closeBracket(args[a:p[1]])
		for _, q := range splitArgs(args[a:e]) {
			parts = append(parts, [2]int{a + q[0], a + q[1]})
		}
	}
	if skipFirst && len(parts) > 0 {
		parts = parts[1:]
	}
	for i, p := range parts {
		if i > 0 {
			prev := bytes.Trim(bytes.TrimSpace(raw[parts[i-1][0]:parts[i-1][1]]), "'\"`")
			if !shellFlags[string(prev)] {
				continue
			}
		}
		if id := leadIdent(args[p[0]:p[1]]); id != nil {
			if _, ok := t.getB(id); ok {
				return t.key(id), true
			}
		}
	}
	return "", false
}

// splitArgs returns the ranges of the comma-separated arguments of masked
// args, at bracket depth 0.
func splitArgs(args []byte) [][2]int {
	var out [][2]int
	depth, s := 0, 0
	for i, c := range args {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, [2]int{s, i})
				s = i + 1
			}
		}
		if len(out) >= 16 {
			return out
		}
	}
	return append(out, [2]int{s, len(args)})
}

// closeBracket returns the index of the bracket closing a list that starts
// at b[0] (already open), or len(b).
func closeBracket(b []byte) int {
	depth := 1
	for i, c := range b {
		switch c {
		case '[', '(', '{':
			depth++
		case ']', ')', '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(b)
}

// leadIdent returns the identifier an argument starts with, after
// conversions and calls wrapped around it (string(b), str(x),
// Buffer.from(x), await f(x)); nil when it starts otherwise (a string, a
// number, a concatenation with a string first).
func leadIdent(a []byte) []byte {
	for range 4 {
		a = bytes.TrimLeft(a, " \t\n")
		a = bytes.TrimPrefix(a, []byte("await "))
		a = bytes.TrimPrefix(a, []byte("[]byte("))
		j := 0
		for j < len(a) && (isIdentByte(a[j]) || a[j] == '.') {
			j++
		}
		if j == 0 || (a[0] >= '0' && a[0] <= '9') {
			return nil
		}
		rest := bytes.TrimLeft(a[j:], " \t")
		if len(rest) > 0 && rest[0] == '(' {
			a = rest[1:] // a call wrapped around the value
			continue
		}
		id := a[:j]
		if k := bytes.IndexByte(id, '.'); k >= 0 {
			id = id[:k] // r.text, x.decode
		}
		return id
	}
	return nil
}

// taintedArg returns the key of a marked name at a value position in args.
func (t *tainter) taintedArg(args []byte) (string, bool) {
	var got string
	forIdents(args, func(a, b int) {
		if got != "" {
			return
		}
		p := a - 1
		for p >= 0 && (args[p] == ' ' || args[p] == '\t') {
			p--
		}
		if p >= 0 && !strings.ContainsRune("(,[{+", rune(args[p])) && !(t.tl.fold && (args[p] == '-' || isIdentByte(args[p]))) {
			return
		}
		q := b
		for q < len(args) && args[q] == ' ' {
			q++
		}
		if q < len(args) && (args[q] == '(' || (args[q] == '=' && (q+1 >= len(args) || args[q+1] != '='))) {
			return
		}
		if _, ok := t.getB(args[a:b]); ok {
			got = t.key(args[a:b])
		}
	})
	return got, got != ""
}

// closeParen returns the index of the parenthesis closing an argument list
// that starts at b[0] (already open), or len(b).
func closeParen(b []byte) int {
	depth := 1
	for i, c := range b {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(b)
}

// lowerASCII returns a copy of b with ASCII upper-case letters folded.
func lowerASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = fold(c)
	}
	return out
}
