package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/report"
)

// maxRecordLine bounds one sweep input line (a JSON package record with
// its README fits; a longer line is an error for that line).
const maxRecordLine = 4 << 20

// sweepBatch is the number of lines a worker judges at a time.
const sweepBatch = 1024

func (g *globals) sweepCmd(ctx context.Context) *cobra.Command {
	var ecoName, input, namespace string
	var workers int
	var campaigns bool
	cmd := &cobra.Command{
		Use:   "sweep --ecosystem ECO [--input FILE|-]",
		Short: "Check a whole list of names (one name or JSON package per line), streaming JSON Lines",
		Long: `sweep reads one package name, or one JSON package record, per line and writes
one result per input line, in input order, as it goes (JSON Lines by default),
in bounded memory. Blank lines are skipped. A malformed or overlong line is
reported as an {"error":...} line in its place, and the exit code is then 2.

With --campaigns, sweep reads every record instead and writes the campaigns
found among them: clusters of packages with generated names, near-duplicate
lure texts, shared links or publishers (one JSON document by default).`,
		Example: "  pkgward sweep --ecosystem pypi --input names.txt\n  zcat names.gz | pkgward sweep --ecosystem npm --namespace all-names.txt.gz\n  pkgward sweep --campaigns --input records.jsonl --format text",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var eco ecosystem.Ecosystem
			ecos := ecosystem.All()
			if ecoName != "" {
				var err error
				if eco, err = ecosystem.Parse(ecoName); err != nil {
					return usageError{err}
				}
				ecos = []ecosystem.Ecosystem{eco}
			}
			if namespace == "-" && (input == "-" || input == "") {
				return usageError{fmt.Errorf("--namespace - needs --input FILE: standard input is already the names to check")}
			}
			if namespace != "" && eco == "" {
				return usageError{fmt.Errorf("--namespace needs --ecosystem")}
			}
			if campaigns && namespace != "" {
				return usageError{fmt.Errorf("--namespace does not apply to --campaigns")}
			}
			in, name, closeIn, err := openInput(input, g.io.In)
			if err != nil {
				return err
			}
			defer closeIn()
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
				// A sweep is a throughput job whose live heap is the index
				// (~50-100 MB): collect less often, but never let the heap
				// pass 200 MB before collecting.
				defer debug.SetGCPercent(debug.SetGCPercent(200))
				if !campaigns && (g.format == "" || g.format == "jsonl") {
					// Only streaming keeps the heap constant; the other
					// modes hold every result and would collect nonstop.
					defer debug.SetMemoryLimit(debug.SetMemoryLimit(200 << 20))
				}
			}
			if campaigns {
				return g.sweepCampaigns(ctx, &sweeper{eco: eco, file: name, workers: workers}, in)
			}
			eng, notices, err := g.buildEngine(ctx, ecos, namespace)
			if err != nil {
				return err
			}
			s := &sweeper{eng: eng, eco: eco, file: name, workers: workers}
			if g.format == "" || g.format == "jsonl" {
				stats, err := s.stream(ctx, in, g.io.Out)
				if err != nil {
					return err
				}
				bw := bufio.NewWriter(g.io.Out)
				for _, n := range notices {
					b, _ := json.Marshal(map[string]string{"notice": n})
					bw.Write(append(b, '\n'))
				}
				if err := bw.Flush(); err != nil {
					return err
				}
				if g.verbose {
					fmt.Fprintf(g.io.Err, "pkgward: %d checked: %d blocked, %d warned, %d errors\n", stats.results, stats.blocked, stats.warned, stats.errors)
				}
				switch {
				case stats.errors > 0:
					g.exitCode = ExitError
				case stats.failing > 0 && stats.maxSev >= g.failSev:
					g.exitCode = ExitFindings
				}
				return nil
			}
			results, errs, err := s.collect(ctx, in)
			if err != nil {
				return err
			}
			return g.finish(eng.Rules(), results, errs, notices)
		},
	}
	f := cmd.Flags()
	f.StringVar(&ecoName, "ecosystem", "", "ecosystem of the names (required for plain names; JSON records may carry their own)")
	f.StringVar(&input, "input", "-", "input file, - for standard input")
	f.StringVar(&namespace, "namespace", "", "file of every existing name (one per line, .gz accepted): also report collisions with any of them")
	f.IntVar(&workers, "workers", 0, "parallel workers (default: number of CPUs)")
	f.BoolVar(&campaigns, "campaigns", false, "cluster all records into campaigns and report those instead of per-package results")
	return cmd
}

