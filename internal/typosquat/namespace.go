package typosquat

import (
	"fmt"

	"github.com/pkgward/pkgward/internal/confusable"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

// RuleCollision is the rule id of namespace collisions.
const RuleCollision = "namespace-collision"

// Namespace holds every existing name of an ecosystem (the registry's whole
// namespace) to find collisions under the ecosystem's confusability rules,
// whatever the names' popularity: what a registry must refuse at publish
// time.
type Namespace struct {
	eco   ecosystem.Ecosystem
	names []string
	canon map[string]struct{} // canonical names: an existing name is not new
	keys  map[string]int32    // collision key → first name with it
	bare  map[string]int32    // npm: bare name of scoped packages → first name
}

// NewNamespace returns an empty namespace for eco.
func NewNamespace(eco ecosystem.Ecosystem) *Namespace {
	return &Namespace{eco: eco, canon: map[string]struct{}{}, keys: map[string]int32{}, bare: map[string]int32{}}
}

// collisionKey is the ecosystem's registry rule applied on top of the
// Unicode skeleton.
func (ns *Namespace) collisionKey(name string) string {
	return ns.eco.CollisionKey(confusable.UnicodeSkeleton(name))
}

// Add records an existing name.
func (ns *Namespace) Add(name string) {
	c := ns.eco.Canonical(name)
	if c == "" {
		return
	}
	if _, ok := ns.canon[c]; ok {
		return
	}
	ns.canon[c] = struct{}{}
	id := int32(len(ns.names))
	ns.names = append(ns.names, name)
	if k := ns.collisionKey(name); k != "" {
		if _, ok := ns.keys[k]; !ok {
			ns.keys[k] = id
		}
	}
	if ns.eco == ecosystem.NPM {
		if scope, bare := ecosystem.SplitScope(c); scope != "" && bare != "" {
			if _, ok := ns.bare[bare]; !ok {
				ns.bare[bare] = id
			}
		}
	}
}

// Len returns the number of distinct names.
func (ns *Namespace) Len() int { return len(ns.names) }

var collisionRules = map[ecosystem.Ecosystem]string{
	ecosystem.NPM:      "npm: names differing only in punctuation or case",
	ecosystem.PyPI:     "PyPI: names equal once separators are removed and o→0, l/i→1",
	ecosystem.RubyGems: "RubyGems: names differing only in - and _ or case",
	ecosystem.Crates:   "crates.io: names differing only in - and _ or case",
	ecosystem.NuGet:    "NuGet: ids differing only in case",
	ecosystem.Go:       "Go: module paths differing only in case",
}

// Check returns a collision finding when name is new (not itself in the
// namespace) and collides with an existing name.
func (ns *Namespace) Check(name string) []record.Finding {
	c := ns.eco.Canonical(name)
	if c == "" {
		return nil
	}
	if _, ok := ns.canon[c]; ok {
		return nil
	}
	if id, ok := ns.keys[ns.collisionKey(name)]; ok {
		existing := ns.names[id]
		rule := collisionRules[ns.eco]
		if !isASCII(name) || !isASCII(existing) {
			rule = "Unicode confusables (UTS #39 skeleton)"
		}
		return []record.Finding{{
			Rule: RuleCollision, Severity: record.High, Confidence: 0.95,
			Message:  fmt.Sprintf("%q collides with the existing name %q (%s)", name, existing, rule),
			Evidence: map[string]any{"existing": existing, "technique": "confusable-name", "normalization": rule},
		}}
	}
	if ns.eco == ecosystem.NPM {
		if scope, bare := ecosystem.SplitScope(c); scope == "" {
			if id, ok := ns.bare[bare]; ok {
				existing := ns.names[id]
				return []record.Finding{{
					Rule: RuleCollision, Severity: record.High, Confidence: 0.8,
					Message:  fmt.Sprintf("%q is the bare name of the existing scoped package %q (scope confusion)", name, existing),
					Evidence: map[string]any{"existing": existing, "technique": TechScope},
				}}
			}
		}
	}
	return nil
}
