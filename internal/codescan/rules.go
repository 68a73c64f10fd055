package codescan

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/pkgward/pkgward/internal/record"
)

//go:embed rules.yaml
var defaultRulesYAML []byte

// DefaultRulesFile is the name the embedded rules are reported under.
const DefaultRulesFile = "codescan/rules.yaml"

// Limits of a rule file.
const (
	MaxRulesSize   = 4 << 20 // bytes of one rule file
	maxLiteral     = 256     // bytes of one literal
	minLiteral     = 3       // shorter literals would match nearly everywhere
	installTimeRef = "install-time"
	// importTimeRef names the files that run when the package is loaded
	// (import, require): a Python package's __init__.py, the npm main
	// module, a gem's lib/*.rb. Install-time files count as well.
	importTimeRef = "import-time"
)

var errEmptyGlob = errors.New("empty pattern")

// The rule file format (docs/codescan.md describes it for users).
type ruleFile struct {
	Version     int        `yaml:"version"`
	InstallTime []string   `yaml:"install-time"`
	Rules       []ruleSpec `yaml:"rules"`
}

type ruleSpec struct {
	ID          string         `yaml:"id"`
	Title       string         `yaml:"title"`
	Description string         `yaml:"description"`
	Severity    string         `yaml:"severity"`
	Confidence  float64        `yaml:"confidence"`
	Hidden      bool           `yaml:"hidden"`
	Disabled    bool           `yaml:"disabled"`
	Languages   []string       `yaml:"languages"`
	Files       []string       `yaml:"files"`
	InstallTime bool           `yaml:"install-time"`
	Context     []string       `yaml:"context"`
	Requires    []string       `yaml:"requires"`
	Patterns    []patternSpec  `yaml:"patterns"`
	Escalate    []escalateSpec `yaml:"escalate"`

	file string // rule file it came from
	line int
}

type patternSpec struct {
	Name          string     `yaml:"name"`
	Literals      []string   `yaml:"literals"`
	NoCase        bool       `yaml:"nocase"`
	Word          bool       `yaml:"word"`
	Regex         string     `yaml:"regex"`
	Verify        string     `yaml:"verify"`
	Also          [][]string `yaml:"also"`
	Unless        []string   `yaml:"unless"`
	Requires      []string   `yaml:"requires"`
	MinCount      int        `yaml:"min-count"`
	MinDistinct   int        `yaml:"min-distinct"`
	Context       []string   `yaml:"context"`
	Languages     []string   `yaml:"languages"`
	Severity      string     `yaml:"severity"`
	Confidence    float64    `yaml:"confidence"`
	Detector      string     `yaml:"detector"`
	MinLength     int        `yaml:"min-length"`
	MinEntropy    float64    `yaml:"min-entropy"`
	Allow         []string   `yaml:"allow"`
	PlatformAllow []string   `yaml:"platform-allow"`
	NotFiles      []string   `yaml:"not-files"`
	Escalate      *bool      `yaml:"escalate"`

	line int
}

type escalateSpec struct {
	With        []string `yaml:"with"`
	In          string   `yaml:"in"`
	MinPatterns int      `yaml:"min-patterns"`
	Severity    string   `yaml:"severity"`
	Confidence  float64  `yaml:"confidence"`

	line int
}

// Detectors are the built-in matchers a pattern may name instead of
// literals.
const (
	detBase64 = "base64-blob"
	detHex    = "hex-blob"
	detEscape = "escape-blob"
	detEntopy = "entropy"
	detExec   = "executable"
	detNPM    = "npm-lifecycle"
	detEscAS  = "escaped-ascii"
	detMixed  = "mixed-script"
	// The data-flow pass (taint.go) and the module-shape detectors (detect_js.go).
	detTaintDecoded = "decoded-var-exec"
	detTaintFetched = "fetched-var-exec"
	detTopNetwork   = "toplevel-network"
	detHexIdents    = "hex-identifiers"
)

