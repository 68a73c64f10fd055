// Package server is pkgward's HTTP front end: the publish gate a registry
// calls before it accepts a package (POST /v1/check), and read access to
// what the store holds. It judges with the same engine as the CLI
// (internal/pipeline) and never goes through CLI code.
//
// It serves checks (JSON, or multipart with the package archive), stored
// results (package history, findings, campaigns, stats), health and
// Prometheus metrics; docs/server.md is the contract. The monitor (feeds,
// jobs) is not here yet.
package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pkgward/pkgward/internal/analysis"
	"github.com/pkgward/pkgward/internal/artifact"
	"github.com/pkgward/pkgward/internal/codescan"
	"github.com/pkgward/pkgward/internal/dashboard"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/pipeline"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/report"
	"github.com/pkgward/pkgward/internal/store"
)

// Default body limits: a JSON check, and a multipart check with the
// package archive.
const (
	DefaultMaxJSON    = 1 << 20
	DefaultMaxArchive = 64 << 20
)

// Config is what a server judges with and where it keeps results.
type Config struct {
	Engine *analysis.Engine
	Store  store.Store
	// Tokens, when any is set, are the bearer tokens of which one is
	// required as "Authorization: Bearer TOKEN" on every /v1 request.
	Tokens []string
	// MaxJSON bounds a JSON check body (0: DefaultMaxJSON).
	MaxJSON int64
	// MaxArchive bounds a multipart check body (0: DefaultMaxArchive).
	MaxArchive int64
	// Rules are the code rules run on archives (nil: the embedded ones).
	Rules *codescan.RuleSet
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Registry is where the server's metrics are registered and what
	// /metrics serves (nil: a registry of its own, with the Go runtime's
	// and the process's collectors). The monitor registers its metrics on
	// the same one.
	Registry *prometheus.Registry
	// Ready, when set, is asked by /readyz besides the store (the
	// monitor's state); an error makes the server not ready.
	Ready func(ctx context.Context) error
	// NoDashboard leaves the dashboard's pages (/, /findings, …) out.
	NoDashboard bool
	// OnBlock, when set, is told of every stored check that blocks (the
	// monitor's webhooks), after it is stored and before it is answered.
	OnBlock func(ctx context.Context, c store.Check)
}

type server struct {
	cfg    Config
	tokens [][sha256.Size]byte // hashes of cfg.Tokens
	m      *metrics
}

// NewRegistry is a metrics registry with the Go runtime's and the
// process's collectors, for Config.Registry (and the monitor's metrics).
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// New returns the HTTP handler of the gate. It fails only when the
// metrics cannot be registered (a Registry that already holds them).
func New(cfg Config) (http.Handler, error) {
	if cfg.MaxJSON <= 0 {
		cfg.MaxJSON = DefaultMaxJSON
	}
	if cfg.MaxArchive <= 0 {
		cfg.MaxArchive = DefaultMaxArchive
	}
	if cfg.Rules == nil {
		cfg.Rules = codescan.DefaultRules()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Registry == nil {
		cfg.Registry = NewRegistry()
	}
	s := &server{cfg: cfg}
	for _, t := range cfg.Tokens {
		if t == "" {
			return nil, errors.New("server: an empty token")
		}
		s.tokens = append(s.tokens, sha256.Sum256([]byte(t)))
	}
	m, err := newMetrics(cfg.Registry, cfg.Store)
	if err != nil {
		return nil, err
	}
	s.m = m
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/check", s.auth(s.check))
	mux.HandleFunc("GET /v1/packages/{ecosystem}/{name}", s.auth(s.pkg))
	mux.HandleFunc("GET /v1/findings", s.auth(s.findings))
	mux.HandleFunc("GET /v1/campaigns", s.auth(s.campaigns))
	mux.HandleFunc("GET /v1/campaigns/{id}", s.auth(s.campaign))
	mux.HandleFunc("GET /v1/stats", s.auth(s.stats))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, map[string]bool{"ok": true}) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{}))
	if !cfg.NoDashboard {
		mux.Handle("GET /", s.pageAuth(dashboard.New(dashboard.Config{Store: cfg.Store, Now: cfg.Now})))
	}
	return m.instrument(mux), nil
}

// errorBody is every error response: {"error": "..."}.
type errorBody struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, errorBody{Error: fmt.Sprintf(format, args...)})
}

