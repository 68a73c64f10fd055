package alert

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver records the deliveries it gets and answers status.
type receiver struct {
	mu     sync.Mutex
	status int
	reqs   []*http.Request
	bodies [][]byte
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.bodies = append(r.bodies, body)
	status := r.status
	r.mu.Unlock()
	w.WriteHeader(status)
	io.WriteString(w, "ok")
}

var clock = time.Unix(1796353200, 0)

func TestSend(t *testing.T) {
	rc := &receiver{status: http.StatusOK}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	s := &Sender{Now: func() time.Time { return clock }}
	a := FromCheck(blockCheck("<!channel>", "1.0.0", "x"))
	if err := s.Send(context.Background(), Target{URL: srv.URL + "/hook", Secret: "s3cret"}, a, "d-1"); err != nil {
		t.Fatal(err)
	}
	if len(rc.reqs) != 1 {
		t.Fatalf("%d requests", len(rc.reqs))
	}
	req, body := rc.reqs[0], rc.bodies[0]
	if req.Method != http.MethodPost || req.URL.Path != "/hook" {
		t.Errorf("%s %s", req.Method, req.URL.Path)
	}
	for h, want := range map[string]string{
		"Content-Type":  "application/json",
		HeaderEvent:     "block",
		HeaderDelivery:  "d-1",
		HeaderTimestamp: strconv.FormatInt(clock.Unix(), 10),
	} {
		if got := req.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if want, _ := Body(a); string(body) != string(want) {
		t.Errorf("body\n%s\nwant\n%s", body, want)
	}
	if !strings.HasPrefix(req.Header.Get(HeaderSignature), "sha256=") || len(req.Header.Get(HeaderSignature)) != 7+64 {
		t.Errorf("signature %q", req.Header.Get(HeaderSignature))
	}
	if err := Verify("s3cret", req.Header, body, clock.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("verify: %v", err)
	}

	// Another delivery gets another id; no secret, no signature.
	if err := s.Send(context.Background(), Target{URL: srv.URL}, a, ""); err != nil {
		t.Fatal(err)
	}
	d := rc.reqs[1].Header.Get(HeaderDelivery)
	if len(d) != 32 || d == "d-1" {
		t.Errorf("fresh delivery id %q", d)
	}
	if rc.reqs[1].Header.Get(HeaderSignature) != "" {
		t.Errorf("signed without a secret")
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"text":"x"}`)
	ts := strconv.FormatInt(clock.Unix(), 10)
	header := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set(HeaderTimestamp, ts)
		}
		if sig != "" {
			h.Set(HeaderSignature, sig)
		}
		return h
	}
	good := Sign("k", ts, body)
	tests := []struct {
		name   string
		secret string
		h      http.Header
		body   []byte
		now    time.Time
		want   error
	}{
		{"good", "k", header(ts, good), body, clock, nil},
		{"good_within_tolerance", "k", header(ts, good), body, clock.Add(4 * time.Minute), nil},
		{"wrong_secret", "K", header(ts, good), body, clock, ErrBadSignature},
		{"tampered_body", "k", header(ts, good), []byte(`{"text":"y"}`), clock, ErrBadSignature},
		{"tampered_timestamp", "k", header(strconv.FormatInt(clock.Unix()+1, 10), good), body, clock, ErrBadSignature},
		{"no_prefix", "k", header(ts, strings.TrimPrefix(good, "sha256=")), body, clock, ErrBadSignature},
		{"replayed_late", "k", header(ts, good), body, clock.Add(6 * time.Minute), ErrStale},
		{"from_the_future", "k", header(ts, good), body, clock.Add(-6 * time.Minute), ErrStale},
		{"no_signature", "k", header(ts, ""), body, clock, ErrNoSignature},
		{"no_timestamp", "k", header("", good), body, clock, ErrNoSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Verify(tc.secret, tc.h, tc.body, tc.now, 5*time.Minute); !errors.Is(err, tc.want) {
				t.Errorf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
	// The signature is the HMAC of "timestamp.body": a fixed vector,
	// computed independently (printf '1796353200.{"text":"x"}' |
	// openssl dgst -sha256 -hmac k).
	if want := "sha256=17f3d90b831cd0917d7b7cf8167c2a1b720274d32f88d88a26da52853c0730e1"; good != want {
		t.Errorf("Sign = %s, want %s", good, want)
	}
}

func TestSendStatus(t *testing.T) {
	tests := []struct {
		status    int
		ok        bool
		permanent bool
	}{
		{200, true, false},
		{204, true, false},
		{301, false, true}, // a redirect is not followed
		{400, false, true},
		{401, false, true},
		{404, false, true},
		{410, false, true},
		{429, false, false},
		{500, false, false},
		{502, false, false},
		{503, false, false},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.status == 301 {
					w.Header().Set("Location", "/elsewhere")
				}
				if r.URL.Path == "/elsewhere" {
					t.Error("the redirect was followed")
				}
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			err := (&Sender{}).Send(context.Background(), Target{URL: srv.URL + "/T000/B000/XXXX"}, FromCheck(blockCheck("a", "1", "m")), "")
			if (err == nil) != tc.ok || Permanent(err) != tc.permanent {
				t.Errorf("err %v (permanent %v), want ok %v permanent %v", err, Permanent(err), tc.ok, tc.permanent)
			}
			if err != nil && strings.Contains(err.Error(), "XXXX") {
				t.Errorf("the error shows the URL's secret path: %v", err)
			}
		})
	}
}

func TestSendNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/secret-path"
	srv.Close() // nothing listens there any more
	err := (&Sender{}).Send(context.Background(), Target{URL: url}, FromCheck(blockCheck("a", "1", "m")), "")
	if err == nil || Permanent(err) {
		t.Fatalf("err %v, want a retryable error", err)
	}
	if strings.Contains(err.Error(), "secret-path") {
		t.Errorf("the error shows the URL's path: %v", err)
	}
}

func TestSendTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	err := (&Sender{Timeout: 100 * time.Millisecond}).Send(context.Background(), Target{URL: srv.URL}, FromCheck(blockCheck("a", "1", "m")), "")
	if err == nil || Permanent(err) {
		t.Fatalf("err %v, want a retryable error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// A receiver that answers without end is read only up to the bound.
func TestSendBoundedResponse(t *testing.T) {
	var written int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 32<<10)
		for range 1024 { // 32 MiB offered
			n, err := w.Write(chunk)
			written += int64(n)
			if err != nil {
				return
			}
		}
	}))
	err := (&Sender{}).Send(context.Background(), Target{URL: srv.URL}, FromCheck(blockCheck("a", "1", "m")), "")
	srv.Close()
	if err != nil {
		t.Fatal(err)
	}
	if written > 8<<20 {
		t.Errorf("the receiver wrote %d bytes: the response was read beyond its bound", written)
	}
}

func TestTargetCheck(t *testing.T) {
	tests := []struct {
		t    Target
		want string // "" = valid
	}{
		{Target{URL: "https://hooks.example/T/B/X"}, ""},
		{Target{URL: "http://127.0.0.1:9000/hook", Events: []string{"block", "campaign"}}, ""},
		{Target{URL: "ftp://files.example/x"}, `scheme must be http or https, not "ftp"`},
		{Target{URL: "file:///etc/passwd"}, `not "file"`},
		{Target{URL: "javascript:alert(1)"}, `not "javascript"`},
		{Target{URL: "hooks.example/x"}, `not ""`},
		{Target{URL: "https:///x"}, "has no host"},
		{Target{URL: "https://hooks.example/x", Events: []string{"allow"}}, `unknown event "allow"`},
		{Target{URL: "https://hooks.example/T0/B0/S3CRET\x7f"}, "does not parse"},
	}
	for _, tc := range tests {
		err := tc.t.Check()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.t, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("the error shows the URL's path: %v", err)
		}
	}
	// Send refuses them too, for good.
	err := (&Sender{}).Send(context.Background(), Target{URL: "file:///etc/passwd"}, FromCheck(blockCheck("a", "1", "m")), "")
	if !Permanent(err) || !strings.Contains(err.Error(), "http or https") {
		t.Errorf("send to a file URL: %v", err)
	}
}
