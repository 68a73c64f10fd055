package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pkgward/pkgward/internal/record"
)

// Schema is the id of the JSON report document.
const Schema = "pkgward/report/v1"

// Tool names the producing tool.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Report is everything a renderer needs: the results in input order, the
// inputs that could not be read, notices (e.g. expired suppressions) and
// the rule catalog (for SARIF rule metadata).
type Report struct {
	Tool    Tool
	Results []record.Result
	Errors  []record.InputError
	Notices []string
	Rules   []record.Rule
	// Base is the directory relative result sources are relative to (scan
	// reports files relative to the scanned directory); empty: the working
	// directory. SARIF uses it to give repository-relative paths.
	Base string
	// Undocumented are rule ids of Rules without an anchor in
	// docs/rules.md (the rules of a user's --rules-file): SARIF gives them
	// no helpUri.
	Undocumented map[string]bool
}

// Options tune the human-facing renderers.
type Options struct {
	Color   bool // ANSI colour in text output
	Verbose bool // text: list results without findings too
}

// Renderer writes a whole report in one format.
type Renderer interface {
	Render(w io.Writer, r *Report) error
}

// formats is the table of renderers, one row per --format value, in the
// order the documentation lists them: a new format is one row here and
// one file.
var formats = []struct {
	name string
	new  func(Options) Renderer
}{
	{"text", func(opt Options) Renderer { return textRenderer{opt: opt} }},
	{"json", func(Options) Renderer { return jsonRenderer{} }},
	{"jsonl", func(Options) Renderer { return jsonlRenderer{} }},
	{"sarif", func(Options) Renderer { return sarifRenderer{} }},
	{"markdown", func(Options) Renderer { return markdownRenderer{} }},
	{"html", func(Options) Renderer { return htmlRenderer{} }},
}

// Formats lists the accepted --format values.
var Formats = func() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}()

// New returns the renderer for a format name.
func New(format string, opt Options) (Renderer, error) {
	for _, f := range formats {
		if f.name == format {
			return f.new(opt), nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (want %s or %s)", format,
		strings.Join(Formats[:len(Formats)-1], ", "), Formats[len(Formats)-1])
}
