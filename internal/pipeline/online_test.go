package pipeline

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// npmFixtures serves the npmmeta fixtures as an npm registry.
func npmFixtures(t *testing.T) *npm.Fetcher {
	t.Helper()
	docs := map[string]string{
		"/color-stringify": "hijacked.json",
		"/electorn-helper": "holding.json",
		"/@acme%2fwidget":  "established.json",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := docs[r.RequestURI]
		if !ok {
			http.Error(w, `{"error":"Not found"}`, http.StatusNotFound)
			return
		}
		b, err := os.ReadFile(filepath.Join("..", "npmmeta", "testdata", f))
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return &npm.Fetcher{Registry: srv.URL, Client: npm.Options{NoCache: true, MaxAttempts: 1}}
}

var onlineNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func TestOnlineNPM(t *testing.T) {
	f := npmFixtures(t)
	found, errs := OnlineNPM(context.Background(), f, []string{"color-stringify@1.2.3", "electorn-helper", "gone", "electorn-helper@9.9.9", "gone@1.0.0"}, onlineNow)
	if len(found["electorn-helper"]) != 1 || found["electorn-helper"][0].Rule != "npm-security-holding" {
		t.Errorf("electorn-helper: %+v", found["electorn-helper"])
	}
	if fs, ok := found["color-stringify@1.2.3"]; !ok || fs == nil || len(fs) != 0 {
		t.Errorf("an older honest version: %v (present %v), want an empty list", fs, ok)
	}
	if _, ok := found["gone"]; ok {
		t.Error("a package not on the registry has findings")
	}
	if len(errs) != 1 || errs[0].Name != "gone" || !errors.Is(errs[0].Err, npm.ErrNotFound) {
		t.Errorf("errors %+v, want one for gone", errs)
	}
}

func TestAddOnlineNPM(t *testing.T) {
	f := npmFixtures(t)
	results := []record.Result{
		{Ecosystem: ecosystem.NPM, Name: "electorn-helper", Version: "^1.0.0", Verdict: record.Allow, Findings: []record.Finding{}},
		{Ecosystem: ecosystem.NPM, Name: "color-stringify", Verdict: record.Allow, Findings: []record.Finding{}},
		{Ecosystem: ecosystem.PyPI, Name: "electorn-helper", Verdict: record.Allow, Findings: []record.Finding{}},
		{Ecosystem: ecosystem.NPM, Name: "gone", Verdict: record.Allow, Findings: []record.Finding{}},
	}
	errs := AddOnlineNPM(context.Background(), f, suppressRule("npm-new-version"), results, onlineNow)
	if r := results[0]; r.Verdict != record.Block || len(r.Findings) != 1 {
		t.Errorf("a range is judged as the latest: %+v", r)
	}
	if r := results[1]; len(r.Suppressed) != 1 || r.Suppressed[0].Finding.Rule != "npm-new-version" || rulesOf(r.Findings)["npm-new-version"] {
		t.Errorf("suppressions are applied to live findings: %+v", r)
	}
	if r := results[2]; r.Verdict != record.Allow || len(r.Findings) != 0 {
		t.Errorf("a PyPI result was judged by the npm check: %+v", r)
	}
	if len(errs) != 1 || errs[0].Name != "gone" {
		t.Errorf("errors %+v", errs)
	}
}

func TestExactVersion(t *testing.T) {
	for v, want := range map[string]bool{"1.2.3": true, "1.0.0-beta.1": true, "": false, "^1.2.3": false, "latest": false, "1.x": false, ">=1 <2": false} {
		if ExactVersion(v) != want {
			t.Errorf("ExactVersion(%q) = %v", v, !want)
		}
	}
}
