//go:build unix

package project

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/manifest/list"
)

// TestScanRefusesFIFO: a FIFO named as the file to scan is an input error,
// returned at once (opening it would block forever).
func TestScanRefusesFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "requirements.txt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Scan(context.Background(), fifo, list.All()); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("Scan(FIFO) = %v, want a not-a-regular-file error", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Scan(FIFO) blocked")
	}
}