var detectors = map[string]bool{detBase64: true, detHex: true, detEscape: true, detEntopy: true, detExec: true, detNPM: true, detEscAS: true, detMixed: true,
	detTaintDecoded: true, detTaintFetched: true, detTaintSecret: true, detTaintSysinfo: true, detTopNetwork: true, detHexIdents: true}

var verifiers = map[string]bool{"public-ip": true, "documentation-ip": true, "not-domain-list": true}

var contextNames = map[string]context{"code": ctxCode, "string": ctxString, "comment": ctxComment}

var idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// RuleSet is a compiled set of rules, immutable once built (Merge replaces
// its contents and must not run concurrently with Scan). Scan may be
// called concurrently on one RuleSet.
type RuleSet struct {
	specs       []ruleSpec
	installSrc  []string
	rules       []*rule
	order       []int // evaluation order: required rules first
	byID        map[string]int
	installTime []glob

	pats        []*pattern
	lits        []literal
	m           *litMatcher
	acLits      [][]int32 // matcher pattern id → literal ids
	litPatterns [][]int32 // literal id → trigger of these patterns
	decodeLits  decodeLits
}

type literal struct {
	text   string
	nocase bool
}

type rule struct {
	id, title, desc string
	sev             record.Severity
	conf            float64
	maxSev          record.Severity
	hidden          bool
	langs           langSet
	files           []glob
	installOnly     bool
	followsRequires bool // modules the main module requires count as import-time (network-on-import)
	requires        []int
	patterns        []*pattern
	escalate        []escalation
}

type pattern struct {
	id          int // index in RuleSet.pats
	rule        int
	name        string
	lits        []int32 // trigger literals
	also        [][]int32
	unless      [][]byte // lower case
	word        bool     // a hit must not touch letters, digits or _ on either side
	re          *regexp.Regexp
	verify      string
	requires    []int
	minCount    int
	minDistinct int
	ctx         context
	langs       langSet
	sev         record.Severity
	conf        float64
	detector    string
	minLength   int
	minEntropy  float64
	allow       []glob
	allowCmd    []string // npm-lifecycle: allowed commands, normalized
	platform    []glob
	notFiles    []glob // files the pattern is not tried on
	noEscalate  bool   // matches keep the pattern's severity: escalations ignore them
}

type escalation struct {
	with        []int // rule indexes; -1: install-time; -2: import-time
	pkg         bool
	minPatterns int
	sev         record.Severity
	conf        float64
}

var defaultOnce struct {
	sync.Once
	rs  *RuleSet
	err error
}

// DefaultRules returns the embedded rules (internal/codescan/rules.yaml).
// Each call returns a new RuleSet sharing the compiled rules, so Merge on
// it does not change other callers' sets.
func DefaultRules() *RuleSet {
	defaultOnce.Do(func() {
		defaultOnce.rs, defaultOnce.err = loadRules(DefaultRulesFile, defaultRulesYAML, nil)
	})
	if defaultOnce.err != nil {
		panic("codescan: embedded rules: " + defaultOnce.err.Error()) // tested
	}
	c := *defaultOnce.rs
	return &c
}

// LoadRules parses and compiles a rule file. name is used in errors
// (*record.InputError with the line). References to other rules (requires,
// escalate with) may name rules of this file or of the default rules.
func LoadRules(name string, data []byte) (*RuleSet, error) {
	if len(data) > MaxRulesSize {
		return nil, &record.InputError{File: name, Msg: fmt.Sprintf("larger than %d bytes", MaxRulesSize)}
	}
	return loadRules(name, data, DefaultRules())
}

