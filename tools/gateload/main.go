// Command gateload drives a running pkgward gate on the loopback interface
// with concurrent POST /v1/check requests for a fixed time and reports the
// throughput and latency percentiles. It refuses any address that is not
// loopback: it is a measurement tool, not a load test of someone else's
// server.
//
//	go run ./tools/gateload -url http://127.0.0.1:8080 -c 32 -d 10s
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
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "gate base URL (loopback only)")
	conc := flag.Int("c", 32, "concurrent clients")
	dur := flag.Duration("d", 10*time.Second, "duration (at most 2m)")
	token := flag.String("token", os.Getenv("PKGWARD_TOKEN"), "bearer token")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil {
		fail(err)
	}
	if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		fail(fmt.Errorf("%s is not a loopback address", u.Hostname()))
	}
	if *dur > 2*time.Minute || *conc < 1 || *conc > 1024 {
		fail(fmt.Errorf("-d at most 2m, -c 1 to 1024"))
	}
	names := []string{"expresss", "lodash", "1odash", "react", "left-pad", "crossenv", "acme-widgets", "reqct"}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc}, Timeout: 10 * time.Second}
	var mu sync.Mutex
	var lat []time.Duration
	errs, non200 := 0, 0
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for w := range *conc {
		wg.Go(func() {
			var mine []time.Duration
			e, n := 0, 0
			for i := 0; time.Now().Before(deadline); i++ {
				body := fmt.Sprintf(`{"ecosystem":"npm","name":%q,"version":"1.0.%d"}`, names[(w+i)%len(names)], i%100)
				req, _ := http.NewRequest("POST", *base+"/v1/check", bytes.NewBufferString(body))
				req.Header.Set("Content-Type", "application/json")
				if *token != "" {
					req.Header.Set("Authorization", "Bearer "+*token)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					e++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				if resp.StatusCode != 200 {
					n++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += e
			non200 += n
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	fmt.Printf("requests %d in %s (%d clients): %.0f/s; p50 %s p90 %s p99 %s max %s; non-200 %d, transport errors %d\n",
		len(lat), *dur, *conc, float64(len(lat))/dur.Seconds(), pct(0.50), pct(0.90), pct(0.99), pct(1), non200, errs)
	if errs > 0 || non200 > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gateload:", err)
	os.Exit(2)
}
