//! The service's Prometheus series: their names, help texts and buckets in one place, and the
//! functions the layers call to record them. The recorder is process-wide (the `metrics`
//! crate's global one); `GET /metrics` renders it (see `http::metrics`).
//!
//! Every label has a closed set of values: route templates (never raw paths), status classes,
//! report formats, event types, sign-in kinds and reasons. No label ever carries an id, a
//! username or a client address.

use std::sync::OnceLock;
use std::time::Duration;

use ::metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests served, by method, route template and status class.
pub const HTTP_REQUESTS: &str = "bm_http_requests_total";
/// Their latency, by the same labels.
pub const HTTP_DURATION: &str = "bm_http_request_duration_seconds";
/// The route label of a request no route matched (bounded: one value for all of them).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Connections of a database pool, by pool (`read`, `write`) and state (`idle`, `in_use`).
pub const DB_POOL_CONNECTIONS: &str = "bm_db_pool_connections";
/// The most connections a pool opens.
pub const DB_POOL_MAX: &str = "bm_db_pool_max_connections";
/// How long the scrape waited for a connection of the pool: near zero while connections are
/// free; high (up to the probe's timeout) while requests queue for one.
pub const DB_POOL_ACQUIRE: &str = "bm_db_pool_acquire_seconds";

/// Reports answered, by format and whether the frozen rendering of a published period was
/// served (`frozen="true"`) or the report was built now.
pub const REPORTS: &str = "bm_reports_total";
pub const REPORT_DURATION: &str = "bm_report_duration_seconds";
pub const REPORT_BYTES: &str = "bm_report_bytes";

/// Refused sign-ins (`kind` `password` or `client`; `reason` names why), and attempts refused
/// by the throttle before their credentials were checked.
pub const SIGN_IN_FAILURES: &str = "bm_sign_in_failures_total";
pub const SIGN_IN_THROTTLED: &str = "bm_sign_in_throttled_total";

/// Change-feed events committed by this instance, by event type.
pub const FEED_EVENTS: &str = "bm_change_feed_events_total";
/// The feed's last position (read from the database at scrape time: the same on every instance).
pub const FEED_LAST_SEQ: &str = "bm_change_feed_last_seq";
/// When the newest event kept was written (Unix seconds): its age is `time() - this`.
pub const FEED_LAST_TIME: &str = "bm_change_feed_last_event_timestamp_seconds";

/// Webhook attempts made by this instance, by outcome (`delivered`, `retrying`, `failed`: what
/// the delivery became) and the endpoint's status class (`none` when it did not answer). Never
/// an endpoint's URL or id.
pub const WEBHOOK_ATTEMPTS: &str = "bm_webhook_attempts_total";
/// How long an attempt took, by the same outcome.
pub const WEBHOOK_DURATION: &str = "bm_webhook_attempt_duration_seconds";

/// Request latency buckets: 5 ms to 30 s.
const LATENCY: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Report sizes: 1 KiB to 64 MiB.
const BYTES: [f64; 9] = [
    1024.0, 8192.0, 65536.0, 262144.0, 1048576.0, 4194304.0, 16777216.0, 33554432.0, 67108864.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed at the first call.
pub fn handle() -> PrometheusHandle {
    HANDLE.get_or_init(install).clone()
}

fn install() -> PrometheusHandle {
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY)
        .and_then(|b| b.set_buckets_for_metric(Matcher::Full(REPORT_BYTES.into()), &BYTES))
        .expect("the buckets are not empty")
        .build_recorder();
    let handle = recorder.handle();
    // Another recorder installed first (by an embedding program) keeps its place; this one
    // then renders empty series, which is all it can do.
    if ::metrics::set_global_recorder(recorder).is_err() {
        tracing::warn!("a metrics recorder was already installed; /metrics shows nothing");
    }
    describe();
    // Histograms keep their samples until upkeep folds them in: do it even when nobody scrapes.
    let upkeep = handle.clone();
    std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5));
            upkeep.run_upkeep();
        })
        .expect("a thread starts");
    handle
}

fn describe() {
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests served, by method, route template and status class"
    );
    describe_histogram!(
        HTTP_DURATION,
        ::metrics::Unit::Seconds,
        "HTTP request latency, by method, route template and status class"
    );
    describe_gauge!(
        DB_POOL_CONNECTIONS,
        "Open database connections, by pool and state (idle, in_use)"
    );
    describe_gauge!(DB_POOL_MAX, "The most connections a database pool opens");
    describe_gauge!(
        DB_POOL_ACQUIRE,
        ::metrics::Unit::Seconds,
        "How long the scrape waited for a connection of the pool"
    );
    describe_counter!(
        REPORTS,
        "Monitoring reports answered, by format and whether the frozen rendering was served"
    );
    describe_histogram!(
        REPORT_DURATION,
        ::metrics::Unit::Seconds,
        "Time to build and render a report (after its turn), by format"
    );
    describe_histogram!(
        REPORT_BYTES,
        ::metrics::Unit::Bytes,
        "Size of a rendered report, by format"
    );
    describe_counter!(
        SIGN_IN_FAILURES,
        "Refused sign-ins, by kind (password, client) and reason"
    );
    describe_counter!(
        SIGN_IN_THROTTLED,
        "Sign-in attempts refused by the throttle, by kind (password, client)"
    );
    describe_counter!(
        FEED_EVENTS,
        "Change-feed events committed by this instance, by event type"
    );
    describe_gauge!(FEED_LAST_SEQ, "The change feed's last position");
    describe_counter!(
        WEBHOOK_ATTEMPTS,
        "Webhook attempts, by what the delivery became (delivered, retrying, failed) and the endpoint's status class (none: no answer)"
    );
    describe_histogram!(
        WEBHOOK_DURATION,
        ::metrics::Unit::Seconds,
        "Time a webhook attempt took, by what the delivery became"
    );
    describe_gauge!(
        FEED_LAST_TIME,
        ::metrics::Unit::Seconds,
        "When the newest change-feed event kept was written (Unix time)"
    );
}

