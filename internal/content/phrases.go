package content

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/pkgward/pkgward/internal/record"
)

// The lure phrase model: categories with roles, and weighted phrases. The
// embedded phrases.txt is the default; users add their own with
// ParsePhrases and WithPhrases. docs/content.md describes the format.

//go:embed phrases.txt
var defaultPhrasesText []byte

// Role is what a category contributes to a lure window; a category may have
// several.
type Role uint8

// Roles of phrase categories.
const (
	RoleObject  Role = 1 << iota // what a lure offers
	RoleItem                     // generic goods: an object only next to a brand
	RoleBrand                    // a game, platform or store; hides hits inside it
	RoleHook                     // how it is sold: free, generator, urgency
	RoleTool                     // a hook that is an object next to a brand (hack, cheat)
	RoleCounter                  // defensive context: halves a window's score
	RoleMask                     // honest phrase: hides the non-object hits it overlaps
	RoleNegator                  // negation: hides the hits starting in the next few words
)

var roleNames = []struct {
	name string
	role Role
}{
	{"object", RoleObject}, {"item", RoleItem}, {"brand", RoleBrand}, {"hook", RoleHook},
	{"tool", RoleTool}, {"counter", RoleCounter}, {"mask", RoleMask}, {"negator", RoleNegator},
}

func (r Role) String() string {
	var parts []string
	for _, n := range roleNames {
		if r&n.role != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, ",")
}

// Category is a named group of phrases sharing roles.
type Category struct {
	Name  string
	Roles Role
	Title string // what it means, for messages ("game currency and in-game items")
}

// Phrase is one weighted phrase of a category.
type Phrase struct {
	Text      string  // as written, without glue markers
	Norm      string  // normalized (see Normalize)
	Category  string  // category name
	Weight    float64 // in (0, 10]
	GlueLeft  bool    // may be glued to letters on its left ("*robux")
	GlueRight bool    // may be glued to letters on its right ("robux*")
	Source    string  // "file:line"
}

// Phrases is a parsed phrase set. It is immutable once built.
type Phrases struct {
	Categories []Category
	List       []Phrase
}

// Limits of a phrase set.
const (
	maxPhrases      = 20000
	maxPhraseBytes  = 96
	maxCategories   = 64
	minPhraseWeight = 0
	maxPhraseWeight = 10
)

// ParsePhrases parses a complete phrase file: every category it uses is
// declared in it. name is used in error messages, which are
// *record.InputError values naming the line.
func ParsePhrases(name string, data []byte) (*Phrases, error) {
	return parsePhrases(name, data, nil)
}

// ExtendPhrases parses a user's phrase file against the default set (its
// phrases may use the default categories without declaring them) and
// returns the default set merged with it: pass the result to WithPhrases.
func ExtendPhrases(name string, data []byte) (*Phrases, error) {
	base := DefaultPhrases()
	known := map[string]bool{}
	for _, c := range base.Categories {
		known[c.Name] = true
	}
	user, err := parsePhrases(name, data, known)
	if err != nil {
		return nil, err
	}
	return base.Merge(user)
}

func parsePhrases(name string, data []byte, known map[string]bool) (*Phrases, error) {
	p := &Phrases{}
	cats := map[string]int{}
	seen := map[[2]string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		ln := i + 1
		errf := func(format string, args ...any) error {
			return &record.InputError{File: name, Line: ln, Msg: fmt.Sprintf(format, args...)}
		}
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if fields[0] == "@category" {
			if len(fields) < 3 {
				return nil, errf("want \"@category NAME ROLES TITLE\"")
			}
			cname := fields[1]
			if !validCategoryName(cname) {
				return nil, errf("category name %q: use lower-case letters, digits and '-'", cname)
			}
			if _, dup := cats[cname]; dup || known[cname] {
				return nil, errf("category %q declared twice", cname)
			}
			roles, err := parseRoles(fields[2])
			if err != nil {
				return nil, errf("%v", err)
			}
			if len(p.Categories) >= maxCategories {
				return nil, errf("more than %d categories", maxCategories)
			}
			title := strings.Join(fields[3:], " ")
			if title == "" {
				title = cname
			}
			cats[cname] = len(p.Categories)
			p.Categories = append(p.Categories, Category{Name: cname, Roles: roles, Title: title})
			continue
		}
		if len(fields) < 3 {
			return nil, errf("want \"CATEGORY WEIGHT PHRASE\" or \"@category NAME ROLES TITLE\"")
		}
		if _, ok := cats[fields[0]]; !ok && !known[fields[0]] {
			return nil, errf("unknown category %q (declare it with @category first)", fields[0])
		}
		w, err := strconv.ParseFloat(fields[1], 64)
		if err != nil || !(w > minPhraseWeight && w <= maxPhraseWeight) {
			return nil, errf("weight %q: want a number in (0, 10]", fields[1])
		}
		ph, err := newPhrase(strings.Join(fields[2:], " "))
		if err != nil {
			return nil, errf("%v", err)
		}
		ph.Category, ph.Weight, ph.Source = fields[0], w, fmt.Sprintf("%s:%d", name, ln)
		key := [2]string{ph.Category, ph.Norm}
		if prev, dup := seen[key]; dup {
			return nil, errf("phrase %q repeats %q of line %s in category %s", ph.Text, p.List[prev].Text, p.List[prev].Source, ph.Category)
		}
		if len(p.List) >= maxPhrases {
			return nil, errf("more than %d phrases", maxPhrases)
		}
		seen[key] = len(p.List)
		p.List = append(p.List, ph)
	}
	return p, nil
}

