// Package registryconf reads the configuration files that tell package
// managers where to download packages from (registries, indexes, mirrors and
// module proxies), whether to verify what they download, and which
// credentials to send: .npmrc, .yarnrc, .yarnrc.yml, pip.conf/pip.ini, the
// index options of requirements files, Pipfile, pyproject.toml (Poetry and
// uv sources), uv.toml, nuget.config, Gemfile source lines, .gemrc,
// .cargo/config.toml and .cargo/credentials.toml, and the Go, pip and npm
// variables of go.env, .env and .envrc files.
//
// Each format has a Parser (All lists them, in the order the walker tries
// them) returning the file's Settings in file order, each with its file and
// 1-based line. Like the manifest parsers, these are sources: they read and
// normalize, they never judge (internal/regcheck does); a malformed file is
// a *record.InputError naming the file and line.
//
// Secrets never leave a parser. A URL carrying a password or token (in its
// user information or in a query parameter such as token=) is stored with
// the secret replaced by "***" (RedactURL), and the Setting's Secret says
// that something was removed; a credential key (an npm _authToken, a NuGet
// ClearTextPassword, a Cargo token) is stored as its key name only, with
// Value set only when the value is a reference to an environment variable
// (${NPM_TOKEN}, %FEED_PAT%), which is not itself a secret. Of an .env
// file, only the variables listed in the documentation are kept; every
// other line (which may hold unrelated secrets) is dropped unread, and no
// error message quotes a value.
package registryconf