// openInput opens FILE or "-" (stdin).
func openInput(path string, stdin io.Reader) (io.Reader, string, func(), error) {
	if path == "-" || path == "" {
		return stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, &record.InputError{File: path, Msg: err.Error()}
	}
	return f, path, func() { f.Close() }, nil
}

// sweeper judges a stream of lines in parallel, preserving input order.
type sweeper struct {
	// slots bounds the batches in flight (read, being judged, or waiting
	// for an earlier batch to be written), so memory stays constant
	// however slow one batch is.
	slots   chan struct{}
	eng     *analysis.Engine
	eco     ecosystem.Ecosystem
	file    string
	workers int
}

// item is one judged line: a result or an input error.
type item struct {
	res record.Result
	err *record.InputError
}

// batch is a run of input lines; buf holds their bytes.
type batch struct {
	seq   int
	buf   []byte
	ends  []int // end offset of each line in buf
	lines []int // line numbers
	errs  map[int]*record.InputError
	out   []byte         // JSON Lines output (stream)
	items []item         // results (collect)
	camp  []campaignItem // signatures (--campaigns)
}

type sweepStats struct {
	results, blocked, warned, errors, failing int
	maxSev                                    record.Severity
}

// judgeLine turns one input line into a result or an error.
func (s *sweeper) judgeLine(line []byte, n int) item {
	p, err := s.parseLine(line, n)
	if err != nil {
		return item{err: err}
	}
	return item{res: s.eng.Judge(&p)}
}

// parseLine turns one input line into a package record or an error.
func (s *sweeper) parseLine(line []byte, n int) (record.Package, *record.InputError) {
	text := bytes.TrimSpace(line)
	var p record.Package
	if len(text) > 0 && text[0] == '{' {
		var err error
		if p, err = record.DecodePackage(text); err != nil {
			return p, &record.InputError{File: s.file, Line: n, Msg: "invalid JSON package record: " + err.Error()}
		}
		if p.Ecosystem == "" {
			p.Ecosystem = s.eco
		}
		if p.Ecosystem == "" {
			return p, &record.InputError{File: s.file, Line: n, Msg: "package record without an ecosystem (and no --ecosystem)"}
		}
		if s.eco != "" && p.Ecosystem != s.eco {
			// Only the --ecosystem corpus is loaded: judging the record
			// without its own would silently skip the lookalike checks.
			return p, &record.InputError{File: s.file, Line: n, Msg: fmt.Sprintf("package record of ecosystem %s, but --ecosystem is %s", p.Ecosystem, s.eco)}
		}
	} else {
		if s.eco == "" {
			return p, &record.InputError{File: s.file, Line: n, Msg: "plain name without --ecosystem"}
		}
		p.Ecosystem = s.eco
		p.Name = string(text)
	}
	if err := validName(p.Name); err != nil {
		return p, &record.InputError{File: s.file, Line: n, Msg: err.Error()}
	}
	if p.Source == "" {
		p.Source = s.file + ":" + strconv.Itoa(n)
	}
	return p, nil
}

// read splits the input into batches, sending them on out in order.
func (s *sweeper) read(ctx context.Context, in io.Reader, out chan<- *batch) error {
	defer close(out)
	lr := newLineReader(in, maxRecordLine)
	seq := 0
	b := &batch{seq: seq}
	flush := func() bool {
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return false
		}
		seq++
		b = &batch{seq: seq}
		return true
	}
	for {
		line, n, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var tl tooLongError
			if !errors.As(err, &tl) {
				// A read error is not one line's: it would recur on every
				// further read. Write what was read, then stop.
				if len(b.lines) > 0 && !flush() {
					return ctx.Err()
				}
				return &record.InputError{File: s.file, Line: n, Msg: err.Error()}
			}
			if b.errs == nil {
				b.errs = map[int]*record.InputError{}
			}
			b.errs[len(b.lines)] = &record.InputError{File: s.file, Line: n, Msg: err.Error()}
			b.ends = append(b.ends, len(b.buf))
			b.lines = append(b.lines, n)
		} else {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			b.buf = append(b.buf, line...)
			b.ends = append(b.ends, len(b.buf))
			b.lines = append(b.lines, n)
		}
		if len(b.lines) >= sweepBatch || len(b.buf) >= 1<<20 {
			if !flush() {
				return ctx.Err()
			}
		}
	}
	if len(b.lines) > 0 && !flush() {
		return ctx.Err()
	}
	return nil
}

