// Package pyproject reads the dependencies a pyproject.toml declares: PEP 621
// [project] dependencies and optional-dependencies, PEP 735
// [dependency-groups] (include-group entries are references, not
// dependencies), PEP 518 [build-system] requires, uv's legacy
// [tool.uv] dev-dependencies, and Poetry's [tool.poetry.dependencies],
// [tool.poetry.dev-dependencies] and [tool.poetry.group.<name>.dependencies]
// (the "python" constraint is skipped). PEP 508 strings are parsed with
// internal/pep508; Poetry constraints are kept as written. Dependencies on
// the project itself (self-referencing extras) and on local paths (Poetry
// "path", PEP 508 file: URLs) are skipped: no registry serves them.
package pyproject