/// The status class label of an HTTP status: `2xx`, `4xx`, ...
pub fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The method label: the standard methods as they are, anything else `other` (a client may
/// send any token as a method).
pub fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN.into_iter().find(|m| *m == method).unwrap_or("other")
}

/// One HTTP request served: `route` is the route template, or `None` when no route matched.
pub fn request_served(method: &str, route: Option<String>, status: u16, elapsed: Duration) {
    let labels = [
        ("method", method_label(method).to_string()),
        ("route", route.unwrap_or_else(|| UNMATCHED_ROUTE.into())),
        ("status", status_class(status).to_string()),
    ];
    counter!(HTTP_REQUESTS, &labels).increment(1);
    histogram!(HTTP_DURATION, &labels).record(elapsed.as_secs_f64());
}

/// One report answered in `format` (`json`, `csv`, `xlsx`, `docx`).
pub fn report_answered(format: &'static str, frozen: bool, elapsed: Duration, bytes: Option<u64>) {
    let frozen = if frozen { "true" } else { "false" };
    counter!(REPORTS, "format" => format, "frozen" => frozen).increment(1);
    histogram!(REPORT_DURATION, "format" => format, "frozen" => frozen)
        .record(elapsed.as_secs_f64());
    if let Some(n) = bytes {
        histogram!(REPORT_BYTES, "format" => format).record(n as f64);
    }
}

/// A refused sign-in of `kind` (`password`, `client`) for `reason` (a closed set per kind).
pub fn sign_in_failed(kind: &'static str, reason: &'static str) {
    counter!(SIGN_IN_FAILURES, "kind" => kind, "reason" => reason).increment(1);
}

/// A sign-in attempt of `kind` refused by the throttle.
pub fn sign_in_throttled(kind: &'static str) {
    counter!(SIGN_IN_THROTTLED, "kind" => kind).increment(1);
}

/// A change-feed event of `event_type` committed.
pub fn feed_event_committed(event_type: &str) {
    counter!(FEED_EVENTS, "type" => event_type.to_string()).increment(1);
}

/// A database pool as sampled at scrape time.
#[derive(Debug, Clone, Copy)]
pub struct PoolSample {
    pub pool: &'static str,
    pub size: u32,
    pub idle: u32,
    pub max: u32,
    /// How long a probe waited for a connection (the probe's timeout when none came).
    pub acquire: Duration,
}

/// Sets the pool gauges from a sample.
pub fn pool_sampled(s: &PoolSample) {
    let in_use = s.size.saturating_sub(s.idle);
    gauge!(DB_POOL_CONNECTIONS, "pool" => s.pool, "state" => "idle").set(s.idle as f64);
    gauge!(DB_POOL_CONNECTIONS, "pool" => s.pool, "state" => "in_use").set(in_use as f64);
    gauge!(DB_POOL_MAX, "pool" => s.pool).set(s.max as f64);
    gauge!(DB_POOL_ACQUIRE, "pool" => s.pool).set(s.acquire.as_secs_f64());
}

/// Sets the change-feed gauges: the last position and when the newest event kept was written.
pub fn feed_sampled(last_seq: i64, newest: Option<chrono::DateTime<chrono::Utc>>) {
    gauge!(FEED_LAST_SEQ).set(last_seq as f64);
    if let Some(t) = newest {
        gauge!(FEED_LAST_TIME).set(t.timestamp_millis() as f64 / 1000.0);
    }
}

/// One webhook attempt recorded: `outcome` is what its delivery became (`delivered`,
/// `retrying`, `failed`), `status` the endpoint's answer if there was one.
pub fn webhook_attempt(outcome: &'static str, status: Option<u16>, latency: Duration) {
    let class = status.map_or("none", status_class);
    counter!(WEBHOOK_ATTEMPTS, "outcome" => outcome, "status" => class).increment(1);
    histogram!(WEBHOOK_DURATION, "outcome" => outcome).record(latency.as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_closed_sets() {
        for (status, class) in [
            (101, "1xx"),
            (200, "2xx"),
            (304, "3xx"),
            (404, "4xx"),
            (503, "5xx"),
        ] {
            assert_eq!(status_class(status), class);
        }
        for (method, label) in [
            ("GET", "GET"),
            ("PATCH", "PATCH"),
            ("BREW", "other"),
            ("get", "other"),
        ] {
            assert_eq!(method_label(method), label);
        }
    }
}
