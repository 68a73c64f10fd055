// Command monitorreplay measures pkgward serve's monitor end to end on
// loopback: a local npm mirror (a changes feed and the package documents)
// publishes generated honest packages with a templated spam campaign mixed
// in, while one or two `pkgward serve` processes follow it on one store.
// It reports whether every publication was stored exactly once (with a
// kill -9 of the first process midway when -kill is set), how many
// document fetches were repeated, and when the campaign was listed by
// /v1/campaigns with which share of its members and how many honest ones.
//
//	go build -o /tmp/pkgward ./cmd/pkgward
//	go run ./tools/monitorreplay -pkgward /tmp/pkgward -db postgres://… -kill -procs 2
//
// Everything runs on 127.0.0.1; the database must be empty (a fresh
// schema or file).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pkgward/pkgward/internal/campaign/spamgen"
	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
)

func main() {
	bin := flag.String("pkgward", "pkgward", "the pkgward binary")
	db := flag.String("db", "", "the store DSN (empty: a SQLite file in a temporary directory)")
	honest := flag.Int("honest", 2000, "honest publications")
	spam := flag.Int("spam", 300, "spam campaign publications")
	rate := flag.Int("rate", 100, "publications released per second")
	poll := flag.Duration("poll", 5*time.Second, "serve's --poll-interval")
	kill := flag.Bool("kill", true, "kill -9 the first process midway and start it again")
	procs := flag.Int("procs", 1, "serve processes on the store (2 needs PostgreSQL)")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up after")
	logs := flag.String("logs", "", "append the serve processes' logs to this file (default: only their start-up lines, on standard error)")
	flag.Parse()
	dsn := *db
	if dsn == "" {
		dir, err := os.MkdirTemp("", "monitorreplay")
		check(err)
		defer os.RemoveAll(dir)
		dsn = dir + "/replay.db"
	}

	m := newMirror(*honest, *spam)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go http.Serve(ln, m)
	base := "http://" + ln.Addr().String()
	fmt.Printf("mirror %s: %d publications (%d honest, %d spam), %d/s\n", base, len(m.names), *honest, len(m.spam), *rate)

	logTo := io.Discard
	if *logs != "" {
		f, err := os.OpenFile(*logs, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		check(err)
		defer f.Close()
		logTo = &lockedWriter{w: f}
	}
	start := func() *proc {
		return startServe(*bin, dsn, base, *poll, logTo)
	}
	ps := []*proc{start()}
	for i := 1; i < *procs; i++ {
		ps = append(ps, start())
	}
	go m.release(*rate)

	deadline := time.Now().Add(*timeout)
	total := int64(len(m.names))
	killed := false
	var campaignAt, allAt, spamStoredAt time.Time
	var best campaignView
	for time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		st, err := ps[0].stats()
		if err != nil {
			continue
		}
		if *kill && !killed && st.Packages >= total*2/5 {
			fmt.Printf("kill -9 the first process at %d of %d stored\n", st.Packages, total)
			ps[0].cmd.Process.Signal(syscall.SIGKILL)
			ps[0].cmd.Wait()
			ps[0] = start()
			killed = true
			continue
		}
		if allAt.IsZero() && st.Packages >= total {
			allAt = time.Now()
		}
		if spamStoredAt.IsZero() && m.allSpamReleased() && ps[0].has(m.lastSpamName()) {
			spamStoredAt = time.Now()
		}
		if campaignAt.IsZero() {
			if c, ok := ps[0].bestCampaign(m); ok && float64(c.spam) >= 0.95*float64(len(m.spam)) {
				campaignAt, best = time.Now(), c
			}
		}
		if st.Packages >= total && !campaignAt.IsZero() {
			break
		}
	}
	st, err := ps[0].stats()
	check(err)
	if best.id == "" {
		best, _ = ps[0].bestCampaign(m)
	}
	for _, p := range ps {
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	fetches, repeated := 0, 0
	for _, n := range m.names {
		f := m.fetches[n]
		fetches += f
		if f > 1 {
			repeated += f - 1
		}
	}
	fmt.Printf("stored: %d package versions in %d checks, for %d publications\n", st.Packages, st.Checks, total)
	fmt.Printf("document fetches: %d for %d packages (%d repeated, %.1f%%)\n", fetches, total, repeated, 100*float64(repeated)/float64(total))
	if best.id != "" {
		fmt.Printf("campaign %s: %d members, %d of %d spam (%.1f%%), %d honest\n", best.id, best.size, best.spam, len(m.spam), 100*float64(best.spam)/float64(len(m.spam)), best.honest)
	} else {
		fmt.Println("campaign: none listed")
	}
	m.mu.Unlock()
	lastAt, lastSpam := m.lastAt, m.lastSpam
	m.mu.Lock()
	if !allAt.IsZero() {
		fmt.Printf("every publication stored %.1f s after the last one was released\n", allAt.Sub(lastAt).Seconds())
	}
	if !spamStoredAt.IsZero() {
		fmt.Printf("the last spam publication stored %.1f s after its release\n", spamStoredAt.Sub(lastSpam).Seconds())
	}
	if !campaignAt.IsZero() {
		fmt.Printf("campaign listed with >= 95%% of its members %.1f s after the last spam publication was released", campaignAt.Sub(lastSpam).Seconds())
		if !spamStoredAt.IsZero() {
			fmt.Printf(", %.1f s after it was stored", campaignAt.Sub(spamStoredAt).Seconds())
		}
		fmt.Printf(" (poll interval %s)\n", *poll)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "monitorreplay:", err)
		os.Exit(1)
	}
}

