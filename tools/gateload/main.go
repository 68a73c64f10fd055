// Command gateload drives a running pkgward gate on the loopback interface
// with metadata-only POST /v1/check requests and reports throughput and
// latency percentiles. It refuses any address that is not loopback: it
// is a measurement tool, not a load test of someone else's server.
//
// Two modes:
//
//	go run ./tools/gateload -rate 5000 -d 30s   # open loop: a constant offered rate
//	go run ./tools/gateload -c 32 -d 10s        # closed loop: saturation throughput
//
// In the open loop, request i is due at start + i/rate whether or not
// earlier ones were answered, and its latency is measured from that due
// time, not from when a connection was free to send it: a stalled server
// shows as the latency of every request that waited, not as fewer
// samples (no coordinated omission). -c caps the connections (requests
// in flight); a request that finds them all busy waits, and that wait is
// part of its latency.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

type sample struct {
	lat  time.Duration
	code int // 0: transport error
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "gate base URL (loopback only)")
	conc := flag.Int("c", 32, "connections: concurrent clients (closed loop) or the cap on requests in flight (open loop)")
	rate := flag.Int("rate", 0, "open loop: requests per second offered at a constant rate (0: closed loop)")
	dur := flag.Duration("d", 10*time.Second, "duration (at most 5m)")
	warm := flag.Duration("warmup", 0, "run this long first without recording")
	token := flag.String("token", os.Getenv("PKGWARD_TOKEN"), "bearer token")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil {
		fail(err)
	}
	if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		fail(fmt.Errorf("%s is not a loopback address", u.Hostname()))
	}
	if *dur > 5*time.Minute || *warm > time.Minute || *conc < 1 || *conc > 4096 || *rate < 0 || *rate > 100000 {
		fail(fmt.Errorf("-d at most 5m, -warmup at most 1m, -c 1 to 4096, -rate 0 to 100000"))
	}
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc, DisableCompression: true},
		Timeout:   30 * time.Second,
	}
	var seq atomic.Int64
	do := func() sample {
		i := seq.Add(1)
		// Distinct versions: every check is a new row, as a registry's
		// publishes are.
		body := `{"ecosystem":"npm","name":"` + names[i%int64(len(names))] + `","version":"1.` + strconv.FormatInt(i/1000, 10) + `.` + strconv.FormatInt(i%1000, 10) + `"}`
		req, _ := http.NewRequest("POST", *base+"/v1/check", bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		if *token != "" {
			req.Header.Set("Authorization", "Bearer "+*token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return sample{}
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return sample{code: resp.StatusCode}
	}
	if *warm > 0 {
		if *rate > 0 {
			openLoop(do, *rate, *conc, *warm)
		} else {
			closedLoop(do, *conc, *warm)
		}
	}
	var samples []sample
	mode := fmt.Sprintf("closed loop, %d clients", *conc)
	if *rate > 0 {
		samples = openLoop(do, *rate, *conc, *dur)
		mode = fmt.Sprintf("open loop at %d/s, at most %d in flight", *rate, *conc)
	} else {
		samples = closedLoop(do, *conc, *dur)
	}
	report(samples, *dur, mode)
}

var names = []string{"expresss", "lodash", "1odash", "react", "left-pad", "crossenv", "acme-widgets", "reqct"}

// openLoop offers rate requests per second for d. The scheduler wakes
// about every 200 µs and releases every request that is due; latency
// counts from the due time.
func openLoop(do func() sample, rate, conc int, d time.Duration) []sample {
	n := int(float64(rate) * d.Seconds())
	due := make(chan time.Time, n)
	out := make([]sample, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			var mine []sample
			for t := range due {
				s := do()
				s.lat = time.Since(t)
				mine = append(mine, s)
			}
			mu.Lock()
			out = append(out, mine...)
			mu.Unlock()
		})
	}
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	for i := 0; i < n; {
		now := time.Now()
		for ; i < n; i++ {
			t := start.Add(time.Duration(i) * interval)
			if t.After(now) {
				break
			}
			due <- t
		}
		time.Sleep(200 * time.Microsecond)
	}
	close(due)
	wg.Wait()
	return out
}

// closedLoop runs conc clients that each send the next request when the
// previous one is answered, for d.
func closedLoop(do func() sample, conc int, d time.Duration) []sample {
	var mu sync.Mutex
	var out []sample
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			var mine []sample
			for time.Now().Before(deadline) {
				t0 := time.Now()
				s := do()
				s.lat = time.Since(t0)
				mine = append(mine, s)
			}
			mu.Lock()
			out = append(out, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

func report(samples []sample, d time.Duration, mode string) {
	lat := make([]time.Duration, 0, len(samples))
	errs, non200 := 0, 0
	for _, s := range samples {
		switch s.code {
		case 0:
			errs++
		case http.StatusOK:
		default:
			non200++
		}
		lat = append(lat, s.lat)
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))].Round(10 * time.Microsecond)
	}
	fmt.Printf("%s: %d requests in %s, %.0f/s; latency p50 %s p90 %s p99 %s p99.9 %s max %s; non-200 %d, transport errors %d\n",
		mode, len(lat), d, float64(len(lat))/d.Seconds(), pct(0.50), pct(0.90), pct(0.99), pct(0.999), pct(1), non200, errs)
	if errs > 0 || non200 > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gateload:", err)
	os.Exit(2)
}
