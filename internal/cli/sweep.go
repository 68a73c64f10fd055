package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/stream"
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
				return g.sweepCampaigns(ctx, &sweeper{eco: eco, file: name, workers: workers, progress: g.sweepProgress()}, in)
			}
			eng, notices, err := g.buildEngine(ctx, ecos, namespace)
			if err != nil {
				return err
			}
			s := &sweeper{eng: eng, eco: eco, file: name, workers: workers}
			s.progress = g.sweepProgress()
			if g.format == "" || g.format == "jsonl" {
				stats, err := s.stream(ctx, in, g.io.Out, notices)
				s.progress.done()
				if err != nil {
					return err
				}
				if g.verbose {
					fmt.Fprintf(g.io.Err, "pkgward: %d checked: %d blocked, %d warned, %d errors\n", stats.Results, stats.Blocked, stats.Warned, stats.Errors)
				}
				switch {
				case stats.Errors > 0:
					g.exitCode = ExitError
				case stats.Failing > 0 && stats.MaxSeverity >= g.failSev:
					g.exitCode = ExitFindings
				}
				return nil
			}
			results, errs, err := s.collect(ctx, in)
			s.progress.done()
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
		return nil, "", nil, fileError(path, err)
	}
	return f, path, func() { f.Close() }, nil
}

// sweeper judges a stream of lines in parallel, preserving input order
// (stream.Ordered), with a bounded number of batches in flight.
type sweeper struct {
	eng     *analysis.Engine
	eco     ecosystem.Ecosystem
	file    string
	workers int
	// progress, when set, is told of every emitted batch.
	progress *progress
}

// batch is a run of input lines; buf holds their bytes.
type batch struct {
	buf   []byte
	ends  []int // end offset of each line in buf
	lines []int // line numbers
	errs  map[int]*record.InputError
	out   []byte           // JSON Lines output (stream)
	items []stream.Outcome // results (collect); verdicts and findings (stream)
	camp  []campaignItem   // signatures (--campaigns)
}

// judgeLine turns one input line into a result or an error.
func (s *sweeper) judgeLine(ctx context.Context, line []byte, n int) stream.Outcome {
	p, err := s.parseLine(line, n)
	if err != nil {
		return stream.Outcome{Err: err}
	}
	return stream.Outcome{Result: s.eng.Check(ctx, &p)}
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

// read splits the input into batches, sending them in order.
func (s *sweeper) read(in io.Reader) func(context.Context, func(*batch) error) error {
	return func(ctx context.Context, send func(*batch) error) error {
		lr := newLineReader(in, maxRecordLine)
		b := &batch{}
		flush := func() error {
			err := send(b)
			b = &batch{}
			return err
		}
		for {
			line, n, err := lr.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var tl tooLongError
				if !errors.As(err, &tl) {
					// A read error is not one line's: it would recur on
					// every further read. Write what was read, then stop.
					if len(b.lines) > 0 {
						if err := flush(); err != nil {
							return err
						}
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
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if len(b.lines) > 0 {
			return flush()
		}
		return nil
	}
}

// run judges the batches of in with work and hands them to emit in order.
func (s *sweeper) run(ctx context.Context, in io.Reader, work func(context.Context, *batch), emit func(*batch) error) error {
	opt := stream.Options{Workers: s.workers, InFlight: s.workers * 4}
	return stream.Ordered(ctx, opt, s.read(in), work, func(b *batch) error {
		if s.progress != nil {
			s.progress.add(len(b.lines))
		}
		return emit(b)
	})
}

// each calls fn for every line of b, in order.
func (s *sweeper) each(ctx context.Context, b *batch, fn func(stream.Outcome)) {
	start := 0
	for i, end := range b.ends {
		if e := b.errs[i]; e != nil {
			fn(stream.Outcome{Err: e})
		} else {
			fn(s.judgeLine(ctx, b.buf[start:end], b.lines[i]))
		}
		start = end
	}
}

// stream writes JSON Lines in input order as batches complete, and the
// notices after them.
func (s *sweeper) stream(ctx context.Context, in io.Reader, w io.Writer, notices []string) (stream.Tally, error) {
	var st stream.Tally
	out := stream.NewJSONL(w)
	err := s.run(ctx, in, func(ctx context.Context, b *batch) {
		s.each(ctx, b, func(o stream.Outcome) {
			b.out = stream.AppendJSONL(b.out, &o)
			if o.Err != nil {
				b.items = append(b.items, o)
				return
			}
			for _, ie := range analysis.IncompleteOne(&o.Result) {
				b.out = stream.AppendJSONL(b.out, &stream.Outcome{Err: &ie})
			}
			// Only what the tally needs is kept until the batch is written.
			b.items = append(b.items, stream.Outcome{Result: record.Result{Verdict: o.Result.Verdict, Findings: o.Result.Findings, Errors: o.Result.Errors}})
		})
	}, func(b *batch) error {
		out.Write(b.out)
		for i := range b.items {
			st.Add(&b.items[i])
		}
		return nil
	})
	if err != nil {
		out.Flush() // what was read before a read error is written
		return st, err
	}
	for _, n := range notices {
		out.Notice(n)
	}
	return st, out.Flush()
}

// collect gathers every result in order, for the non-streaming formats.
func (s *sweeper) collect(ctx context.Context, in io.Reader) ([]record.Result, []record.InputError, error) {
	var results []record.Result
	var errs []record.InputError
	err := s.run(ctx, in, func(ctx context.Context, b *batch) {
		s.each(ctx, b, func(o stream.Outcome) { b.items = append(b.items, o) })
	}, func(b *batch) error {
		for _, o := range b.items {
			if o.Err != nil {
				errs = append(errs, *o.Err)
			} else {
				results = append(results, o.Result)
				errs = append(errs, analysis.IncompleteOne(&o.Result)...)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return results, errs, nil
}
