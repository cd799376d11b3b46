//! `GET /metrics`: the series move with the requests served, their labels are route templates
//! and closed sets (never an id), and the token and the separate listener guard them.
//!
//! The recorder is process-wide, so other tests running in the same process add to the same
//! counters: every check is "moved by at least", never "equals".

use std::collections::HashMap;

use reqwest::Method;
use uuid::Uuid;

use crate::helpers::*;

const TOKEN: &str = "metrics-token-0123456789";

/// One scrape: the value of every series, keyed by its name and labels as written.
struct Scrape {
    text: String,
    series: HashMap<String, f64>,
}

impl Scrape {
    fn parse(text: String) -> Self {
        let series = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (name, value) = l.rsplit_once(' ')?;
                Some((name.to_string(), value.parse().ok()?))
            })
            .collect();
        Scrape { text, series }
    }

    /// The value of `name` with exactly these labels (0 when absent).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.find(name, labels).unwrap_or(0.0)
    }

    fn find(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        self.series.iter().find_map(|(key, v)| {
            let (n, rest) = key.split_once('{').unwrap_or((key, "}"));
            let rest = rest.strip_suffix('}')?;
            let mut have: Vec<(&str, &str)> = rest
                .split("\",")
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.split_once("=\""))
                .map(|(k, v)| (k, v.trim_end_matches('"')))
                .collect();
            have.sort();
            let mut want = labels.to_vec();
            want.sort();
            (n == name && have == want).then_some(*v)
        })
    }
}

