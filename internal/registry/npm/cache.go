package npm

import (
	"bufio"

	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// cache keeps response bodies on disk, one file per URL named by the
// SHA-256 of the URL: a JSON header line (URL, ETag, Last-Modified) then
// the body. The file's modification time is when the registry last
// confirmed the body. Files are written to a temporary name and renamed,
// so a reader never sees half an entry; a damaged or foreign entry is
// ignored. The cache is a convenience: every failure to read or write it
// is silent and falls back to the network.
type cache struct {
	dir      string
	maxEntry int64 // larger bodies are not cached
	maxTotal int64 // the directory is pruned to this size
	now      func() time.Time

	mu     sync.Mutex
	writes int
}

type entry struct {
	URL          string `json:"url"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	body         []byte
	fetched      time.Time
}

const cacheSuffix = ".npmcache"

// key is u without credentials: they never reach the disk.
func key(u string) string {
	if pu, err := url.Parse(u); err == nil && pu.User != nil {
		pu.User = nil
		return pu.String()
	}
	return u
}

func (c *cache) path(u string) string {
	sum := sha256.Sum256([]byte(key(u)))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:16])+cacheSuffix)
}

func (c *cache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// get returns the entry of u, nil when there is none (or it is unusable).
func (c *cache) get(u string) *entry {
	f, err := os.Open(c.path(u))
	if err != nil {
		return nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > c.maxEntry+64<<10 {
		return nil
	}
	r := bufio.NewReader(f)
	head, err := r.ReadBytes('\n')
	if err != nil || len(head) > 64<<10 {
		return nil
	}
	var e entry
	if json.Unmarshal(head, &e) != nil || e.URL != key(u) {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(r, c.maxEntry+1))
	if err != nil || int64(len(body)) > c.maxEntry {
		return nil
	}
	e.body = body
	e.fetched = st.ModTime()
	return &e
}

// touch marks u's entry as confirmed now.
func (c *cache) touch(u string) {
	now := c.clock()
	_ = os.Chtimes(c.path(u), now, now)
}

// put stores e atomically.
func (c *cache) put(u string, e *entry) {
	if int64(len(e.body)) > c.maxEntry || strings.ContainsAny(e.ETag+e.LastModified, "\r\n") {
		return
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return
	}
	e.URL = key(u)
	head, err := json.Marshal(e)
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<16)
	w.Write(head)
	w.WriteByte('\n')
	w.Write(e.body)
	if w.Flush() != nil || tmp.Close() != nil {
		return
	}
	now := c.clock()
	_ = os.Chtimes(tmp.Name(), now, now)
	if os.Rename(tmp.Name(), c.path(u)) != nil {
		return
	}
	ok = true
	c.mu.Lock()
	c.writes++
	prune := c.writes%16 == 1
	c.mu.Unlock()
	if prune {
		c.prune()
	}
}

// prune removes the least recently confirmed entries until the directory
// holds at most 90% of maxTotal, and temporary files older than an hour
// (left by a killed process).
func (c *cache) prune() {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		size int64
		mod  time.Time
	}
	var files []file
	var total int64
	now := c.clock()
	for _, de := range des {
		info, err := de.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		name := de.Name()
		if strings.HasPrefix(name, ".tmp-") {
			if now.Sub(info.ModTime()) > time.Hour {
				os.Remove(filepath.Join(c.dir, name))
			}
			continue
		}
		if !strings.HasSuffix(name, cacheSuffix) {
			continue
		}
		files = append(files, file{name, info.Size(), info.ModTime()})
		total += info.Size()
	}
	if total <= c.maxTotal {
		return
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
	target := c.maxTotal / 10 * 9
	for _, f := range files {
		if total <= target {
			break
		}
		if os.Remove(filepath.Join(c.dir, f.name)) == nil {
			total -= f.size
		}
	}
}
