package artifact

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// Why a Tree does not hold the whole archive.
const (
	// IncompleteLimit: a reading limit (entries, total size, compression
	// ratio) stopped reading or made entries be skipped.
	IncompleteLimit = "limit"
	// IncompleteTruncated: the stream ended early or is corrupt; reading
	// stopped there.
	IncompleteTruncated = "truncated"
	// IncompleteEntry: entries could not be read (encrypted, an unknown
	// compression method, a bad CRC, an I/O error) and were skipped.
	IncompleteEntry = "unreadable-entry"
)

// Incomplete says that a Tree does not hold the whole archive: what was
// not read was never judged.
type Incomplete struct {
	Reason string // the first met: IncompleteLimit, IncompleteTruncated or IncompleteEntry
	Rule   string // the rule of the finding that reports it
	Where  string // the entry or place where it happened
	// Malformed is true when any truncation or unreadable entry was met
	// (also after a limit): the archive is broken, an input error.
	Malformed bool
	// InstallTime is true when the part not read may hold files that run
	// or are read at install (package.json, setup.py, .pth, a .nuspec,
	// install scripts…); their finding is then high. A tar read up to a
	// limit or a truncation always may: what follows is unknown.
	InstallTime bool
}

// ErrTruncated is wrapped by Tree.Err for an archive that is truncated or
// has unreadable entries.
var ErrTruncated = errors.New("archive truncated or corrupt: not read whole")

// Err returns an error wrapping ErrTruncated when the archive is truncated
// or corrupt (Incomplete.Malformed): an input error, never an allow. It is
// nil for an archive read whole, and for one stopped by a limit only (its
// findings say so, high when install-time files may be missing).
func (t *Tree) Err() error {
	if t.Incomplete == nil || !t.Incomplete.Malformed {
		return nil
	}
	return fmt.Errorf("%w (%s at %s)", ErrTruncated, t.Incomplete.Reason, t.Incomplete.Where)
}

// unread records that part of the archive was not read; installTime says
// whether that part may hold install-time files.
func (b *builder) unread(reason, rule, where string, installTime bool) {
	if b.incomplete == nil {
		b.incomplete = &Incomplete{Reason: reason, Rule: rule, Where: where}
	}
	if reason != IncompleteLimit {
		b.incomplete.Malformed = true
	}
	b.incomplete.InstallTime = b.incomplete.InstallTime || installTime
}

// unreadGrade grades a finding about an unread part: high, with the
// evidence saying why, when it may hold install-time files; else base.
// rest lists the names of a zip's entries not read (known from the
// central directory); restKnown false means the rest is unknown (a tar
// stream), so it may hold anything.
func unreadGrade(base record.Severity, ev map[string]any, rest []string, restKnown bool) (record.Severity, bool) {
	if !restKnown {
		ev["unread"] = "the rest of the archive was not read: it may hold install-time files (a later package.json, setup.py, install scripts)"
		return record.High, true
	}
	var risky []string
	for _, p := range rest {
		if mayRunAtInstall(p, nil) {
			risky = append(risky, p)
		}
	}
	if len(risky) == 0 {
		return base, false
	}
	ev["unread_install_time"] = capList(risky, 20)
	return record.High, true
}

// badEntry reports an entry that could not be read (an archive-corrupt
// finding, high when the entry runs at install) and skips it.
func (b *builder) badEntry(p string, ev map[string]any, format string, args ...any) {
	sev := record.Medium
	it := mayRunAtInstall(p, nil)
	if it {
		sev = record.High
		ev["install_time"] = true
		format += "; it runs or is read at install"
	}
	b.fs.add(RuleCorrupt, sev, ev, format, args...)
	b.unread(IncompleteEntry, RuleCorrupt, p, it)
}

// unreadNote is the end of the message of a finding about an unread part.
func unreadNote(installTime bool) string {
	if installTime {
		return "; the part not read may hold files that run at install, never judged"
	}
	return ""
}

// mayRunAtInstall reports whether an installer runs or reads the file at
// p (a path of any ecosystem, with or without a top directory) at install
// or build time, or whether a script names it.
func mayRunAtInstall(p string, scripts map[string]string) bool {
	l := strings.ToLower(p)
	base := path.Base(l)
	switch base {
	case "package.json", "binding.gyp", ".npmrc", "npm-shrinkwrap.json",
		"setup.py", "setup.cfg", "pyproject.toml", "pkg-info", "metadata", "record",
		"cargo.toml", "build.rs", "go.mod",
		"metadata.gz", "data.tar.gz", "checksums.yaml.gz", "extconf.rb", "rakefile", "mkrf_conf.rb",
		"install.ps1", "init.ps1", "uninstall.ps1":
		return true
	}
	switch path.Ext(base) {
	case ".pth", ".nuspec", ".gemspec", ".targets", ".props":
		return true
	}
	for _, s := range scripts {
		if len(p) >= 3 && strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// gradeTooLargeFiles raises an archive-file-too-large finding to high when
// the file whose content was not kept runs at install (scripts are those
// the metadata declared).
func gradeTooLargeFiles(fs *findings, scripts map[string]string) {
	for i := range fs.list {
		f := &fs.list[i]
		p, _ := f.Evidence["path"].(string)
		_, stripped, _ := strings.Cut(p, "/")
		if f.Rule != RuleFileTooLarge || !mayRunAtInstall(p, scripts) && !mayRunAtInstall(stripped, scripts) {
			continue
		}
		f.Severity = record.High
		f.Evidence["install_time"] = true
		f.Message += "; it runs or is read at install, and was not judged"
	}
}
