package corpus

import (
	"bufio"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

//go:embed data/*.tsv.gz data/meta.json
var data embed.FS

// Entry is one popular (or protected) name.
type Entry struct {
	Name string
	// Rank is the 1-based popularity rank within the corpus (ties allowed).
	// Rank 0 marks a name the user asked to protect: treated as top-ranked.
	Rank      int
	Downloads int64 // monthly downloads, 0 when unknown
}

// Meta describes where a corpus came from.
type Meta struct {
	Ecosystem ecosystem.Ecosystem `json:"ecosystem"`
	Source    string              `json:"source"`
	Date      string              `json:"date"`
	Size      int                 `json:"size"`
	RankedBy  string              `json:"ranked_by"`
}

// Corpus is a loaded corpus.
type Corpus struct {
	Meta    Meta
	Entries []Entry
}

// List returns the metadata of every embedded corpus.
func List() ([]Meta, error) {
	b, err := data.ReadFile("data/meta.json")
	if err != nil {
		return nil, err
	}
	var metas []Meta
	if err := json.Unmarshal(b, &metas); err != nil {
		return nil, fmt.Errorf("embedded corpus metadata: %w", err)
	}
	return metas, nil
}

// Embedded loads the embedded corpus of an ecosystem.
func Embedded(eco ecosystem.Ecosystem) (*Corpus, error) {
	metas, err := List()
	if err != nil {
		return nil, err
	}
	c := &Corpus{Meta: Meta{Ecosystem: eco}}
	for _, m := range metas {
		if m.Ecosystem == eco {
			c.Meta = m
		}
	}
	f, err := data.Open("data/" + string(eco) + ".tsv.gz")
	if err != nil {
		return nil, fmt.Errorf("no embedded corpus for %s: %w", eco, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("embedded corpus %s: %w", eco, err)
	}
	c.Entries, err = readTSV(zr, string(eco)+".tsv.gz", true)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// maxLine bounds one line of a corpus file.
const maxLine = 4096

// ReadUser reads a user corpus: one name per line, optionally followed by a
// tab and a rank; blank lines and lines starting with "#" are ignored.
// Names without a rank are protected (Rank 0). Errors name file and line.
func ReadUser(r io.Reader, file string) ([]Entry, error) {
	return readTSV(r, file, false)
}

func readTSV(r io.Reader, file string, header bool) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxLine)
	var out []Entry
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if header && line == 1 {
			continue
		}
		if t := strings.TrimSpace(text); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		e := Entry{Name: strings.TrimSpace(fields[0])}
		if e.Name == "" {
			return nil, &record.InputError{File: file, Line: line, Msg: "empty name"}
		}
		if len(fields) > 1 && fields[1] != "" {
			n, err := strconv.Atoi(strings.TrimSpace(fields[1]))
			if err != nil || n < 0 {
				return nil, &record.InputError{File: file, Line: line, Msg: fmt.Sprintf("rank %q is not a non-negative integer", fields[1])}
			}
			e.Rank = n
		}
		if len(fields) > 2 && fields[2] != "" {
			n, err := strconv.ParseInt(strings.TrimSpace(fields[2]), 10, 64)
			if err != nil || n < 0 {
				return nil, &record.InputError{File: file, Line: line, Msg: fmt.Sprintf("downloads %q is not a non-negative integer", fields[2])}
			}
			e.Downloads = n
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, &record.InputError{File: file, Line: line + 1, Msg: fmt.Sprintf("line longer than %d bytes", maxLine)}
		}
		return nil, &record.InputError{File: file, Line: line + 1, Msg: err.Error()}
	}
	return out, nil
}
