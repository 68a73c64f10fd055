package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/campaign"
	"github.com/pkgward/pkgward/internal/config"
	"github.com/pkgward/pkgward/internal/domain"
	"github.com/pkgward/pkgward/internal/npmmeta"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/report"
)

// Version is pkgward's version, reported in every output.
const Version = "0.1.0"

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// IO is the process's streams, injected for tests.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// OutIsTerminal enables colour in text output (unless NO_COLOR).
	OutIsTerminal bool
	// ErrIsTerminal enables progress lines on Err.
	ErrIsTerminal bool
}

// globals are the flags every command accepts.
type globals struct {
	// campaigns, set by serve, is the known-campaign matcher its engine
	// consults (nil elsewhere).
	campaigns *campaign.MatcherRef
	format    string
	failOn    string
	config    string
	offline   bool
	online    bool
	registry  string
	corpora   []string
	noColor   bool
	verbose   bool
	quiet     bool
	progress  bool // --progress: draw progress lines even where they are not drawn by default
	output    string
	rules     []string // --rules ID,...
	exclude   []string // --exclude-rules ID,...
	sel       *ruleSelection
	out       *atomicFile // --output FILE, until committed
	cobraOut  *switchWriter
	cfg       *config.Config
	failSev   record.Severity
	now       time.Time
	io        IO
	exitCode  int

	domainEngine *domain.Engine
}

// usageError marks errors that are the caller's fault (exit 2).
type usageError struct{ error }

// Run executes pkgward with args (without the program name) and returns
// the exit code.
func Run(ctx context.Context, args []string, stdio IO) int {
	g := &globals{io: stdio, now: time.Now()}
	root := g.rootCmd(ctx, args)
	err := root.ExecuteContext(ctx)
	if g.out != nil {
		if err != nil {
			g.out.abort()
		} else if cerr := g.out.commit(); cerr != nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(stdio.Err, "pkgward:", err)
		var ue usageError
		if errors.As(err, &ue) || isCobraUsage(err) {
			fmt.Fprintln(stdio.Err, "Run 'pkgward --help' for usage.")
		}
		return ExitError
	}
	return g.exitCode
}

// rootCmd builds the command tree of one run over g's streams; args are
// the run's arguments (cobra's completion command is added for them).
func (g *globals) rootCmd(ctx context.Context, args []string) *cobra.Command {
	root := &cobra.Command{
		Use:           "pkgward",
		Short:         "Find lookalike, lure and trojan packages before they are installed or published",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return g.setup(cmd, args)
		},
	}
	root.SetIn(g.io.In)
	// cobra's completion commands take their writer when they are built,
	// before --output is known: give them one that follows it.
	g.cobraOut = &switchWriter{w: g.io.Out}
	root.SetOut(g.cobraOut)
	root.SetErr(g.io.Err)
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{flagError(err)} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.format, "format", "", "output format: text, json, jsonl, sarif, markdown or html (default text; jsonl for sweep)")
	pf.StringVarP(&g.output, "output", "o", "", "write the report to FILE (atomically: nothing is written if the command fails); - for standard output")
	pf.StringSliceVar(&g.rules, "rules", nil, "report only these rules: ID,... (see pkgward rules); repeatable")
	pf.StringSliceVar(&g.exclude, "exclude-rules", nil, "do not report these rules: ID,...; repeatable")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "no notices on standard error")
	pf.BoolVar(&g.progress, "progress", false, "scan, sweep: draw the progress line on standard error even when it is not a terminal or CI is set (--quiet wins)")
	pf.StringVar(&g.failOn, "fail-on", "", "exit 1 when a finding reaches this severity: low, medium, high or critical (default high)")
	pf.StringVar(&g.config, "config", "", "configuration file (default .pkgward.yaml if present)")
	pf.BoolVar(&g.offline, "offline", true, "no network access")
	pf.BoolVar(&g.online, "online", false, "check/scan: also fetch npm package documents from the configured registry (see docs/online.md)")
	pf.StringVar(&g.registry, "registry", "", "with --online: the npm registry URL to use instead of the configured one")
	pf.StringArrayVar(&g.corpora, "corpus", nil, "extra names to protect, one per line: [ECO=]FILE (repeatable)")
	pf.BoolVar(&g.noColor, "no-color", false, "no colour in text output")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "text output: list packages without findings too")
	root.AddCommand(g.checkCmd(ctx), g.sweepCmd(ctx), g.scanCmd(ctx), g.inspectCmd(ctx), g.diffCmd(ctx), g.domainCmd(), g.emailCmd(), g.dbCmd(), g.corpusCmd(), g.rulesCmd(), g.serveCmd(ctx))
	root.SetHelpCommand(helpCmd())
	// cobra adds the completion command at Execute; add it now so that
	// requireSubcommand covers it too.
	root.InitDefaultCompletionCmd(args...)
	requireSubcommand(root)
	return root
}