// authorized reports whether r carries one of the configured tokens. Each
// comparison is of SHA-256 hashes in constant time, and every token is
// compared, so neither a token's length nor which one matched shows in
// the time taken.
func (s *server) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	return s.authorizedToken(got)
}

// authorizedToken reports whether got is one of the configured tokens, in
// constant time (see authorized).
func (s *server) authorizedToken(got string) bool {
	h := sha256.Sum256([]byte(got))
	match := 0
	for i := range s.tokens {
		match |= subtle.ConstantTimeCompare(h[:], s.tokens[i][:])
	}
	return match == 1
}

// pageAuth guards the dashboard when tokens are configured: a browser
// cannot send a bearer token, so HTTP Basic with a token as the password
// (any user name) is accepted too.
func (s *server) pageAuth(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.tokens) > 0 && !s.authorized(r) {
			if _, pw, ok := r.BasicAuth(); !ok || !s.authorizedToken(pw) {
				w.Header().Set("WWW-Authenticate", `Basic realm="pkgward", charset="UTF-8"`)
				http.Error(w, "a token is required (as the password)", http.StatusUnauthorized)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (s *server) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if len(s.tokens) > 0 && !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="pkgward"`)
			fail(w, http.StatusUnauthorized, "missing or wrong bearer token")
			return
		}
		h(w, r)
	}
}

// check judges one package record, stores the result and returns it as the
// CLI's JSON report writes a result.
func (s *server) check(w http.ResponseWriter, r *http.Request) {
	ct := r.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	var (
		res  record.Result
		body []byte
		p    record.Package
		code int
		err  error
	)
	switch {
	case mt == "multipart/form-data":
		res, p, body, code, err = s.checkArchive(w, r, params["boundary"])
	case ct == "" || mt == "application/json":
		res, p, body, code, err = s.checkJSON(w, r)
	default:
		code, err = http.StatusUnsupportedMediaType, fmt.Errorf("content type %q: send application/json or multipart/form-data", ct)
	}
	if err != nil {
		fail(w, code, "%v", err)
		return
	}
	if err := r.Context().Err(); err != nil {
		return // the caller left; nothing was stored
	}
	check := store.Check{
		Kind: store.KindPackage, Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version,
		Source: "gate", Verdict: res.Verdict, Findings: res.Findings, Package: body, CheckedAt: s.cfg.Now(),
	}
	if _, err := s.cfg.Store.SaveCheck(r.Context(), check); err != nil {
		if r.Context().Err() != nil {
			return // the caller left while the check was queued
		}
		// An unstored check is not an answer: the registry retries.
		s.m.storeErrors.WithLabelValues("save").Inc()
		fail(w, http.StatusServiceUnavailable, "storing the check: %v", err)
		return
	}
	if res.Verdict == record.Block && s.cfg.OnBlock != nil {
		s.cfg.OnBlock(context.WithoutCancel(r.Context()), check)
	}
	s.m.checked(mt == "multipart/form-data", res.Verdict)
	w.Header().Set("Content-Type", "application/json")
	w.Write(report.AppendJSONL(nil, &res))
}

// readBody reads a body bounded by http.MaxBytesReader(limit).
func readBody(rd io.Reader, limit int64) ([]byte, int, error) {
	body, err := io.ReadAll(rd)
	if err != nil {
		code, err := bodyErr(err, limit)
		return nil, code, err
	}
	return body, 0, nil
}

// bodyErr is the response to a failed body read: 413 past the limit.
func bodyErr(err error, limit int64) (int, error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, fmt.Errorf("body larger than %d bytes", limit)
	}
	return http.StatusBadRequest, fmt.Errorf("reading the body: %v", err)
}

// decode turns a package record's JSON into a valid Package.
func decode(body []byte) (record.Package, error) {
	p, err := record.DecodePackage(body)
	if err != nil {
		return p, fmt.Errorf("invalid package record: %v", err)
	}
	if err := validate(&p); err != nil {
		return p, err
	}
	p.Source = "gate"
	return p, nil
}

// checkJSON judges a package record sent as JSON.
func (s *server) checkJSON(w http.ResponseWriter, r *http.Request) (record.Result, record.Package, []byte, int, error) {
	body, code, err := readBody(http.MaxBytesReader(w, r.Body, s.cfg.MaxJSON), s.cfg.MaxJSON)
	if err != nil {
		return record.Result{}, record.Package{}, nil, code, err
	}
	p, err := decode(body)
	if err != nil {
		return record.Result{}, p, nil, http.StatusBadRequest, err
	}
	return s.cfg.Engine.Judge(&p), p, body, 0, nil
}

// checkArchive judges a multipart check: a "package" part (the record as
// JSON) and an "archive" part (the package file, any format inspect
// reads). The archive is read as its installer reads it; what it holds
// (scripts, dependencies, code) is judged together with the record's
// name. An archive that could not be read whole is refused.
func (s *server) checkArchive(w http.ResponseWriter, r *http.Request, boundary string) (record.Result, record.Package, []byte, int, error) {
	bad := func(format string, args ...any) (record.Result, record.Package, []byte, int, error) {
		return record.Result{}, record.Package{}, nil, http.StatusBadRequest, fmt.Errorf(format, args...)
	}
	if boundary == "" {
		return bad("multipart body without a boundary")
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, s.cfg.MaxArchive), boundary)
	var meta []byte
	var tree *artifact.Tree
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			code, err := bodyErr(err, s.cfg.MaxArchive)
			return record.Result{}, record.Package{}, nil, code, err
		}
		switch part.FormName() {
		case "package":
			if meta != nil {
				return bad("two package parts")
			}
			b, code, err := readBody(io.LimitReader(part, s.cfg.MaxJSON+1), s.cfg.MaxArchive)
			if err != nil {
				return record.Result{}, record.Package{}, nil, code, err
			}
			if int64(len(b)) > s.cfg.MaxJSON {
				return record.Result{}, record.Package{}, nil, http.StatusRequestEntityTooLarge, fmt.Errorf("package part larger than %d bytes", s.cfg.MaxJSON)
			}
			meta = b
		case "archive":
			if tree != nil {
				return bad("two archive parts")
			}
			name := path.Base(part.FileName())
			if name == "." || name == "/" || name == "" {
				return bad("the archive part needs a file name (its extension says the format: .tgz, .whl, .nupkg, .gem, .zip, .crate)")
			}
			t, err := artifact.Read(r.Context(), name, part, artifact.Limits{})
			if err != nil {
				if code, berr := bodyErr(err, s.cfg.MaxArchive); code == http.StatusRequestEntityTooLarge {
					return record.Result{}, record.Package{}, nil, code, berr
				}
				return bad("archive %s: %v", name, err)
			}
			if err := t.Err(); err != nil {
				return bad("archive %s: %v", name, err)
			}
			tree = t
		default:
			return bad("unknown part %q: want package and archive", part.FormName())
		}
	}
	if meta == nil || tree == nil {
		return bad("a multipart check needs a package part and an archive part")
	}
	p, err := decode(meta)
	if err != nil {
		return record.Result{}, p, nil, http.StatusBadRequest, err
	}
	if got := tree.Package.Ecosystem; got.Valid() && got != p.Ecosystem {
		return bad("the archive is a %s package but the record says %s", got, p.Ecosystem)
	}
	if got := tree.Package; got.Name != "" && (got.Name != p.Name || (got.Version != "" && p.Version != "" && got.Version != p.Version)) {
		return bad("the archive is %s@%s but the record says %s@%s", got.Name, got.Version, p.Name, p.Version)
	}
	// Judge what will be installed (the archive's metadata) under the
	// record's identity.
	judged := *tree
	judged.Package.Ecosystem, judged.Package.Name = p.Ecosystem, p.Name
	if judged.Package.Version == "" {
		judged.Package.Version = p.Version
	}
	code := codescan.Scan(tree, s.cfg.Rules)
	res, _, _ := pipeline.JudgeArchive(s.cfg.Engine, nil, "gate", &judged, code)
	return res, p, meta, 0, nil
}

// validate checks what every judged record needs.
func validate(p *record.Package) error {
	if p.Ecosystem == "" {
		return errors.New("missing ecosystem")
	}
	eco, err := ecosystem.Parse(string(p.Ecosystem))
	if err != nil {
		return err
	}
	p.Ecosystem = eco
	if p.Name == "" {
		return errors.New("missing name")
	}
	return record.ValidName(p.Name)
}
