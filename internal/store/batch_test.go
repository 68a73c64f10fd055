package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pkgward/pkgward/internal/record"
)

// TestSavesCoalesce: concurrent saves share transactions.
func TestSavesCoalesce(t *testing.T) {
	st, err := OpenOptions(context.Background(), filepath.Join(t.TempDir(), "b.db"), Options{BatchWindow: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			if _, err := st.SaveCheck(context.Background(), pkgCheck(fmt.Sprintf("c%d", i), "1", record.Allow, t0)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := st.(*sqlStore).batches.Load(); n >= 32 {
		t.Errorf("64 concurrent saves took %d transactions, want them coalesced", n)
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(1700000000000000, 42))
	f.Add("")
	f.Add("djE6MTox")
	f.Fuzz(func(t *testing.T, c string) {
		at, id, err := decodeCursor(c)
		if err != nil {
			return
		}
		if at2, id2, err := decodeCursor(encodeCursor(at, id)); err != nil || at2 != at || id2 != id {
			t.Fatalf("round trip of %q: %d %d %v", c, at2, id2, err)
		}
	})
}

func FuzzDecodeCampaignCursor(f *testing.F) {
	f.Add(encodeCampaignCursor(1700000000000000, "cmp-0123456789abcdef"))
	f.Add("")
	f.Fuzz(func(t *testing.T, c string) {
		at, id, err := decodeCampaignCursor(c)
		if err != nil {
			return
		}
		if at2, id2, err := decodeCampaignCursor(encodeCampaignCursor(at, id)); err != nil || at2 != at || id2 != id {
			t.Fatalf("round trip of %q: %d %q %v", c, at2, id2, err)
		}
	})
}
