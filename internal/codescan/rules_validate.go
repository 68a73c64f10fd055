package codescan

// Validation of a rule file's specs before they are compiled.

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

func (s *ruleSpec) errf(format string, args ...any) error {
	return &record.InputError{File: s.file, Line: s.line, Msg: fmt.Sprintf(format, args...)}
}

func (s *ruleSpec) perrf(p *patternSpec, format string, args ...any) error {
	line := p.line
	if line == 0 {
		line = s.line
	}
	return &record.InputError{File: s.file, Line: line, Msg: fmt.Sprintf("rule %s: ", s.ID) + fmt.Sprintf(format, args...)}
}

func validateSpec(s *ruleSpec, known map[string]bool) error {
	if s.Disabled {
		return nil // only the id matters: it switches a rule off
	}
	if strings.TrimSpace(s.Title) == "" {
		return s.errf("rule %s: no title", s.ID)
	}
	if _, err := parseSeverity(s.Severity); err != nil {
		return s.errf("rule %s: %v", s.ID, err)
	}
	if s.Confidence < 0 || s.Confidence > 1 {
		return s.errf("rule %s: confidence %v: want 0 to 1", s.ID, s.Confidence)
	}
	if _, err := parseLangs(s.Languages); err != nil {
		return s.errf("rule %s: %v", s.ID, err)
	}
	if _, err := parseContext(s.Context); err != nil {
		return s.errf("rule %s: %v", s.ID, err)
	}
	for _, g := range s.Files {
		if _, err := compileGlob(g); err != nil {
			return s.errf("rule %s: files %q: %v", s.ID, g, err)
		}
	}
	for _, r := range s.Requires {
		if !known[r] || r == s.ID {
			return s.errf("rule %s: requires unknown rule %q", s.ID, r)
		}
	}
	if len(s.Patterns) == 0 && len(s.Requires) == 0 {
		return s.errf("rule %s: no patterns and no requires: it could never fire", s.ID)
	}
	for i := range s.Patterns {
		p := &s.Patterns[i]
		if err := validatePattern(s, p, known); err != nil {
			return err
		}
	}
	for i := range s.Escalate {
		e := &s.Escalate[i]
		l := e.line
		if l == 0 {
			l = s.line
		}
		errf := func(format string, args ...any) error {
			return &record.InputError{File: s.file, Line: l, Msg: fmt.Sprintf("rule %s: escalate: ", s.ID) + fmt.Sprintf(format, args...)}
		}
		if len(e.With) == 0 && e.MinPatterns == 0 {
			return errf("needs with or min-patterns")
		}
		for _, w := range e.With {
			if w != installTimeRef && w != importTimeRef && !known[w] {
				return errf("unknown rule %q in with", w)
			}
		}
		if e.In != "" && e.In != "file" && e.In != "package" {
			return errf("in %q: want file or package", e.In)
		}
		if _, err := parseSeverity(e.Severity); err != nil || e.Severity == "" {
			return errf("severity %q: want info, low, medium, high or critical", e.Severity)
		}
		if e.Confidence < 0 || e.Confidence > 1 {
			return errf("confidence %v: want 0 to 1", e.Confidence)
		}
	}
	return nil
}

func validatePattern(s *ruleSpec, p *patternSpec, known map[string]bool) error {
	if p.Detector != "" {
		if !detectors[p.Detector] {
			return s.perrf(p, "unknown detector %q", p.Detector)
		}
		if len(p.Literals) > 0 || p.Regex != "" || len(p.Also) > 0 {
			return s.perrf(p, "detector %s takes no literals, regex or also", p.Detector)
		}
	} else if len(p.Literals) == 0 {
		return s.perrf(p, "pattern %q: no literals (and no detector)", p.Name)
	}
	check := func(l string) error {
		switch {
		case len(l) < minLiteral:
			return s.perrf(p, "literal %q: shorter than %d bytes", l, minLiteral)
		case len(l) > maxLiteral:
			return s.perrf(p, "literal %q…: longer than %d bytes", l[:16], maxLiteral)
		}
		return nil
	}
	for _, l := range p.Literals {
		if err := check(l); err != nil {
			return err
		}
	}
	for _, g := range p.Also {
		if len(g) == 0 {
			return s.perrf(p, "empty also group")
		}
		for _, l := range g {
			if err := check(l); err != nil {
				return err
			}
		}
	}
	for _, l := range p.Unless {
		if l == "" {
			return s.perrf(p, "empty unless literal")
		}
	}
	if p.Regex != "" {
		if _, err := regexp.Compile(p.Regex); err != nil {
			return s.perrf(p, "regex: %v", err)
		}
	}
	if p.Verify != "" {
		if !verifiers[p.Verify] {
			return s.perrf(p, "unknown verify %q (want public-ip, documentation-ip or not-domain-list)", p.Verify)
		}
		if p.Regex == "" {
			return s.perrf(p, "verify needs a regex whose first group it checks")
		}
	}
	for _, r := range p.Requires {
		if !known[r] || r == s.ID {
			return s.perrf(p, "requires unknown rule %q", r)
		}
	}
	if p.MinCount < 0 || p.MinDistinct < 0 || p.MinLength < 0 || p.MinEntropy < 0 || p.MinEntropy > 8 {
		return s.perrf(p, "negative or impossible minimum")
	}
	if p.MinDistinct > len(p.Literals) {
		return s.perrf(p, "min-distinct %d exceeds the %d literals", p.MinDistinct, len(p.Literals))
	}
	if _, err := parseLangs(p.Languages); err != nil {
		return s.perrf(p, "%v", err)
	}
	if _, err := parseContext(p.Context); err != nil {
		return s.perrf(p, "%v", err)
	}
	if p.Severity != "" {
		if _, err := parseSeverity(p.Severity); err != nil {
			return s.perrf(p, "%v", err)
		}
	}
	if p.Confidence < 0 || p.Confidence > 1 {
		return s.perrf(p, "confidence %v: want 0 to 1", p.Confidence)
	}
	allowGlobs := slices.Concat(p.PlatformAllow, p.NotFiles)
	if p.Detector != detNPM {
		allowGlobs = append(slices.Clone(p.Allow), allowGlobs...)
	}
	for _, g := range allowGlobs {
		if _, err := compileGlob(g); err != nil {
			return s.perrf(p, "allow %q: %v", g, err)
		}
	}
	return nil
}

func parseSeverity(s string) (record.Severity, error) {
	if s == "" {
		return record.Low, nil
	}
	return record.ParseSeverity(s)
}

func parseLangs(names []string) (langSet, error) {
	if len(names) == 0 {
		return codeLangs, nil
	}
	var set langSet
	for _, n := range names {
		l, ok := langAliases[strings.ToLower(n)]
		if !ok {
			return 0, fmt.Errorf("unknown language %q", n)
		}
		set |= 1 << l
	}
	return set, nil
}

func parseContext(names []string) (context, error) {
	if len(names) == 0 {
		return ctxCode | ctxString, nil
	}
	var c context
	for _, n := range names {
		v, ok := contextNames[n]
		if !ok {
			return 0, fmt.Errorf("unknown context %q (want code, string or comment)", n)
		}
		c |= v
	}
	return c, nil
}
