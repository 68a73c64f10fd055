package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/malicious"
	"github.com/pkgward/pkgward/internal/record"
)

// dbEnv names the environment variable that locates the known-malicious
// database when --db is not given.
const dbEnv = "PKGWARD_DB"

// dbStaleAfter is the database age after which status warns.
const dbStaleAfter = 7 * 24 * time.Hour

// dbPath resolves the known-malicious database file: the --db flag, else
// $PKGWARD_DB, else malicious.DefaultPath (<user cache dir>/pkgward/malicious.db).
func dbPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if p := os.Getenv(dbEnv); p != "" {
		return p, nil
	}
	return malicious.DefaultPath()
}

// maliciousDB returns the known-malicious database at the default
// location ($PKGWARD_DB, else the user cache directory), or nil, nil when
// no database has been imported. A database that exists but cannot be
// read is an error (exit 2).
func (g *globals) maliciousDB() (*malicious.DB, error) {
	path, err := dbPath("")
	if err != nil {
		return nil, nil // no cache directory: nothing can have been imported
	}
	db, err := malicious.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &record.InputError{File: path, Msg: "known-malicious database: " + errText(err, path)}
	}
	return db, nil
}

func (g *globals) dbCmd() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Manage the known-malicious package database (OSV MAL records)",
		Long: `db manages the local database of known-malicious packages that check, scan and
sweep consult (rule known-malicious). Import the OSV data (the all.zip OSV
publishes per ecosystem, or a clone of the malicious-packages repository) with
'db import'; see what is loaded with 'db status'.

The database file is --db FILE, else $PKGWARD_DB, else
<user cache directory>/pkgward/malicious.db.`,
	}
	cmd.PersistentFlags().StringVar(&file, "db", "", "database file (default $"+dbEnv+", else <user cache dir>/pkgward/malicious.db)")
	cmd.AddCommand(g.dbImportCmd(&file), g.dbStatusCmd(&file))
	return cmd
}

// dbFormat returns "text" or "json" for the db commands.
func (g *globals) dbFormat(cmd string) (string, error) {
	switch g.format {
	case "", "text":
		return "text", nil
	case "json", "jsonl":
		return "json", nil
	}
	return "", usageError{fmt.Errorf("db %s has no %s form; use text or json", cmd, g.format)}
}

func (g *globals) dbImportCmd(file *string) *cobra.Command {
	var merge bool
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import OSV records into the known-malicious database",
		Long: `import reads OSV records from each PATH — a directory tree of .json files (and
.zip files in it), an all.zip as OSV publishes per ecosystem, or one .json
file — keeps the known-malicious ones (MAL- ids, records with
malicious-packages origins, and CWE-506 malware advisories) of npm, PyPI,
NuGet, RubyGems, Go and crates.io, and writes the database atomically.
Withdrawn records are never reported. Without --merge the database is
replaced by what the PATHs hold; with --merge the records are added to it
(the newer copy of an id wins).

A file that cannot be read or is not an OSV record stops the import
(exit 2, the database is left as it was); the message names the file and,
for JSON errors, the line.`,
		Example: "  pkgward db import npm-all.zip pypi-all.zip\n" +
			"  pkgward db import ./malicious-packages/osv --format json\n" +
			"  pkgward db import --merge crates-all.zip",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := g.dbFormat("import")
			if err != nil {
				return err
			}
			path, err := dbPath(*file)
			if err != nil {
				return err
			}
			im := malicious.NewImporter(malicious.Limits{})
			if merge {
				old, err := malicious.Load(path)
				switch {
				case err == nil:
					im.Seed(old)
				case !errors.Is(err, fs.ErrNotExist):
					return &record.InputError{File: path, Msg: "known-malicious database: " + errText(err, path) + " (import without --merge to replace it)"}
				}
			}
			for _, p := range args {
				if err := im.Add(cmd.Context(), p); err != nil {
					return err
				}
			}
			if im.Stats().Documents == 0 {
				// Saving now would replace the database with an empty one
				// (a symlinked or empty directory, say): refuse.
				return &record.InputError{File: strings.Join(args, " "), Msg: "no OSV record found; the database is left as it was"}
			}
			db := im.Build(g.now.UTC())
			if err := db.Save(path); err != nil {
				return fmt.Errorf("writing the known-malicious database: %w", err)
			}
			g.exitCode = ExitOK
			st := im.Stats()
			if format == "json" {
				return writeDBJSON(g.io.Out, struct {
					Database string          `json:"database"`
					Inputs   []string        `json:"inputs"`
					Merge    bool            `json:"merge"`
					Read     malicious.Stats `json:"read"`
					Status   dbStatus        `json:"status"`
				}{path, args, merge, st, newDBStatus(path, db, g.now)})
			}
			return printDBImport(g.io.Out, path, st, db)
		},
	}
	cmd.Flags().BoolVar(&merge, "merge", false, "add to the existing database instead of replacing it")
	return cmd
}