// run fans batches out to workers; done receives each processed batch.
func (s *sweeper) run(ctx context.Context, in io.Reader, work func(*batch)) (<-chan *batch, <-chan error) {
	s.slots = make(chan struct{}, s.workers*4)
	batches := make(chan *batch, s.workers*2)
	done := make(chan *batch, s.workers*2)
	readErr := make(chan error, 1)
	go func() { readErr <- s.read(ctx, in, batches) }()
	finished := make(chan struct{})
	for w := 0; w < s.workers; w++ {
		go func() {
			defer func() { finished <- struct{}{} }()
			for b := range batches {
				work(b)
				done <- b
			}
		}()
	}
	go func() {
		for w := 0; w < s.workers; w++ {
			<-finished
		}
		close(done)
	}()
	return done, readErr
}

// each calls fn for every line of b, in order.
func (s *sweeper) each(b *batch, fn func(item)) {
	start := 0
	for i, end := range b.ends {
		if e := b.errs[i]; e != nil {
			fn(item{err: e})
		} else {
			fn(s.judgeLine(b.buf[start:end], b.lines[i]))
		}
		start = end
	}
}

// stream writes JSON Lines in input order as batches complete.
func (s *sweeper) stream(ctx context.Context, in io.Reader, w io.Writer) (sweepStats, error) {
	var st sweepStats
	done, readErr := s.run(ctx, in, func(b *batch) {
		s.each(b, func(it item) {
			if it.err != nil {
				line, _ := json.Marshal(map[string]*record.InputError{"error": it.err})
				b.out = append(append(b.out, line...), '\n')
				b.items = append(b.items, it)
				return
			}
			b.out = report.AppendJSONL(b.out, &it.res)
			b.items = append(b.items, item{res: record.Result{Verdict: it.res.Verdict, Findings: it.res.Findings}})
		})
	})
	bw := bufio.NewWriterSize(w, 1<<16)
	pending := map[int]*batch{}
	next := 0
	var werr error
	for b := range done {
		pending[b.seq] = b
		for {
			nb, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-s.slots
			if werr == nil {
				_, werr = bw.Write(nb.out)
			}
			for _, it := range nb.items {
				if it.err != nil {
					st.errors++
					continue
				}
				st.results++
				switch it.res.Verdict {
				case record.Block:
					st.blocked++
				case record.Warn:
					st.warned++
				}
				if sev, ok := it.res.MaxSeverity(); ok {
					st.failing++
					if sev > st.maxSev {
						st.maxSev = sev
					}
				}
			}
		}
	}
	rerr := <-readErr
	if werr == nil {
		werr = bw.Flush() // what was read before a read error is written
	}
	if rerr != nil {
		return st, rerr
	}
	if werr != nil && !strings.Contains(werr.Error(), "broken pipe") {
		return st, werr
	}
	return st, nil
}

// collect gathers every result in order, for the non-streaming formats.
func (s *sweeper) collect(ctx context.Context, in io.Reader) ([]record.Result, []record.InputError, error) {
	done, readErr := s.run(ctx, in, func(b *batch) {
		s.each(b, func(it item) { b.items = append(b.items, it) })
	})
	var results []record.Result
	var errs []record.InputError
	pending := map[int]*batch{}
	next := 0
	for b := range done {
		pending[b.seq] = b
		for nb, ok := pending[next]; ok; nb, ok = pending[next] {
			delete(pending, next)
			next++
			<-s.slots
			for _, it := range nb.items {
				if it.err != nil {
					errs = append(errs, *it.err)
				} else {
					results = append(results, it.res)
				}
			}
		}
	}
	if err := <-readErr; err != nil {
		return nil, nil, err
	}
	return results, errs, nil
}
