package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// verifyAsDocumented is the receiver's check as docs/server.md
// (Webhooks) shows it, kept word for word.
func verifyAsDocumented(secret string, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	ts := r.Header.Get("X-Pkgward-Timestamp")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(r.Header.Get("X-Pkgward-Signature")), []byte(want)) {
		return nil, errors.New("bad signature")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return nil, errors.New("stale timestamp")
	}
	return body, nil
}

// The documented receiver accepts a real delivery and refuses it
// tampered with or under another secret.
func TestDocumentedReceiver(t *testing.T) {
	var req *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req = r.Clone(context.Background())
		body, _ = io.ReadAll(r.Body)
	}))
	defer srv.Close()
	if err := (&Sender{}).Send(context.Background(), Target{URL: srv.URL, Secret: "k"}, FromCheck(blockCheck("a", "1", "m")), ""); err != nil {
		t.Fatal(err)
	}
	check := func(secret string, b []byte) error {
		r := req.Clone(context.Background())
		r.Body = io.NopCloser(bytes.NewReader(b))
		_, err := verifyAsDocumented(secret, r)
		return err
	}
	if err := check("k", body); err != nil {
		t.Errorf("a real delivery refused: %v", err)
	}
	if err := check("other", body); err == nil {
		t.Error("accepted under another secret")
	}
	if err := check("k", append(bytes.Clone(body), ' ')); err == nil {
		t.Error("accepted a tampered body")
	}
}
