package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pkgward/pkgward/internal/manifest/list"
	"github.com/pkgward/pkgward/internal/project"
)

// run executes pkgward with stdin in and returns the exit code, stdout and
// stderr.
func run(t *testing.T, in io.Reader, args ...string) (int, string, string) {
	t.Helper()
	if in == nil {
		in = strings.NewReader("")
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, IO{In: in, Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// runOK runs pkgward and fails the test unless it exits with want.
func runCode(t *testing.T, want int, in io.Reader, args ...string) (string, string) {
	t.Helper()
	code, out, errs := run(t, in, args...)
	if code != want {
		t.Fatalf("pkgward %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, want, clip(out), clip(errs))
	}
	return out, errs
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

// The JSON report, decoded strictly: a field the contract does not name is
// an error.
type jsonDoc struct {
	Schema string `json:"schema"`
	Tool   struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"tool"`
	Results []jsonResult `json:"results"`
	Errors  []jsonError  `json:"errors"`
	Notices []string     `json:"notices"`
}

type jsonResult struct {
	Ecosystem  string        `json:"ecosystem"`
	Name       string        `json:"name"`
	Version    string        `json:"version"`
	Source     string        `json:"source"`
	Verdict    string        `json:"verdict"`
	Findings   []jsonFinding `json:"findings"`
	Suppressed []struct {
		Finding jsonFinding `json:"finding"`
		Reason  string      `json:"reason"`
	} `json:"suppressed"`
}

type jsonFinding struct {
	Rule       string         `json:"rule"`
	Severity   string         `json:"severity"`
	Confidence float64        `json:"confidence"`
	Message    string         `json:"message"`
	Evidence   map[string]any `json:"evidence"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func decodeStrict(t *testing.T, data string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding %T: %v\n%s", v, err, clip(data))
	}
	if dec.More() {
		t.Fatalf("trailing data after the JSON document:\n%s", clip(data))
	}
}

func decodeDoc(t *testing.T, out string) jsonDoc {
	t.Helper()
	var d jsonDoc
	decodeStrict(t, out, &d)
	if d.Schema != "pkgward/report/v1" {
		t.Errorf("schema = %q", d.Schema)
	}
	if d.Tool.Name != "pkgward" || d.Tool.Version != Version {
		t.Errorf("tool = %+v", d.Tool)
	}
	if d.Results == nil || d.Errors == nil {
		t.Errorf("results or errors missing or null:\n%s", clip(out))
	}
	return d
}

// finding returns the first finding of r with rule, or nil.
func (r *jsonResult) finding(rule string) *jsonFinding {
	for i := range r.Findings {
		if r.Findings[i].Rule == rule {
			return &r.Findings[i]
		}
	}
	return nil
}

func names(rs []jsonResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

func TestCheckText(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "check", "pypi", "requester", "reqeusts", "numpy")
	for _, want := range []string{"reqeusts", "requests", "BLOCK", "typosquat"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "check", "pypi", "requester", "reqeusts", "numpy", "--format", "json")
	d := decodeDoc(t, out)
	if got, want := names(d.Results), []string{"requester", "reqeusts", "numpy"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("results = %q, want %q (input order)", got, want)
	}
	if len(d.Errors) != 0 {
		t.Errorf("errors = %+v", d.Errors)
	}
	for _, r := range d.Results {
		if r.Ecosystem != "pypi" || r.Source != "argv" || r.Version != "" {
			t.Errorf("result %+v: want ecosystem pypi, source argv, no version", r)
		}
	}
	sq := d.Results[1]
	f := sq.finding("typosquat")
	if sq.Verdict != "block" || f == nil || f.Severity != "high" || f.Evidence["target"] != "requests" {
		t.Errorf("reqeusts: verdict %s, typosquat finding %+v; want block, high, target requests", sq.Verdict, f)
	}
	if f != nil && (f.Confidence <= 0 || f.Confidence > 1 || !strings.Contains(f.Message, "requests")) {
		t.Errorf("reqeusts finding %+v: confidence out of (0,1] or message without the target", f)
	}
	if np := d.Results[2]; np.Verdict != "allow" || np.Findings == nil || len(np.Findings) != 0 {
		t.Errorf("numpy = %+v, want allow with findings []", np)
	}

	// The raw JSON: findings [] (not null) on a clean result, errors [].
	var raw struct {
		Results []json.RawMessage `json:"results"`
		Errors  json.RawMessage   `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	var numpy bytes.Buffer
	if err := json.Compact(&numpy, raw.Results[2]); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(numpy.String(), `"findings":[]`) {
		t.Errorf("numpy result is %s, want \"findings\":[]", numpy.String())
	}
	if string(raw.Errors) != "[]" {
		t.Errorf("errors = %s, want []", raw.Errors)
	}
}

func TestFlagPosition(t *testing.T) {
	variants := [][]string{
		{"--format", "json", "check", "npm", "crossenv"},
		{"check", "npm", "crossenv", "--format", "json"},
		{"check", "--format", "json", "npm", "crossenv"},
		{"check", "npm", "--format=json", "crossenv"},
	}
	var first string
	for i, args := range variants {
		code, out, errs := run(t, nil, args...)
		if code == ExitError {
			t.Fatalf("%q: exit 2: %s", args, errs)
		}
		decodeDoc(t, out)
		if i == 0 {
			first = out
			continue
		}
		if out != first {
			t.Errorf("%q gives a different output than %q:\n%s\nvs\n%s", args, variants[0], out, first)
		}
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string // substring of stderr
	}{
		{"high finding, default threshold", []string{"check", "pypi", "reqeusts"}, ExitFindings, ""},
		{"high finding, fail-on critical", []string{"check", "pypi", "reqeusts", "--fail-on", "critical"}, ExitOK, ""},
		{"high finding, fail-on high", []string{"check", "pypi", "reqeusts", "--fail-on", "high"}, ExitFindings, ""},
		{"medium finding, default threshold", []string{"check", "pypi", "requester"}, ExitOK, ""},
		{"medium finding, fail-on low", []string{"check", "pypi", "requester", "--fail-on", "low"}, ExitFindings, ""},
		{"medium finding, fail-on medium", []string{"check", "pypi", "requester", "--fail-on", "medium"}, ExitFindings, ""},
		{"fail-on is case-insensitive", []string{"check", "pypi", "requester", "--fail-on", "MEDIUM"}, ExitFindings, ""},
		{"clean, fail-on low", []string{"check", "pypi", "numpy", "--fail-on", "low"}, ExitOK, ""},
		{"OSV ecosystem spelling", []string{"check", "PyPI", "numpy"}, ExitOK, ""},
		{"unknown ecosystem", []string{"check", "cpan", "Moose"}, ExitError, `unsupported ecosystem "cpan"`},
		{"unknown flag", []string{"check", "pypi", "numpy", "--frobnicate"}, ExitError, "unknown flag: --frobnicate"},
		{"unknown flag before the command", []string{"--frobnicate", "check", "pypi", "numpy"}, ExitError, "unknown"},
		{"unknown command", []string{"chek", "pypi", "numpy"}, ExitError, "unknown command"},
		{"bad format", []string{"check", "pypi", "numpy", "--format", "xml"}, ExitError, `--format: unknown format "xml"`},
		{"bad fail-on", []string{"check", "pypi", "numpy", "--fail-on", "severe"}, ExitError, `--fail-on: unknown severity "severe"`},
		{"missing name", []string{"check", "pypi"}, ExitError, "requires at least 2 arg(s)"},
		{"missing everything", []string{"check"}, ExitError, "requires at least 2 arg(s)"},
		{"online and offline", []string{"check", "pypi", "numpy", "--online", "--offline"}, ExitError, "contradict"},
		{"missing config", []string{"check", "pypi", "numpy", "--config", "no/such/file.yaml"}, ExitError, "no/such/file.yaml"},
		{"missing corpus file", []string{"check", "npm", "x", "--corpus", "npm=no/such/corpus.txt"}, ExitError, "no/such/corpus.txt"},
		{"corpus of an unknown ecosystem", []string{"check", "npm", "x", "--corpus", "cpan=x.txt"}, ExitError, "--corpus cpan=x.txt"},
		{"missing namespace file", []string{"check", "npm", "x", "--namespace", "no/such/ns.txt"}, ExitError, "no/such/ns.txt"},
		{"rules takes no args", []string{"rules", "x"}, ExitError, "unknown command"},
		{"sweep takes no args", []string{"sweep", "x"}, ExitError, `unknown command "x"`},
		{"sweep unknown ecosystem", []string{"sweep", "--ecosystem", "cpan"}, ExitError, "unsupported ecosystem"},
		{"sweep namespace without ecosystem", []string{"sweep", "--namespace", "x.txt"}, ExitError, "--namespace needs --ecosystem"},
		{"sweep missing input", []string{"sweep", "--ecosystem", "npm", "--input", "no/such/input.txt"}, ExitError, "no/such/input.txt"},
		{"scan missing dir", []string{"scan", "no/such/dir"}, ExitError, "no/such/dir"},
		{"scan two dirs", []string{"scan", "a", "b"}, ExitError, "accepts at most 1 arg(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, nil, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			if tt.msg != "" && !strings.Contains(errs, tt.msg) {
				t.Errorf("stderr %q does not contain %q", errs, tt.msg)
			}
			if tt.code == ExitError && !strings.HasPrefix(errs, "pkgward: ") {
				t.Errorf("stderr %q: want a \"pkgward: \" message", errs)
			}
		})
	}
}

func TestCheckInvalidNames(t *testing.T) {
	tests := []struct {
		name string
		arg  string
	}{
		{"space", "left pad"},
		{"tab", "left\tpad"},
		{"newline", "left\npad"},
		{"control", "left\x01pad"},
		{"NUL", "left\x00pad"},
		{"empty", ""},
		{"invalid UTF-8", "left\xffpad"},
		{"too long", strings.Repeat("a", maxNameLen+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := runCode(t, ExitError, nil, "check", "pypi", "flask", tt.arg, "numpy", "--format", "json")
			d := decodeDoc(t, out)
			if got := names(d.Results); !reflect.DeepEqual(got, []string{"flask", "numpy"}) {
				t.Errorf("results = %q, want the two valid names", got)
			}
			if len(d.Errors) != 1 || d.Errors[0].File != "argv" || d.Errors[0].Line != 2 {
				t.Fatalf("errors = %+v, want one for argv:2", d.Errors)
			}
			// The text form names argv too.
			out, _ = runCode(t, ExitError, nil, "check", "pypi", "flask", tt.arg)
			if !strings.Contains(out, "argv:2") {
				t.Errorf("text output does not name argv:2:\n%s", out)
			}
		})
	}
}

func TestCheckVersions(t *testing.T) {
	tests := []struct {
		eco, arg      string
		name, version string
	}{
		{"npm", "@types/node@1.0.0", "@types/node", "1.0.0"},
		{"npm", "@types/node", "@types/node", ""},
		{"npm", "express@^4.18.0", "express", "^4.18.0"},
		{"npm", "express", "express", ""},
		{"pypi", "requests@2.31.0", "requests", "2.31.0"},
		{"go", "github.com/spf13/cobra@v1.8.0", "github.com/spf13/cobra", "v1.8.0"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			code, out, errs := run(t, nil, "check", tt.eco, tt.arg, "--format", "json")
			if code == ExitError {
				t.Fatalf("exit 2: %s", errs)
			}
			d := decodeDoc(t, out)
			if len(d.Results) != 1 {
				t.Fatalf("results = %+v", d.Results)
			}
			if r := d.Results[0]; r.Name != tt.name || r.Version != tt.version {
				t.Errorf("got name %q version %q, want %q %q", r.Name, r.Version, tt.name, tt.version)
			}
		})
	}
}

// jsonLine is one line of sweep's JSON Lines output: a result, an error or
// a notice.
type jsonLine struct {
	jsonResult
	Error  *jsonError `json:"error"`
	Notice string     `json:"notice"`
}

func decodeLines(t *testing.T, out string) []jsonLine {
	t.Helper()
	var lines []jsonLine
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l jsonLine
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("line %d %q: %v", len(lines)+1, clip(sc.Text()), err)
		}
		if l.Error == nil && l.Notice == "" && (l.Name == "" || l.Verdict == "" || l.Findings == nil) {
			t.Fatalf("line %d %q: not a complete result", len(lines)+1, sc.Text())
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if out != "" && !strings.HasSuffix(out, "\n") {
		t.Error("output does not end with a newline")
	}
	return lines
}

func TestSweepManyNames(t *testing.T) {
	// Several batches (1024 lines each) over 4 workers, with blank lines,
	// CRLF endings and a few squats at known places.
	squats := map[int]string{7: "reqeusts", 1500: "reqeusts", 2999: "nunpy"}
	var in strings.Builder
	type want struct {
		name string
		line int
	}
	var wants []want
	line := 0
	for i := 0; i < 3300; i++ {
		name := fmt.Sprintf("pkgward-fixture-%05d", i)
		if s, ok := squats[i]; ok {
			name = s
		}
		line++
		switch {
		case i%97 == 0:
			in.WriteString("\n") // blank: skipped
			line++
		case i%101 == 0:
			in.WriteString("   \t \r\n") // white space only: skipped
			line++
		}
		if i%13 == 0 {
			fmt.Fprintf(&in, "  %s\r\n", name)
		} else {
			fmt.Fprintf(&in, "%s\n", name)
		}
		wants = append(wants, want{name, line})
	}
	out, _ := runCode(t, ExitFindings, strings.NewReader(in.String()), "sweep", "--ecosystem", "pypi", "--workers", "4")
	lines := decodeLines(t, out)
	if len(lines) != len(wants) {
		t.Fatalf("%d output lines, want %d (one per non-blank input line)", len(lines), len(wants))
	}
	for i, l := range lines {
		w := wants[i]
		if l.Name != w.name || l.Source != fmt.Sprintf("stdin:%d", w.line) || l.Ecosystem != "pypi" {
			t.Fatalf("output line %d = %s %s %s, want %s stdin:%d (input order)", i+1, l.Ecosystem, l.Name, l.Source, w.name, w.line)
		}
		wantVerdict := "allow"
		if l.Name == "reqeusts" {
			wantVerdict = "block"
		}
		if l.Name == "nunpy" {
			if l.Verdict == "allow" || l.finding("typosquat") == nil || l.finding("typosquat").Evidence["target"] != "numpy" {
				t.Errorf("line %d: nunpy = %+v, want a typosquat finding on numpy", i+1, l)
			}
			continue
		}
		if l.Verdict != wantVerdict {
			t.Errorf("line %d: %s verdict %s, want %s (findings %+v)", i+1, l.Name, l.Verdict, wantVerdict, l.Findings)
		}
	}

	// The same input gives the same output with one worker.
	out1, _ := runCode(t, ExitFindings, strings.NewReader(in.String()), "sweep", "--ecosystem", "pypi", "--workers", "1")
	if out1 != out {
		t.Error("output differs between 1 and 4 workers")
	}
}

func TestSweepRecords(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		input string
		code  int
		want  []string // per output line: "eco/name verdict" or "error N: substring"
	}{
		{
			name:  "records with their ecosystem, no --ecosystem",
			input: `{"ecosystem":"npm","name":"crossenv"}` + "\n" + `{"ecosystem":"PyPI","name":"reqeusts","version":"1.0"}` + "\n" + `{"ecosystem":"crates","name":"serde"}` + "\n",
			code:  ExitFindings,
			want:  []string{"npm/crossenv warn", "pypi/reqeusts block", "crates/serde allow"},
		},
		{
			name:  "records without ecosystem, no --ecosystem",
			input: `{"name":"crossenv"}` + "\n" + `{"ecosystem":"npm","name":"express"}` + "\n" + "lodash\n",
			code:  ExitError,
			want:  []string{"error 1: without an ecosystem", "npm/express allow", "error 3: plain name without --ecosystem"},
		},
		{
			name:  "records and names mixed, with --ecosystem",
			args:  []string{"--ecosystem", "npm"},
			input: "express\n" + `{"name":"crossenv","version":"1.0.0"}` + "\n" + `{"ecosystem":"npm","name":"lodash"}` + "\n",
			code:  ExitOK,
			want:  []string{"npm/express allow", "npm/crossenv warn", "npm/lodash allow"},
		},
		{
			name:  "record of another ecosystem than --ecosystem",
			args:  []string{"--ecosystem", "pypi"},
			input: `{"ecosystem":"npm","name":"crossenv"}` + "\n" + "numpy\n",
			code:  ExitError,
			want:  []string{"error 1: --ecosystem is pypi", "pypi/numpy allow"},
		},
		{
			name:  "malformed JSON in place",
			args:  []string{"--ecosystem", "pypi"},
			input: "numpy\n\n{\"name\": \"requests\"\nreqeusts\n{\"name\": 42}\n{\"ecosystem\":\"cpan\",\"name\":\"x\"}\nflask\n",
			code:  ExitError,
			want: []string{"pypi/numpy allow", "error 3: invalid JSON package record", "pypi/reqeusts block",
				"error 5: invalid JSON package record", "error 6: unsupported ecosystem", "pypi/flask allow"},
		},
		{
			name: "records decoded strictly: exact keys, no duplicates, UTF-8",
			args: []string{"--ecosystem", "npm"},
			input: `{"name":"expresss","NAME":"express"}` + "\n" + `{"Name":"express"}` + "\n" +
				`{"name":"expresss","name":"express"}` + "\n" + "{\"name\":\"expr\xffess\"}\n" +
				`{"name":"expr\udc00ess"}` + "\n" + `{"name":"express","scripts":{"postinstall":"a","postinstall":"b"}}` + "\n" +
				`{"name":"express","_rev":"1"}` + "\n",
			code: ExitError,
			want: []string{`error 1: key "NAME" must be written "name"`, `error 2: key "Name"`, `error 3: key "name" given twice`,
				"error 4: invalid UTF-8", "error 5: lone UTF-16 surrogate", `error 6: key "postinstall" given twice`, "npm/express allow"},
		},
		{
			name:  "invalid names",
			args:  []string{"--ecosystem", "npm"},
			input: "left pad\n" + `{"name":""}` + "\n" + `{"name":"a\u0001b"}` + "\n" + strings.Repeat("x", maxNameLen+1) + "\nexpress\n",
			code:  ExitError,
			want: []string{"error 1: white space", "error 2: empty package name", "error 3: control character",
				"error 4: longer than 512 bytes", "npm/express allow"},
		},
		{
			name:  "no trailing newline",
			args:  []string{"--ecosystem", "pypi"},
			input: "numpy\nreqeusts",
			code:  ExitFindings,
			want:  []string{"pypi/numpy allow", "pypi/reqeusts block"},
		},
		{
			name:  "empty input",
			args:  []string{"--ecosystem", "pypi"},
			input: "",
			code:  ExitOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"sweep"}, tt.args...)
			out, _ := runCode(t, tt.code, strings.NewReader(tt.input), args...)
			lines := decodeLines(t, out)
			var got []string
			for _, l := range lines {
				switch {
				case l.Error != nil:
					if l.Error.File != "stdin" {
						t.Errorf("error %+v: want file stdin", l.Error)
					}
					got = append(got, fmt.Sprintf("error %d: %s", l.Error.Line, l.Error.Message))
				case l.Notice != "":
					got = append(got, "notice: "+l.Notice)
				default:
					got = append(got, fmt.Sprintf("%s/%s %s", l.Ecosystem, l.Name, l.Verdict))
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("output:\n%s\nwant %d lines: %q", strings.Join(got, "\n"), len(tt.want), tt.want)
			}
			for i := range got {
				if !matchLine(got[i], tt.want[i]) {
					t.Errorf("line %d = %q, want %q", i+1, got[i], tt.want[i])
				}
			}
		})
	}
}

// matchLine compares an output line summary with its expectation: equal,
// or for "error N: text", an error for line N whose message contains text.
func matchLine(got, want string) bool {
	if !strings.HasPrefix(want, "error ") {
		return got == want
	}
	i := strings.Index(want, ": ")
	return strings.HasPrefix(got, want[:i+2]) && strings.Contains(got[i+2:], want[i+2:])
}

func TestSweepOverlongLine(t *testing.T) {
	long := strings.Repeat("a", maxRecordLine+1)                                            // one byte over the limit
	limit := strings.Repeat("b", maxRecordLine)                                             // at the limit: read, then rejected as a name
	record := `{"name":"` + strings.Repeat("c", maxRecordLine) + `"}`                       // a record over the limit
	input := "numpy\n" + long + "\nreqeusts\n" + limit + "\n" + record + "\nflask\n" + long // last line unterminated
	out, _ := runCode(t, ExitError, strings.NewReader(input), "sweep", "--ecosystem", "pypi", "--workers", "2")
	lines := decodeLines(t, out)
	if len(lines) != 7 {
		t.Fatalf("%d lines, want 7:\n%s", len(lines), clip(out))
	}
	wantErr := map[int]string{2: "line longer than", 4: "package name longer than", 5: "line longer than", 7: "line longer than"}
	for i, l := range lines {
		n := i + 1
		if msg, ok := wantErr[n]; ok {
			if l.Error == nil || l.Error.Line != n || !strings.Contains(l.Error.Message, msg) {
				t.Errorf("line %d = %+v, want an error for line %d containing %q", n, l, n, msg)
			}
			continue
		}
		if l.Error != nil || l.Source != fmt.Sprintf("stdin:%d", n) {
			t.Errorf("line %d = %+v %+v, want the result of input line %d", n, l.jsonResult, l.Error, n)
		}
	}
	if lines[2].Name != "reqeusts" || lines[2].Verdict != "block" || lines[5].Name != "flask" {
		t.Errorf("lines after the overlong ones were not judged: %+v / %+v", lines[2], lines[5])
	}
}

// failingReader yields data, then fails on every read: a read error ends
// the sweep with an error instead of being retried forever.
type failingReader struct {
	data  *strings.Reader
	reads int
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data.Len() > 0 {
		return r.data.Read(p)
	}
	r.reads++
	if r.reads > 100 {
		return 0, io.EOF // bound the test if the error were retried
	}
	return 0, errors.New("device on fire")
}

func TestSweepReadError(t *testing.T) {
	for _, format := range []string{"jsonl", "json"} {
		t.Run(format, func(t *testing.T) {
			in := &failingReader{data: strings.NewReader("numpy\nreqeusts\n")}
			code, out, errs := run(t, in, "sweep", "--ecosystem", "pypi", "--format", format)
			if code != ExitError || !strings.Contains(errs, "device on fire") || !strings.Contains(errs, "stdin:3") {
				t.Fatalf("exit %d, stderr %q: want 2 and the read error at stdin:3", code, errs)
			}
			if in.reads != 1 {
				t.Errorf("the failing reader was read %d times after its error, want 1", in.reads)
			}
			if format == "jsonl" {
				lines := decodeLines(t, out)
				if len(lines) != 2 || lines[0].Name != "numpy" || lines[1].Name != "reqeusts" {
					t.Errorf("the lines read before the error were not all written:\n%s", out)
				}
			}
		})
	}
}

func TestSweepJSONDocument(t *testing.T) {
	input := "numpy\n{bad\nreqeusts\n"
	out, _ := runCode(t, ExitError, strings.NewReader(input), "sweep", "--ecosystem", "pypi", "--format", "json")
	d := decodeDoc(t, out)
	if got := names(d.Results); !reflect.DeepEqual(got, []string{"numpy", "reqeusts"}) {
		t.Errorf("results = %q", got)
	}
	if len(d.Errors) != 1 || d.Errors[0].Line != 2 || d.Errors[0].File != "stdin" {
		t.Errorf("errors = %+v, want one for stdin:2", d.Errors)
	}
	out, _ = runCode(t, ExitFindings, strings.NewReader("numpy\nreqeusts\n"), "sweep", "--ecosystem", "pypi", "--format", "json")
	d = decodeDoc(t, out)
	if len(d.Results) != 2 || d.Results[1].Verdict != "block" || len(d.Errors) != 0 {
		t.Errorf("document = %+v", d)
	}
}

func TestSweepInputFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "names.txt")
	writeFile(t, file, "numpy\nreqeusts\n")
	out, _ := runCode(t, ExitFindings, nil, "sweep", "--ecosystem", "pypi", "--input", file)
	lines := decodeLines(t, out)
	if len(lines) != 2 || lines[1].Source != file+":2" {
		t.Errorf("lines = %+v, want source %s:2", lines, file)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestNamespace(t *testing.T) {
	dir := t.TempDir()
	ns := filepath.Join(dir, "names.txt")
	writeFile(t, ns, "# every existing name\nfoo-log\n\n@acme/widget\nexpress\n")
	tests := []struct {
		name     string
		args     []string
		input    string
		existing []string // per input line: the colliding name, "" for none
	}{
		{
			// PyPI ultranormalization: separators removed, o→0, l/i→1;
			// the PEP 503 spellings of an existing name are that name.
			name:     "pypi sweep",
			args:     []string{"sweep", "--ecosystem", "pypi", "--namespace", ns},
			input:    "foo.l0g\nf00-1og\nfoo_log\nFoo.Log\nfoo-lag\n",
			existing: []string{"foo-log", "foo-log", "", "", ""},
		},
		{
			// npm: a bare name of an existing scoped package, and
			// punctuation differences.
			name:     "npm sweep",
			args:     []string{"sweep", "--ecosystem", "npm", "--namespace", ns},
			input:    "widget\n@acme/widget\nex-press\nexpress\n",
			existing: []string{"@acme/widget", "", "express", ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, strings.NewReader(tt.input), tt.args...)
			if code == ExitError {
				t.Fatalf("exit 2: %s", errs)
			}
			lines := decodeLines(t, out)
			if len(lines) != len(tt.existing) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(tt.existing), out)
			}
			for i, l := range lines {
				f := l.finding("namespace-collision")
				switch {
				case tt.existing[i] == "" && f != nil:
					t.Errorf("%s: unexpected collision %+v", l.Name, f)
				case tt.existing[i] != "" && f == nil:
					t.Errorf("%s: no namespace-collision finding (findings %+v)", l.Name, l.Findings)
				case f != nil && f.Evidence["existing"] != tt.existing[i]:
					t.Errorf("%s: collides with %v, want %s", l.Name, f.Evidence["existing"], tt.existing[i])
				}
			}
		})
	}

	// check accepts --namespace too.
	out, _ := runCode(t, ExitFindings, nil, "check", "pypi", "foo.l0g", "--namespace", ns, "--format", "json")
	d := decodeDoc(t, out)
	if f := d.Results[0].finding("namespace-collision"); f == nil || f.Evidence["existing"] != "foo-log" {
		t.Errorf("check --namespace: %+v", d.Results[0])
	}
	if d.Results[0].Verdict != "block" {
		t.Errorf("collision verdict = %s, want block", d.Results[0].Verdict)
	}
}

func TestSuppressions(t *testing.T) {
	dir := t.TempDir()
	cfg := func(name, content string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, content)
		return p
	}
	live := cfg("live.yaml", `# suppressions
ignore:
  - ecosystem: pypi
    name: reqeusts
    rule: typosquat
    reason: internal mirror of an old fork
`)
	future := cfg("future.yaml", `ignore:
  - ecosystem: pypi
    name: Reqeusts
    rule: typosquat
    reason: reviewed
    expires: 2999-12-31
`)
	otherRule := cfg("other-rule.yaml", `ignore:
  - ecosystem: pypi
    name: reqeusts
    rule: mixed-script
    reason: not this rule
  - ecosystem: npm
    name: reqeusts
    reason: not this ecosystem
`)
	expired := cfg("expired.yaml", `ignore:
  - ecosystem: pypi
    name: reqeusts
    rule: typosquat
    reason: reviewed once
    expires: 2020-01-01
`)
	unknownKey := cfg("unknown.yaml", "fail-on: high\nignored:\n  - name: x\n")
	noReason := cfg("noreason.yaml", "fail-on: high\nignore:\n  - ecosystem: pypi\n    name: reqeusts\n    rule: typosquat\n")
	badDate := cfg("baddate.yaml", "ignore:\n  - name: reqeusts\n    reason: r\n    expires: next year\n")

	t.Run("live", func(t *testing.T) {
		for _, c := range []string{live, future} {
			out, _ := runCode(t, ExitOK, nil, "check", "pypi", "reqeusts", "--config", c, "--format", "json")
			d := decodeDoc(t, out)
			r := d.Results[0]
			if r.Verdict != "allow" || len(r.Findings) != 0 || len(r.Suppressed) != 1 ||
				r.Suppressed[0].Finding.Rule != "typosquat" || r.Suppressed[0].Reason == "" {
				t.Errorf("%s: result %+v, want allow with the typosquat finding suppressed", c, r)
			}
			if len(d.Notices) != 0 {
				t.Errorf("notices = %q", d.Notices)
			}
		}
	})
	t.Run("other rule or ecosystem", func(t *testing.T) {
		out, _ := runCode(t, ExitFindings, nil, "check", "pypi", "reqeusts", "--config", otherRule, "--format", "json")
		if r := decodeDoc(t, out).Results[0]; r.Verdict != "block" || len(r.Suppressed) != 0 {
			t.Errorf("result %+v, want the finding kept", r)
		}
	})
	t.Run("unknown rule", func(t *testing.T) {
		// Checked against the catalog, which is built only for such entries.
		unknown := cfg("unknown-rule.yaml", "ignore:\n  - name: reqeusts\n    rule: typo-squat\n    reason: misspelt\n")
		out, _ := runCode(t, ExitFindings, nil, "check", "pypi", "reqeusts", "--config", unknown, "--format", "json")
		d := decodeDoc(t, out)
		if len(d.Notices) != 1 || !strings.Contains(d.Notices[0], `unknown rule "typo-squat"`) || !strings.Contains(d.Notices[0], unknown+":2") {
			t.Errorf("notices = %q, want one naming %s:2 and the unknown rule", d.Notices, unknown)
		}
	})
	t.Run("expired", func(t *testing.T) {
		out, _ := runCode(t, ExitFindings, nil, "check", "pypi", "reqeusts", "--config", expired, "--format", "json")
		d := decodeDoc(t, out)
		if r := d.Results[0]; r.Verdict != "block" || r.finding("typosquat") == nil || len(r.Suppressed) != 0 {
			t.Errorf("result %+v: an expired entry must not suppress", r)
		}
		if len(d.Notices) != 1 || !strings.Contains(d.Notices[0], "expired") || !strings.Contains(d.Notices[0], expired+":2") {
			t.Errorf("notices = %q, want one naming %s:2 and \"expired\"", d.Notices, expired)
		}
		out, _ = runCode(t, ExitFindings, nil, "check", "pypi", "reqeusts", "--config", expired)
		if !strings.Contains(out, "expired") {
			t.Errorf("text output does not report the expired entry:\n%s", out)
		}
		out, _ = runCode(t, ExitFindings, strings.NewReader("reqeusts\n"), "sweep", "--ecosystem", "pypi", "--config", expired)
		if !strings.Contains(out, `"notice":`) || !strings.Contains(out, "expired") {
			t.Errorf("sweep does not report the expired entry:\n%s", out)
		}
	})
	t.Run("errors", func(t *testing.T) {
		tests := []struct {
			file, msg string
		}{
			{unknownKey, unknownKey + ":2: "},
			{noReason, noReason + ":3: "},
			{badDate, badDate + ":4: "}, // the line of expires
		}
		for _, tt := range tests {
			_, errs := runCode(t, ExitError, nil, "check", "pypi", "reqeusts", "--config", tt.file)
			if !strings.Contains(errs, tt.msg) {
				t.Errorf("stderr %q, want it to name %q", errs, tt.msg)
			}
		}
	})
	t.Run("default file", func(t *testing.T) {
		wd := t.TempDir()
		writeFile(t, filepath.Join(wd, ".pkgward.yaml"), "ignore:\n  - name: reqeusts\n    reason: default config\n")
		t.Chdir(wd)
		out, _ := runCode(t, ExitOK, nil, "check", "pypi", "reqeusts", "--format", "json")
		if r := decodeDoc(t, out).Results[0]; len(r.Suppressed) != 1 || r.Suppressed[0].Reason != "default config" {
			t.Errorf("result %+v: .pkgward.yaml was not read", r)
		}
	})
	t.Run("config fail-on", func(t *testing.T) {
		c := cfg("failon.yaml", "fail-on: critical\n")
		runCode(t, ExitOK, nil, "check", "pypi", "reqeusts", "--config", c)
		runCode(t, ExitFindings, nil, "check", "pypi", "reqeusts", "--config", c, "--fail-on", "high")
	})
}

func TestUserCorpus(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "internal.txt")
	writeFile(t, file, "# our packages\nacme-billing\n")

	out, _ := runCode(t, ExitOK, nil, "check", "npm", "acme-biling", "--format", "json")
	if r := decodeDoc(t, out).Results[0]; r.Verdict != "allow" {
		t.Fatalf("without the corpus: %+v, want allow", r)
	}
	for _, spec := range []string{"npm=" + file, file} {
		out, _ = runCode(t, ExitFindings, nil, "check", "npm", "acme-biling", "--corpus", spec, "--format", "json")
		r := decodeDoc(t, out).Results[0]
		f := r.finding("typosquat")
		if r.Verdict != "block" || f == nil || f.Evidence["protected"] != true || f.Evidence["target"] != "acme-billing" {
			t.Errorf("--corpus %s: %+v, want block with evidence protected=true, target acme-billing", spec, r)
		}
	}
	// A corpus for another ecosystem does not apply.
	out, _ = runCode(t, ExitOK, nil, "check", "npm", "acme-biling", "--corpus", "pypi="+file, "--format", "json")
	if r := decodeDoc(t, out).Results[0]; r.Verdict != "allow" {
		t.Errorf("pypi corpus applied to npm: %+v", r)
	}
	// The corpus is counted by corpus list.
	out, _ = runCode(t, ExitOK, nil, "corpus", "list", "--corpus", "npm="+file, "--format", "json")
	var rows []struct {
		Ecosystem string `json:"ecosystem"`
		UserNames int    `json:"user_names"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if want := map[bool]int{true: 1, false: 0}[r.Ecosystem == "npm"]; r.UserNames != want {
			t.Errorf("%s: user_names = %d, want %d", r.Ecosystem, r.UserNames, want)
		}
	}
}

var allEcosystems = []string{"npm", "pypi", "nuget", "rubygems", "go", "crates"}

func TestCorpusList(t *testing.T) {
	out, _ := runCode(t, ExitOK, nil, "corpus", "list")
	seen := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			seen[f[0]] = true
		}
	}
	for _, eco := range allEcosystems {
		if !seen[eco] {
			t.Errorf("corpus list does not list %s:\n%s", eco, out)
		}
	}

	out, _ = runCode(t, ExitOK, nil, "corpus", "list", "--format", "json")
	var rows []struct {
		Ecosystem string `json:"ecosystem"`
		Source    string `json:"source"`
		Date      string `json:"date"`
		Size      int    `json:"size"`
		RankedBy  string `json:"ranked_by"`
		UserNames int    `json:"user_names"`
	}
	decodeStrict(t, out, &rows)
	var ecos []string
	for _, r := range rows {
		ecos = append(ecos, r.Ecosystem)
		if r.Size <= 0 || r.Source == "" || !regexp.MustCompile(`^\d{4}-\d\d-\d\d$`).MatchString(r.Date) {
			t.Errorf("row %+v: want a size, a source and a date", r)
		}
	}
	if !reflect.DeepEqual(ecos, allEcosystems) {
		t.Errorf("ecosystems = %q, want %q", ecos, allEcosystems)
	}

	runCode(t, ExitError, nil, "corpus", "list", "--format", "sarif")
}

func TestRules(t *testing.T) {
	// One rule of every concern must be listed: names, content, registry
	// configuration, domains, e-mail, campaigns, live npm, known-malicious,
	// archives, code rules, release diffs.
	want := []string{"typosquat", "mixed-script", "namespace-collision", "lure-text", "registry-http",
		"lookalike-domain", "email-phishing", "campaign-member", "npm-security-holding", "known-malicious",
		"archive-path-traversal", "wallet-address-swap", "release-new-code-finding"}
	out, _ := runCode(t, ExitOK, nil, "rules")
	for _, id := range want {
		if !regexp.MustCompile(`(?m)^` + id + `\s`).MatchString(out) {
			t.Errorf("rules does not list %s:\n%s", id, out)
		}
	}
	out, _ = runCode(t, ExitOK, nil, "rules", "--format", "json")
	var rules []struct {
		ID          string `json:"id"`
		Severity    string `json:"severity"`
		Title       string `json:"title"`
		Description string `json:"description"`
	}
	decodeStrict(t, out, &rules)
	seen := map[string]bool{}
	for i, r := range rules {
		if r.Title == "" || r.Severity == "" {
			t.Errorf("rule %+v: no title or severity", r)
		}
		if seen[r.ID] || (i > 0 && rules[i-1].ID >= r.ID) {
			t.Errorf("rule %s duplicated or out of order", r.ID)
		}
		seen[r.ID] = true
	}
	for _, id := range want {
		if !seen[id] {
			t.Errorf("json rules lack %s", id)
		}
	}
}

func TestSARIF(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "check", "pypi", "reqeusts", "numpy", "--format", "sarif")
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name    string `json:"name"`
					Version string `json:"version"`
					Rules   []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, clip(out))
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("version %q, %d runs", doc.Version, len(doc.Runs))
	}
	r := doc.Runs[0]
	if r.Tool.Driver.Name != "pkgward" || r.Tool.Driver.Version != Version || len(r.Tool.Driver.Rules) == 0 {
		t.Errorf("driver = %+v", r.Tool.Driver)
	}
	if len(r.Results) != 1 || r.Results[0].RuleID != "typosquat" {
		t.Errorf("results = %+v, want the one typosquat finding", r.Results)
	}
}