// requireSubcommand makes every command that only groups subcommands
// (root, db, corpus) refuse an unknown subcommand: cobra would print help
// and exit 0, and a mistyped CI step would pass silently. With no
// argument such a command prints its help.
func requireSubcommand(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		requireSubcommand(c)
	}
	if !cmd.HasSubCommands() || cmd.Runnable() {
		return
	}
	cmd.Args = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return unknownCommand(c, args[0])
		}
		return nil
	}
	cmd.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
}

// unknownCommand is the usage error for name under parent, with cobra's
// suggestions (edit distance and prefix) as "did you mean", or else the
// list of parent's commands.
func unknownCommand(parent *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q for %q", name, parent.CommandPath())
	if parent.SuggestionsMinimumDistance <= 0 {
		parent.SuggestionsMinimumDistance = 2
	}
	if s := parent.SuggestionsFor(name); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", quoteJoin(s))
	} else {
		// Nothing close: name what there is.
		var names []string
		for _, c := range parent.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		if len(names) > 0 {
			msg += " (commands: " + strings.Join(names, ", ") + ")"
		}
	}
	return usageError{errors.New(msg)}
}

func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, " or ")
}

// helpCmd replaces cobra's help command, which prints "Unknown help
// topic" and exits 0 for a topic that does not exist.
func helpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]...",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil {
				return usageError{err}
			}
			if len(rest) > 0 {
				return unknownCommand(cmd, rest[0])
			}
			return cmd.Help()
		},
	}
}

// flagError rewrites pflag's error for a value that does not parse
// (`invalid argument "abc" for "--workers" flag: strconv.ParseInt:
// parsing "abc": invalid syntax`) without Go's parser names:
// `--workers: "abc" is not a whole number`. Other errors are kept.
func flagError(err error) error {
	m := err.Error()
	rest, ok := strings.CutPrefix(m, "invalid argument ")
	if !ok {
		return err
	}
	value, rest, ok := strings.Cut(rest, " for ")
	if !ok {
		return err
	}
	flag, reason, ok := strings.Cut(rest, " flag: ")
	if !ok {
		return err
	}
	flag = strings.Trim(flag, `"`)
	if i := strings.Index(flag, ", "); i >= 0 { // "-q, --quiet"
		flag = flag[i+2:]
	}
	var want string
	switch {
	case strings.HasPrefix(reason, "strconv.ParseInt") || strings.HasPrefix(reason, "strconv.ParseUint"):
		want = "a whole number"
		if strings.HasSuffix(reason, "value out of range") {
			want = "a whole number in range"
		}
	case strings.HasPrefix(reason, "strconv.ParseFloat"):
		want = "a number"
	case strings.HasPrefix(reason, "strconv.ParseBool"):
		want = "true or false"
	case strings.HasPrefix(reason, "time: "):
		want = "a duration (such as 30s, 5m or 1h)"
	default:
		return fmt.Errorf("%s: %s: %s", flag, value, reason)
	}
	return fmt.Errorf("%s: %s is not %s", flag, value, want)
}

// isCobraUsage recognizes cobra's own argument errors (unknown command,
// wrong number of arguments), which it does not type.
func isCobraUsage(err error) bool {
	m := err.Error()
	return strings.HasPrefix(m, "unknown command") || strings.Contains(m, "arg(s)") || strings.HasPrefix(m, "unknown flag") || strings.HasPrefix(m, "requires")
}

