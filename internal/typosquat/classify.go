package typosquat

import (
	"fmt"

	"github.com/pkgward/pkgward/internal/typo"
)

// Technique names, as they appear in a finding's evidence.
const (
	TechOmission      = "omission"
	TechInsertion     = "insertion"
	TechRepetition    = "repetition"
	TechSubstitution  = "substitution"
	TechVowelSwap     = "vowel-swap"
	TechBitFlip       = "bitflip"
	TechTransposition = "transposition"
	TechHomoglyph     = "homoglyph"
	TechDelimiter     = "delimiter"
	TechWordOrder     = "word-order"
	TechAffix         = "affix"
	TechPlural        = "plural"
	TechVersionSuffix = "version-suffix"
	TechScope         = "scope-confusion"
	TechOwner         = "owner-lookalike"
	TechHost          = "host-lookalike"
	TechRepoClone     = "repo-clone"
	// TechScopeDropped: npm, an unscoped name equal to the bare name of a
	// popular scoped package ("arm-compute" for "@azure/arm-compute").
	TechScopeDropped = "scope-dropped"
	// TechScopeLookalike: npm, a scope one or two edits from a popular
	// scope, with the same package name ("@meer-js/accounts").
	TechScopeLookalike = "scope-lookalike"
	// TechOption: a name spelled as a command-line option ("--no-audit"),
	// which no registry accepts for a new package: it is installed by an
	// install command whose option was mistyped or misplaced.
	TechOption = "option-name"
	// TechSoundAlike: a popular name respelled as it sounds
	// ("deezcord.js" for "discord.js"), phonetic.go.
	TechSoundAlike = "sound-alike"
)

// describe classifies one edit: its technique, a short human phrase and
// whether the characters are keyboard neighbours.
func describe(e edit, cand string) (tech, phrase string, keyboard bool) {
	switch e.kind {
	case opInsert:
		if (e.pos > 0 && cand[e.pos-1] == e.a) || (e.pos+1 < len(cand) && cand[e.pos+1] == e.a) {
			return TechRepetition, fmt.Sprintf("%q doubled", e.a), false
		}
		return TechInsertion, fmt.Sprintf("%q added", e.a), false
	case opDelete:
		return TechOmission, fmt.Sprintf("%q left out", e.a), false
	case opTranspose:
		return TechTransposition, fmt.Sprintf("%q and %q swapped", e.a, e.b), false
	}
	kb := typo.KeyboardAdjacent(e.a, e.b)
	switch {
	case typo.Lookalike(e.a, e.b):
		return TechHomoglyph, fmt.Sprintf("%q written as lookalike %q", e.a, e.b), kb
	case typo.IsVowel(e.a) && typo.IsVowel(e.b):
		return TechVowelSwap, fmt.Sprintf("vowel %q changed to %q", e.a, e.b), kb
	case kb:
		return TechSubstitution, fmt.Sprintf("%q changed to neighbouring key %q", e.a, e.b), true
	case typo.BitFlip(e.a, e.b):
		return TechBitFlip, fmt.Sprintf("%q changed to %q (one bit apart)", e.a, e.b), false
	}
	return TechSubstitution, fmt.Sprintf("%q changed to %q", e.a, e.b), false
}
