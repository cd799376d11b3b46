//! `X-Request-Id`: the server's own id of every request (a new UUID), returned on every
//! response and carried in logs, problem bodies and audit events. An `X-Request-Id` the client
//! sends is kept apart as the client's request id (logged beside it and stored in audit
//! events), never used as the server's. Plus the per-request access log line.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest};
use tracing::Instrument;

pub const HEADER: &str = "x-request-id";

/// What error responses need to know about the request they answer.
#[derive(Debug, Clone, Default)]
pub struct RequestInfo {
    /// The server's id of the request.
    pub id: String,
    /// The `X-Request-Id` the client sent, when it is a valid one.
    pub client_id: Option<String>,
    pub path: String,
}

tokio::task_local! {
    static CURRENT: RequestInfo;
}

/// The request being served on this task (empty outside a request).
pub fn current() -> RequestInfo {
    CURRENT.try_with(|i| i.clone()).unwrap_or_default()
}

/// The client's `X-Request-Id`: 1–128 printable ASCII characters, else ignored.
fn client_request_id(req: &ServiceRequest) -> Option<String> {
    req.headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|s| !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
}

/// Middleware: request id, task-local request info and the access log.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let client_id = client_request_id(&req);
    let info = RequestInfo {
        id: id.clone(),
        client_id: client_id.clone(),
        path: req.path().to_string(),
    };
    req.extensions_mut().insert(info.clone());
    let method = req.method().to_string();
    let path = info.path.clone();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        client_request_id = tracing::field::Empty,
        %method,
        %path
    );
    if let Some(c) = &client_id {
        span.record("client_request_id", tracing::field::display(c));
    }
    let started = Instant::now();
    let result = CURRENT
        .scope(info, next.call(req))
        .instrument(span.clone())
        .await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _enter = span.enter();
    match result {
        Ok(mut res) => {
            let status = res.status().as_u16();
            if let Ok(v) = HeaderValue::from_str(&id) {
                res.headers_mut().insert(HeaderName::from_static(HEADER), v);
            }
            tracing::info!(status, latency_ms, "request served");
            Ok(res)
        }
        Err(e) => {
            tracing::info!(
                status = e.as_response_error().status_code().as_u16(),
                latency_ms,
                "request failed"
            );
            Err(e)
        }
    }
}

/// Who is asking from where: the request id and client address for audit events.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub request_id: String,
    pub client_request_id: Option<String>,
    pub client_addr: Option<String>,
    pub path: String,
    pub method: String,
}

impl FromRequest for RequestContext {
    type Error = Error;
    type Future = std::future::Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let info = req
            .extensions()
            .get::<RequestInfo>()
            .cloned()
            .unwrap_or_default();
        std::future::ready(Ok(RequestContext {
            request_id: info.id,
            client_request_id: info.client_id,
            client_addr: super::client_addr::of(req),
            path: req.path().to_string(),
            method: req.method().to_string(),
        }))
    }
}

impl RequestContext {
    /// Where the request came from, as the audit trail records it.
    pub fn origin(&self) -> crate::persistence::audit::Origin {
        crate::persistence::audit::Origin {
            request_id: self.request_id.clone(),
            client_addr: self.client_addr.clone(),
            client_request_id: self.client_request_id.clone(),
        }
    }
}