// projectFixture is internal/project's fixture tree.
const projectFixture = "../project/testdata/project"

func TestScan(t *testing.T) {
	out, _ := runCode(t, ExitFindings, nil, "scan", projectFixture, "--format", "json")
	d := decodeDoc(t, out)
	if len(d.Errors) != 0 {
		t.Errorf("errors = %+v", d.Errors)
	}

	// Every dependency the scanner finds is in the results, in order,
	// at its file:line.
	res, err := project.Scan(context.Background(), projectFixture, list.All())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Results) != len(res.Dependencies) || len(d.Results) < 40 {
		t.Fatalf("%d results for %d dependencies", len(d.Results), len(res.Dependencies))
	}
	loc := regexp.MustCompile(`^[^:]+:[1-9][0-9]*$`)
	blocked := 0
	for i, r := range d.Results {
		dep := res.Dependencies[i]
		if r.Name != dep.Name || r.Ecosystem != string(dep.Ecosystem) || r.Source != dep.Source() || r.Version != dep.Version {
			t.Errorf("result %d = %s %s %s %s, want %s %s %s %s", i, r.Ecosystem, r.Name, r.Version, r.Source,
				dep.Ecosystem, dep.Name, dep.Version, dep.Source())
		}
		if !loc.MatchString(r.Source) || strings.HasPrefix(r.Source, "/") || strings.Contains(r.Source, "node_modules") {
			t.Errorf("%s: source %q is not a relative file:line", r.Name, r.Source)
		}
		if r.Verdict == "block" {
			blocked++
			if r.Name != "reqeusts" || r.Ecosystem != "pypi" || r.Source != "py/requirements.txt:4" {
				t.Errorf("unexpected block: %+v", r)
			}
			if f := r.finding("typosquat"); f == nil || f.Evidence["target"] != "requests" {
				t.Errorf("reqeusts: %+v, want a typosquat finding on requests", r.Findings)
			}
		}
	}
	if blocked != 1 {
		t.Errorf("%d blocked, want exactly reqeusts", blocked)
	}

	// A single file; the text form.
	out, _ = runCode(t, ExitFindings, nil, "scan", projectFixture+"/py/requirements.txt")
	if !strings.Contains(out, "reqeusts") || !strings.Contains(out, "py/requirements.txt:4") {
		t.Errorf("text scan of one file:\n%s", out)
	}
}

