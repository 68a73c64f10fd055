package codescan

import (
	"bytes"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// Bounds on the work one file may cost.
const (
	// window is how far (in bytes, each side) a regex or an unless literal
	// is looked for around a literal hit, within its line.
	window = 320
	// maxCandidates bounds the literal hits examined per pattern and file.
	maxCandidates = 16384
	// windowedHits is how many hits of a pattern get a regex run on their
	// own window; after that the regex runs once over the rest of the file
	// and later hits are checked against its matches, so that a literal
	// repeated thousands of times costs one pass, not thousands.
	windowedHits = 64
	// maxPerRule bounds the findings of one rule per package; the rest
	// are counted in the last one's "more_files".
	maxPerRule = 20
)

// file is one unit of source the rules read: a file of the archive, or a
// piece of one (an npm lifecycle script, inline code it runs).
type file struct {
	path    string
	data    []byte
	lang    lang
	install bool
	load    bool  // runs when the package is imported or required
	reqLoad bool  // required at module scope by the npm main module (see markNpmRequires)
	gen     bool  // generated Go code: a rule alone is info there
	twinOf  *file // this is the import-time twin of that Go file (goinit.go)
	// decodedOf: this is the virtual source of that file with its escaped
	// and char-code literals decoded (decoded.go); vsegs maps it back.
	decodedOf *file
	vsegs     []vseg
	spans     []span // its comments and strings, when already lexed (goDecls)
	piece     bool   // a piece of path (a script), not a file of the archive
	line      int    // line of path the piece is on (0: unknown)
	script    string // npm lifecycle script this piece is ("postinstall")
	runBy     string // lifecycle script that runs this file
	mode      fs.FileMode
}

// hit is an occurrence of a trigger literal.
type hit struct {
	lit   int32
	start int32
	end   int32
	ctx   context
}

// fired records a rule that fired in a file.
type fired struct {
	sev      record.Severity
	conf     float64
	pos, end int
	names    []string
	count    int
	extra    map[string]any
	escal    bool // a pattern that allows escalation matched
}

type fileResult struct {
	f     *file
	fired []*fired // by rule index; nil when the rule did not fire
}

// scanner holds the scratch space of one Scan.
type scanner struct {
	rs         *RuleSet
	m          *litMatcher // the compiled set the scratch space is sized for
	spans      []span
	hits       []hit
	seen       []context // literal id → contexts it occurred in
	touched    []int32
	cand       [][]int32 // pattern id → indexes into hits
	candUsed   []int32
	platform   bool     // the npm package declares os or cpu
	mask       []byte   // scratch copy of a file for the data-flow pass
	litScratch []uint64 // litMatcher.scan's pending hits
}

var scannerPool sync.Pool

func newScanner(rs *RuleSet) *scanner {
	if s, ok := scannerPool.Get().(*scanner); ok && s.m == rs.m {
		s.rs = rs
		return s
	}
	return &scanner{rs: rs, m: rs.m, seen: make([]context, len(rs.lits)), cand: make([][]int32, len(rs.pats))}
}

// Scan runs the rules over the files of a package archive and returns the
// findings, in file order. It is pure: no I/O, no printing. A nil rs means
// DefaultRules().
func Scan(t *artifact.Tree, rs *RuleSet) []record.Finding {
	if t == nil {
		return nil
	}
	if rs == nil {
		rs = DefaultRules()
	}
	if rs.m == nil {
		return nil
	}
	files, platform := collect(t, rs)
	goModule := t.Package.Ecosystem == ecosystem.Go
	sc := newScanner(rs)
	sc.platform = platform

	results := make([]fileResult, 0, len(files))
	var fired *file // the last file that fired a rule
	for _, f := range files {
		if f.lang == langNone || len(f.data) == 0 && f.lang != langBinary {
			continue
		}
		if f.twinOf != nil && f.twinOf != fired {
			// The import-time twin is a part of the file before it: a
			// file where no reported rule fires has none in that part.
			f.spans = nil
			continue
		}
		fr := sc.scanFile(f)
		if fr.fired != nil {
			results = append(results, fr)
			if rs.anyReported(fr.fired) {
				fired = f
			}
		}
		if df := sc.decodedFile(f); df != nil {
			if dr := sc.scanFile(df); dr.fired != nil {
				results = append(results, dr)
			}
		}
	}
	// Back to the pool only after a normal return; scanFile also resets
	// the scratch space before each file.
	scannerPool.Put(sc)
	return report(rs, results, files, goModule)
}

// anyReported reports whether a rule that is not hidden fired.
func (rs *RuleSet) anyReported(fired []*fired) bool {
	for i, x := range fired {
		if x != nil && !rs.rules[i].hidden {
			return true
		}
	}
	return false
}

// scanFile evaluates every rule on one file.
func (sc *scanner) scanFile(f *file) fileResult {
	rs := sc.rs
	d := f.data
	sc.reset()
	if f.lang != langBinary {
		if f.spans != nil {
			sc.spans = append(sc.spans, f.spans...)
			f.spans = nil
		} else {
			sc.spans = tokenize(f.lang, d, sc.spans)
		}
		cur := spanCursor{spans: sc.spans}
		rs.m.scan(d, &sc.litScratch, func(ac int32, end int) {
			var start int
			var c context
			for _, l := range rs.acLits[ac] {
				lit := &rs.lits[l]
				start = end - len(lit.text)
				if !lit.nocase && string(d[start:end]) != lit.text {
					continue
				}
				if c == 0 {
					c = cur.at(start)
				}
				if sc.seen[l] == 0 {
					sc.touched = append(sc.touched, l)
				}
				sc.seen[l] |= c
				hi := int32(-1)
				for _, p := range rs.litPatterns[l] {
					if !rs.pats[p].langs.has(f.lang) {
						continue
					}
					if hi < 0 {
						hi = int32(len(sc.hits))
						sc.hits = append(sc.hits, hit{lit: l, start: int32(start), end: int32(end), ctx: c})
					}
					if len(sc.cand[p]) == 0 {
						sc.candUsed = append(sc.candUsed, p)
					}
					if len(sc.cand[p]) < maxCandidates {
						sc.cand[p] = append(sc.cand[p], hi)
					}
				}
			}
		})
	}

	var res fileResult
	res.f = f
	firedBy := make([]*fired, len(rs.rules))
	anyFired := false
	for _, ri := range rs.order {
		r := rs.rules[ri]
		if !r.langs.has(f.lang) || (r.installOnly && !f.install) || (len(r.files) > 0 && !matchAny(r.files, f.path)) {
			continue
		}
		if !holds(firedBy, r.requires) {
			continue
		}
		var fr *fired
		if len(r.patterns) == 0 {
			fr = &fired{sev: r.sev, conf: r.conf, names: []string{r.id}, escal: true}
		}
		for _, p := range r.patterns {
			if !p.langs.has(f.lang) || !holds(firedBy, p.requires) || (len(p.notFiles) > 0 && matchAny(p.notFiles, f.path)) {
				continue
			}
			m, ok := sc.eval(p, f)
			if !ok {
				continue
			}
			if fr == nil {
				fr = &fired{sev: p.sev, conf: p.conf, pos: m.pos, end: m.end, extra: m.extra}
			} else if p.sev > fr.sev || (p.sev == fr.sev && p.conf > fr.conf) {
				fr.sev, fr.conf, fr.pos, fr.end = p.sev, p.conf, m.pos, m.end
				if m.extra != nil {
					fr.extra = m.extra
				}
			}
			fr.names = append(fr.names, p.name)
			fr.count += m.count
			fr.escal = fr.escal || !p.noEscalate
		}
		if fr != nil {
			firedBy[ri] = fr
			anyFired = true
		}
	}
	if anyFired {
		res.fired = firedBy
	}
	return res
}

// reset clears what the previous file left in the scratch space. It runs
// before each file, not after, so that a file whose scan was cut short
// (a panic recovered further up) cannot leak its literals or candidates
// into the next one.
func (sc *scanner) reset() {
	sc.spans = sc.spans[:0]
	sc.hits = sc.hits[:0]
	for _, l := range sc.touched {
		sc.seen[l] = 0
	}
	sc.touched = sc.touched[:0]
	for _, p := range sc.candUsed {
		sc.cand[p] = sc.cand[p][:0]
	}
	sc.candUsed = sc.candUsed[:0]
}

func holds(firedBy []*fired, reqs []int) bool {
	for _, r := range reqs {
		if r < 0 || firedBy[r] == nil {
			return false
		}
	}
	return true
}

type match struct {
	pos, end, count int
	extra           map[string]any
}

// eval runs one pattern on the current file.
func (sc *scanner) eval(p *pattern, f *file) (match, bool) {
	if p.detector != "" && len(p.lits) == 0 {
		return sc.detect(p, f)
	}
	cands := sc.cand[p.id]
	if len(cands) == 0 {
		return match{}, false
	}
	for _, g := range p.also {
		ok := false
		for _, l := range g {
			if sc.seen[l]&p.ctx != 0 {
				ok = true
				break
			}
		}
		if !ok {
			return match{}, false
		}
	}
	if p.detector != "" {
		return sc.detect(p, f) // literals and also groups were its prefilter
	}
	d := f.data
	var m match
	m.pos = -1
	var distinct []int32
	var bulk [][]int // phase two: matches over the rest of the file
	bulkFrom, bi := -1, 0
	evaluated := 0
	for _, hi := range cands {
		h := sc.hits[hi]
		if h.ctx&p.ctx == 0 {
			continue
		}
		s, e := int(h.start), int(h.end)
		if p.word && ((s > 0 && isWordByte(d[s-1])) || (e < len(d) && isWordByte(d[e]))) {
			continue
		}
		if len(p.unless) > 0 || p.re != nil {
			ws, we := lineWindow(d, s, e)
			if len(p.unless) > 0 && containsAnyFold(d[ws:we], p.unless) {
				continue
			}
			if p.re != nil {
				if evaluated < windowedHits {
					evaluated++
					if !regexCovers(p, d[ws:we], ws, s, e) {
						continue
					}
				} else {
					if bulkFrom < 0 {
						bulkFrom = ws
						bulk = p.re.FindAllSubmatchIndex(d[ws:], -1)
					}
					// Matches are sorted and do not overlap: skip those
					// ending before the hit; the next one must cover it.
					for bi < len(bulk) && bulkFrom+bulk[bi][1] < e {
						bi++
					}
					if bi == len(bulk) || bulkFrom+bulk[bi][0] > s || (p.verify != "" && !verify(p.verify, d[bulkFrom:], bulk[bi])) {
						continue
					}
				}
			}
		}
		if m.pos < 0 {
			m.pos, m.end = s, e
		}
		m.count++
		if p.minDistinct > 1 && !containsInt32(distinct, h.lit) {
			distinct = append(distinct, h.lit)
		}
		if p.minCount <= 1 && (p.minDistinct <= 1 || len(distinct) >= p.minDistinct) {
			break
		}
	}
	if m.count < p.minCount || (p.minDistinct > 1 && len(distinct) < p.minDistinct) {
		return match{}, false
	}
	if p.minDistinct > 1 {
		m.extra = map[string]any{"distinct": len(distinct)}
	}
	return m, true
}

// regexCovers reports whether p's regex matches, within the window w
// starting at ws, a stretch covering [s, e) (and passing its verify).
func regexCovers(p *pattern, w []byte, ws, s, e int) bool {
	for _, loc := range p.re.FindAllSubmatchIndex(w, -1) {
		if ws+loc[0] > s || ws+loc[1] < e {
			continue
		}
		if p.verify != "" && !verify(p.verify, w, loc) {
			continue
		}
		return true
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func containsInt32(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// lineWindow returns the stretch of the line holding [s, e), at most
// window bytes on each side.
func lineWindow(d []byte, s, e int) (int, int) {
	lo := max(0, s-window)
	ws := lo
	if k := bytes.LastIndexByte(d[lo:s], '\n'); k >= 0 {
		ws = lo + k + 1
	}
	hi := min(len(d), e+window)
	we := hi
	if k := bytes.IndexByte(d[e:hi], '\n'); k >= 0 {
		we = e + k
	}
	return ws, we
}

// containsAnyFold reports whether b holds one of the lower-case needles,
// ignoring ASCII case.
func containsAnyFold(b []byte, needles [][]byte) bool {
	for _, n := range needles {
		if indexFold(b, n) >= 0 {
			return true
		}
	}
	return false
}

func indexFold(b, lower []byte) int {
	if len(lower) == 0 {
		return 0
	}
	first := lower[0]
	for i := 0; i+len(lower) <= len(b); i++ {
		if fold(b[i]) != first {
			continue
		}
		j := 1
		for j < len(lower) && fold(b[i+j]) == lower[j] {
			j++
		}
		if j == len(lower) {
			return i
		}
	}
	return -1
}

// report grades the fired rules (escalations) and builds the findings.
// A Go file's import-time twin (goinit.go) follows the file in results
// when both fired: per rule, the stronger grade of the two is reported,
// once. In a Go module, ordinary code is capped (capOrdinary).
func report(rs *RuleSet, results []fileResult, files []*file, goModule bool) []record.Finding {
	pkgFired := make([]bool, len(rs.rules))
	for _, fr := range results {
		for i, x := range fr.fired {
			if x != nil {
				pkgFired[i] = true
			}
		}
	}
	anyInstall := false
	for _, f := range files {
		if f.install {
			anyInstall = true
			break
		}
	}
	g := grader{rs: rs, pkgFired: pkgFired, anyInstall: anyInstall, goModule: goModule}
	var out []record.Finding
	perRule := map[string]int{}
	lastOf := map[string]int{}
	for i := 0; i < len(results); i++ {
		fr := results[i]
		// The file's import-time twin and its decoded virtual source
		// follow it; they are alternatives for each of its rules.
		var alts []*fileResult
		for i+1 < len(results) && (results[i+1].f.twinOf == fr.f || results[i+1].f.decodedOf == fr.f) {
			alts = append(alts, &results[i+1])
			i++
		}
		fr = rs.withDecodedBlocks(fr, alts)
		for ri, r := range rs.rules {
			if r.hidden {
				continue
			}
			src, x := &fr, fr.fired[ri]
			var sev record.Severity
			var conf float64
			var with []int
			if x != nil {
				sev, conf, with = g.grade(fr, ri, x)
			}
			for _, tw := range alts {
				if tw.fired[ri] == nil {
					continue
				}
				ts, tc, tWith := g.grade(*tw, ri, tw.fired[ri])
				if x == nil || ts > sev || (ts == sev && tc > conf) {
					src, x, sev, conf, with = tw, tw.fired[ri], ts, tc, tWith
				}
			}
			if x == nil {
				continue
			}
			if n := perRule[r.id]; n >= maxPerRule {
				i := lastOf[r.id]
				more, _ := out[i].Evidence["more_files"].(int)
				out[i].Evidence["more_files"] = more + 1
				continue
			}
			perRule[r.id]++
			lastOf[r.id] = len(out)
			out = append(out, finding(rs, r, src.f, x, sev, conf, with))
		}
	}
	return out
}

// grader grades one fired rule of one file.
type grader struct {
	rs         *RuleSet
	pkgFired   []bool
	anyInstall bool
	goModule   bool
}

// grade returns the severity and confidence of rule ri fired as x in fr,
// with what raised it.
func (g grader) grade(fr fileResult, ri int, x *fired) (record.Severity, float64, []int) {
	r := g.rs.rules[ri]
	sev, conf := x.sev, x.conf
	if fr.f.gen {
		// Generated tables (syscall stubs naming every API) say
		// nothing alone; combinations still grade.
		sev = record.Info
	}
	var with []int
	for _, e := range r.escalate {
		if !x.escal {
			break
		}
		if e.minPatterns > 0 && len(x.names) < e.minPatterns {
			continue
		}
		ok := true
		for _, w := range e.with {
			switch {
			case w == -1:
				ok = ok && (fr.f.install || (e.pkg && g.anyInstall))
			case w == -2:
				ok = ok && (fr.f.install || fr.f.load || fr.f.reqLoad && r.followsRequires)
			case w < 0:
				ok = false
			case e.pkg:
				ok = ok && g.pkgFired[w]
			default:
				ok = ok && fr.fired[w] != nil
			}
		}
		if ok && (e.sev > sev || (e.sev == sev && e.conf > conf)) {
			sev, conf, with = e.sev, e.conf, e.with
		}
	}
	if fr.f.decodedOf != nil {
		sev = decodedGrade(fr.f, x, sev)
	}
	if g.goModule && !fr.f.install && !fr.f.load && sev > maxOrdinary && (fr.f.lang != langGo || !g.combined(with)) {
		sev = maxOrdinary
	}
	return sev, conf, with
}

// maxOrdinary is the highest grade of one behaviour in the ordinary code of
// a Go module. Go has no install hook: what is not package initialization
// runs only when a program calls it, so a rule alone there — a pattern
// however strong, or a rule escalated only by a building block such as
// network access or running a process — warns and does not block. Two
// reported behaviours together in Go code (credential reading and an
// exfiltration endpoint) still grade as anywhere. The module's other files
// (scripts, another ecosystem's code, executables) are never run by the Go
// toolchain for anyone who depends on the module: every finding there is
// at most this grade.
const maxOrdinary = record.Medium

// combined reports whether the rule ids of an escalation include another
// reported rule (not a hidden building block, not install or import time).
func (g grader) combined(with []int) bool {
	for _, w := range with {
		if w >= 0 && !g.rs.rules[w].hidden {
			return true
		}
	}
	return false
}

func finding(rs *RuleSet, r *rule, f *file, x *fired, sev record.Severity, conf float64, with []int) record.Finding {
	line := f.line
	if of := f.decodedOf; of != nil {
		o, _ := f.origin(x.pos)
		line = 1 + bytes.Count(of.data[:min(o, len(of.data))], []byte("\n"))
	} else if !f.piece {
		line = 1 + bytes.Count(f.data[:min(x.pos, len(f.data))], []byte("\n"))
	}
	loc := f.path
	if line > 0 && f.lang != langBinary {
		loc = f.path + ":" + strconv.Itoa(line)
	}
	ev := map[string]any{
		"file":        f.path,
		"location":    loc,
		"description": r.desc,
		"patterns":    strings.Join(dedupe(x.names), ", "),
	}
	if f.lang != langBinary && line > 0 {
		ev["line"] = line
	}
	if f.lang != langBinary {
		ev["snippet"] = snippet(f.data, x.pos, x.end)
		ev["language"] = f.lang.String()
	}
	if x.count > 1 {
		ev["count"] = x.count
	}
	for k, v := range x.extra {
		ev[k] = v
	}
	joinedText := f.decodedOf != nil && f.inFold(x.pos)
	switch {
	case joinedText:
		ev["joined"] = true
	case f.decodedOf != nil:
		ev["decoded"] = true
	}
	if f.install {
		ev["install_time"] = true
	} else if f.load || f.reqLoad && r.followsRequires {
		ev["import_time"] = true
	}
	if f.script != "" {
		ev["script"] = f.script
	}
	if f.runBy != "" {
		ev["run_by"] = f.runBy
	}
	var withTitles []string
	if len(with) > 0 {
		var ids []string
		for _, w := range with {
			if w == -1 {
				ids = append(ids, installTimeRef)
				withTitles = append(withTitles, "runs at install time")
				continue
			}
			if w == -2 {
				ids = append(ids, importTimeRef)
				withTitles = append(withTitles, "runs when the package is imported")
				continue
			}
			ids = append(ids, rs.rules[w].id)
			withTitles = append(withTitles, rs.rules[w].title)
		}
		ev["with"] = ids
	}
	msg := fmt.Sprintf("%s (%s) in %s", r.title, strings.Join(dedupe(x.names), ", "), loc)
	switch {
	case joinedText:
		msg += " (in strings joined where a word is cut)"
	case f.decodedOf != nil:
		msg += " (in decoded text)"
	}
	if len(withTitles) > 0 {
		msg += "; also " + strings.Join(withTitles, "; ")
	}
	return record.Finding{Rule: r.id, Severity: sev, Confidence: conf, Message: msg, Evidence: ev}
}

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		found := false
		for _, y := range out {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}
