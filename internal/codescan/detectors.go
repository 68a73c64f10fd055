package codescan

import (
	"bytes"
	"math"
	"sort"
	"strings"
)

// detect runs a built-in detector pattern on the current file.
func (sc *scanner) detect(p *pattern, f *file) (match, bool) {
	switch p.detector {
	case detExec:
		if f.lang != langBinary || matchAny(p.allow, f.path) || (sc.platform && matchAny(p.platform, f.path)) {
			return match{}, false
		}
		return match{extra: map[string]any{"format": execFormat(f.data)}}, true
	case detNPM:
		return detectLifecycle(p, f)
	case detBase64, detHex, detEscape:
		return sc.detectBlob(p, f)
	case detEntopy:
		return sc.detectEntropy(p, f)
	case detEscAS:
		return sc.detectEscapedASCII(p, f)
	case detMixed:
		return sc.detectMixedScript(p, f)
	case detTaintDecoded, detTaintFetched, detTaintSecret, detTaintSysinfo:
		return sc.detectTaint(p, f)
	case detTopNetwork:
		return sc.detectTopLevelNetwork(p, f)
	case detHexIdents:
		return sc.detectHexIdents(p, f)
	}
	return match{}, false
}

func execFormat(d []byte) string {
	switch {
	case len(d) >= 4 && d[0] == 0x7f && d[1] == 'E':
		return "ELF"
	case len(d) >= 2 && d[0] == 'M' && d[1] == 'Z':
		return "PE"
	}
	return "Mach-O"
}

// regions calls fn on the maximal stretches of d whose context is in mask.
func regions(d []byte, spans []span, mask context, fn func(s, e int) bool) {
	pos := 0
	for _, sp := range spans {
		if mask&ctxCode != 0 && int(sp.s) > pos {
			if !fn(pos, int(sp.s)) {
				return
			}
		}
		if mask&sp.k != 0 {
			if !fn(int(sp.s), int(sp.e)) {
				return
			}
		}
		pos = int(sp.e)
	}
	if mask&ctxCode != 0 && pos < len(d) {
		fn(pos, len(d))
	}
}

// regionsIn calls fn, in order, on the parts within d[lo:hi] of the
// regions regions would give, where they meet it; it returns false when fn
// does.
func regionsIn(d []byte, spans []span, mask context, lo, hi int, fn func(s, e int) bool) bool {
	clip := func(s, e int) bool {
		s, e = max(s, lo), min(e, hi)
		return s >= e || fn(s, e)
	}
	k := sort.Search(len(spans), func(k int) bool { return int(spans[k].e) > lo })
	pos := 0
	if k > 0 {
		pos = int(spans[k-1].e)
	}
	for ; k < len(spans); k++ {
		if pos >= hi {
			return true
		}
		sp := spans[k]
		if mask&ctxCode != 0 && int(sp.s) > pos && !clip(pos, int(sp.s)) {
			return false
		}
		if mask&sp.k != 0 && !clip(int(sp.s), int(sp.e)) {
			return false
		}
		pos = int(sp.e)
	}
	if mask&ctxCode != 0 && pos < len(d) {
		return clip(pos, len(d))
	}
	return true
}

var (
	b64Alphabet = byteSet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_")
	hexAlphabet = byteSet("0123456789abcdefABCDEF")
)

func byteSet(s string) (t [256]bool) {
	for i := 0; i < len(s); i++ {
		t[s[i]] = true
	}
	return t
}

// detectBlob finds a long run of base64 or hex characters, or of escape
// sequences (\xHH, \uHHHH, \NNN), in the pattern's contexts. An unless
// literal in the 64 bytes before a run, or starting it, excuses it
// ("data:" URIs, "AGFzbQ", the base64 of a WebAssembly module header).
func (sc *scanner) detectBlob(p *pattern, f *file) (match, bool) {
	d := f.data
	minLen := p.minLength
	if minLen <= 0 {
		minLen = 512
	}
	var m match
	found := false
	if p.detector != detEscape {
		// Runs of the alphabet over the whole file first (rare and cheap
		// to find), then their parts in the pattern's contexts: the same
		// runs, in the same order, as a walk of each region.
		set, hex := &b64Alphabet, p.detector == detHex
		if hex {
			set = &hexAlphabet
		}
		longRuns(d, 0, len(d), minLen, set, func(i, j int) bool {
			return regionsIn(d, sc.spans, p.ctx, i, j, func(s, e int) bool {
				if e-s >= minLen && blobLooksEncoded(d[s:e], hex) && !excused(d, s, e, p.unless) {
					m = match{pos: s, end: e, count: 1, extra: map[string]any{"length": e - s}}
					found = true
					return false
				}
				return true
			})
		})
		return m, found
	}
	if bytes.Count(d, []byte{'\\'}) < minLen {
		return m, false // a run of minLen escapes has as many backslashes
	}
	regions(d, sc.spans, p.ctx, func(s, e int) bool {
		if rs, re, n := escapeRun(d[s:e], minLen); n > 0 {
			m = match{pos: s + rs, end: s + re, count: 1, extra: map[string]any{"escapes": n}}
			found = true
			return false
		}
		return true
	})
	return m, found
}

