package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/registry/npm"
)

// fakeRegistry serves the npmmeta fixtures as an npm registry.
func fakeRegistry(t *testing.T, hits *atomic.Int32) *httptest.Server {
	t.Helper()
	docs := map[string]string{
		"/color-stringify":        "hijacked.json",
		"/electorn-helper":        "holding.json",
		"/@acme%2fwidget":         "established.json",
		"/reqeust-promise-native": "fresh.json",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits != nil {
			hits.Add(1)
		}
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
	return srv
}

func ruleIDs(fs []record.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	sort.Strings(out)
	return out
}

func TestNPMOnline(t *testing.T) {
	var hits atomic.Int32
	srv := fakeRegistry(t, &hits)
	g := &globals{now: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)}
	names := []string{"color-stringify", "color-stringify@1.2.3", "electorn-helper", "@acme/widget", "reqeust-promise-native", "no-such-pkg", "../etc", "@acme/widget@2.0.0"}
	got, errs := g.npmOnlineWith(context.Background(), names, t.TempDir(), onlineOptions{
		env:    map[string]string{"npm_config_registry": srv.URL, "PATH": ""},
		client: npm.Options{CacheDir: t.TempDir()},
	})
	want := map[string][]string{
		"color-stringify":        {"npm-install-script-added", "npm-maintainers-changed", "npm-new-version"},
		"color-stringify@1.2.3":  {},
		"electorn-helper":        {"npm-security-holding"},
		"@acme/widget":           {},
		"@acme/widget@2.0.0":     {"npm-maintainers-changed"},
		"reqeust-promise-native": {"npm-new-package", "npm-no-repository", "npm-single-version"},
	}
	gotIDs := map[string][]string{}
	for k, fs := range got {
		gotIDs[k] = ruleIDs(fs)
	}
	if !reflect.DeepEqual(gotIDs, want) {
		t.Errorf("findings\n got %v\nwant %v", gotIDs, want)
	}
	if len(errs) != 2 || !strings.Contains(errs[0].Msg, "no-such-pkg") || !strings.Contains(errs[0].Msg, "not found") ||
		!strings.Contains(errs[1].Msg, "invalid package name") || errs[0].File != "online" {
		t.Errorf("errors %+v", errs)
	}
	if hits.Load() != 5 {
		t.Errorf("%d requests, want 5 (one per distinct valid name)", hits.Load())
	}
}

func TestNPMOnlineRegistryFlagAndScopes(t *testing.T) {
	var srvHits, otherHits atomic.Int32
	srv := fakeRegistry(t, &srvHits)
	other := fakeRegistry(t, &otherHits)
	g := &globals{now: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	// The project sends @acme to its own registry, everything else to srv.
	os.WriteFile(filepath.Join(dir, ".npmrc"), []byte("registry="+srv.URL+"\n@acme:registry="+other.URL+"/\n"), 0o644)
	got, errs := g.npmOnlineWith(context.Background(), []string{"@acme/widget", "electorn-helper"}, dir, onlineOptions{
		env: map[string]string{"PATH": ""}, client: npm.Options{NoCache: true},
	})
	if len(errs) != 0 || len(got) != 2 || srvHits.Load() != 1 || otherHits.Load() != 1 {
		t.Fatalf("got %v, errors %v; %d requests to the default registry, %d to the scope's (want 1 and 1)", got, errs, srvHits.Load(), otherHits.Load())
	}
	// --registry overrides the configuration.
	got, errs = g.npmOnlineWith(context.Background(), []string{"electorn-helper"}, dir, onlineOptions{
		registry: "http://127.0.0.1:1/", env: map[string]string{"PATH": ""},
		client: npm.Options{NoCache: true, MaxAttempts: 1},
	})
	if len(got) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Msg, "registry unreachable") {
		t.Errorf("got %v, errors %+v", got, errs)
	}
}

func TestNPMOnlineNoRegistry(t *testing.T) {
	g := &globals{}
	home := t.TempDir()
	got, errs := g.npmOnlineWith(context.Background(), []string{"lodash", "chalk", "@acme/x"}, t.TempDir(), onlineOptions{
		env: map[string]string{"PATH": "", "HOME": home},
	})
	if len(got) != 0 {
		t.Errorf("findings without a registry: %v", got)
	}
	// One error for the unscoped names, one for the scope.
	if len(errs) != 2 || !strings.Contains(errs[0].Msg, "no npm registry configured") || !strings.Contains(errs[0].Msg, "--registry") {
		t.Errorf("errors %+v", errs)
	}
}

func TestNPMOnlineUsesProcessEnvironment(t *testing.T) {
	srv := fakeRegistry(t, nil)
	t.Setenv("npm_config_registry", srv.URL)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	g := &globals{now: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)}
	got, errs := g.npmOnline(context.Background(), []string{"electorn-helper"}, t.TempDir())
	if len(errs) != 0 || len(got["electorn-helper"]) != 1 || got["electorn-helper"][0].Severity != record.Critical {
		t.Errorf("got %v, errors %v", got, errs)
	}
}

func TestNPMOnlineCancelled(t *testing.T) {
	srv := fakeRegistry(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := &globals{}
	got, errs := g.npmOnlineWith(ctx, []string{"electorn-helper", "color-stringify"}, t.TempDir(), onlineOptions{
		registry: srv.URL, client: npm.Options{NoCache: true},
	})
	if len(got) != 0 || len(errs) != 2 {
		t.Errorf("got %v, errors %+v", got, errs)
	}
}
