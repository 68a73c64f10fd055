package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pkgward/pkgward/internal/ecosystem"
	"github.com/pkgward/pkgward/internal/record"
	"github.com/pkgward/pkgward/internal/store"
)

// metrics are the gate's Prometheus metrics (docs/server.md#metrics).
type metrics struct {
	duration    *prometheus.HistogramVec // route
	requests    *prometheus.CounterVec   // route, code
	inFlight    prometheus.Gauge
	checks      *prometheus.CounterVec // input, verdict
	storeErrors *prometheus.CounterVec // op

	// routes caches each route's resolved children: WithLabelValues
	// hashes its labels on every call.
	routes sync.Map // route string → *routeMetrics
	// checkCounters are checks' counters, [archive][verdict].
	checkCounters [2][3]prometheus.Counter
}

type routeMetrics struct {
	duration prometheus.Observer
	mu       sync.RWMutex
	codes    map[int]prometheus.Counter
	vec      *prometheus.CounterVec
	route    string
}

func (rm *routeMetrics) code(c int) prometheus.Counter {
	rm.mu.RLock()
	ctr, ok := rm.codes[c]
	rm.mu.RUnlock()
	if ok {
		return ctr
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if ctr, ok = rm.codes[c]; !ok {
		ctr = rm.vec.WithLabelValues(rm.route, strconv.Itoa(c))
		rm.codes[c] = ctr
	}
	return ctr
}

var verdicts = [3]record.Verdict{record.Allow, record.Warn, record.Block}

func newMetrics(reg prometheus.Registerer, st store.Store) (*metrics, error) {
	m := &metrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pkgward_http_request_duration_seconds",
			Help: "Time from reading a request's headers to writing its response, by route pattern.",
			// From 250 µs (a metadata check) to 30 s (a large archive).
			Buckets: []float64{.00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pkgward_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pkgward_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pkgward_checks_total",
			Help: "Checks judged and stored by POST /v1/check, by input (metadata or archive) and verdict.",
		}, []string{"input", "verdict"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pkgward_store_errors_total",
			Help: "Store operations that failed, by operation (save, read, ping, feeds).",
		}, []string{"op"}),
	}
	for i, input := range []string{"metadata", "archive"} {
		for j, v := range verdicts {
			m.checkCounters[i][j] = m.checks.WithLabelValues(input, string(v))
		}
	}
	for _, op := range []string{"save", "read", "ping", "feeds"} {
		m.storeErrors.WithLabelValues(op) // present at 0 before the first error
	}
	for _, c := range []prometheus.Collector{m.duration, m.requests, m.inFlight, m.checks, m.storeErrors, &feedCollector{st: st, errs: m.storeErrors}} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// checked counts a stored check.
func (m *metrics) checked(archive bool, v record.Verdict) {
	i := 0
	if archive {
		i = 1
	}
	for j, w := range verdicts {
		if w == v {
			m.checkCounters[i][j].Inc()
		}
	}
}

func (m *metrics) route(pattern string) *routeMetrics {
	if pattern == "" {
		pattern = "unmatched" // 404 and 405 of the mux: never the raw path
	}
	if rm, ok := m.routes.Load(pattern); ok {
		return rm.(*routeMetrics)
	}
	rm, _ := m.routes.LoadOrStore(pattern, &routeMetrics{
		duration: m.duration.WithLabelValues(pattern), codes: map[int]prometheus.Counter{}, vec: m.requests, route: pattern,
	})
	return rm.(*routeMetrics)
}

// statusWriter records the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var statusWriters = sync.Pool{New: func() any { return new(statusWriter) }}

// instrument measures every request by the pattern the mux routed it to
// (the mux sets r.Pattern on the request it is given).
func (m *metrics) instrument(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inFlight.Inc()
		sw := statusWriters.Get().(*statusWriter)
		sw.ResponseWriter, sw.code = w, 0
		defer func() {
			m.inFlight.Dec()
			code := sw.code
			if code == 0 {
				code = http.StatusOK
			}
			sw.ResponseWriter = nil
			statusWriters.Put(sw)
			rm := m.route(r.Pattern)
			rm.duration.Observe(time.Since(start).Seconds())
			rm.code(code).Inc()
		}()
		mux.ServeHTTP(sw, r)
	})
}

// feedCollector reports each feed's lag and error count from the cursors
// the store holds, read when the metrics are scraped.
type feedCollector struct {
	st   store.Store
	errs *prometheus.CounterVec
}

var (
	feedLagDesc = prometheus.NewDesc("pkgward_feed_lag_seconds",
		"Seconds since the feed's last poll, from its stored cursor; absent for a feed that never stored one.", []string{"ecosystem"}, nil)
	feedErrorsDesc = prometheus.NewDesc("pkgward_feed_errors",
		"Errors the feed counted, as stored with its cursor.", []string{"ecosystem"}, nil)
)

func (f *feedCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- feedLagDesc
	ch <- feedErrorsDesc
}

func (f *feedCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	now := time.Now()
	for _, eco := range ecosystem.All() {
		fs, err := f.st.FeedCursor(ctx, eco)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			f.errs.WithLabelValues("feeds").Inc()
			return
		}
		ch <- prometheus.MustNewConstMetric(feedLagDesc, prometheus.GaugeValue, now.Sub(fs.LastPoll).Seconds(), string(eco))
		ch <- prometheus.MustNewConstMetric(feedErrorsDesc, prometheus.GaugeValue, float64(fs.Errors), string(eco))
	}
}
