// Command gen writes the prepared index DIR/ECO.idx of every embedded
// corpus (see ../prepared.go). Run it with `go generate
// ./internal/typosquat` after changing a corpus or what the index derives
// from a name.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/typosquat"
)

func main() {
	dir := "prepared"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := run(dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	for _, eco := range ecosystem.All() {
		c, err := corpus.Embedded(eco)
		if err != nil {
			return err
		}
		crc, size, err := corpus.Fingerprint(eco)
		if err != nil {
			return err
		}
		b, err := typosquat.EncodePrepared(eco, c.Entries, crc, size)
		if err != nil {
			return fmt.Errorf("%s: %w", eco, err)
		}
		if err := os.WriteFile(filepath.Join(dir, string(eco)+".idx"), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