// setup loads the config and validates global flags.
func (g *globals) setup(cmd *cobra.Command, args []string) error {
	// Standard input can be read once. sweep reads it by default (--input
	// "-") and email reads it for a "-" argument.
	stdinUsers := 0
	for _, f := range []string{"config", "corpus", "namespace", "input"} {
		fl := cmd.Flags().Lookup(f)
		if fl == nil {
			continue
		}
		if (fl.Changed || f == "input") && isStdin(fl.Value.String()) {
			stdinUsers++
		}
	}
	switch cmd.Name() {
	case "email":
		if slices.Contains(args, "-") {
			stdinUsers++
		}
	case "inspect", "diff":
		for _, a := range args {
			if a == "-" {
				stdinUsers++
			}
		}
	}
	if vals, err := cmd.Flags().GetStringArray("rules-file"); err == nil && slices.Contains(vals, "-") {
		stdinUsers++
	}
	if vals, err := cmd.Flags().GetStringArray("lockfile"); err == nil {
		for _, v := range vals {
			if v == "-" || strings.HasSuffix(v, ":-") {
				stdinUsers++
			}
		}
	}
	if stdinUsers > 1 {
		return usageError{errors.New("standard input (-) can feed only one of --config, --corpus, --namespace, sweep's --input, scan's --lockfile, --rules-file and the - argument of email, inspect and diff")}
	}
	var cfg *config.Config
	var err error
	if g.config == "-" {
		var data []byte
		if data, err = io.ReadAll(io.LimitReader(g.io.In, config.MaxSize+1)); err == nil && len(data) > config.MaxSize {
			err = fmt.Errorf("configuration on standard input larger than %d bytes", config.MaxSize)
		}
		if err != nil {
			return &record.InputError{File: "stdin", Msg: err.Error()}
		}
		cfg, err = config.Parse("stdin", data)
	} else {
		cfg, err = g.loadConfig(cmd, args)
	}
	if err != nil {
		return err
	}
	g.cfg = cfg
	fail := g.failOn
	if fail == "" {
		fail = cfg.FailOn
	}
	if fail == "" {
		fail = "high"
	}
	if g.failSev, err = record.ParseSeverity(fail); err != nil {
		return usageError{fmt.Errorf("--fail-on: %w", err)}
	}
	if g.online && cmd.Flags().Changed("offline") && g.offline {
		return usageError{errors.New("--online and --offline contradict each other")}
	}
	if g.format != "" {
		if _, err := report.New(g.format, report.Options{}); err != nil {
			return usageError{fmt.Errorf("--format: %w", err)}
		}
	}
	if cmd.Flags().Lookup("rules-file") == nil {
		// inspect and diff select after loading their --rules-file
		// rules, whose ids may be selected too.
		if err := g.selectRules(nil); err != nil {
			return err
		}
	}
	if g.output != "" && cmd.Name() == "serve" {
		return usageError{errors.New("--output: serve writes no report (its notices go to standard error)")}
	}
	if g.output != "" && g.output != "-" {
		out, err := createAtomic(g.output)
		if err != nil {
			return err
		}
		g.out = out
		g.io.Out = out.f
		if g.cobraOut != nil {
			g.cobraOut.w = out.f
		}
	}
	return nil
}

// switchWriter writes to w, which may change after it is handed out.
type switchWriter struct{ w io.Writer }

func (s *switchWriter) Write(p []byte) (int, error) { return s.w.Write(p) }

// notice prints a notice on standard error, unless --quiet.
func (g *globals) notice(format string, args ...any) {
	if g.quiet {
		return
	}
	fmt.Fprintf(g.io.Err, "pkgward: notice: "+format+"\n", args...)
}

// selectRules checks --rules and --exclude-rules against the catalog and
// the extra rules (a --rules-file's) and sets the selection.
func (g *globals) selectRules(extra []record.Rule) error {
	if g.rules == nil && g.exclude == nil {
		return nil // every rule
	}
	known := map[string]bool{}
	for _, r := range catalog() {
		known[r.ID] = true
	}
	for _, r := range extra {
		known[r.ID] = true
	}
	sel, err := parseSelection(g.rules, g.exclude, known)
	if err != nil {
		return err
	}
	g.sel = sel
	// Only the selected rules run where that is cheap to decide: the
	// registry is not asked for documents whose every rule is dropped.
	if g.online && sel.active() && !slices.ContainsFunc(npmmeta.Rules(), func(r record.Rule) bool { return !sel.Drops(r.ID) }) {
		g.online = false
	}
	return nil
}