func TestScanEdgeCases(t *testing.T) {
	empty := t.TempDir()
	out, _ := runCode(t, ExitOK, nil, "scan", empty, "--format", "json")
	d := decodeDoc(t, out)
	if len(d.Results) != 0 || len(d.Notices) != 1 || !strings.Contains(d.Notices[0], "no manifest") {
		t.Errorf("empty dir: %+v", d)
	}

	broken := t.TempDir()
	writeFile(t, filepath.Join(broken, "app", "package.json"), "{\n  \"dependencies\": {\n    \"express\": 4\n  }\n}\n")
	writeFile(t, filepath.Join(broken, "requirements.txt"), "flask\n")
	out, _ = runCode(t, ExitError, nil, "scan", broken, "--format", "json")
	d = decodeDoc(t, out)
	if len(d.Errors) != 1 || d.Errors[0].File != "app/package.json" || d.Errors[0].Line <= 0 {
		t.Errorf("errors = %+v, want one naming app/package.json and its line", d.Errors)
	}
	if got := names(d.Results); !reflect.DeepEqual(got, []string{"flask"}) {
		t.Errorf("results = %q, want the other file's dependencies", got)
	}

	// The default root is the current directory.
	t.Chdir(broken)
	runCode(t, ExitError, nil, "scan")
}
