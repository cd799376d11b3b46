//! `ApiError`: every failure a client can see, answered as RFC 9457 `application/problem+json`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::FieldError;
use crate::http::request_id;

/// The closed set of machine-readable error codes. Codes are never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ValidationFailed,
    MalformedJson,
    UnsupportedMediaType,
    PayloadTooLarge,
    InvalidPathParameter,
    InvalidQueryParameter,
    InvalidHeader,
    MissingToken,
    InvalidToken,
    InvalidCredentials,
    Forbidden,
    NotFound,
    RouteNotFound,
    MethodNotAllowed,
    Conflict,
    /// A status change the resource's status machine does not allow (e.g. submit an accepted
    /// form, lift a lifted measure).
    InvalidTransition,
    /// Something unique already exists (a code, a username, one form per item and period).
    AlreadyExists,
    /// What the request changes can no longer change (a budget once a form was submitted, a
    /// published period, a form under review).
    Locked,
    /// The period does not take forms now (not open).
    PeriodNotOpen,
    PreconditionRequired,
    PreconditionFailed,
    IdempotencyKeyReused,
    IdempotencyKeyInFlight,
    LoginThrottled,
    DatabaseUnavailable,
    InternalError,
    /// An upload is not an XLSX workbook.
    NotXlsx,
    /// An uploaded workbook is protected with a password.
    WorkbookEncrypted,
    /// An uploaded XLSX workbook cannot be read.
    WorkbookDamaged,
    /// An uploaded workbook is not a form template of this service, or matches no item.
    NotAFormTemplate,
}

impl ErrorCode {
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::InvalidPathParameter => "invalid_path_parameter",
            ErrorCode::InvalidQueryParameter => "invalid_query_parameter",
            ErrorCode::InvalidHeader => "invalid_header",
            ErrorCode::MissingToken => "missing_token",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::RouteNotFound => "route_not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::Locked => "locked",
            ErrorCode::PeriodNotOpen => "period_not_open",
            ErrorCode::PreconditionRequired => "precondition_required",
            ErrorCode::PreconditionFailed => "precondition_failed",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::IdempotencyKeyInFlight => "idempotency_key_in_flight",
            ErrorCode::LoginThrottled => "login_throttled",
            ErrorCode::DatabaseUnavailable => "database_unavailable",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::NotXlsx => "not_xlsx",
            ErrorCode::WorkbookEncrypted => "workbook_encrypted",
            ErrorCode::WorkbookDamaged => "workbook_damaged",
            ErrorCode::NotAFormTemplate => "not_a_form_template",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ErrorCode::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::MalformedJson
            | ErrorCode::InvalidPathParameter
            | ErrorCode::InvalidQueryParameter
            | ErrorCode::InvalidHeader => StatusCode::BAD_REQUEST,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::MissingToken | ErrorCode::InvalidToken | ErrorCode::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound | ErrorCode::RouteNotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::Conflict
            | ErrorCode::InvalidTransition
            | ErrorCode::AlreadyExists
            | ErrorCode::Locked
            | ErrorCode::PeriodNotOpen
            | ErrorCode::IdempotencyKeyInFlight => StatusCode::CONFLICT,
            ErrorCode::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ErrorCode::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ErrorCode::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::LoginThrottled => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::NotXlsx => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::WorkbookDamaged => StatusCode::BAD_REQUEST,
            ErrorCode::WorkbookEncrypted | ErrorCode::NotAFormTemplate => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        }
    }

    /// The short human-readable summary of the problem type.
    pub fn title(&self) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => "The request has invalid fields",
            ErrorCode::MalformedJson => "The request body is not valid JSON",
            ErrorCode::UnsupportedMediaType => "Unsupported media type",
            ErrorCode::PayloadTooLarge => "The request body is too large",
            ErrorCode::InvalidPathParameter => "Invalid path parameter",
            ErrorCode::InvalidQueryParameter => "Invalid query parameter",
            ErrorCode::InvalidHeader => "Invalid header",
            ErrorCode::MissingToken => "Authentication required",
            ErrorCode::InvalidToken => "Invalid or expired token",
            ErrorCode::InvalidCredentials => "Wrong username or password",
            ErrorCode::Forbidden => "Not allowed for your role",
            ErrorCode::NotFound => "Not found",
            ErrorCode::RouteNotFound => "No such route",
            ErrorCode::MethodNotAllowed => "Method not allowed",
            ErrorCode::Conflict => "Conflict with the current state",
            ErrorCode::InvalidTransition => "Not possible in the resource's status",
            ErrorCode::AlreadyExists => "It already exists",
            ErrorCode::Locked => "It can no longer change",
            ErrorCode::PeriodNotOpen => "The period is not open",
            ErrorCode::PreconditionRequired => "If-Match header required",
            ErrorCode::PreconditionFailed => "The resource was changed since you read it",
            ErrorCode::IdempotencyKeyReused => "Idempotency key reused with a different request",
            ErrorCode::IdempotencyKeyInFlight => {
                "A request with this idempotency key is in progress"
            }
            ErrorCode::LoginThrottled => "Too many failed logins",
            ErrorCode::DatabaseUnavailable => "Database unavailable",
            ErrorCode::InternalError => "Internal error",
            ErrorCode::NotXlsx => "The upload is not an XLSX workbook",
            ErrorCode::WorkbookEncrypted => "The workbook is protected with a password",
            ErrorCode::WorkbookDamaged => "The workbook is damaged",
            ErrorCode::NotAFormTemplate => "The workbook is not a form template",
        }
    }
}

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