// rulesFileAliases takes the --rules values that are the old spelling of
// --rules-file (an existing file, a .yaml/.yml name) out of --rules and
// returns them, with a deprecation notice.
func (g *globals) rulesFileAliases() []string {
	known := map[string]bool{}
	for _, r := range catalog() {
		known[r.ID] = true
	}
	var files, ids []string
	for _, v := range g.rules {
		if rulesFileAlias(v, known) {
			files = append(files, v)
			g.notice("--rules %s: naming a rules file with --rules is deprecated; use --rules-file %s (--rules now selects rule ids)", v, v)
		} else {
			ids = append(ids, v)
		}
	}
	if len(files) > 0 {
		g.rules = ids
		if len(ids) == 0 {
			g.rules = nil
		}
	}
	return files
}

// isStdin reports a flag value naming standard input: "-", or for the
// repeatable --corpus "[-]" / "[ECO=-]".
func isStdin(v string) bool {
	v = strings.Trim(v, "[]")
	for _, x := range strings.Split(v, ",") {
		if _, f := splitCorpusSpec(x); f == "-" {
			return true
		}
	}
	return false
}

// renderer returns the renderer for the chosen format (def when unset).
func (g *globals) renderer(def string) (report.Renderer, error) {
	f := g.format
	if f == "" {
		f = def
	}
	color := g.io.OutIsTerminal && !g.noColor && os.Getenv("NO_COLOR") == ""
	return report.New(f, report.Options{Color: color, Verbose: g.verbose})
}

// finish renders a complete report (rules is the catalog of the rules the
// command may report, for SARIF) and sets the exit code.
func (g *globals) finish(rules []record.Rule, results []record.Result, errs []record.InputError, notices []string) error {
	return g.finishIn("", rules, results, errs, notices)
}

// finishIn is finish for results whose sources are relative to base (scan
// DIR labels files relative to DIR), so that SARIF can give paths relative
// to the repository root.
func (g *globals) finishIn(base string, rules []record.Rule, results []record.Result, errs []record.InputError, notices []string) error {
	r, err := g.renderer("text")
	if err != nil {
		return err
	}
	g.sel.filter(results)
	rep := &report.Report{
		Tool:    report.Tool{Name: "pkgward", Version: Version},
		Results: results, Errors: errs, Notices: notices, Rules: g.ranRules(rules), Base: base,
	}
	known := pipeline.Known()
	for _, rule := range rules {
		if !known(rule.ID) {
			if rep.Undocumented == nil {
				rep.Undocumented = map[string]bool{}
			}
			rep.Undocumented[rule.ID] = true
		}
	}
	if err := r.Render(g.io.Out, rep); err != nil {
		return err
	}
	g.setExit(results, len(errs) > 0)
	return nil
}

// ranRules is the catalog of the rules that ran: rules less those the
// selection (--rules, --exclude-rules) leaves out.
func (g *globals) ranRules(rules []record.Rule) []record.Rule {
	if !g.sel.active() {
		return rules
	}
	var out []record.Rule
	for _, r := range rules {
		if !g.sel.Drops(r.ID) {
			out = append(out, r)
		}
	}
	return out
}

// domains returns the lookalike-domain engine protecting the official
// domains and the configuration's own, built once per run.
func (g *globals) domains() *domain.Engine {
	if g.domainEngine == nil {
		var extra []string
		if g.cfg != nil {
			extra = g.cfg.Domains
		}
		g.domainEngine = domain.New(extra, brandsOf(g.cfg)...)
	}
	return g.domainEngine
}

func (g *globals) setExit(results []record.Result, hadErrors bool) {
	switch {
	case hadErrors:
		g.exitCode = ExitError
	case analysis.Fails(results, g.failSev):
		g.exitCode = ExitFindings
	default:
		g.exitCode = ExitOK
	}
}

// suppressor returns the config's suppressor and the notices for expired
// entries.
func (g *globals) suppressor() (*selectingSuppressor, []string) {
	s := &selectingSuppressor{g.cfg.NewSuppressor(g.now), g.sel}
	notices := s.Expired(g.cfg.File)
	var known map[string]bool // the catalog costs a third of a check's start: only when needed
	for _, e := range g.cfg.Ignore {
		if e.Rule != "" && known == nil {
			known = map[string]bool{}
			for _, r := range catalog() {
				known[r.ID] = true
			}
		}
		if e.Rule != "" && !known[e.Rule] {
			notices = append(notices, fmt.Sprintf("%s:%d: suppression names the unknown rule %q (see pkgward rules); it matches nothing", g.cfg.File, e.Line, e.Rule))
		}
	}
	return s, notices
}