// longRuns calls fn(i, j), in order, on every maximal run d[i:j] of bytes
// of set within d[s:e] that is at least minLen long, until fn returns
// false; it returns false then. A run that long holds one of every minLen
// bytes, so only those are tested and the run grown from them: source
// code, whose runs are short words, costs about one test per minLen bytes.
func longRuns(d []byte, s, e, minLen int, set *[256]bool, fn func(i, j int) bool) bool {
	lo := s // no run of interest starts before lo
	for q := lo + minLen - 1; q < e; q += minLen {
		if !set[d[q]] {
			continue
		}
		i, j := q, q+1
		for i > lo && set[d[i-1]] {
			i--
		}
		for j < e && set[d[j]] {
			j++
		}
		if j-i >= minLen && !fn(i, j) {
			return false
		}
		// d[j] is not in set (or is past e): the next run starts past it.
		lo = j + 1
		q = lo - 1
	}
	return true
}

// blobLooksEncoded rejects runs that are long for another reason: one
// repeated character, a word of letters, digits only.
func blobLooksEncoded(b []byte, hex bool) bool {
	var lower, upper, digit bool
	for _, c := range b[:min(len(b), 4096)] {
		switch {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
			upper = true
		case '0' <= c && c <= '9':
			digit = true
		}
	}
	if hex {
		return digit && (lower || upper) && entropy(b[:min(len(b), 4096)]) >= 3.0
	}
	return lower && upper && digit && entropy(b[:min(len(b), 4096)]) >= 4.5
}

func excused(d []byte, s, e int, unless [][]byte) bool {
	if len(unless) == 0 {
		return false
	}
	lo := max(0, s-64)
	return containsAnyFold(d[lo:min(e, s+16)], unless)
}

// escapeRun finds the first run of at least minRun consecutive escape
// sequences and returns its bounds and length.
func escapeRun(b []byte, minRun int) (int, int, int) {
	i := 0
	for i < len(b) {
		k := bytes.IndexByte(b[i:], '\\')
		if k < 0 {
			break
		}
		i += k
		start := i
		n := 0
		for {
			w := escapeLen(b[i:])
			if w == 0 {
				break
			}
			i += w
			n++
		}
		if n >= minRun {
			return start, i, n
		}
		if n == 0 {
			i++
		}
	}
	return 0, 0, 0
}

func escapeLen(b []byte) int {
	if len(b) < 2 || b[0] != '\\' {
		return 0
	}
	isHex := func(c byte) bool { return hexAlphabet[c] }
	switch {
	case b[1] == 'x' && len(b) >= 4 && isHex(b[2]) && isHex(b[3]):
		return 4
	case b[1] == 'u' && len(b) >= 6 && isHex(b[2]) && isHex(b[3]) && isHex(b[4]) && isHex(b[5]):
		return 6
	case len(b) >= 4 && '0' <= b[1] && b[1] <= '3' && '0' <= b[2] && b[2] <= '7' && '0' <= b[3] && b[3] <= '7':
		return 4
	}
	return 0
}

// detectEntropy finds a string literal of at least min-length bytes whose
// Shannon entropy (bits per byte) reaches min-entropy, mostly printable
// ASCII, and not (95% or more) base64 or hex: the blob detectors judge
// those, data URIs included.
func (sc *scanner) detectEntropy(p *pattern, f *file) (match, bool) {
	d := f.data
	minLen := p.minLength
	if minLen <= 0 {
		minLen = 200
	}
	minH := p.minEntropy
	if minH <= 0 {
		minH = 5.5
	}
	var m match
	found := false
	for _, sp := range sc.spans {
		if sp.k != ctxString || int(sp.e-sp.s) < minLen+2 {
			continue
		}
		body := d[sp.s+1 : sp.e-1]
		sample := body[:min(len(body), 1<<16)]
		printable, inB64 := 0, 0
		for _, c := range sample {
			if c >= 0x20 && c < 0x7f {
				printable++
			}
			if b64Alphabet[c] {
				inB64++
			}
		}
		if printable*10 < len(sample)*9 || inB64*100 >= len(sample)*95 {
			continue
		}
		h := entropy(sample)
		if h >= minH {
			m = match{pos: int(sp.s), end: int(sp.s) + min(int(sp.e-sp.s), 64), count: 1,
				extra: map[string]any{"entropy": math.Round(h*100) / 100, "length": len(body)}}
			found = true
			break
		}
	}
	return m, found
}

