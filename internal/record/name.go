package record

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxNameLen bounds a package name (npm allows 214; Go paths are longer).
const MaxNameLen = 512

// ValidName rejects what cannot be a package name in any ecosystem:
// empty, over MaxNameLen bytes, invalid UTF-8, white space or control
// characters.
func ValidName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty package name")
	case len(name) > MaxNameLen:
		return fmt.Errorf("package name longer than %d bytes", MaxNameLen)
	case !utf8.ValidString(name):
		return fmt.Errorf("package name is not valid UTF-8")
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("package name %q contains white space or a control character", name)
		}
	}
	return nil
}