// mirror is a changes feed over names (seq i+1 is names[i]), releasing
// them over time, and their documents; it counts document fetches.
type mirror struct {
	mu       sync.Mutex
	names    []string
	recs     map[string]record.Package
	spam     map[string]bool
	released int
	lastSpam time.Time // when the last spam publication was released
	lastAt   time.Time // when the last publication was released
	fetches  map[string]int
}

func newMirror(honest, spam int) *mirror {
	h := spamgen.Honest(spamgen.HonestConfig{N: honest, Seed: 3})
	s := spamgen.Campaign(spamgen.Config{N: spam, Seed: 5, Ecosystems: []ecosystem.Ecosystem{ecosystem.NPM}})
	m := &mirror{recs: map[string]record.Package{}, spam: map[string]bool{}, fetches: map[string]int{}}
	add := func(p record.Package, isSpam bool) {
		if _, dup := m.recs[p.Name]; dup {
			return
		}
		m.recs[p.Name] = p
		m.names = append(m.names, p.Name)
		if isSpam {
			m.spam[p.Name] = true
		}
	}
	// The campaign arrives in the middle third, one spam package in
	// three publications.
	for i := 0; len(h) > 0 || len(s) > 0; i++ {
		if len(s) > 0 && (len(h) == 0 || (i > honest/3 && i%3 == 0)) {
			add(s[0], true)
			s = s[1:]
			continue
		}
		add(h[0], false)
		h = h[1:]
	}
	return m
}

func (m *mirror) release(perSecond int) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	step := max(1, perSecond/10)
	for range tick.C {
		m.mu.Lock()
		for i := 0; i < step && m.released < len(m.names); i++ {
			if m.spam[m.names[m.released]] {
				m.lastSpam = time.Now()
			}
			m.lastAt = time.Now()
			m.released++
		}
		done := m.released == len(m.names)
		m.mu.Unlock()
		if done {
			return
		}
	}
}

// lastSpamName is the name of the last spam publication.
func (m *mirror) lastSpamName() string {
	for i := len(m.names) - 1; i >= 0; i-- {
		if m.spam[m.names[i]] {
			return m.names[i]
		}
	}
	return ""
}

// allSpamReleased reports whether every spam publication was released.
func (m *mirror) allSpamReleased() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := m.released; i < len(m.names); i++ {
		if m.spam[m.names[i]] {
			return false
		}
	}
	return true
}

func (m *mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_changes" {
		m.changes(w, r)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	name = strings.ReplaceAll(name, "%2F", "/")
	m.mu.Lock()
	p, ok := m.recs[name]
	if ok {
		m.fetches[name]++
	}
	m.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	json.NewEncoder(w).Encode(packument(p))
}

