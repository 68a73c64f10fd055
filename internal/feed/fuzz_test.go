package feed

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

func seedFiles(f *testing.F, glob string) {
	files, _ := filepath.Glob(filepath.Join("testdata", glob))
	for _, p := range files {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			continue // testdata/fuzz holds the corpus of go test -fuzz
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzXMLRPC(f *testing.F) {
	seedFiles(f, "pypi-*.xml")
	f.Add([]byte(`<methodResponse><params><param><value><array><data><value><array><data><value><array><data></data></array></value></data></array></value></data></array></value></param></params></methodResponse>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := parseXMLRPCResponse(b)
		if err != nil && v != nil {
			t.Fatalf("a value with an error: %v", err)
		}
	})
}

func FuzzRSS(f *testing.F) {
	seedFiles(f, "*.xml")
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := parseRSS(b)
		if err != nil && items != nil {
			t.Fatal("items with an error")
		}
		for _, it := range items {
			crateOf(it)
			pypiOf(it)
		}
	})
}

func FuzzTimeCursor(f *testing.F) {
	f.Add("2024-12-04T10:00:00.5Z|a%40b,c")
	f.Add("")
	f.Add("2024-12-04T10:00:00Z|")
	f.Fuzz(func(t *testing.T, s string) {
		tc, err := parseTimeCursor(Cursor(s))
		if err != nil {
			return
		}
		back, err := parseTimeCursor(tc.cursor())
		if err != nil {
			t.Fatalf("cursor %q of %q does not parse: %v", tc.cursor(), s, err)
		}
		if back.cursor() != tc.cursor() {
			t.Fatalf("not stable: %q → %q", tc.cursor(), back.cursor())
		}
	})
}

// bodyTransport answers every request with one body.
type bodyTransport []byte

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(b)), Header: http.Header{}, Request: r}, nil
}

// FuzzLatest gives every feed one hostile body for every request: no
// panic, no item with an invalid name, and the cursor kept on error.
func FuzzLatest(f *testing.F) {
	seedFiles(f, "*")
	f.Fuzz(func(t *testing.T, b []byte) {
		o := Options{HTTPClient: &http.Client{Transport: bodyTransport(b)}, MaxBody: 1 << 20}
		for _, k := range Kinds() {
			fd, err := New(k.Ecosystem, "http://feed.test/x/", o)
			if err != nil {
				t.Fatal(err)
			}
			for _, cur := range []Cursor{"", "5", "2024-12-04T10:00:00Z|a%40b"} {
				batch, next, err := fd.Latest(context.Background(), cur)
				if err != nil && next != cur {
					t.Fatalf("%s: the cursor moved on error", k.Ecosystem)
				}
				for _, it := range batch.Items {
					if it.Name == "" || it.Ecosystem != k.Ecosystem {
						t.Fatalf("%s: bad item %+v", k.Ecosystem, it)
					}
				}
			}
		}
	})
}
