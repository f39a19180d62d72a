// Package metrics exposes partnerbot's Prometheus metrics on a registry of
// its own: envelopes and ack latency, Slack Web API calls, Redis errors and
// the scheduler's check-ins.
package metrics

import (
	"net/http"
	"time"

	"github.com/partnerbot/partnerbot/internal/bot"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ackBuckets suit Slack's 3 s ack deadline: fine below 100 ms, where a
// healthy bot acks, and every half second up to the deadline.
var ackBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 1.5, 2, 2.5, 3}

// slackBuckets cover a Web API call up to the default SLACK_HTTP_TIMEOUT.
var slackBuckets = []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Metrics holds the registry and every collector. Build it with New.
type Metrics struct {
	reg *prometheus.Registry

	envelopes  *prometheus.CounterVec
	ackLatency *prometheus.HistogramVec

	slackCalls    *prometheus.CounterVec
	slackDuration *prometheus.HistogramVec

	redisErrors *prometheus.CounterVec

	checkinsSent   prometheus.Counter
	checkinsFailed prometheus.Counter
	dueQueueLag    prometheus.Gauge
}

// New returns Metrics registered on a fresh registry, together with the Go
// runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnerbot_envelopes_total",
			Help: "Socket Mode envelopes by type (slash_commands, interactive, events_api, unknown) and outcome (ok, dropped, malformed, panic, refused).",
		}, []string{"type", "outcome"}),
		ackLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "partnerbot_ack_latency_seconds",
			Help:    "Time from an envelope's arrival to its ack; Slack gives up after 3 s.",
			Buckets: ackBuckets,
		}, []string{"type"}),
		slackCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnerbot_slack_api_calls_total",
			Help: `Slack Web API calls by method and HTTP status ("429" when rate limited, "error" when no response came back).`,
		}, []string{"method", "status"}),
		slackDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "partnerbot_slack_api_duration_seconds",
			Help:    "Duration of Slack Web API calls, until the response headers arrive.",
			Buckets: slackBuckets,
		}, []string{"method"}),
		redisErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnerbot_redis_errors_total",
			Help: "Redis commands that failed, by command (a missing key is not an error).",
		}, []string{"command"}),
		checkinsSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "partnerbot_checkins_sent_total",
			Help: "Scheduled check-ins sent. Reported by the scheduler, which is not built yet: stays 0 until then.",
		}),
		checkinsFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "partnerbot_checkins_failed_total",
			Help: "Scheduled check-ins that could not be sent. Reported by the scheduler, which is not built yet: stays 0 until then.",
		}),
		dueQueueLag: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "partnerbot_due_queue_lag_seconds",
			Help: "How late the oldest due check-in is. Reported by the scheduler, which is not built yet: stays 0 until then.",
		}),
	}
	m.reg.MustRegister(
		m.envelopes, m.ackLatency,
		m.slackCalls, m.slackDuration,
		m.redisErrors,
		m.checkinsSent, m.checkinsFailed, m.dueQueueLag,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	// Start the series alerts watch at 0, so that the first panic or
	// refusal is an increase rather than a new series.
	for _, typ := range []string{"slash_commands", "interactive", "events_api"} {
		for _, o := range []bot.Outcome{bot.OutcomeOK, bot.OutcomeDropped, bot.OutcomePanic, bot.OutcomeRefused, bot.OutcomeDuplicate} {
			m.envelopes.WithLabelValues(typ, string(o))
		}
	}
	m.envelopes.WithLabelValues("unknown", string(bot.OutcomeMalformed))
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Envelope counts one envelope and, when it was acked (ackLatency > 0),
// observes its ack latency. It satisfies bot.Observer.
func (m *Metrics) Envelope(envelopeType string, outcome bot.Outcome, ackLatency time.Duration) {
	m.envelopes.WithLabelValues(envelopeType, string(outcome)).Inc()
	if ackLatency > 0 {
		m.ackLatency.WithLabelValues(envelopeType).Observe(ackLatency.Seconds())
	}
}

// CheckinSent counts a check-in sent. For the scheduler of a later issue;
// nothing calls it yet.
func (m *Metrics) CheckinSent() { m.checkinsSent.Inc() }

// CheckinFailed counts a check-in that could not be sent. For the scheduler
// of a later issue; nothing calls it yet.
func (m *Metrics) CheckinFailed() { m.checkinsFailed.Inc() }

// SetDueQueueLag records how late the oldest due check-in is. For the
// scheduler of a later issue; nothing calls it yet.
func (m *Metrics) SetDueQueueLag(lag time.Duration) { m.dueQueueLag.Set(lag.Seconds()) }