func loadRules(name string, data []byte, base *RuleSet) (*RuleSet, error) {
	var f ruleFile
	var root yaml.Node
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &record.InputError{File: name, Msg: "empty rule file"}
	}
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, data, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, yamlError(name, data, err)
	}
	if f.Version != 1 {
		return nil, &record.InputError{File: name, Line: keyLine(&root, "version"), Msg: fmt.Sprintf("version %d: want version: 1", f.Version)}
	}
	setLines(&root, &f, name)

	// Ids known to references: this file's and the base set's.
	known := map[string]bool{}
	if base != nil {
		for _, s := range base.specs {
			known[s.ID] = true
		}
	}
	seen := map[string]int{}
	for i := range f.Rules {
		s := &f.Rules[i]
		if !idRe.MatchString(s.ID) || s.ID == installTimeRef || s.ID == importTimeRef {
			return nil, s.errf("rule id %q: want lower-case letters, digits and dashes (not %q)", s.ID, installTimeRef)
		}
		if l, dup := seen[s.ID]; dup {
			return nil, s.errf("rule %q defined twice (first on line %d)", s.ID, l)
		}
		seen[s.ID] = s.line
		known[s.ID] = true
	}
	for i := range f.Rules {
		if err := validateSpec(&f.Rules[i], known); err != nil {
			return nil, err
		}
	}
	for i, g := range f.InstallTime {
		if _, err := compileGlob(g); err != nil {
			return nil, &record.InputError{File: name, Line: listLine(&root, "install-time", i), Msg: fmt.Sprintf("install-time %q: %v", g, err)}
		}
	}
	rs := &RuleSet{specs: f.Rules, installSrc: f.InstallTime}
	if base != nil {
		// Check the combination for cycles the way Merge will build it.
		probe := &RuleSet{specs: base.specs, installSrc: base.installSrc}
		probe.mergeSpecs(rs)
		if err := probe.compile(); err != nil {
			return nil, &record.InputError{File: name, Msg: err.Error()}
		}
	}
	if err := rs.compile(); err != nil {
		return nil, &record.InputError{File: name, Msg: err.Error()}
	}
	return rs, nil
}

// Merge adds other's rules to rs: a rule with the id of an existing rule
// replaces it, `disabled: true` removes it, new rules are added; the
// install-time file patterns are joined. References that do not resolve
// in the merged set never hold.
func (rs *RuleSet) Merge(other *RuleSet) {
	if other == nil {
		return
	}
	n := &RuleSet{specs: slices.Clone(rs.specs), installSrc: slices.Clone(rs.installSrc)}
	n.mergeSpecs(other)
	if err := n.compile(); err != nil {
		// A cycle through requires across the two sets: LoadRules checks
		// files against the default rules, so this needs unusual bases.
		// Keep the rules that do not take part in it.
		n.dropCycles()
		_ = n.compile()
	}
	*rs = *n
}

func (rs *RuleSet) mergeSpecs(other *RuleSet) {
	rs.specs = slices.Clone(rs.specs)
	for _, s := range other.specs {
		i := slices.IndexFunc(rs.specs, func(t ruleSpec) bool { return t.ID == s.ID })
		switch {
		case s.Disabled && i >= 0:
			rs.specs = slices.Delete(rs.specs, i, i+1)
		case s.Disabled:
		case i >= 0:
			rs.specs[i] = s
		default:
			rs.specs = append(rs.specs, s)
		}
	}
	for _, g := range other.installSrc {
		if !slices.Contains(rs.installSrc, g) {
			rs.installSrc = append(rs.installSrc, g)
		}
	}
}

// dropCycles removes the rules on a requires cycle.
func (rs *RuleSet) dropCycles() {
	for {
		ids := map[string]int{}
		for i, s := range rs.specs {
			ids[s.ID] = i
		}
		_, cyc := topo(rs.specs, ids)
		if cyc < 0 {
			return
		}
		rs.specs = slices.Delete(rs.specs, cyc, cyc+1)
	}
}

// requiresOf lists the rule ids a spec's evaluation depends on.
func requiresOf(s *ruleSpec) []string {
	out := slices.Clone(s.Requires)
	for _, p := range s.Patterns {
		out = append(out, p.Requires...)
	}
	return out
}

