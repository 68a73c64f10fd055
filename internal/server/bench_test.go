package server

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkAuthorized: the token check every /v1 request pays, with ten
// configured tokens and the last one sent.
func BenchmarkAuthorized(b *testing.B) {
	srv := &server{}
	var last string
	for i := range 10 {
		last = fmt.Sprintf("token-%02d-0123456789abcdef0123456789abcdef", i)
		srv.tokens = append(srv.tokens, sha256.Sum256([]byte(last)))
	}
	req := httptest.NewRequest("GET", "/v1/stats", nil)
	req.Header.Set("Authorization", "Bearer "+last)
	b.ReportAllocs()
	for b.Loop() {
		if !srv.authorized(req) {
			b.Fatal("not authorized")
		}
	}
}

// BenchmarkInstrument: what the metrics cost a request (route lookup,
// histogram, status counter, in-flight gauge) around a trivial handler.
func BenchmarkInstrument(b *testing.B) {
	m, err := newMetrics(prometheus.NewRegistry(), nil)
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/packages/{ecosystem}/{name}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
	h := m.instrument(mux)
	req := httptest.NewRequest("GET", "/v1/packages/npm/lodash", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
}