func validCategoryName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func parseRoles(s string) (Role, error) {
	var r Role
	for _, part := range strings.Split(s, ",") {
		found := false
		for _, n := range roleNames {
			if n.name == part {
				r |= n.role
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown role %q (want object, item, brand, hook, tool, counter, mask or negator)", part)
		}
	}
	return r, nil
}

func newPhrase(text string) (Phrase, error) {
	ph := Phrase{}
	if strings.HasPrefix(text, "*") {
		ph.GlueLeft = true
		text = text[1:]
	}
	if strings.HasSuffix(text, "*") {
		ph.GlueRight = true
		text = text[:len(text)-1]
	}
	ph.Text = strings.TrimSpace(text)
	ph.Norm = Normalize(ph.Text)
	switch {
	case ph.Norm == "":
		return ph, fmt.Errorf("phrase %q has no letters or digits", text)
	case len(ph.Norm) > maxPhraseBytes:
		return ph, fmt.Errorf("phrase %q is longer than %d bytes", text, maxPhraseBytes)
	}
	for i := 0; i < len(ph.Norm); i++ {
		if c := ph.Norm[i]; !(('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == ' ') {
			return ph, fmt.Errorf("phrase %q normalizes to %q: only Latin letters and digits can be matched", text, ph.Norm)
		}
	}
	return ph, nil
}

// Merge returns the union of p and q. q may add phrases to p's categories
// and declare new ones; a phrase of q that p already has in the same
// category replaces its weight. A category declared by both must have the
// same roles.
func (p *Phrases) Merge(q *Phrases) (*Phrases, error) {
	out := &Phrases{Categories: append([]Category(nil), p.Categories...), List: append([]Phrase(nil), p.List...)}
	cats := map[string]Role{}
	for _, c := range out.Categories {
		cats[c.Name] = c.Roles
	}
	for _, c := range q.Categories {
		if r, ok := cats[c.Name]; ok {
			if r != c.Roles {
				return nil, fmt.Errorf("category %q is declared with roles %s, not %s", c.Name, r, c.Roles)
			}
			continue
		}
		if len(out.Categories) >= maxCategories {
			return nil, fmt.Errorf("more than %d categories", maxCategories)
		}
		cats[c.Name] = c.Roles
		out.Categories = append(out.Categories, c)
	}
	index := map[[2]string]int{}
	for i, ph := range out.List {
		index[[2]string{ph.Category, ph.Norm}] = i
	}
	for _, ph := range q.List {
		if _, ok := cats[ph.Category]; !ok {
			return nil, fmt.Errorf("%s: unknown category %q", ph.Source, ph.Category)
		}
		if i, ok := index[[2]string{ph.Category, ph.Norm}]; ok {
			out.List[i] = ph
			continue
		}
		if len(out.List) >= maxPhrases {
			return nil, fmt.Errorf("more than %d phrases", maxPhrases)
		}
		index[[2]string{ph.Category, ph.Norm}] = len(out.List)
		out.List = append(out.List, ph)
	}
	return out, nil
}

// DefaultPhrases returns the embedded phrase set.
func DefaultPhrases() *Phrases { return defaultModel().phrases }

// Prepare compiles the embedded phrase model now; otherwise the first New
// does. A program that starts up on several cores calls it beside its
// other start-up work.
func Prepare() { defaultModel() }

// model is a compiled phrase set: the matcher over the distinct normalized
// phrases and, per pattern, the phrases that share it.
type model struct {
	phrases  *Phrases
	cats     []Category
	catIndex []int   // phrase index → category index
	byPat    [][]int // pattern id → phrase indexes
	m        *matcher
}

func compile(p *Phrases) *model {
	md := &model{phrases: p, cats: p.Categories}
	ci := map[string]int{}
	for i, c := range p.Categories {
		ci[c.Name] = i
	}
	pat := map[string]int{}
	var pats []string
	md.catIndex = make([]int, len(p.List))
	for i, ph := range p.List {
		md.catIndex[i] = ci[ph.Category]
		id, ok := pat[ph.Norm]
		if !ok {
			id = len(pats)
			pat[ph.Norm] = id
			pats = append(pats, ph.Norm)
			md.byPat = append(md.byPat, nil)
		}
		md.byPat[id] = append(md.byPat[id], i)
	}
	md.m = newMatcher(pats)
	return md
}

var defaultModel = sync.OnceValue(func() *model {
	p, err := ParsePhrases("phrases.txt", defaultPhrasesText)
	if err != nil {
		panic("content: embedded phrases.txt: " + err.Error()) // covered by tests
	}
	return compile(p)
})
