//! The problem+json body every error answers with, and how an [`ApiError`] becomes one.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, ErrorCode, DATABASE_RETRY_AFTER_SECS};
use crate::domain::FieldError;
use crate::http::request_id;

/// RFC 9457 problem details, as every error response carries them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:budget-monitor:problem:validation_failed",
    "title": "The request has invalid fields",
    "status": 422,
    "detail": "1 field is invalid",
    "instance": "/api/v1/units",
    "code": "validation_failed",
    "request_id": "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10",
    "errors": [{"field": "code", "code": "required", "message": "must not be empty"}]
}))]
pub struct Problem {
    /// `urn:budget-monitor:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request path.
    pub instance: String,
    pub code: ErrorCode,
    /// The server's id of the request (its `X-Request-Id` response header), for support.
    pub request_id: String,
    /// What is wrong with each field (`validation_failed`) or query parameter
    /// (`validation_failed`, `invalid_query_parameter`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code().status()
    }

    fn error_response(&self) -> HttpResponse {
        let code = self.code();
        let info = request_id::current();
        let (detail, errors) = match self {
            ApiError::Hidden { .. } => {
                tracing::info!(
                    request_id = %info.id,
                    status = code.status().as_u16(),
                    code = code.as_str(),
                    "request refused"
                );
                (self.to_string(), vec![])
            }
            ApiError::Client { detail, errors, .. } => {
                // The client's mistake, not a fault of the service: not an ERROR line.
                tracing::info!(
                    request_id = %info.id,
                    status = code.status().as_u16(),
                    code = code.as_str(),
                    detail = %detail,
                    "request refused"
                );
                (detail.clone(), errors.clone())
            }
            other => {
                tracing::error!(request_id = %info.id, error = ?other, "request failed");
                let d = match code {
                    ErrorCode::DatabaseUnavailable => "the database is unavailable; try again",
                    _ => "internal error",
                };
                (format!("{d} (request id {})", info.id), vec![])
            }
        };
        let problem = Problem {
            type_: format!("urn:budget-monitor:problem:{}", code.as_str()),
            title: code.title().to_string(),
            status: code.status().as_u16(),
            detail,
            instance: info.path,
            code,
            request_id: info.id,
            errors,
        };
        let mut resp = HttpResponse::build(code.status());
        self.headers(&mut resp);
        if code.is_oauth() {
            resp.content_type("application/json");
            return resp.body(oauth_body(&problem));
        }
        resp.content_type("application/problem+json");
        resp.body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

/// An error of the OAuth 2.0 token endpoint: RFC 6749 §5.2's `error` and `error_description`
/// for OAuth client libraries, with the problem's members beside them for everyone else.
fn oauth_body(problem: &Problem) -> String {
    let mut body = serde_json::to_value(problem).unwrap_or_default();
    body["error"] = serde_json::json!(problem.code.as_str());
    body["error_description"] = serde_json::json!(problem.detail);
    serde_json::to_string(&body).unwrap_or_default()
}

impl ApiError {
    /// The headers an error answer carries besides its body: the challenge of a 401, the
    /// `Retry-After` of a 429 or 503, the `Allow` of a 405.
    fn headers(&self, resp: &mut actix_web::HttpResponseBuilder) {
        let code = self.code();
        if matches!(code, ErrorCode::MissingToken | ErrorCode::InvalidToken) {
            let err = if code == ErrorCode::InvalidToken {
                ", error=\"invalid_token\""
            } else {
                ""
            };
            resp.insert_header((
                header::WWW_AUTHENTICATE,
                format!("Bearer realm=\"budget-monitor\"{err}"),
            ));
        }
        if code == ErrorCode::InvalidClient {
            // RFC 6749 §5.2: the challenge of the scheme a client authenticates with.
            resp.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"budget-monitor\""));
        }
        if code == ErrorCode::DatabaseUnavailable {
            resp.insert_header((header::RETRY_AFTER, DATABASE_RETRY_AFTER_SECS.to_string()));
        }
        if let ApiError::Client {
            retry_after, allow, ..
        } = self
        {
            if let Some(s) = retry_after {
                resp.insert_header((header::RETRY_AFTER, s.to_string()));
            }
            if let Some(a) = allow {
                resp.insert_header((header::ALLOW, a.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::error::ApiError;

    /// Collects what the log subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn logged(e: ApiError) -> String {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let _ = e.error_response();
        });
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        text
    }

    #[test]
    fn client_errors_are_not_error_lines_and_server_faults_are() {
        for e in [
            ApiError::not_found("item"),
            ApiError::forbidden("no"),
            ApiError::conflict("state"),
            ApiError::field("name", "required", "missing"),
            ApiError::new(ErrorCode::PreconditionFailed, "stale"),
            ApiError::throttled(60),
        ] {
            let log = logged(e);
            assert!(
                log.contains(" INFO ") && log.contains("request refused"),
                "{log}"
            );
            assert!(!log.contains("ERROR"), "{log}");
        }
        for e in [
            ApiError::Internal("the disk is full".into()),
            ApiError::Db(sea_orm::DbErr::Custom("broken".into())),
        ] {
            let log = logged(e);
            assert!(
                log.contains("ERROR") && log.contains("request failed"),
                "{log}"
            );
        }
    }
}
