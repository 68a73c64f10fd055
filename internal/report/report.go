package report

import (
	"fmt"
	"io"

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

// Formats lists the accepted --format values.
var Formats = []string{"text", "json", "jsonl", "sarif"}

// New returns the renderer for a format name.
func New(format string, opt Options) (Renderer, error) {
	switch format {
	case "text":
		return textRenderer{opt: opt}, nil
	case "json":
		return jsonRenderer{}, nil
	case "jsonl":
		return jsonlRenderer{}, nil
	case "sarif":
		return sarifRenderer{}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want text, json, jsonl or sarif)", format)
}
