package npm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// docServer serves a one-version document for every name ok-*, 404
// otherwise, and records the most requests it saw at the same time.
func docServer(t *testing.T, delay time.Duration, hits, maxConc *atomic.Int32) *httptest.Server {
	t.Helper()
	var cur atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		n := cur.Add(1)
		defer cur.Add(-1)
		for {
			m := maxConc.Load()
			if n <= m || maxConc.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(delay)
		name := strings.TrimPrefix(r.URL.Path, "/")
		if !strings.HasPrefix(name, "ok-") {
			http.Error(w, `{"error":"Not found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"name":%q,"dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{"name":%[1]q,"version":"1.0.0"}},"time":{"1.0.0":"2024-01-01T00:00:00Z"}}`, name)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetch(t *testing.T) {
	var hits, maxConc atomic.Int32
	srv := docServer(t, 0, &hits, &maxConc)
	home := t.TempDir()
	f := &Fetcher{Dir: t.TempDir(), Env: map[string]string{"npm_config_registry": srv.URL, "PATH": "", "HOME": home},
		Client: Options{NoCache: true, MaxAttempts: 1}}
	// @acme is configured nowhere but, like the unscoped names, falls
	// back to the registry of the environment.
	got := f.Fetch(context.Background(), []string{"ok-a", "missing", "ok-a", "../etc", "@acme/ok-b", "ok-c"})
	want := []struct {
		name string
		ok   bool
		err  error
	}{
		{"ok-a", true, nil}, {"missing", false, ErrNotFound}, {"../etc", false, ErrInvalidName},
		{"@acme/ok-b", false, ErrNotFound}, {"ok-c", true, nil},
	}
	if len(got) != len(want) {
		t.Fatalf("%d items, want one per distinct name (%d): %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || (g.Doc != nil) != w.ok || (w.err != nil && !errors.Is(g.Err, w.err)) || (w.ok && g.Err != nil) {
			t.Errorf("item %d = {%s doc:%v err:%v}, want {%s ok:%v err:%v}", i, g.Name, g.Doc != nil, g.Err, w.name, w.ok, w.err)
		}
	}
	if hits.Load() != 4 {
		t.Errorf("%d requests, want 4 (one per distinct valid name)", hits.Load())
	}
}

func TestFetchNoRegistry(t *testing.T) {
	f := &Fetcher{Dir: t.TempDir(), Env: map[string]string{"PATH": "", "HOME": t.TempDir()}}
	got := f.Fetch(context.Background(), []string{"lodash", "@acme/x", "chalk"})
	if len(got) != 3 {
		t.Fatalf("items %+v", got)
	}
	for _, it := range got {
		if it.Doc != nil || !errors.Is(it.Err, ErrNoRegistry) {
			t.Errorf("%s: %v, want ErrNoRegistry", it.Name, it.Err)
		}
	}
}

func TestFetchBoundsConcurrency(t *testing.T) {
	var hits, maxConc atomic.Int32
	srv := docServer(t, 20*time.Millisecond, &hits, &maxConc)
	f := &Fetcher{Registry: srv.URL, Client: Options{NoCache: true}, Workers: 3}
	var names []string
	for _, c := range "abcdefghijkl" {
		names = append(names, "ok-"+string(c))
	}
	got := f.Fetch(context.Background(), names)
	for _, it := range got {
		if it.Err != nil || it.Doc == nil {
			t.Errorf("%s: %v", it.Name, it.Err)
		}
	}
	if maxConc.Load() > 3 || maxConc.Load() < 2 {
		t.Errorf("%d requests at once, want at most 3 (and some parallelism)", maxConc.Load())
	}
}

func TestFetchCancelled(t *testing.T) {
	var hits, maxConc atomic.Int32
	srv := docServer(t, 0, &hits, &maxConc)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := &Fetcher{Registry: srv.URL, Client: Options{NoCache: true}}
	got := f.Fetch(ctx, []string{"ok-a", "ok-b", "ok-c"})
	for _, it := range got {
		if it.Doc != nil || it.Err == nil {
			t.Errorf("%s fetched after cancellation", it.Name)
		}
	}
	if len(got) != 3 {
		t.Errorf("items %+v, want one error per name", got)
	}
}