/// Every failure of a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    Client {
        code: ErrorCode,
        detail: String,
        errors: Vec<FieldError>,
        retry_after: Option<u64>,
        allow: Option<String>,
    },
    /// Another unit's object asked for by a reporter: answered exactly like a missing one (404
    /// `not_found`, DESIGN §1), but the denied-request audit tells it apart.
    #[error("{} not found", .resource_type.replace('_', " "))]
    Hidden {
        resource_type: &'static str,
        resource_id: String,
    },
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::Client {
            code,
            detail: detail.into(),
            errors: vec![],
            retry_after: None,
            allow: None,
        }
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let n = errors.len();
        ApiError::Client {
            code: ErrorCode::ValidationFailed,
            detail: if n == 1 {
                format!("{}: {}", errors[0].field, errors[0].message)
            } else {
                format!("{n} fields are invalid")
            },
            errors,
            retry_after: None,
            allow: None,
        }
    }

    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, code, message)])
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, detail)
    }

    /// The one mapping of a unique-constraint violation: `detail` as a 409 `already_exists` when the
    /// write broke a unique key, the database error otherwise.
    pub fn unique(detail: &'static str) -> impl FnOnce(sea_orm::DbErr) -> ApiError {
        move |e| {
            if crate::persistence::is_unique_violation(&e) {
                ApiError::new(ErrorCode::AlreadyExists, detail)
            } else {
                e.into()
            }
        }
    }

    /// 412: the row changed between the `If-Match` check and the write.
    pub fn stale() -> Self {
        Self::new(
            ErrorCode::PreconditionFailed,
            "the resource was changed by someone else; read it again",
        )
    }

    pub fn throttled(retry_after_secs: u64) -> Self {
        ApiError::Client {
            code: ErrorCode::LoginThrottled,
            detail: format!("too many failed logins; try again in {retry_after_secs} s"),
            errors: vec![],
            retry_after: Some(retry_after_secs),
            allow: None,
        }
    }

    pub fn method_not_allowed(allow: String) -> Self {
        ApiError::Client {
            code: ErrorCode::MethodNotAllowed,
            detail: format!("allowed methods: {allow}"),
            errors: vec![],
            retry_after: None,
            allow: Some(allow),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Client { code, .. } => *code,
            ApiError::Hidden { .. } => ErrorCode::NotFound,
            ApiError::Db(e) if crate::persistence::is_unavailable(e) => {
                ErrorCode::DatabaseUnavailable
            }
            _ => ErrorCode::InternalError,
        }
    }
}

/// Seconds a client is told to wait before retrying when the database is unavailable.
pub const DATABASE_RETRY_AFTER_SECS: u64 = 1;

impl From<crate::domain::workflow::TransitionError> for ApiError {
    fn from(e: crate::domain::workflow::TransitionError) -> Self {
        ApiError::new(ErrorCode::InvalidTransition, e.to_string())
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> Self {
        ApiError::validation(errors)
    }
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
        resp.content_type("application/problem+json");
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
        resp.body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

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