func (m *mirror) changes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	type result struct {
		Seq int    `json:"seq"`
		ID  string `json:"id"`
	}
	out := struct {
		Results []result `json:"results"`
		LastSeq int      `json:"last_seq"`
		Pending int      `json:"pending"`
	}{Results: []result{}}
	m.mu.Lock()
	defer m.mu.Unlock()
	if q.Get("descending") == "true" {
		out.LastSeq = m.released
		json.NewEncoder(w).Encode(out)
		return
	}
	since, _ := strconv.Atoi(q.Get("since"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	i := since
	for ; i < m.released && len(out.Results) < limit; i++ {
		out.Results = append(out.Results, result{i + 1, m.names[i]})
	}
	out.LastSeq, out.Pending = i, m.released-i
	json.NewEncoder(w).Encode(out)
}

// packument is the npm document of one generated record.
func packument(p record.Package) map[string]any {
	v := p.Version
	if v == "" {
		v = "1.0.0"
	}
	pub := p.Published
	if pub.IsZero() {
		pub = time.Now().UTC()
	}
	var maint []map[string]string
	for _, a := range append(p.Authors, p.Maintainers...) {
		maint = append(maint, map[string]string{"name": a.Name, "email": a.Email})
	}
	user := map[string]string{}
	if len(maint) > 0 {
		user = maint[0]
	}
	return map[string]any{
		"name": p.Name, "description": p.Description, "readme": p.Readme, "homepage": p.Homepage,
		"maintainers": maint, "dist-tags": map[string]string{"latest": v},
		"versions": map[string]any{v: map[string]any{
			"name": p.Name, "version": v, "description": p.Description, "homepage": p.Homepage,
			"maintainers": maint, "_npmUser": user,
		}},
		"time": map[string]string{"created": pub.Format(time.RFC3339), v: pub.Format(time.RFC3339)},
	}
}

// proc is one pkgward serve process.
type proc struct {
	cmd  *exec.Cmd
	base string
}

var gateLine = regexp.MustCompile(`gate on (http://127\.0\.0\.1:\d+)`)

// lockedWriter serializes the writes of several processes' log copiers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func startServe(bin, dsn, mirror string, poll time.Duration, logTo io.Writer) *proc {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--feed", "npm="+mirror,
		"--registry", mirror, "--feed-start", "npm=0", "--poll-interval", poll.String())
	cmd.Env = append(os.Environ(), "PKGWARD_TOKEN=")
	stderr, err := cmd.StderrPipe()
	check(err)
	check(cmd.Start())
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := gateLine.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(logTo, stderr)
			return &proc{cmd: cmd, base: m[1]}
		}
		fmt.Fprintln(os.Stderr, "serve:", sc.Text())
	}
	check(fmt.Errorf("serve exited before listening"))
	return nil
}

type stats struct {
	Packages int64 `json:"packages"`
	Checks   int64 `json:"checks"`
}

func (p *proc) get(path string, v any) error {
	resp, err := http.Get(p.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// has reports whether the store holds a check of the npm package name.
func (p *proc) has(name string) bool {
	var v any
	return p.get("/v1/packages/npm/"+url.PathEscape(name), &v) == nil
}

func (p *proc) stats() (stats, error) {
	var s stats
	return s, p.get("/v1/stats", &s)
}

type campaignView struct {
	id                 string
	size, spam, honest int
}

// bestCampaign is the listed campaign with the most spam members.
func (p *proc) bestCampaign(m *mirror) (campaignView, bool) {
	var list struct {
		Campaigns []struct {
			ID string `json:"id"`
		} `json:"campaigns"`
	}
	if p.get("/v1/campaigns", &list) != nil {
		return campaignView{}, false
	}
	var best campaignView
	for _, c := range list.Campaigns {
		var one struct {
			Members []struct {
				Name string `json:"name"`
			} `json:"members"`
		}
		if p.get("/v1/campaigns/"+c.ID, &one) != nil {
			continue
		}
		v := campaignView{id: c.ID, size: len(one.Members)}
		for _, mem := range one.Members {
			if m.spam[mem.Name] {
				v.spam++
			} else {
				v.honest++
			}
		}
		if v.spam > best.spam {
			best = v
		}
	}
	return best, best.id != ""
}
