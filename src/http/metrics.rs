//! `GET /metrics`: the service's Prometheus series (see `crate::metrics`), on the main port or,
//! with `BM_METRICS_BIND`, on a listener of its own; with `BM_METRICS_TOKEN`, only for a
//! scraper that sends it as a bearer token. Plus the middleware counting every request by its
//! route template.
//!
//! Like `/readyz`, it holds no business data, but it tells how the service is used and is not
//! for the public internet: serve it on an internal interface, or require the token.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{get, http::header, web, App, Error, HttpRequest, HttpResponse, HttpServer};
use sha2::{Digest, Sha256};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::config::TelemetrySettings;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The Prometheus text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// What a scrape without the token, or with another one, is told.
pub const TOKEN_MISSING: &str = "the metrics need the bearer token set in BM_METRICS_TOKEN";
pub const TOKEN_WRONG: &str = "this is not the metrics token";

/// How long a scrape waits for a database connection of each pool before it reports the wait.
const POOL_PROBE: Duration = Duration::from_millis(500);
/// How long a scrape waits for the change feed's position.
const FEED_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether this listener serves the metrics, and the token it wants.
#[derive(Debug, Clone)]
pub struct MetricsAccess {
    /// False on the main port when the metrics have a listener of their own.
    pub served_here: bool,
    /// SHA-256 of `BM_METRICS_TOKEN`, when set.
    token: Option<[u8; 32]>,
}

impl MetricsAccess {
    /// On the main port: the metrics unless they have a listener of their own.
    pub fn on_main_port(t: &TelemetrySettings) -> Self {
        MetricsAccess {
            served_here: t.metrics_bind.is_none(),
            token: t.metrics_token.as_deref().map(digest),
        }
    }

    /// 401 unless the request carries the token (when one is set).
    fn check(&self, req: &HttpRequest) -> Result<(), ApiError> {
        let Some(wanted) = &self.token else {
            return Ok(());
        };
        let sent = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match sent {
            None => Err(ApiError::new(ErrorCode::MissingToken, TOKEN_MISSING)),
            // Digests of equal length: the comparison tells nothing about the token.
            Some(t) if digest(t.trim()) == *wanted => Ok(()),
            Some(_) => Err(ApiError::new(ErrorCode::InvalidToken, TOKEN_WRONG)),
        }
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The service's metrics in the Prometheus text format.
///
/// Request counts and latency per route template and status class, the database pools, report
/// builds, refused and throttled sign-ins, and the change feed's position and freshness (the
/// README lists the series). Served on the main port unless `BM_METRICS_BIND` gives the
/// metrics a listener of their own (then this port answers 404); when `BM_METRICS_TOKEN` is
/// set, only to `Authorization: Bearer <that token>`.
///
/// `curl -H "Authorization: Bearer $BM_METRICS_TOKEN" http://127.0.0.1:8080/metrics`
#[utoipa::path(
    tag = "metrics",
    responses(
        (status = 200, description = "The series, in the Prometheus text exposition format 0.0.4",
            content_type = "text/plain; version=0.0.4", body = String,
            example = json!("# TYPE bm_http_requests_total counter\nbm_http_requests_total{method=\"GET\",route=\"/api/v1/periods/{id}/report\",status=\"2xx\"} 42\n")),
        (status = 404, description = "The metrics are served on their own listener (`BM_METRICS_BIND`), not on this port.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security((), ("metrics_token" = []))
)]
#[get("/metrics")]
pub async fn get_metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    access: web::Data<MetricsAccess>,
) -> Result<HttpResponse, ApiError> {
    if !access.served_here {
        return Err(ApiError::new(
            ErrorCode::RouteNotFound,
            format!("no route {} {}", req.method(), req.path()),
        ));
    }
    access.check(&req)?;
    sample(&state).await;
    Ok(HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .body(crate::metrics::handle().render()))
}

/// Reads what is sampled at scrape time: the pools and the change feed. A database that does
/// not answer leaves the feed's gauges as they were (the pools' wait shows it).
async fn sample(state: &AppState) {
    for s in state.db.pool_samples(POOL_PROBE).await {
        crate::metrics::pool_sampled(&s);
    }
    let feed = crate::app::events::sample_metrics(&state.db);
    match tokio::time::timeout(FEED_TIMEOUT, feed).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "metrics: could not read the change feed's position")
        }
        Err(_) => tracing::warn!("metrics: the change feed's position took too long to read"),
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_metrics);
}

/// Middleware: counts every request and its latency by method, route template (never the raw
/// path) and status class.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let route = route_of(&req);
    let result = next.call(req).await;
    let status = match &result {
        Ok(res) => res.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    crate::metrics::request_served(method.as_str(), route, status.as_u16(), started.elapsed());
    result
}

/// The most paths [`route_of`] remembers (each route's paths differ only by their ids, which it
/// leaves out: a few hundred at most; the cap bounds what made-up paths could add).
const ROUTES_REMEMBERED: usize = 4096;

/// The route template of the request's path. actix finds it by matching the path against every
/// route again, which costs more than the rest of a small request's bookkeeping; paths that
/// differ only by their ids have the same template, so it is remembered by the path with each
/// UUID segment left out.
fn route_of(req: &ServiceRequest) -> Option<String> {
    static KNOWN: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let known = KNOWN.get_or_init(Default::default);
    let key = without_ids(req.path());
    if let Some(route) = known.lock().ok().and_then(|k| k.get(&key).cloned()) {
        return Some(route);
    }
    let route = req.match_pattern()?;
    if let Ok(mut known) = known.lock() {
        if known.len() < ROUTES_REMEMBERED {
            known.insert(key, route.clone());
        }
    }
    Some(route)
}

/// `path` with every segment that is a UUID written `{}`.
fn without_ids(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if Uuid::try_parse(seg).is_ok() {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The metrics' own listener, when `BM_METRICS_BIND` asks for one: `/metrics` only, one
/// worker. The server and its port.
pub fn own_listener(
    t: &TelemetrySettings,
    state: web::Data<AppState>,
) -> std::io::Result<Option<(Server, u16)>> {
    let Some(bind) = &t.metrics_bind else {
        return Ok(None);
    };
    let listener = TcpListener::bind(bind)?;
    let port = listener.local_addr()?.port();
    let access = web::Data::new(MetricsAccess {
        served_here: true,
        token: t.metrics_token.as_deref().map(digest),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(access.clone())
            .service(get_metrics)
            .default_service(web::to(not_here))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(Some((server, port)))
}

/// Anything but `GET /metrics` on the metrics' own listener.
async fn not_here(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        ErrorCode::RouteNotFound,
        format!(
            "no route {} {}: this listener serves GET /metrics only",
            req.method(),
            req.path()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::without_ids;

    #[test]
    fn paths_differing_only_by_their_ids_are_one_key() {
        let a = "/api/v1/periods/0190a0e4-1c2b-7d3e-8f40-0123456789ab/report";
        let b = "/api/v1/periods/0190a0e4-1c2b-7d3e-8f40-ba9876543210/report";
        assert_eq!(without_ids(a), "/api/v1/periods/{}/report");
        assert_eq!(without_ids(a), without_ids(b));
        assert_eq!(without_ids("/api/v1/periods/2026"), "/api/v1/periods/2026");
        assert_eq!(without_ids("/"), "/");
    }
}
