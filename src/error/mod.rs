//! `ApiError`: every failure a client can see, answered as RFC 9457 `application/problem+json`.

mod code;
mod problem;

pub use code::ErrorCode;
pub use problem::Problem;

use crate::domain::FieldError;

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

    /// 409 `invalid_transition`: a step (no `If-Match`) found its resource moved on by another
    /// request at the same time, between its read and its write.
    pub fn moved_meanwhile() -> Self {
        Self::new(
            ErrorCode::InvalidTransition,
            "another request changed its status at the same time; read it again",
        )
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

pub type ApiResult<T> = Result<T, ApiError>;
