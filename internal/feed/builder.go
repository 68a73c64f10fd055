package feed

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/pkgward/pkgward/internal/record"
)

// maxErrs bounds the entry errors kept in one batch; the rest are counted.
const maxErrs = 20

// builder collects a batch's items, de-duplicated, and its entry errors.
type builder struct {
	b       Batch
	seen    map[string]int // Key → index in b.Items
	errs    []error
	dropped int
}

func newBuilder() *builder { return &builder{seen: map[string]int{}} }

// add appends it unless an equal key is already in the batch (a later
// removal overrides an earlier publication of the same key, and the
// earliest time is kept).
func (bd *builder) add(it Item) {
	if err := record.ValidName(it.Name); err != nil {
		bd.fail(err)
		return
	}
	if err := validVersion(it.Version); err != nil {
		bd.fail(fmt.Errorf("%s: %w", it.Name, err))
		return
	}
	k := it.Key()
	if i, ok := bd.seen[k]; ok {
		if it.Deleted {
			bd.b.Items[i].Deleted = true
		}
		if p := bd.b.Items[i].Published; p.IsZero() || (!it.Published.IsZero() && it.Published.Before(p)) {
			bd.b.Items[i].Published = it.Published
		}
		return
	}
	bd.seen[k] = len(bd.b.Items)
	bd.b.Items = append(bd.b.Items, it)
}

func (bd *builder) fail(err error) {
	if len(bd.errs) < maxErrs {
		bd.errs = append(bd.errs, err)
		return
	}
	bd.dropped++
}

func (bd *builder) batch() Batch {
	errs := bd.errs
	if bd.dropped > 0 {
		errs = append(errs, fmt.Errorf("and %d more entry errors", bd.dropped))
	}
	bd.b.Errs = errors.Join(errs...)
	return bd.b
}

// validVersion accepts an empty version (the feed did not say) or a
// printable one of at most 256 bytes.
func validVersion(v string) error {
	if len(v) > 256 {
		return fmt.Errorf("version longer than 256 bytes")
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("version is not valid UTF-8")
	}
	for _, r := range v {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("version %q contains white space or a control character", v)
		}
	}
	return nil
}
