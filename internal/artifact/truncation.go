package artifact

import (
	"fmt"
	"io"
)

// Truncation reports whether reading t ended early because the archive is
// cut short (the stream ended inside an entry or a compressed block), and
// where. A truncated archive could not be read whole: callers treat it as
// an input error, never as a package to allow.
//
// It recognizes the archive-corrupt finding that the reader emits for an
// unexpected end of stream; if the reader gains a dedicated signal, only
// this function changes.
func Truncation(t *Tree) (string, bool) {
	for _, f := range t.Findings {
		if f.Rule != RuleCorrupt {
			continue
		}
		if e, _ := f.Evidence["error"].(string); e == io.ErrUnexpectedEOF.Error() || e == io.EOF.Error() {
			return fmt.Sprint(f.Evidence["where"]), true
		}
	}
	return "", false
}
