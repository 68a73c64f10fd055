package artifact

import (
	"fmt"

	"github.com/pkgward/pkgward/internal/record"
)

// Rule ids of the structural findings. Never rename or reuse one.
const (
	RuleBomb           = "archive-bomb"
	RuleTooLarge       = "archive-too-large"
	RuleTooManyFiles   = "archive-too-many-files"
	RuleFileTooLarge   = "archive-file-too-large"
	RulePathTraversal  = "archive-path-traversal"
	RuleSymlink        = "archive-symlink"
	RuleSpecialFile    = "archive-special-file"
	RuleDuplicatePath  = "archive-duplicate-path"
	RuleBadName        = "archive-bad-name"
	RuleCorrupt        = "archive-corrupt"
	RuleFormatMismatch = "archive-format-mismatch"
	RuleBadMetadata    = "archive-bad-metadata"
	RuleMultipleRoots  = "archive-multiple-roots"
)

// Rules is the catalog of the structural rules the reader emits.
func Rules() []record.Rule {
	return []record.Rule{
		{ID: RuleBomb, Severity: record.High, Title: "a decompression bomb: the archive expands far more than real packages do",
			Description: "The decompressed stream grew past the compression-ratio limit (200:1 by default, measured on the stream once 1 MiB is out; for one zip entry, once it is past the per-file limit), or zip entries share their compressed data (overlapping entries). Reading stopped (or the entry was skipped) before it could exhaust memory or disk."},
		{ID: RuleTooLarge, Severity: record.High, Title: "the archive is larger than the reading limit",
			Description: "The total uncompressed size (512 MiB by default) was exceeded; reading stopped and later files are missing from the tree. High when the part not read may hold install-time files (always for a tar or a zip not read at all; for a zip, when an entry not read is one), medium otherwise."},
		{ID: RuleTooManyFiles, Severity: record.High, Title: "the archive has more entries than the reading limit",
			Description: "More entries than the limit (100,000 by default); reading stopped, or a zip was not read at all. High when the entries not read may hold install-time files, as for archive-too-large."},
		{ID: RuleFileTooLarge, Severity: record.High, Title: "a file larger than the per-file limit was listed but not kept",
			Description: "A regular file over the per-file limit (16 MiB by default): its size and hash are known but its content was not kept, so content rules did not see it. High when the file runs or is read at install (package.json, setup.py, a .pth, a file a script names…), low otherwise."},
		{ID: RulePathTraversal, Severity: record.High, Title: "an entry path that would escape the extraction directory",
			Description: "An entry name with a `..` component, an absolute path, a Windows drive letter or a UNC path (backslashes count as separators): extracting it naively writes outside the target directory (zip-slip). The entry was refused."},
		{ID: RuleSymlink, Severity: record.High, Title: "a symbolic or hard link in the archive",
			Description: "Links are refused, never followed or created. High when the target is absolute or escapes the package root, medium otherwise."},
		{ID: RuleSpecialFile, Severity: record.Medium, Title: "a device file, FIFO, sparse file or unknown entry type",
			Description: "Package archives hold regular files and directories only; other entry types were refused."},
		{ID: RuleDuplicatePath, Severity: record.Medium, Title: "two entries with the same path",
			Description: "Medium for the same path twice (tools disagree on which copy wins; the tree keeps the last, as extraction does), low for paths equal up to letter case (they collide on Windows and macOS)."},
		{ID: RuleBadName, Severity: record.Low, Title: "an entry name that is not valid UTF-8, has control characters or is too long",
			Description: "Invalid bytes and control characters are shown as %XX in the path; names over 4096 bytes (or a component over 255) are refused."},
		{ID: RuleCorrupt, Severity: record.High, Title: "a truncated or corrupt archive or entry",
			Description: "High for a stream that ends early or is corrupt (what follows was not read and may hold install-time files) and for an unreadable entry that runs at install; medium otherwise. A stream that ends early, a bad checksum, an encrypted zip entry or one with a method other than store, deflate, bzip2, LZMA and zstd, a gem whose checksums.yaml does not match: what was read before is kept."},
		{ID: RuleFormatMismatch, Severity: record.Low, Title: "the file name says one archive format and the content another",
			Description: "For example a .whl that is a gzip stream; the content decides how it is read."},
		{ID: RuleBadMetadata, Severity: record.Low, Title: "package metadata missing or malformed",
			Description: "package.json, METADATA/PKG-INFO, the .nuspec, the gem metadata, go.mod or Cargo.toml could not be parsed, is missing, or disagrees with the archive (a Go module path that differs from the zip prefix)."},
		{ID: RuleMultipleRoots, Severity: record.High, Title: "an npm tarball with more than one top directory, or files outside one",
			Description: "npm strips the first path component of every entry whatever it is (package/, zz/, …) and installs them all as one package, the last copy of a path winning. High when a directory after the first changes or adds package.json or another file read at install (binding.gyp, .npmrc, npm-shrinkwrap.json), medium otherwise; low for a file outside any directory (npm does not install it)."},
	}
}

// maxPerRule bounds the findings listed per rule; the rest are counted in
// one summary finding.
const maxPerRule = 25

// findings collects structural findings in the order they are found.
type findings struct {
	list  []record.Finding
	count map[string]int
	worst map[string]record.Severity // highest severity among the unlisted
	order []string                   // rules in the order of their first finding
}

func (fs *findings) add(rule string, sev record.Severity, ev map[string]any, format string, args ...any) {
	if fs.count == nil {
		fs.count = map[string]int{}
		fs.worst = map[string]record.Severity{}
	}
	if fs.count[rule] == 0 {
		fs.order = append(fs.order, rule)
	}
	fs.count[rule]++
	if fs.count[rule] > maxPerRule {
		fs.worst[rule] = max(fs.worst[rule], sev)
		return
	}
	fs.list = append(fs.list, record.Finding{
		Rule: rule, Severity: sev, Confidence: 1,
		Message: fmt.Sprintf(format, args...), Evidence: ev,
	})
}

// done returns the findings, with one summary per rule that overflowed.
func (fs *findings) done() []record.Finding {
	out := fs.list
	for _, r := range fs.order {
		if n := fs.count[r] - maxPerRule; n > 0 {
			out = append(out, record.Finding{
				Rule: r, Severity: fs.worst[r], Confidence: 1,
				Message:  fmt.Sprintf("%d more %s findings not listed", n, r),
				Evidence: map[string]any{"more": n},
			})
		}
	}
	return out
}
