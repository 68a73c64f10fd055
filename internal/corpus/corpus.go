package corpus

import (
	"bufio"
	"embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"

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
	text, err := embeddedText(eco)
	if err != nil {
		return nil, err
	}
	c.Entries, err = parseTSV(text, string(eco)+".tsv.gz")
	if err != nil {
		return nil, err
	}
	return c, nil
}

// embeddedText returns the decompressed text of an embedded corpus, in one
// string that the entries' names are slices of (one allocation for the
// whole corpus instead of one per name).
func embeddedText(eco ecosystem.Ecosystem) (string, error) {
	f, err := data.Open(sourceFile(eco))
	if err != nil {
		return "", fmt.Errorf("no embedded corpus for %s: %w", eco, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("embedded corpus %s: %w", eco, err)
	}
	var sb strings.Builder
	if _, size, err := Fingerprint(eco); err == nil {
		sb.Grow(int(min(size, maxCorpus)))
	}
	if _, err := io.Copy(&sb, io.LimitReader(zr, maxCorpus)); err != nil {
		return "", fmt.Errorf("embedded corpus %s: %w", eco, err)
	}
	return sb.String(), nil
}

// maxCorpus bounds the decompressed size of an embedded corpus.
const maxCorpus = 64 << 20

// Fingerprint returns the CRC-32 and length (mod 2³²) of the TSV of eco's
// embedded corpus, as its gzip trailer records them: what identifies the
// corpus's content to data derived from it, without decoding it.
func Fingerprint(eco ecosystem.Ecosystem) (crc, size uint32, err error) {
	f, err := data.Open(sourceFile(eco))
	if err != nil {
		return 0, 0, fmt.Errorf("no embedded corpus for %s: %w", eco, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	ra, ok := f.(io.ReaderAt)
	if !ok || st.Size() < 18 {
		return 0, 0, errors.New("cannot read the gzip trailer")
	}
	var trailer [8]byte
	if _, err := ra.ReadAt(trailer[:], st.Size()-8); err != nil {
		return 0, 0, err
	}
	return binary.LittleEndian.Uint32(trailer[:]), binary.LittleEndian.Uint32(trailer[4:]), nil
}

func sourceFile(eco ecosystem.Ecosystem) string { return "data/" + string(eco) + ".tsv.gz" }

// parseTSV parses a whole corpus file with its header line, as readTSV
// would.
func parseTSV(text, file string) ([]Entry, error) {
	out := make([]Entry, 0, strings.Count(text, "\n"))
	for line := 1; text != ""; line++ {
		l, rest, _ := strings.Cut(text, "\n")
		text = rest
		if len(l) > maxLine {
			return nil, &record.InputError{File: file, Line: line, Msg: fmt.Sprintf("line longer than %d bytes", maxLine)}
		}
		if line == 1 {
			continue
		}
		e, ok, err := parseLine(l, file, line)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// maxLine bounds one line of a corpus file.
const maxLine = 4096

// ReadUser reads a user corpus: one name per line, optionally followed by a
// tab and a rank; blank lines and lines starting with "#" are ignored.
// Names without a rank are protected (Rank 0). Errors name file and line.
func ReadUser(r io.Reader, file string) ([]Entry, error) {
	return readTSV(r, file)
}

func readTSV(r io.Reader, file string) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxLine)
	var out []Entry
	line := 0
	for sc.Scan() {
		line++
		e, ok, err := parseLine(sc.Text(), file, line)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, e)
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, &record.InputError{File: file, Line: line + 1, Msg: fmt.Sprintf("line longer than %d bytes", maxLine)}
		}
		return nil, &record.InputError{File: file, Line: line + 1, Msg: err.Error()}
	}
	return out, nil
}

// parseLine parses one line (without its "\n"): "name[\trank[\tdownloads]]",
// further fields ignored. ok is false for a blank or "#" comment line.
func parseLine(text, file string, line int) (e Entry, ok bool, err error) {
	text = strings.TrimRight(text, "\r")
	if t := strings.TrimSpace(text); t == "" || strings.HasPrefix(t, "#") {
		return Entry{}, false, nil
	}
	name, rest, _ := strings.Cut(text, "\t")
	rank, rest, _ := strings.Cut(rest, "\t")
	downloads, _, _ := strings.Cut(rest, "\t")
	e = Entry{Name: strings.TrimSpace(name)}
	if e.Name == "" {
		return Entry{}, false, &record.InputError{File: file, Line: line, Msg: "empty name"}
	}
	if rank != "" {
		n, err := strconv.Atoi(strings.TrimSpace(rank))
		if err != nil || n < 0 {
			return Entry{}, false, &record.InputError{File: file, Line: line, Msg: fmt.Sprintf("rank %q is not a non-negative integer", rank)}
		}
		e.Rank = n
	}
	if downloads != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(downloads), 10, 64)
		if err != nil || n < 0 {
			return Entry{}, false, &record.InputError{File: file, Line: line, Msg: fmt.Sprintf("downloads %q is not a non-negative integer", downloads)}
		}
		e.Downloads = n
	}
	return e, true, nil
}
