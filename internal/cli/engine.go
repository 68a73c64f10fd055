package cli

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/corpus"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/typosquat"
)

// maxNameLen bounds a package name.
const maxNameLen = record.MaxNameLen

// userCorpora collects the names the user protects, per ecosystem; the
// entries under "" apply to every ecosystem.
func (g *globals) userCorpora() (map[ecosystem.Ecosystem][]corpus.Entry, error) {
	out := map[ecosystem.Ecosystem][]corpus.Entry{}
	for eco, names := range g.cfg.Corpus {
		if !eco.Valid() {
			return nil, &record.InputError{File: g.cfg.File, Msg: fmt.Sprintf("corpus: unknown ecosystem %q", eco)}
		}
		for _, n := range names {
			out[eco] = append(out[eco], corpus.Entry{Name: n})
		}
	}
	// Each spec with where it comes from: a --corpus flag, or a
	// corpus-files entry of the configuration (named by file and line).
	type corpusSpec struct {
		spec string
		line int  // of the config entry
		cfg  bool // from corpus-files
	}
	var specs []corpusSpec
	for _, s := range g.corpora {
		specs = append(specs, corpusSpec{spec: s})
	}
	for i, s := range g.cfg.CorpusFiles {
		eco, file := splitCorpusSpec(s)
		if !filepath.IsAbs(file) {
			file = filepath.Join(filepath.Dir(g.cfg.File), file)
		}
		if j := strings.IndexByte(s, '='); eco == "" && j > 0 && !strings.ContainsAny(s[:j], `/\`) {
			if _, err := os.Stat(file); err != nil {
				_, perr := ecosystem.Parse(s[:j]) // a misspelt ecosystem, as for --corpus
				return nil, &record.InputError{File: g.cfg.File, Line: g.cfg.CorpusFileLine(i), Msg: fmt.Sprintf("`corpus-files`: %s: %v", s, perr)}
			}
		}
		if eco != "" {
			file = eco + "=" + file
		}
		specs = append(specs, corpusSpec{spec: file, line: g.cfg.CorpusFileLine(i), cfg: true})
	}
	for _, cs := range specs {
		spec := cs.spec
		bad := func(err error) error {
			if cs.cfg {
				return &record.InputError{File: g.cfg.File, Line: cs.line, Msg: fmt.Sprintf("`corpus-files`: %s: %v", spec, err)}
			}
			return usageError{fmt.Errorf("--corpus %s: %w", spec, err)}
		}
		ecoName, file := splitCorpusSpec(spec)
		if i := strings.IndexByte(spec, '='); ecoName == "" && i > 0 && !strings.ContainsAny(spec[:i], `/\`) {
			if _, err := os.Stat(spec); err != nil {
				// Neither an ecosystem prefix nor an existing file:
				// most likely a misspelt ecosystem.
				_, perr := ecosystem.Parse(spec[:i])
				return nil, bad(perr)
			}
		}
		var eco ecosystem.Ecosystem
		if ecoName != "" {
			var err error
			if eco, err = ecosystem.Parse(ecoName); err != nil {
				return nil, bad(err)
			}
		}
		entries, err := readNamesFile(g.io.In, file, corpus.ReadUser)
		if err != nil {
			var ie *record.InputError
			if cs.cfg && errors.As(err, &ie) && ie.File == file && ie.Line == 0 {
				// The file could not be opened: say which entry named it.
				return nil, &record.InputError{File: g.cfg.File, Line: cs.line, Msg: fmt.Sprintf("`corpus-files`: %s: %s", file, ie.Msg)}
			}
			return nil, err
		}
		out[eco] = append(out[eco], entries...)
	}
	return out, nil
}

// splitCorpusSpec splits "[ECO=]FILE": the part before "=" is an
// ecosystem only if it names one (so "crates.io=names.txt" works and a
// file name containing "=" still does).
func splitCorpusSpec(s string) (eco, file string) {
	if i := strings.IndexByte(s, '='); i > 0 {
		if _, err := ecosystem.Parse(s[:i]); err == nil {
			return s[:i], s[i+1:]
		}
	}
	return "", s
}

// readNamesFile opens file ("-" for standard input; a name ending in
// ".gz" is decompressed) and hands it to read.
func readNamesFile[T any](stdin io.Reader, file string, read func(io.Reader, string) (T, error)) (T, error) {
	var zero T
	var src io.Reader = stdin
	if file == "-" {
		file = "stdin"
	} else {
		f, err := os.Open(file)
		if err != nil {
			return zero, fileError(file, err)
		}
		defer f.Close()
		src = f
	}
	var r io.Reader = bufio.NewReaderSize(src, 1<<16)
	if strings.HasSuffix(file, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return zero, fileError(file, err)
		}
		defer zr.Close()
		r = zr
	}
	return read(r, file)
}

// buildEngine loads the corpora of ecos, builds their indexes in parallel
// and returns the analysis engine. namespaceFile, when set, is the list
// of every existing name of the single ecosystem in ecos.
func (g *globals) buildEngine(ctx context.Context, ecos []ecosystem.Ecosystem, namespaceFile string) (*analysis.Engine, []string, error) {
	user, err := g.userCorpora()
	if err != nil {
		return nil, nil, err
	}
	var namespaces map[ecosystem.Ecosystem]*typosquat.Namespace
	if namespaceFile != "" {
		if len(ecos) != 1 {
			return nil, nil, usageError{fmt.Errorf("--namespace needs a single ecosystem")}
		}
		ns, err := readNamesFile(g.io.In, namespaceFile, func(r io.Reader, file string) (*typosquat.Namespace, error) {
			return readNamespace(ctx, ecos[0], r, file)
		})
		if err != nil {
			return nil, nil, err
		}
		namespaces = map[ecosystem.Ecosystem]*typosquat.Namespace{ecos[0]: ns}
	}
	mal, err := g.maliciousDB()
	if err != nil {
		return nil, nil, err
	}
	sup, notices := g.suppressor()
	eng, err := pipeline.Build(ctx, pipeline.Config{
		Ecosystems: ecos, UserCorpora: user, Namespaces: namespaces,
		Domains: g.domains(), Malicious: mal, Suppressor: sup, Campaigns: g.campaigns,
	})
	if err != nil {
		return nil, nil, err
	}
	return eng, notices, nil
}

// readNamespace reads one existing name per line.
func readNamespace(ctx context.Context, eco ecosystem.Ecosystem, r io.Reader, file string) (*typosquat.Namespace, error) {
	ns := typosquat.NewNamespace(eco)
	lr := newLineReader(r, maxNameLen*2)
	for {
		line, n, err := lr.next()
		if err == io.EOF {
			return ns, nil
		}
		if err != nil {
			return nil, &record.InputError{File: file, Line: n, Msg: err.Error()}
		}
		if n%65536 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		name := strings.TrimSpace(string(line))
		if name == "" || strings.HasPrefix(name, "#") {
			continue
		}
		ns.Add(name)
	}
}

// validName rejects what cannot be a package name in any ecosystem.
func validName(name string) error { return record.ValidName(name) }
