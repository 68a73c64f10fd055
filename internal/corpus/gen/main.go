// Command gen writes the fast copy data/ECO.tsv.zst of every embedded
// corpus data/ECO.tsv.gz (see package fastcopy). Run it with
// `go generate ./internal/corpus` after changing a corpus.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pkgward/pkgward/internal/corpus/fastcopy"
)

func main() {
	dir := "data"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	srcs, err := filepath.Glob(filepath.Join(dir, "*.tsv.gz"))
	if err == nil && len(srcs) == 0 {
		err = fmt.Errorf("no %s/*.tsv.gz", dir)
	}
	for _, src := range srcs {
		if err != nil {
			break
		}
		var gz, fc []byte
		if gz, err = os.ReadFile(src); err != nil {
			break
		}
		if fc, err = fastcopy.Encode(gz); err != nil {
			err = fmt.Errorf("%s: %w", src, err)
			break
		}
		err = os.WriteFile(strings.TrimSuffix(src, ".gz")+".zst", fc, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
