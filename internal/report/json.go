package report

import (
	"encoding/json"
	"io"

	"github.com/pkgward/pkgward/internal/record"
)

// jsonRenderer writes the single JSON document of the CLI contract
// (schema pkgward/report/v1), indented by two spaces.
type jsonRenderer struct{}

// Document is the JSON report document (--format json). results and errors
// are always arrays; notices is present only when there are any.
type Document struct {
	Schema  string              `json:"schema"`
	Tool    Tool                `json:"tool"`
	Results []record.Result     `json:"results"`
	Errors  []record.InputError `json:"errors"`
	Notices []string            `json:"notices,omitempty"`
}

// NewDocument returns the JSON document for r, with the nil slices the
// contract forbids replaced by empty ones. The results are copied; r is not
// modified.
func NewDocument(r *Report) Document {
	d := Document{
		Schema:  Schema,
		Tool:    r.Tool,
		Results: make([]record.Result, len(r.Results)),
		Errors:  r.Errors,
		Notices: r.Notices,
	}
	for i := range r.Results {
		d.Results[i] = withFindings(&r.Results[i])
	}
	if d.Errors == nil {
		d.Errors = []record.InputError{}
	}
	return d
}

// withFindings returns a shallow copy of r whose Findings is never nil, so
// that it encodes as [] rather than null.
func withFindings(r *record.Result) record.Result {
	c := *r
	if c.Findings == nil {
		c.Findings = []record.Finding{}
	}
	return c
}

func (jsonRenderer) Render(w io.Writer, r *Report) error {
	b, err := json.MarshalIndent(NewDocument(r), "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