// topo orders specs so that required rules come first; on a cycle it
// returns the index of a rule on it.
func topo(specs []ruleSpec, ids map[string]int) ([]int, int) {
	state := make([]uint8, len(specs)) // 0 new, 1 visiting, 2 done
	var order []int
	cyc := -1
	var visit func(i int) bool
	visit = func(i int) bool {
		switch state[i] {
		case 1:
			cyc = i
			return false
		case 2:
			return true
		}
		state[i] = 1
		for _, r := range requiresOf(&specs[i]) {
			if j, ok := ids[r]; ok && !visit(j) {
				return false
			}
		}
		state[i] = 2
		order = append(order, i)
		return true
	}
	for i := range specs {
		if !visit(i) {
			return nil, cyc
		}
	}
	return order, -1
}

// compile builds the rules, the literal table and the matcher from specs.
func (rs *RuleSet) compile() error {
	rs.rules = nil
	rs.pats = nil
	rs.lits = nil
	rs.byID = map[string]int{}
	rs.installTime = nil
	for _, g := range rs.installSrc {
		if c, err := compileGlob(g); err == nil {
			rs.installTime = append(rs.installTime, c)
		}
	}
	for i, s := range rs.specs {
		rs.byID[s.ID] = i
	}
	order, cyc := topo(rs.specs, rs.byID)
	if cyc >= 0 {
		return fmt.Errorf("rule %s: requires form a cycle", rs.specs[cyc].ID)
	}
	rs.order = order

	litIndex := map[literal]int32{}
	addLit := func(text string, nocase bool) int32 {
		k := literal{text, nocase}
		if id, ok := litIndex[k]; ok {
			return id
		}
		id := int32(len(rs.lits))
		rs.lits = append(rs.lits, k)
		litIndex[k] = id
		return id
	}
	ref := func(id string) int {
		if j, ok := rs.byID[id]; ok {
			return j
		}
		return -2 // never holds
	}
	for ri := range rs.specs {
		s := &rs.specs[ri]
		r := &rule{id: s.ID, title: s.Title, desc: strings.TrimSpace(s.Description), hidden: s.Hidden, installOnly: s.InstallTime}
		r.sev, _ = parseSeverity(s.Severity)
		r.conf = orDefault(s.Confidence, 0.5)
		r.langs, _ = parseLangs(s.Languages)
		rctx, _ := parseContext(s.Context)
		for _, g := range s.Files {
			if c, err := compileGlob(g); err == nil {
				r.files = append(r.files, c)
			}
		}
		for _, q := range s.Requires {
			r.requires = append(r.requires, ref(q))
		}
		r.maxSev = r.sev
		for pi := range s.Patterns {
			ps := &s.Patterns[pi]
			p := &pattern{id: len(rs.pats), rule: ri, name: ps.Name, verify: ps.Verify, minCount: max(1, ps.MinCount),
				minDistinct: max(1, ps.MinDistinct), detector: ps.Detector, minLength: ps.MinLength, minEntropy: ps.MinEntropy}
			if p.name == "" {
				p.name = s.ID
			}
			p.langs, _ = parseLangs(ps.Languages)
			if len(ps.Languages) == 0 {
				p.langs = r.langs
			}
			p.langs &= r.langs
			p.ctx = rctx
			if len(ps.Context) > 0 {
				p.ctx, _ = parseContext(ps.Context)
			} else if len(s.Context) == 0 && (ps.Detector == detEntopy || ps.Detector == detBase64 || ps.Detector == detHex || ps.Detector == detEscape || ps.Detector == detEscAS) {
				p.ctx = ctxString
			}
			p.sev = r.sev
			if ps.Severity != "" {
				p.sev, _ = parseSeverity(ps.Severity)
			}
			p.conf = orDefault(ps.Confidence, r.conf)
			p.noEscalate = ps.Escalate != nil && !*ps.Escalate
			p.word = ps.Word
			r.maxSev = max(r.maxSev, p.sev)
			for _, l := range ps.Literals {
				p.lits = append(p.lits, addLit(l, ps.NoCase))
			}
			for _, g := range ps.Also {
				var ids []int32
				for _, l := range g {
					ids = append(ids, addLit(l, ps.NoCase))
				}
				p.also = append(p.also, ids)
			}
			for _, u := range ps.Unless {
				p.unless = append(p.unless, bytes.ToLower([]byte(u)))
			}
			if ps.Regex != "" {
				p.re, _ = regexp.Compile(ps.Regex)
			}
			for _, q := range ps.Requires {
				p.requires = append(p.requires, ref(q))
			}
			for _, g := range ps.Allow {
				if ps.Detector == detNPM {
					p.allowCmd = append(p.allowCmd, normalizeCommand(g))
					continue
				}
				if c, err := compileGlob(g); err == nil {
					p.allow = append(p.allow, c)
				}
			}
			for _, g := range ps.NotFiles {
				if c, err := compileGlob(g); err == nil {
					p.notFiles = append(p.notFiles, c)
				}
			}
			for _, g := range ps.PlatformAllow {
				if c, err := compileGlob(g); err == nil {
					p.platform = append(p.platform, c)
				}
			}
			if kind := taintKind(p.detector); kind != 0 {
				// The source markers trigger the pattern, a sink must occur too.
				var sinks []int32
				for _, l := range []lang{langPython, langJS, langGo, langRuby, langPowerShell} {
					tl := taintLangs[l]
					if !p.langs.has(l) {
						continue
					}
					srcs, snk := taintMarkers(kind, l)
					for _, mk := range srcs {
						first, _, _ := strings.Cut(mk, "&")
						p.lits = append(p.lits, addLit(first, tl.fold))
					}
					for _, mk := range snk {
						if !sendKind(kind) {
							sinks = append(sinks, addLit(mk, tl.fold))
						}
					}
				}
				if !sendKind(kind) { // sends: the pattern requires network-send instead
					p.also = append(p.also, sinks)
				}
			}
			if p.detector == detHexIdents {
				// The detector reads only files holding "_0x": the literal
				// automaton finds them in the same pass as every literal.
				p.lits = append(p.lits, addLit("_0x", false))
			}
			r.patterns = append(r.patterns, p)
			r.followsRequires = r.followsRequires || p.detector == detTopNetwork
			rs.pats = append(rs.pats, p)
		}
		for _, es := range s.Escalate {
			e := escalation{pkg: es.In == "package", minPatterns: es.MinPatterns}
			e.sev, _ = parseSeverity(es.Severity)
			e.conf = orDefault(es.Confidence, r.conf)
			for _, w := range es.With {
				switch w {
				case installTimeRef:
					e.with = append(e.with, -1)
				case importTimeRef:
					e.with = append(e.with, -2)
				default:
					e.with = append(e.with, ref(w))
				}
			}
			r.maxSev = max(r.maxSev, e.sev)
			r.escalate = append(r.escalate, e)
		}
		rs.rules = append(rs.rules, r)
	}

	rs.decodeLits = newDecodeLits(addLit)

	// Matcher over the folded literals.
	folded := map[string]int32{}
	var acPats []string
	rs.acLits = nil
	for id, l := range rs.lits {
		f := strings.ToLower(l.text)
		ac, ok := folded[f]
		if !ok {
			ac = int32(len(acPats))
			folded[f] = ac
			acPats = append(acPats, f)
			rs.acLits = append(rs.acLits, nil)
		}
		rs.acLits[ac] = append(rs.acLits[ac], int32(id))
	}
	rs.m = newLitMatcher(acPats)
	rs.litPatterns = make([][]int32, len(rs.lits))
	for _, p := range rs.pats {
		for _, l := range p.lits {
			if !slices.Contains(rs.litPatterns[l], int32(p.id)) {
				rs.litPatterns[l] = append(rs.litPatterns[l], int32(p.id))
			}
		}
	}
	return nil
}

func orDefault(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

// Rules returns the catalog of the rules Scan may report (hidden building
// blocks excluded), sorted by id; Severity is the highest each may emit.
func (rs *RuleSet) Rules() []record.Rule {
	var out []record.Rule
	for _, r := range rs.rules {
		if r.hidden {
			continue
		}
		out = append(out, record.Rule{ID: r.id, Severity: r.maxSev, Title: r.title, Description: r.desc})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
