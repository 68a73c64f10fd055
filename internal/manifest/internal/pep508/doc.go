// Package pep508 parses Python dependency specifiers (PEP 508: a project
// name, optional extras, a version specifier or "@ URL" direct reference, and
// an optional environment marker) into their parts, exactly as written. It
// validates the grammar strictly enough to reject lines that are not a
// requirement, but does not evaluate markers or resolve versions. It is
// shared by the PyPI manifest parsers (requirements, pyproject).
package pep508
