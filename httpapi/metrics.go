package httpapi

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the Prometheus metrics of the API.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	round    prometheus.Histogram
	outbox   *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kitaportal_http_requests_total", Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kitaportal_http_request_duration_seconds", Help: "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		round: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "kitaportal_round_duration_seconds", Help: "Time an allocation round took.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 14),
		}),
		outbox: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kitaportal_outbox_messages_total", Help: "Outbox messages the dispatcher handled, by outcome (sent, retry, failed).",
		}, []string{"outcome"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.round, m.outbox} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(d.Seconds())
}
