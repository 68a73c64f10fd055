package typosquat

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/confusable"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// RuleMixedScript is the rule id of names mixing Latin with lookalike
// scripts (or written wholly in lookalike letters).
const RuleMixedScript = "mixed-script"

// Analyzer is the name analyzer: lookalikes of popular names, namespace
// collisions and mixed-script names. It implements analysis.Analyzer.
type Analyzer struct {
	indexes    map[ecosystem.Ecosystem]*Index
	namespaces map[ecosystem.Ecosystem]*Namespace
}

// NewAnalyzer returns an analyzer over prebuilt indexes and (optionally)
// namespaces. A package of an ecosystem without an index gets only the
// corpus-free rules.
func NewAnalyzer(indexes map[ecosystem.Ecosystem]*Index, namespaces map[ecosystem.Ecosystem]*Namespace) *Analyzer {
	return &Analyzer{indexes: indexes, namespaces: namespaces}
}

// Name implements analysis.Analyzer.
func (a *Analyzer) Name() string { return "typosquat" }

// Rules implements analysis.Analyzer.
func (a *Analyzer) Rules() []record.Rule {
	return []record.Rule{
		{ID: RuleTyposquat, Severity: record.Critical, Title: "Name imitates a popular or protected package",
			Description: "The name is a lookalike of a much more popular package (or of a name the user protects): omission, insertion, repetition, substitution, transposition, moved letter, homoglyph, delimiter, word order, affix, plural, version suffix, npm scope confusion, scope lookalike or unscoped copy of a scoped package, Go owner/host lookalike. Edit matches are graded by one score (target popularity, kind of edit, length). Blocks on strong evidence, warns on weaker matches."},
		{ID: RuleCollision, Severity: record.High, Title: "Name collides with an existing name under the registry's confusability rules",
			Description: "Given the whole namespace (--namespace), the name equals an existing one after the ecosystem's normalization (npm punctuation, PyPI ultranormalization, RubyGems/crates -≡_, NuGet case, Unicode skeletons), or is the bare name of an existing scoped npm package."},
		{ID: RuleMixedScript, Severity: record.High, Title: "Name mixes Latin with lookalike letters of another script",
			Description: "The name mixes Latin letters with Cyrillic, Greek or Armenian ones, or is written wholly in letters that imitate Latin ones: a homoglyph attack whatever the corpus."},
	}
}

// Analyze implements analysis.Analyzer.
func (a *Analyzer) Analyze(p *record.Package) []record.Finding {
	var out []record.Finding
	if f, ok := MixedScript(p.Name); ok {
		out = append(out, f)
	}
	if ix := a.indexes[p.Ecosystem]; ix != nil {
		out = append(out, ix.Check(p.Name)...)
	}
	if ns := a.namespaces[p.Ecosystem]; ns != nil {
		out = append(out, ns.Check(p.Name)...)
	}
	return out
}

// MixedScript flags a name whose letters mix Latin with Cyrillic, Greek or
// Armenian, or that is written wholly in non-Latin letters imitating Latin
// ones.
func MixedScript(name string) (record.Finding, bool) {
	if isASCII(name) {
		return record.Finding{}, false
	}
	scripts := confusable.Scripts(name)
	look := confusable.Lookalikes(name)
	for k := range look {
		// Latin letters with diacritics ("é") are Latin: only letters of
		// another script imitating Latin ones make a mixed-script name.
		if r, _ := utf8.DecodeRuneInString(k); unicode.Is(unicode.Latin, r) {
			delete(look, k)
		}
	}
	if len(look) == 0 {
		return record.Finding{}, false
	}
	hasLatin := false
	var names []string
	for _, s := range scripts {
		names = append(names, string(s))
		if s == confusable.Latin {
			hasLatin = true
		}
	}
	whole := !hasLatin && allLettersLookalike(name, look)
	if !(hasLatin && len(scripts) > 1) && !whole {
		return record.Finding{}, false
	}
	parts := make([]string, 0, len(look))
	for k, v := range look {
		parts = append(parts, fmt.Sprintf("%q (%U) looks like %q", k, []rune(k)[0], v))
	}
	sort.Strings(parts)
	msg := fmt.Sprintf("%q mixes %s letters: %s", name, strings.Join(names, " and "), strings.Join(parts, ", "))
	if whole {
		msg = fmt.Sprintf("%q is written in %s letters that imitate Latin ones: %s", name, strings.Join(names, " and "), strings.Join(parts, ", "))
	}
	return record.Finding{
		Rule: RuleMixedScript, Severity: record.High, Confidence: 0.9, Message: msg,
		Evidence: map[string]any{"scripts": names, "lookalikes": look, "skeleton": confusable.Skeleton(name)},
	}, true
}

func allLettersLookalike(name string, look map[string]string) bool {
	for _, r := range name {
		if r >= 0x80 {
			if _, ok := look[string(r)]; !ok {
				return false
			}
		}
	}
	return true
}