func printDBImport(w io.Writer, path string, st malicious.Stats, db *malicious.DB) error {
	m := db.Meta()
	fmt.Fprintf(w, "wrote %s\n", path)
	fmt.Fprintf(w, "read %d OSV records: %d known-malicious (%d withdrawn, %d in other ecosystems, %d older copies of an id), %d not malicious (skipped)\n",
		st.Documents, st.Malicious, st.Withdrawn, st.Unsupported, st.Duplicates, st.Skipped)
	if st.Ignored > 0 || st.UnsafePaths > 0 {
		fmt.Fprintf(w, "ignored %s (not .json or .zip, or links) and %s with unsafe paths\n",
			dbCount(st.Ignored, "file"), dbCount(st.UnsafePaths, "zip entry"))
	}
	fmt.Fprintf(w, "database: %d known-malicious records, %d withdrawn\n\n", m.Records, m.Withdrawn)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ECOSYSTEM\tREAD\tRECORDS\tPACKAGES")
	packages := 0
	for _, e := range ecosystem.All() {
		c := m.Ecosystems[e]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", e, st.Ecosystems[e], c.Records, c.Packages)
		packages += c.Packages
	}
	// A record naming packages of two ecosystems is in both rows, once in
	// the total.
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\n", st.Malicious-st.Withdrawn-st.Unsupported, m.Records, packages)
	return tw.Flush()
}

// dbStatus is the JSON form of `db status`.
type dbStatus struct {
	Path    string `json:"path"`
	Present bool   `json:"present"`
	Size    int64  `json:"size,omitempty"`
	// AgeSeconds is the time since the import; Stale is set after a week.
	AgeSeconds *int64 `json:"age_seconds,omitempty"`
	Stale      *bool  `json:"stale,omitempty"`
	*malicious.Meta
}

func newDBStatus(path string, db *malicious.DB, now time.Time) dbStatus {
	s := dbStatus{Path: path, Present: true}
	if st, err := os.Stat(path); err == nil {
		s.Size = st.Size()
	}
	m := db.Meta()
	for _, e := range ecosystem.All() {
		if _, ok := m.Ecosystems[e]; !ok {
			m.Ecosystems[e] = malicious.EcoCount{}
		}
	}
	s.Meta = &m
	age := now.Sub(m.Imported)
	secs, stale := max(int64(age/time.Second), 0), age > dbStaleAfter
	s.AgeSeconds, s.Stale = &secs, &stale
	return s
}

func (g *globals) dbStatusCmd(file *string) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show where the known-malicious database is, when it was imported and what it holds",
		Long: `status prints the database file, when and from what it was imported, its age,
the date of its newest record, and its records and packages per ecosystem.
With no database it says so (exit 0); a database that cannot be read is an
error (exit 2).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := g.dbFormat("status")
			if err != nil {
				return err
			}
			path, err := dbPath(*file)
			if err != nil {
				return err
			}
			db, err := malicious.Load(path)
			g.exitCode = ExitOK
			if errors.Is(err, fs.ErrNotExist) {
				if format == "json" {
					return writeDBJSON(g.io.Out, dbStatus{Path: path})
				}
				fmt.Fprintf(g.io.Out, "no known-malicious database at %s\nimport one: pkgward db import PATH (OSV records: an ecosystem's all.zip or a directory of .json files)\n", path)
				return nil
			}
			if err != nil {
				return &record.InputError{File: path, Msg: "known-malicious database: " + errText(err, path)}
			}
			s := newDBStatus(path, db, g.now)
			if format == "json" {
				return writeDBJSON(g.io.Out, s)
			}
			return printDBStatus(g.io.Out, s, g.now)
		},
	}
}

func printDBStatus(w io.Writer, s dbStatus, now time.Time) error {
	m := s.Meta
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "database\t%s (%s)\n", s.Path, dbSizeText(s.Size))
	fmt.Fprintf(tw, "imported\t%s (%s)\n", m.Imported.UTC().Format("2006-01-02 15:04:05 MST"), dbAgeText(now.Sub(m.Imported)))
	if !m.Newest.IsZero() {
		fmt.Fprintf(tw, "newest record\t%s (modified)\n", m.Newest.UTC().Format("2006-01-02"))
	}
	fmt.Fprintf(tw, "records\t%d known-malicious, %d withdrawn\n", m.Records, m.Withdrawn)
	for i, src := range m.Sources {
		label := ""
		if i == 0 {
			label = "sources"
		}
		fmt.Fprintf(tw, "%s\t%s (%s, %d documents, %d malicious, imported %s)\n", label, src.Path, src.Kind, src.Documents, src.Records, src.Imported.UTC().Format("2006-01-02"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if *s.Stale {
		fmt.Fprintf(w, "warning: imported %s; new malicious packages are published every day: import again\n", dbAgeText(now.Sub(m.Imported)))
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ECOSYSTEM\tRECORDS\tPACKAGES")
	packages := 0
	for _, e := range ecosystem.All() {
		c := m.Ecosystems[e]
		fmt.Fprintf(tw, "%s\t%d\t%d\n", e, c.Records, c.Packages)
		packages += c.Packages
	}
	fmt.Fprintf(tw, "total\t%d\t%d\n", m.Records, packages)
	return tw.Flush()
}

// dbCount renders "1 file", "2 files", "1 zip entry", "0 zip entries".
func dbCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func writeDBJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// dbAgeText renders a duration since an event: "just now", "5 minutes
// ago", "3 hours ago", "12 days ago".
func dbAgeText(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return fmt.Sprintf("1 %s ago", unit)
		}
		return fmt.Sprintf("%d %ss ago", n, unit)
	}
	switch {
	case d < 0:
		return "in the future"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int64(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int64(d/time.Hour), "hour")
	}
	return plural(int64(d/(24*time.Hour)), "day")
}

func dbSizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