async fn scrape(app: &TestApp) -> Scrape {
    let r = app.send(app.req(Method::GET, "/metrics", None)).await;
    assert_eq!(r.status(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    Scrape::parse(r.text().await.unwrap())
}

/// Whether `s` has a UUID (8-4-4-4-12 hex digits) in it.
fn has_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(35)).any(|i| {
        b[i..i + 36].iter().enumerate().all(|(j, c)| match j {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
    })
}

#[tokio::test]
async fn the_series_move_with_requests_sign_ins_reports_and_the_change_feed() {
    let app = spawn_app().await;
    let finance = app.as_finance().await;
    let period = finance.new_period(2026, "h1").await;
    let before = scrape(&app).await;

    finance.open_period(period.id).await;

    let ok = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let missing = Uuid::new_v4();
    let r = finance.get(&format!("/api/v1/units/{missing}")).await;
    assert_eq!(r.status(), 404);
    let r = app
        .client
        .get(app.url(&format!("/no/such/{missing}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app.try_login("admin", "not-the-password").await;
    assert_eq!(r.status(), 401);
    let r = finance
        .get(&format!("/api/v1/periods/{}/report.csv", period.id))
        .await;
    assert_eq!(r.status(), 200);
    // The JSON report is streamed; its size is counted all the same.
    let r = finance
        .get(&format!("/api/v1/periods/{}/report", period.id))
        .await;
    assert_eq!(r.status(), 200);
    let json_bytes = r.text().await.unwrap().len() as f64;

    let after = scrape(&app).await;
    let moved = |name: &str, labels: &[(&str, &str)]| {
        after.value(name, labels) - before.value(name, labels)
    };
    let healthz = [("method", "GET"), ("route", "/healthz"), ("status", "2xx")];
    assert!(
        moved("bm_http_requests_total", &healthz) >= 1.0,
        "{}",
        after.text
    );
    assert!(moved("bm_http_request_duration_seconds_count", &healthz) >= 1.0);
    let unit = [
        ("method", "GET"),
        ("route", "/api/v1/units/{id}"),
        ("status", "4xx"),
    ];
    assert!(
        moved("bm_http_requests_total", &unit) >= 1.0,
        "{}",
        after.text
    );
    let unmatched = [("method", "GET"), ("route", "unmatched"), ("status", "4xx")];
    assert!(moved("bm_http_requests_total", &unmatched) >= 1.0);
    let failed = [("kind", "password"), ("reason", "invalid_credentials")];
    assert!(moved("bm_sign_in_failures_total", &failed) >= 1.0);
    let csv = [("format", "csv"), ("frozen", "false")];
    assert!(moved("bm_reports_total", &csv) >= 1.0);
    assert!(moved("bm_report_duration_seconds_count", &csv) >= 1.0);
    assert!(moved("bm_report_bytes_count", &[("format", "csv")]) >= 1.0);
    assert!(after.value("bm_report_bytes_sum", &[("format", "csv")]) > 0.0);
    let json = [("format", "json")];
    assert_eq!(moved("bm_report_bytes_count", &json), 1.0);
    assert_eq!(moved("bm_report_bytes_sum", &json), json_bytes);
    let opened = [("type", "period.opened")];
    assert!(
        moved("bm_change_feed_events_total", &opened) >= 1.0,
        "{}",
        after.text
    );
    assert!(after.value("bm_change_feed_last_seq", &[]) >= 1.0);
    assert!(after
        .find("bm_change_feed_last_event_timestamp_seconds", &[])
        .is_some());

    let pools: &[&str] = if app.settings.is_sqlite() {
        &["read", "write"]
    } else {
        &["main"]
    };
    for pool in pools {
        for state in ["idle", "in_use"] {
            let found = after.find(
                "bm_db_pool_connections",
                &[("pool", pool), ("state", state)],
            );
            assert!(found.is_some(), "{pool} {state}: {}", after.text);
        }
        assert!(after.value("bm_db_pool_max_connections", &[("pool", pool)]) >= 1.0);
        assert!(after
            .find("bm_db_pool_acquire_seconds", &[("pool", pool)])
            .is_some());
    }

    // Route templates only: no id, no raw path, no username in any label.
    assert!(!has_uuid(&after.text), "{}", after.text);
    assert!(!after.text.contains("/no/such"));
    assert!(!after.text.contains("admin"));
}

#[test]
fn the_uuid_check_finds_uuids() {
    assert!(has_uuid(&format!(
        "route=\"/api/v1/units/{}\"",
        Uuid::new_v4()
    )));
    assert!(!has_uuid("route=\"/api/v1/units/{id}\""));
}

#[tokio::test]
async fn with_a_token_set_the_metrics_need_it() {
    let app = spawn_app_with(|s| s.telemetry.metrics_token = Some(TOKEN.into())).await;
    let r = app.send(app.req(Method::GET, "/metrics", None)).await;
    assert_problem(r, 401, "missing_token").await;
    let r = app
        .send(app.req(Method::GET, "/metrics", Some("metrics-token-wrong-0123")))
        .await;
    assert_problem(r, 401, "invalid_token").await;
    let admin = app.admin().await;
    let r = app
        .send(app.req(Method::GET, "/metrics", Some(&admin)))
        .await;
    assert_problem(r, 401, "invalid_token").await;
    let r = app
        .send(app.req(Method::GET, "/metrics", Some(TOKEN)))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("bm_http_requests_total"));
}

#[tokio::test]
async fn on_their_own_listener_the_metrics_are_not_on_the_main_port() {
    let app = spawn_app_with(|s| {
        s.telemetry.metrics_bind = Some("127.0.0.1:0".into());
        s.telemetry.metrics_token = Some(TOKEN.into());
    })
    .await;
    let r = app
        .send(app.req(Method::GET, "/metrics", Some(TOKEN)))
        .await;
    assert_problem(r, 404, "route_not_found").await;
    let own = app
        .metrics_address
        .clone()
        .expect("a listener of their own");
    let r = app
        .client
        .get(format!("{own}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .client
        .get(format!("{own}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("bm_db_pool_max_connections"));
    let r = app
        .client
        .get(format!("{own}/api/v1/units"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn throttled_sign_ins_and_refused_clients_are_counted_by_kind() {
    within_one_window().await;
    let app = spawn_app().await;
    let throttled = [("kind", "password")];
    let unknown = [("kind", "client"), ("reason", "unknown_client")];
    let before = scrape(&app).await;
    for _ in 0..6 {
        app.try_login("admin", "not-the-password").await;
    }
    let r = app.try_login("admin", "not-the-password").await;
    assert_eq!(r.status(), 429);
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&client_id={}&client_secret=not-a-secret",
            Uuid::new_v4()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let after = scrape(&app).await;
    let moved = |name: &str, labels: &[(&str, &str)]| {
        after.value(name, labels) - before.value(name, labels)
    };
    assert!(
        moved("bm_sign_in_throttled_total", &throttled) >= 2.0,
        "{}",
        after.text
    );
    assert!(
        moved("bm_sign_in_failures_total", &unknown) >= 1.0,
        "{}",
        after.text
    );
}
