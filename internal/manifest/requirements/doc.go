// Package requirements reads pip requirements files (requirements*.txt,
// *-requirements.txt, constraints*.txt) the way pip does: physical lines are
// split like Python's str.splitlines, joined on trailing backslashes, and
// stripped of comments; requirement lines are PEP 508 specifiers (with
// per-requirement options such as --hash ignored), VCS and archive URLs yield
// a dependency only when they name one with "#egg=", local paths are skipped,
// and "-r"/"--requirement" includes are followed through Input.ReadFile with
// cycle detection and bounded depth. Other options (index URLs, find-links,
// "-c" constraint files, ...) declare no dependency and are skipped.
package requirements