// entropy is the Shannon entropy of b in bits per byte.
func entropy(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	n := float64(len(b))
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			q := float64(c) / n
			h -= q * math.Log2(q)
		}
	}
	return h
}

// detectLifecycle fires on an npm lifecycle command that is not one of the
// allowed build tools (node-gyp rebuild, prebuild-install…).
func detectLifecycle(p *pattern, f *file) (match, bool) {
	if f.script == "" || f.lang != langShell {
		return match{}, false
	}
	d := f.data
	pos := 0
	for pos <= len(d) {
		e := lineEnd(d, pos)
		cmd := normalizeCommand(string(d[pos:e]))
		if cmd != "" && !allowedCommand(cmd, p.allowCmd) {
			return match{pos: pos, end: e, count: 1}, true
		}
		pos = e + 1
	}
	return match{}, false
}

// normalizeCommand lower-cases a command, collapses spaces and drops
// leading environment assignments and npx/cross-env wrappers.
func normalizeCommand(c string) string {
	w := strings.Fields(strings.ToLower(c))
	for len(w) > 0 {
		switch {
		case strings.Contains(w[0], "=") && !strings.HasPrefix(w[0], "-") && !strings.Contains(w[0], "/"):
			w = w[1:]
		case w[0] == "npx" || w[0] == "cross-env" || w[0] == "--no-install" || w[0] == "--yes" || w[0] == "-y" || w[0] == "--no":
			w = w[1:]
		default:
			return strings.Join(w, " ")
		}
	}
	return ""
}

func allowedCommand(cmd string, allow []string) bool {
	for _, a := range allow {
		if cmd == a || strings.HasPrefix(cmd, a+" ") {
			return true
		}
	}
	return false
}

// verify applies a named check to the first group of a regex match.
func verify(name string, b []byte, loc []int) bool {
	if len(loc) < 4 || loc[2] < 0 {
		return false
	}
	if name == "not-domain-list" {
		return !inDomainList(b, loc[0], loc[1])
	}
	ip := string(b[loc[2]:loc[3]])
	switch name {
	case "public-ip":
		return publicIPv4(ip) && !documentationIPv4(ip)
	case "documentation-ip":
		return publicIPv4(ip) && documentationIPv4(ip)
	}
	return false
}

// inDomainList reports whether the match at b[s:e] sits in a list of
// domain names (a public suffix list, a blocklist): six or more other
// quoted names ending in a common top-level domain within 320 bytes.
// A name in such a table is data, not an endpoint.
func inDomainList(b []byte, s, e int) bool {
	w := b[max(0, s-window):min(len(b), e+window)]
	n := 0
	for _, tld := range domainListTLDs {
		n += bytes.Count(w, tld)
		if n >= 6 {
			return true
		}
	}
	return false
}

var domainListTLDs = [][]byte{[]byte(`.com"`), []byte(`.net"`), []byte(`.org"`), []byte(`.io"`), []byte(`.com'`), []byte(`.net'`), []byte(`.org'`), []byte(`.io'`)}

// documentationIPv4 reports whether a valid dotted quad is in a range
// reserved for documentation (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24): examples in honest code, stand-ins in fixtures.
func documentationIPv4(s string) bool {
	return strings.HasPrefix(s, "192.0.2.") || strings.HasPrefix(s, "198.51.100.") || strings.HasPrefix(s, "203.0.113.")
}

// publicIPv4 reports whether a dotted quad is a valid address outside the
// unspecified, private, loopback, link-local, CGNAT, multicast and
// reserved ranges (documentation ranges pass: see documentationIPv4).
func publicIPv4(s string) bool {
	var o [4]int
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 || (len(p) > 1 && p[0] == '0') {
			return false
		}
		n := 0
		for _, c := range []byte(p) {
			n = n*10 + int(c-'0')
		}
		if n > 255 {
			return false
		}
		o[i] = n
	}
	switch {
	case o[0] == 0, o[0] == 10, o[0] == 127, o[0] >= 224:
		return false
	case o[0] == 169 && o[1] == 254:
		return false
	case o[0] == 172 && o[1] >= 16 && o[1] < 32:
		return false
	case o[0] == 192 && o[1] == 168:
		return false
	case o[0] == 100 && o[1] >= 64 && o[1] < 128:
		return false
	}
	return true
}
